//! The route registry: every route Tongxin serves, with who may use it. The router is built
//! from this table and the authorisation middleware enforces it, so a route cannot exist
//! without an access rule; the OpenAPI document and the API page are generated from it too.

use axum::http::Method;
use tongxin_domain::Permission;

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, logged in or not.
    Public,
    /// Any logged-in user.
    Authenticated,
    /// A logged-in user whose role holds the permission.
    Permission(Permission),
}

/// Pages answer with HTML and send anonymous users to the login page; the API answers JSON and
/// 401.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    Page,
    Api,
}

/// HTTP methods Tongxin routes use (a `Copy` stand-in for `http::Method` in the static table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Get,
    Post,
    Delete,
}

impl Verb {
    pub fn method(self) -> Method {
        match self {
            Verb::Get => Method::GET,
            Verb::Post => Method::POST,
            Verb::Delete => Method::DELETE,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Verb::Get => "GET",
            Verb::Post => "POST",
            Verb::Delete => "DELETE",
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct RouteSpec {
    pub method: Verb,
    pub path: &'static str,
    pub access: Access,
    pub surface: Surface,
    /// 中文摘要, shown in the API page and the OpenAPI document.
    pub summary: &'static str,
    /// JSON Schema of the request body (API routes that take one).
    pub request: Option<&'static str>,
    /// Query parameters (name, description) for the API page.
    pub query: &'static [(&'static str, &'static str)],
}

const fn page(
    method: Verb,
    path: &'static str,
    access: Access,
    summary: &'static str,
) -> RouteSpec {
    RouteSpec {
        method,
        path,
        access,
        surface: Surface::Page,
        summary,
        request: None,
        query: &[],
    }
}

const fn api(method: Verb, path: &'static str, access: Access, summary: &'static str) -> RouteSpec {
    RouteSpec {
        method,
        path,
        access,
        surface: Surface::Api,
        summary,
        request: None,
        query: &[],
    }
}

use Access::{Authenticated, Public};
use Permission as P;

const LOGIN_BODY: &str = r#"{"type":"object","required":["username","password"],"properties":{"username":{"type":"string","description":"用户名"},"password":{"type":"string","description":"密码"}}}"#;
const NEW_USER_BODY: &str = r#"{"type":"object","required":["username","display_name","password","role","unit"],"properties":{"username":{"type":"string","description":"用户名：3–32位小写字母、数字、. _ -"},"display_name":{"type":"string","description":"姓名"},"password":{"type":"string","description":"初始密码：至少10位，含三类字符"},"role":{"type":"string","description":"角色代码或中文名，如 township / 乡镇"},"unit":{"type":"string","description":"单位标识或任一名称，如 豫海镇"}}}"#;
const ACTIVE_BODY: &str = r#"{"type":"object","required":["active","version"],"properties":{"active":{"type":"boolean","description":"启用或停用"},"version":{"type":"integer","description":"所见版本号（乐观并发）"}}}"#;

const REGIONAL_BODY: &str = r#"{"type":"object","required":["year","notice","extra_off"],"properties":{"year":{"type":"string","description":"年份，如 2024"},"notice":{"type":"string","description":"地方通知文号或标题与日期"},"extra_off":{"type":"string","description":"地方放假日，逗号分隔，可带节日名：2024-04-10:开斋节,2024-04-11"},"extra_workdays":{"type":"string","description":"地方调休上班日（周末），同上格式"},"verified":{"type":"boolean","description":"已与自治区政府原文核对"}}}"#;

const TEXT_BODY: &str = r#"{"type":"object","required":["text"],"properties":{"text":{"type":"string","description":"文件正文（PDF提取文本），可含多份文件"}}}"#;
const ALIAS_BODY: &str = r#"{"type":"object","required":["name","unit"],"properties":{"name":{"type":"string","description":"文件中的写法"},"unit":{"type":"string","description":"对应单位的标识或名称"}}}"#;
const REPORT_BODY: &str = r#"{"type":"object","required":["topic","township","place","description","captcha_token","captcha_answer"],"properties":{"topic":{"type":"string","description":"environment | grazing | illegal_building | temporary_land"},"township":{"type":"string","description":"乡镇名称或编号"},"place":{"type":"string"},"lon":{"type":"string"},"lat":{"type":"string"},"happened_on":{"type":"string","description":"YYYY-MM-DD"},"description":{"type":"string","description":"10至2000字"},"contact":{"type":"string"},"captcha_token":{"type":"string"},"captcha_answer":{"type":"string"}}}"#;
const CHANNEL_BODY: &str = r#"{"type":"object","required":["unit","kind","target"],"properties":{"unit":{"type":"string","description":"接收通知的单位（标识或名称）"},"kind":{"type":"string","description":"dingtalk 政务钉钉群机器人 / wecom 企业微信群机器人 / email 电子邮箱"},"target":{"type":"string","description":"机器人Webhook地址或电子邮箱"},"secret":{"type":"string","description":"政务钉钉加签密钥（可空）"},"kinds":{"type":"array","items":{"type":"string"},"description":"推送的通知类别：warning overdue notice report objection digest；空为全部"}}}"#;
const CHANNEL_ENABLED_BODY: &str = r#"{"type":"object","required":["enabled","version"],"properties":{"enabled":{"type":"boolean"},"version":{"type":"integer","description":"所见版本号"}}}"#;
const PREFS_BODY: &str = r#"{"type":"object","properties":{"email":{"type":"string","description":"电子邮箱，留空不发邮件"},"kinds":{"type":"array","items":{"type":"string"},"description":"以邮件接收的通知类别：warning overdue notice report objection digest"},"version":{"type":"integer","description":"所见版本号；首次保存为0"}}}"#;
const OBJECTION_BODY: &str = r#"{"type":"object","required":["objection","captcha_token","captcha_answer"],"properties":{"objection":{"type":"string","description":"异议内容，5至1000字"},"contact":{"type":"string","description":"联系电话（可空）"},"captcha_token":{"type":"string"},"captcha_answer":{"type":"string"}}}"#;
const OUTCOME_BODY: &str = r#"{"type":"object","required":["outcome","reward","version"],"properties":{"outcome":{"type":"string"},"reward":{"type":"string","description":"granted | not_granted"},"reward_amount":{"type":"string","description":"元，给予奖励时必填"},"reward_reason":{"type":"string","description":"不予奖励时必填"},"version":{"type":"integer"}}}"#;
const PUBLISH_BODY: &str = r#"{"type":"object","required":["number","title","issued"],"properties":{"document":{"type":"integer","description":"文本中的第几份文件，从0起"},"number":{"type":"string"},"title":{"type":"string"},"issued":{"type":"string","description":"YYYY-MM-DD"},"effective_from":{"type":"string","description":"YYYY-MM-DD，留空同印发日期"},"public":{"type":"boolean"},"acknowledged":{"type":"boolean","description":"已核对全部异常"}}}"#;

const NEW_CASE_BODY: &str = r#"{"type":"object","required":["procedure","data"],"properties":{"procedure":{"type":"string","description":"办理流程，如 homestead"},"township":{"type":"string","description":"所在乡镇（申请人填写；村、乡镇经办人默认本单位）"},"data":{"type":"object","description":"申请表字段，见 GET /api/v1/procedures/{id} 中首个办理事项的 fields"},"client_key":{"type":"string","description":"防重复提交编号：同一表单重试时不变"}}}"#;
const LISTING_BODY: &str = r#"{"type":"object","required":["subject_kind","subject","name","reason","decision","decided_on"],"properties":{"subject_kind":{"type":"string","description":"enterprise（单位）或 individual（个人）"},"subject":{"type":"string","description":"统一社会信用代码或居民身份证号码"},"name":{"type":"string","description":"失信主体名称（姓名）"},"reason":{"type":"string","description":"列入理由"},"decision":{"type":"string","description":"决定文号"},"decided_on":{"type":"string","description":"决定日期 YYYY-MM-DD；自该日起5年内不得再申请临时用地"}}}"#;
const RENEWAL_BODY: &str = r#"{"type":"object","required":["kind","decision","effective_from"],"properties":{"kind":{"type":"string","description":"trial_extended（延长试行期）或 reissued（修订或重新发布）"},"decision":{"type":"string","description":"续期依据：文号或决定名称"},"effective_from":{"type":"string","description":"续期起始日 YYYY-MM-DD：自该日起引用本文件的决定不再提示已失效"},"valid_until":{"type":"string","description":"续期截止日 YYYY-MM-DD；延长试行期必填"},"note":{"type":"string","description":"说明"}}}"#;
const PATROL_BODY: &str = r#"{"type":"object","required":["patrolled_on","route","patrollers"],"properties":{"patrolled_on":{"type":"string","description":"巡查日期 YYYY-MM-DD"},"township":{"type":"string","description":"巡查的乡镇（部门必填；村、乡镇为本乡镇）"},"village":{"type":"string"},"route":{"type":"string","description":"巡查路线或地点"},"patrollers":{"type":"string","description":"巡查人员"},"findings":{"type":"array","description":"发现问题（无则为空），最多20个","items":{"type":"object","properties":{"place":{"type":"string"},"description":{"type":"string"}}}}}}"#;
const FILE_CASE_BODY: &str = r#"{"type":"object","required":["kind"],"properties":{"kind":{"type":"string","description":"unapproved_building 未批先建 | beyond_permit 超审批建设 | illegal_grazing 违规放牧 | temporary_land_misuse 临时用地违规使用"},"land_case_id":{"type":"integer","description":"临时用地违规使用：所涉临时用地案件"}}}"#;
const CASE_STEP_BODY: &str = r#"{"type":"object","required":["step","text","version"],"properties":{"step":{"type":"string","description":"investigate 调查取证 | order 责令改正（期限按规则计算）| verify 核实整改 | close 结案 | dismiss 不实结案"},"text":{"type":"string","description":"调查情况、责令改正内容、核实情况、结案说明或不实理由"},"version":{"type":"integer"}}}"#;
const JOINT_BODY: &str = r#"{"type":"object","required":["held_on","place","units","findings"],"properties":{"held_on":{"type":"string","description":"执法日期 YYYY-MM-DD（百日攻坚期内）"},"place":{"type":"string"},"units":{"type":"array","items":{"type":"string"},"description":"参加单位（至少两个，含登记单位）"},"findings":{"type":"string","description":"执法情况"}}}"#;
const SPOT_BODY: &str = r#"{"type":"object","required":["land_case_id","checked_on","result","public_text"],"properties":{"land_case_id":{"type":"integer"},"checked_on":{"type":"string","description":"YYYY-MM-DD"},"result":{"type":"string","description":"compliant | problems"},"problems":{"type":"string"},"public_text":{"type":"string","description":"公开通报内容（不含个人信息）"}}}"#;
const PUBLISH_SPOT_BODY: &str = r#"{"type":"object","required":["version"],"properties":{"public_text":{"type":"string","description":"修改后的公开通报内容（可不填）"},"version":{"type":"integer"}}}"#;
const VILLAGE_BODY: &str = r#"{"type":"object","required":["township","village","village_type"],"properties":{"township":{"type":"string"},"village":{"type":"string"},"village_type":{"type":"string","description":"集聚提升类 | 城郊融合类 | 特色保护类 | 整治改善类 | 搬迁撤并类 | 未分类"},"plan_name":{"type":"string"},"plan_number":{"type":"string"},"approved_on":{"type":"string"},"published_on":{"type":"string","description":"村内公示日期"},"version":{"type":"integer","description":"已登记的村：读取时的版本"}}}"#;
const IDLE_BODY: &str = r#"{"type":"object","required":["township","village","kind","location"],"properties":{"township":{"type":"string"},"village":{"type":"string"},"kind":{"type":"string","description":"homestead 闲置宅基地 | house 闲置住宅 | old_homestead 另址建房应退原宅基地"},"location":{"type":"string"},"holder":{"type":"string","description":"户主（原宅基地必填）"},"area_m2":{"type":"string"},"reuse":{"type":"string","description":"盘活利用方式"},"promised_on":{"type":"string","description":"承诺退回日期（原宅基地）"},"note":{"type":"string"}}}"#;
const RETURN_BODY: &str = r#"{"type":"object","required":["version"],"properties":{"returned_on":{"type":"string","description":"退回日期（原宅基地）"},"reuse":{"type":"string"},"version":{"type":"integer"}}}"#;
const SV_REPORT_BODY: &str = r#"{"type":"object","required":["body"],"properties":{"period_start":{"type":"string","description":"报送期首日 YYYY-MM-DD；留空为本单位最早未报的一期"},"body":{"type":"string","description":"进展情况"},"figures":{"type":"object","description":"数据：名称→数值，最多20项"}}}"#;
const SV_REVIEW_BODY: &str = r#"{"type":"object","required":["decision","version"],"properties":{"decision":{"type":"string","description":"accept（通过）或 return（退回，须填意见）"},"comment":{"type":"string","description":"审核意见"},"version":{"type":"integer","description":"所见版本号（乐观并发）"}}}"#;
const SV_ESCALATION_BODY: &str = r#"{"type":"object","required":["unit","step","reason"],"properties":{"unit":{"type":"string","description":"督办对象：任务的牵头或责任单位"},"step":{"type":"string","description":"催办、约谈、通报、问责（只能同级或升级）"},"reason":{"type":"string","description":"督办理由"}}}"#;
const SV_STATUS_BODY: &str = r#"{"type":"object","required":["status","version"],"properties":{"status":{"type":"string","description":"done 已完成（牵头单位）、closed 已销号、in_progress 退回推进中（督查室）"},"version":{"type":"integer","description":"所见版本号"}}}"#;
const SV_PROBLEM_BODY: &str = r#"{"type":"object","required":["unit","title","evidence_required","deadline"],"properties":{"task_id":{"type":"integer","description":"所属督办任务（可选）"},"link_kind":{"type":"string","description":"无任务时的关联类型：chain / campaign_action / event / measure"},"link_ref":{"type":"string","description":"关联对象标识"},"unit":{"type":"string","description":"整改责任单位"},"title":{"type":"string","description":"问题"},"detail":{"type":"string","description":"问题描述"},"evidence_required":{"type":"string","description":"整改佐证材料要求"},"deadline":{"type":"string","description":"整改时限 YYYY-MM-DD"}}}"#;
const SV_PROBLEM_STEP_BODY: &str = r#"{"type":"object","required":["step","version"],"properties":{"step":{"type":"string","description":"file_evidence 报送整改材料（责任单位）、verify 核验销号、reject 退回重新整改（督查室）"},"text":{"type":"string","description":"整改情况及佐证材料，或核验意见（退回必填）"},"version":{"type":"integer","description":"所见版本号"}}}"#;
const SV_WEIGHTS_BODY: &str = r#"{"type":"object","required":["from","reports","rectification","per_overdue_task"],"properties":{"from":{"type":"string","description":"起用日期 YYYY-MM-DD"},"reports":{"type":"integer","description":"按时报送分值（0–100）"},"rectification":{"type":"integer","description":"按期整改分值（与按时报送合计不超过100）"},"per_overdue_task":{"type":"integer","description":"每项逾期任务扣分"}}}"#;
const SV_NEW_TASK_BODY: &str = r#"{"type":"object","required":["title","source","lead","cadence","starts"],"properties":{"title":{"type":"string","description":"任务"},"source":{"type":"string","description":"来源条款：文号加条款，如 同党办发〔2023〕49号 四、（六）；文件须在政策库中"},"lead":{"type":"string","description":"牵头单位"},"responsible":{"type":"string","description":"责任单位，以“、”分隔"},"leader":{"type":"string","description":"责任领导"},"cadence":{"type":"string","description":"一次性、旬、月、季、年"},"starts":{"type":"string","description":"起始日 YYYY-MM-DD"},"due":{"type":"string","description":"一次性任务的完成时限"},"until":{"type":"string","description":"周期任务的截止日（可空）"},"link_kind":{"type":"string","description":"chain / campaign_action / event / measure"},"link_ref":{"type":"string","description":"关联代号，如 pv"},"parent_id":{"type":"integer","description":"上级任务"},"place":{"type":"string"},"note":{"type":"string"},"draft_id":{"type":"integer","description":"发布的草稿任务（文件导入所得）"},"client_key":{"type":"string","description":"表单键：同一键再次提交不重复建立"}}}"#;
const IND_VALUE_BODY: &str = r#"{"type":"object","required":["period"],"properties":{"period":{"type":"string","description":"填报期：该期任一日 YYYY-MM-DD，或 YYYY-MM、2023年11月下旬、2023年第四季度"},"value":{"type":"string","description":"数值（至多3位小数）；比率指标不填"},"numerator":{"type":"string","description":"比率指标的分子（如畜禽粪污资源化利用量）"},"denominator":{"type":"string","description":"比率指标的分母，不能为0"},"note":{"type":"string"},"confirm":{"type":"boolean","description":"与上期相差较大时确认"}}}"#;
const REV_MONTHLY_BODY: &str = r#"{"type":"object","required":["month","tax","non_tax"],"properties":{"month":{"type":"string","description":"月份 YYYY-MM（月末后填报）"},"tax":{"type":"string","description":"税收收入（万元）"},"non_tax":{"type":"string","description":"非税收入（万元）"},"note":{"type":"string"},"version":{"type":"integer","description":"更正已填月份时的版本号"}}}"#;
const REV_SETTINGS_BODY: &str = r#"{"type":"object","properties":{"alert_fall":{"type":"string","description":"预警降幅（%）"},"cover":{"type":"string","description":"重点税源税收合计占比（%）"},"per_industry":{"type":"string","description":"每个行业前几位"}}}"#;
const SV_REVIEW_BODY_IND: &str = r#"{"type":"object","required":["decision","version"],"properties":{"decision":{"type":"string","description":"accept 通过 / return 退回"},"comment":{"type":"string","description":"退回原因"},"version":{"type":"integer"}}}"#;
const LAYER_BODY: &str = r#"{"type":"object","required":["kind","source","source_date","geojson"],"properties":{"kind":{"type":"string","description":"basic_farmland 永久基本农田 / farmland 耕地 / geological_hazard 地质灾害易发区 / flood_hazard 洪涝灾害区 / planned_borrow_area 规划取土区"},"source":{"type":"string","description":"数据来源，如 国土变更调查2023年度成果"},"source_date":{"type":"string","description":"数据日期 YYYY-MM-DD"},"geojson":{"description":"GeoJSON 要素集合（对象或文本），面要素，CGCS2000经纬度（EPSG:4490）；最大64MB"}}}"#;
const ACTION_BODY: &str = r#"{"type":"object","required":["action","version"],"properties":{"action":{"type":"string","description":"办理事项，如 approve；可办事项见案件的 allowed_actions"},"data":{"type":"object","description":"该事项的表单字段；退回、不予批准等须填 reason"},"version":{"type":"integer","description":"所见版本号（乐观并发）"}}}"#;

/// Every route. Capabilities not built yet have a page that says so.
const ENTERPRISE_BODY: &str = r#"{"type":"object","required":["credit_code","name","segments"],"properties":{"credit_code":{"type":"string","description":"统一社会信用代码（GB 32100-2015，18位）；更正时不改"},"name":{"type":"string","description":"企业名称"},"key_tax_source":{"type":"boolean","description":"重点税源企业"},"segments":{"type":"array","items":{"type":"string"},"description":"所在产业链环节，如 pv.ingot（产业链.环节）"},"note":{"type":"string","description":"备注"},"version":{"type":"integer","description":"更正时：所见版本号（乐观并发）"}}}"#;
const MASTER_STEP_BODY: &str = r#"{"type":"object","required":["chain","level","decided_on","decision","version"],"properties":{"chain":{"type":"string","description":"产业链，如 pv"},"level":{"type":"string","description":"candidate（链主候选）、county（县级认定）、regional（自治区级认定）"},"decided_on":{"type":"string","description":"认定日期 YYYY-MM-DD"},"decision":{"type":"string","description":"认定文件或会议"},"reward":{"type":"string","description":"县级奖励（万元，最多两位小数；县级、自治区级认定必填，无奖励填0）"},"note":{"type":"string"},"version":{"type":"integer","description":"企业的所见版本号（乐观并发）"}}}"#;
const CHAIN_ITEM_BODY: &str = r#"{"type":"object","required":["kind","title"],"properties":{"kind":{"type":"string","description":"platform（重点平台）、technology（关键共性技术）、bottleneck（制约瓶颈）、blockage（供应链堵点断点）"},"title":{"type":"string"},"detail":{"type":"string"},"measure":{"type":"string","description":"措施（堵点断点必填）"},"segment":{"type":"string","description":"环节代号，如 ingot"}}}"#;
const ITEM_STATUS_BODY: &str = r#"{"type":"object","required":["open","version"],"properties":{"open":{"type":"boolean","description":"true 重新打开，false 销号"},"version":{"type":"integer","description":"所见版本号（乐观并发）"}}}"#;

pub static ROUTES: &[RouteSpec] = &[
    page(Verb::Get, "/", Public, "首页：已登录转工作台，否则转登录"),
    page(
        Verb::Get,
        "/healthz",
        Public,
        "健康检查：数据库可用时返回200",
    ),
    page(Verb::Get, "/static/{file}", Public, "静态资源"),
    page(Verb::Get, "/favicon.ico", Public, "网站图标"),
    page(Verb::Get, "/login", Public, "登录页"),
    page(Verb::Post, "/login", Public, "登录"),
    page(Verb::Post, "/logout", Authenticated, "退出登录"),
    page(
        Verb::Get,
        "/workbench",
        Access::Permission(P::ViewWorkbench),
        "工作台",
    ),
    page(
        Verb::Get,
        "/units",
        Access::Permission(P::ViewDirectory),
        "组织机构",
    ),
    page(
        Verb::Get,
        "/users",
        Access::Permission(P::ViewUsers),
        "用户管理",
    ),
    page(
        Verb::Post,
        "/users",
        Access::Permission(P::ManageUsers),
        "新建用户",
    ),
    page(
        Verb::Post,
        "/users/{id}/active",
        Access::Permission(P::ManageUsers),
        "启用或停用用户",
    ),
    page(
        Verb::Post,
        "/users/{id}/unlock",
        Access::Permission(P::ManageSecurity),
        "解锁账号",
    ),
    page(
        Verb::Get,
        "/audit",
        Access::Permission(P::ViewAudit),
        "审计日志",
    ),
    page(
        Verb::Get,
        "/capabilities/{slug}",
        Authenticated,
        "尚未建成的功能",
    ),
    page(Verb::Get, "/api/docs", Public, "接口文档"),
    api(Verb::Get, "/api/v1/openapi.json", Public, "OpenAPI 文档"),
    RouteSpec {
        request: Some(LOGIN_BODY),
        ..api(
            Verb::Post,
            "/api/v1/session",
            Public,
            "登录：成功后设置会话Cookie，返回CSRF令牌",
        )
    },
    api(
        Verb::Get,
        "/api/v1/session",
        Authenticated,
        "当前会话：用户、角色、单位、CSRF令牌",
    ),
    api(Verb::Delete, "/api/v1/session", Authenticated, "退出登录"),
    api(
        Verb::Get,
        "/api/v1/units",
        Access::Permission(P::ViewDirectory),
        "组织机构目录",
    ),
    RouteSpec {
        query: &[("name", "单位名称、简称或别名")],
        ..api(
            Verb::Get,
            "/api/v1/units/resolve",
            Access::Permission(P::ViewDirectory),
            "按名称或别名查找单位；统称展开为单位集合",
        )
    },
    RouteSpec {
        query: &[("page", "页码，从1开始"), ("per_page", "每页条数，至多100")],
        ..api(
            Verb::Get,
            "/api/v1/users",
            Access::Permission(P::ViewUsers),
            "用户列表（按数据范围）",
        )
    },
    RouteSpec {
        request: Some(NEW_USER_BODY),
        ..api(
            Verb::Post,
            "/api/v1/users",
            Access::Permission(P::ManageUsers),
            "新建用户",
        )
    },
    RouteSpec {
        request: Some(ACTIVE_BODY),
        ..api(
            Verb::Post,
            "/api/v1/users/{id}/active",
            Access::Permission(P::ManageUsers),
            "启用或停用用户",
        )
    },
    api(
        Verb::Post,
        "/api/v1/users/{id}/unlock",
        Access::Permission(P::ManageSecurity),
        "解锁账号",
    ),
    RouteSpec {
        query: &[
            ("actor", "操作人用户名"),
            ("action", "操作类型代码"),
            ("before_id", "只看编号小于此值的记录"),
            ("limit", "条数，至多100"),
        ],
        ..api(
            Verb::Get,
            "/api/v1/audit",
            Access::Permission(P::ViewAudit),
            "审计日志（新到旧）",
        )
    },
    api(
        Verb::Get,
        "/api/v1/audit/verify",
        Access::Permission(P::ViewAudit),
        "校验审计日志哈希链",
    ),
    page(
        Verb::Get,
        "/policies",
        Public,
        "政策库：文件与有效性（未登录只见公开发布的文件）",
    ),
    page(
        Verb::Get,
        "/policies/rules",
        Access::Permission(P::ViewPolicies),
        "政策库：规则参数及其依据",
    ),
    page(
        Verb::Get,
        "/policies/{doc}",
        Public,
        "政策文件：条款树与原文、续期记录（公开发布的文件无需登录）",
    ),
    page(
        Verb::Post,
        "/policies/{doc}/renewals",
        Access::Permission(P::ManagePolicies),
        "记录文件续期（延长试行期、修订或重新发布）",
    ),
    page(
        Verb::Get,
        "/policies/{doc}/clauses/{clause}",
        Public,
        "条款：原文与引用它的规则（公开发布的文件无需登录）",
    ),
    page(
        Verb::Get,
        "/calendar",
        Access::Permission(P::ViewWorkbench),
        "日历管理：工作日计算与地方节假日",
    ),
    page(
        Verb::Post,
        "/calendar/regional",
        Access::Permission(P::ManageCalendar),
        "录入地方节假日",
    ),
    page(
        Verb::Get,
        "/homestead",
        Access::Permission(P::ActOnCases),
        "宅基地审批：案件列表与筛选",
    ),
    page(
        Verb::Get,
        "/homestead/new",
        Access::Permission(P::ActOnCases),
        "宅基地申请表（申请人、村级经办人）",
    ),
    page(
        Verb::Post,
        "/homestead/new",
        Access::Permission(P::ActOnCases),
        "提交宅基地申请",
    ),
    page(
        Verb::Get,
        "/public",
        Public,
        "公众服务：举报、公示与信息公开（无需登录）",
    ),
    page(
        Verb::Get,
        "/public/report",
        Public,
        "我要举报（无需登录；验证码、照片）",
    ),
    page(
        Verb::Post,
        "/public/report",
        Public,
        "提交举报，得到受理编号",
    ),
    page(
        Verb::Get,
        "/public/report/follow",
        Public,
        "凭受理编号查询办理进度；处理结果公开",
    ),
    page(
        Verb::Get,
        "/public/progress",
        Public,
        "重点工作进度公开：百日攻坚行动与产业链的任务和完成情况",
    ),
    page(
        Verb::Get,
        "/public/notices/{number}/objection",
        Public,
        "对公示中的宅基地申请提出异议（无需登录）",
    ),
    page(
        Verb::Post,
        "/public/notices/{number}/objection",
        Public,
        "提交公示异议：记入该申请的审批案件，告知村级组织",
    ),
    page(
        Verb::Get,
        "/reports",
        Access::Permission(P::ViewTasks),
        "群众举报：本单位办理的举报",
    ),
    page(
        Verb::Get,
        "/reports/{receipt}",
        Access::Permission(P::ViewTasks),
        "群众举报：内容、照片、问题清单办理情况与处理结果",
    ),
    page(
        Verb::Post,
        "/reports/{receipt}/outcome",
        Access::Permission(P::ViewTasks),
        "公布举报处理结果与奖励认定",
    ),
    page(
        Verb::Get,
        "/notifications",
        Access::Permission(P::ManageUsers),
        "通知推送：各单位的推送渠道与送达记录",
    ),
    page(
        Verb::Post,
        "/notifications/channels",
        Access::Permission(P::ManageUsers),
        "添加推送渠道",
    ),
    page(
        Verb::Post,
        "/notifications/channels/{id}/enabled",
        Access::Permission(P::ManageUsers),
        "启用或停用推送渠道",
    ),
    page(
        Verb::Post,
        "/notifications/channels/{id}/test",
        Access::Permission(P::ManageUsers),
        "向推送渠道发送测试消息",
    ),
    page(
        Verb::Post,
        "/notifications/deliveries/{id}/retry",
        Access::Permission(P::ManageUsers),
        "重新发送发送失败的通知",
    ),
    page(
        Verb::Get,
        "/me/notifications",
        Authenticated,
        "通知设置：以邮件接收哪些通知",
    ),
    page(
        Verb::Post,
        "/me/notifications",
        Authenticated,
        "保存通知设置",
    ),
    page(
        Verb::Get,
        "/cases/{id}",
        Access::Permission(P::ActOnCases),
        "案件页（按办理流程转到其页面；通知中的链接）",
    ),
    page(
        Verb::Get,
        "/homestead/notices",
        Public,
        "宅基地申请公示（姓名脱敏，不含身份证号）",
    ),
    page(
        Verb::Get,
        "/homestead/ledger.xlsx",
        Access::Permission(P::ActOnCases),
        "宅基地审批台账（XLSX，筛选同列表）",
    ),
    page(
        Verb::Get,
        "/homestead/{id}",
        Access::Permission(P::ActOnCases),
        "宅基地案件：时限、可办事项、申请信息、办理记录",
    ),
    page(
        Verb::Post,
        "/homestead/{id}/actions",
        Access::Permission(P::ActOnCases),
        "办理宅基地案件",
    ),
    page(
        Verb::Get,
        "/homestead/{id}/documents/{doc}",
        Access::Permission(P::ActOnCases),
        "打印文书（批准书、规划许可证、验收意见表）",
    ),
    page(
        Verb::Get,
        "/temporary-land",
        Access::Permission(P::ActOnCases),
        "临时用地：案件列表、到期与复垦预警筛选",
    ),
    page(
        Verb::Get,
        "/temporary-land/new",
        Access::Permission(P::ActOnCases),
        "临时用地选址申请表（项目建设单位或施工单位）",
    ),
    page(
        Verb::Post,
        "/temporary-land/new",
        Access::Permission(P::ActOnCases),
        "提交临时用地选址申请",
    ),
    page(
        Verb::Get,
        "/temporary-land/ledger.xlsx",
        Access::Permission(P::ActOnCases),
        "临时用地审批与复垦台账（XLSX，筛选同列表）",
    ),
    page(
        Verb::Get,
        "/temporary-land/public",
        Public,
        "临时用地批准信息公开与失信名单（个人姓名脱敏，不含证件号和电话）",
    ),
    page(
        Verb::Get,
        "/temporary-land/layers",
        Access::Permission(P::ActOnCases),
        "保护图层：现行图层的来源与日期，县自然资源局导入",
    ),
    page(
        Verb::Get,
        "/temporary-land/dishonesty",
        Access::Permission(P::ManageDishonestyList),
        "临时用地失信名单（县自然资源局）",
    ),
    page(
        Verb::Post,
        "/temporary-land/dishonesty",
        Access::Permission(P::ManageDishonestyList),
        "列入临时用地失信名单",
    ),
    page(
        Verb::Get,
        "/temporary-land/{id}/sign",
        Access::Permission(P::ActOnCases),
        "打印临时用地公示牌（第二十一条）",
    ),
    page(
        Verb::Get,
        "/temporary-land/{id}",
        Access::Permission(P::ActOnCases),
        "临时用地案件：用地范围与保护图层、时限、可办事项、办理记录",
    ),
    page(
        Verb::Post,
        "/temporary-land/{id}/actions",
        Access::Permission(P::ActOnCases),
        "办理临时用地案件",
    ),
    page(
        Verb::Get,
        "/temporary-land/{id}/documents/{doc}",
        Access::Permission(P::ActOnCases),
        "打印文书（临时用地批准文件、复垦验收确认书、移交确认书）",
    ),
    page(
        Verb::Get,
        "/gov-projects/path",
        Public,
        "政府投资项目审批路径计算器（我的项目需要哪些审批？）",
    ),
    page(
        Verb::Get,
        "/supervision",
        Access::Permission(P::ViewTasks),
        "督查督办：任务台账，按单位、领导、来源文件、状态、到期筛选",
    ),
    page(
        Verb::Get,
        "/supervision/bulletin",
        Access::Permission(P::ViewTasks),
        "考核通报：季通报、年评优（各单位得分、排名、计分规则）",
    ),
    page(
        Verb::Post,
        "/supervision/weights",
        Access::Permission(P::Supervise),
        "设置考核权重",
    ),
    page(
        Verb::Get,
        "/supervision/bulletin.xlsx",
        Access::Permission(P::ViewTasks),
        "考核通报（XLSX）",
    ),
    page(
        Verb::Get,
        "/supervision/tasks/{id}",
        Access::Permission(P::ViewTasks),
        "督办任务：报送期与各单位报送、问题清单、督办记录",
    ),
    page(
        Verb::Post,
        "/supervision/tasks/{id}",
        Access::Permission(P::ViewTasks),
        "报送、审核、督办、任务状态、挂账问题",
    ),
    page(
        Verb::Get,
        "/supervision/problems/{id}",
        Access::Permission(P::ViewTasks),
        "问题：整改材料、核验、整改记录",
    ),
    page(
        Verb::Post,
        "/supervision/problems/{id}",
        Access::Permission(P::ViewTasks),
        "报送整改材料、核验销号或退回",
    ),
    page(
        Verb::Post,
        "/supervision/reports/{id}/attachments",
        Access::Permission(P::ViewTasks),
        "上传报送材料（报送单位；multipart，CSRF令牌在表单地址中）",
    ),
    page(
        Verb::Post,
        "/supervision/problems/{id}/attachments",
        Access::Permission(P::ViewTasks),
        "上传整改佐证（责任单位）",
    ),
    page(
        Verb::Get,
        "/supervision/attachments/{id}",
        Access::Permission(P::ViewTasks),
        "下载附件",
    ),
    page(
        Verb::Get,
        "/supervision/new",
        Access::Permission(P::Supervise),
        "新建督办任务（手工，或从已导入文件的草稿任务核对后发布）",
    ),
    page(
        Verb::Post,
        "/supervision/new",
        Access::Permission(P::Supervise),
        "建立督办任务",
    ),
    page(
        Verb::Get,
        "/supervision/tasks.xlsx",
        Access::Permission(P::ViewTasks),
        "督办任务台账（XLSX，按当前筛选，最多20000项）",
    ),
    page(
        Verb::Get,
        "/indicators",
        Access::Permission(P::ViewTasks),
        "指标总览：各项目标、依据条款、期限、最新值与状态（已达标、进度正常、有风险、未达标）",
    ),
    page(
        Verb::Get,
        "/indicators.xlsx",
        Access::Permission(P::ViewTasks),
        "指标总览（XLSX）",
    ),
    page(
        Verb::Get,
        "/indicators/{key}",
        Access::Permission(P::ViewTasks),
        "指标：各期数值与目标线、填报、审核",
    ),
    page(
        Verb::Post,
        "/indicators/{key}",
        Access::Permission(P::ViewTasks),
        "填报指标数值（填报单位）或审核（督查室）",
    ),
    page(
        Verb::Get,
        "/revenue",
        Access::Permission(P::ViewTasks),
        "财源总览：全年目标与路径、各月收入与非税报送期限、分税种分行业、重点税源名录与预警（?year=）",
    ),
    page(
        Verb::Post,
        "/revenue",
        Access::Permission(P::ViewTasks),
        "填报月度收入（form=monthly）或预警与名录设置（form=settings），财政局",
    ),
    page(
        Verb::Post,
        "/revenue/import",
        Access::Permission(P::ViewTasks),
        "导入税收数据（税务局、财政局；multipart：file；CSRF令牌在表单地址中），逐行报告结果",
    ),
    page(
        Verb::Get,
        "/revenue/guarantee",
        Access::Authenticated,
        "融资担保风险分担计算（2:2:4:2，?amount=万元）",
    ),
    page(
        Verb::Get,
        "/revenue.xlsx",
        Access::Permission(P::ViewTasks),
        "财源台账（XLSX：各月收入、分税种、分行业、重点税源、预警）",
    ),
    page(
        Verb::Post,
        "/indicators/{key}/import",
        Access::Permission(P::ViewTasks),
        "导入指标数值（填报单位；multipart：file 为.xlsx或.csv，confirm=1 表示数值已核对；CSRF令牌在表单地址中），逐行报告结果",
    ),
    page(
        Verb::Post,
        "/indicator-values/{id}/attachments",
        Access::Permission(P::ViewTasks),
        "上传指标佐证材料（填报单位；multipart，CSRF令牌在表单地址中）",
    ),
    page(
        Verb::Get,
        "/supervision/chains",
        Access::Permission(P::ViewTasks),
        "产业链：21条链按链长分组，每链任务、逾期、未销号问题；?leader= 链长本人的页面",
    ),
    page(
        Verb::Get,
        "/supervision/chains/{key}",
        Access::Permission(P::ViewTasks),
        "一条产业链：链长、牵头与责任单位、任务、问题清单、最近报送",
    ),
    page(
        Verb::Get,
        "/supervision/campaign",
        Access::Permission(P::ViewTasks),
        "百日攻坚：七大行动、工作专班、措施，攻坚期满后的成效评估",
    ),
    page(
        Verb::Get,
        "/supervision/campaign/{key}",
        Access::Permission(P::ViewTasks),
        "一项攻坚行动：组长、专班办公室与成员单位、措施、问题、最近报送",
    ),
    page(
        Verb::Get,
        "/supervision/festival",
        Access::Permission(P::ViewTasks),
        "活动日历：“红红火火过大年”各项活动与期限，按月历和清单，可按单位筛选",
    ),
    page(
        Verb::Get,
        "/supervision/festival.ics",
        Public,
        "活动日历订阅（iCalendar，?unit=单位）：只含文件公布的活动、日期、地点和单位",
    ),
    page(
        Verb::Get,
        "/supervision/units/{key}",
        Access::Permission(P::ViewTasks),
        "单位应报：本单位在各任务上最早一期未报的进展及截止日、未销号问题",
    ),
    page(
        Verb::Get,
        "/gov-projects",
        Access::Permission(P::ActOnCases),
        "政府投资项目：项目列表（阶段、下一期限、月报逾期、金额、资金），按单位、阶段、年度筛选",
    ),
    page(
        Verb::Get,
        "/gov-projects/new",
        Access::Permission(P::ActOnCases),
        "政府投资项目申报表（项目单位）",
    ),
    page(
        Verb::Post,
        "/gov-projects/new",
        Access::Permission(P::ActOnCases),
        "申报政府投资项目",
    ),
    page(
        Verb::Get,
        "/gov-projects/ledger.xlsx",
        Access::Permission(P::ActOnCases),
        "政府投资项目台账（XLSX，筛选同列表）",
    ),
    page(
        Verb::Get,
        "/gov-projects/{id}",
        Access::Permission(P::ActOnCases),
        "政府投资项目：审批路径与条款、前期文件、并联审批、资金、月度进度与图表、竣工验收",
    ),
    page(
        Verb::Post,
        "/gov-projects/{id}/actions",
        Access::Permission(P::ActOnCases),
        "办理政府投资项目",
    ),
    page(
        Verb::Get,
        "/chains",
        Access::Permission(P::ViewTasks),
        "产业链：21条产业链卡片（链长、牵头单位、环节缺失、企业、线索、项目、储备、未销号清单），链长本人的链在前",
    ),
    page(
        Verb::Get,
        "/chains/enterprises",
        Access::Permission(P::ViewTasks),
        "重点企业名录与登记表（统一社会信用代码、所在环节、重点税源、链主）",
    ),
    page(
        Verb::Post,
        "/chains/enterprises",
        Access::Permission(P::ViewTasks),
        "登记重点企业（所在产业链牵头单位或工业信息化和商务局）",
    ),
    page(
        Verb::Get,
        "/chains/enterprises/{id}",
        Access::Permission(P::ViewTasks),
        "一家企业：信息更正、链主认定记录",
    ),
    page(
        Verb::Post,
        "/chains/enterprises/{id}",
        Access::Permission(P::ViewTasks),
        "更正企业信息或记录链主认定",
    ),
    page(
        Verb::Post,
        "/chains/items/{id}",
        Access::Permission(P::ViewTasks),
        "清单事项销号或重新打开（牵头单位）",
    ),
    page(
        Verb::Get,
        "/chains/{key}",
        Access::Permission(P::ViewTasks),
        "一条产业链：链图（环节按有企业/在建/缺失着色，缺失环节链到补链线索）、重点企业、招商项目、储备库、四张清单",
    ),
    page(
        Verb::Post,
        "/chains/{key}/items",
        Access::Permission(P::ViewTasks),
        "添加清单事项（重点平台、关键共性技术、制约瓶颈、供应链堵点断点及措施；牵头单位）",
    ),
    page(
        Verb::Get,
        "/investment/board",
        Access::Permission(P::ViewTasks),
        "招商项目看板：本人可见的线索和项目按阶段排列，可按产业链、办理单位筛选",
    ),
    page(
        Verb::Get,
        "/investment",
        Access::Permission(P::ActOnCases),
        "招商引资项目：线索与项目列表（阶段、产业链、环节、计划投资），按牵头单位、阶段、年度筛选；项目储备库；容缺逾期",
    ),
    page(
        Verb::Get,
        "/investment/new",
        Access::Permission(P::ActOnCases),
        "招商引资线索登记表（各产业链相关单位）",
    ),
    page(
        Verb::Post,
        "/investment/new",
        Access::Permission(P::ActOnCases),
        "登记招商引资线索",
    ),
    page(
        Verb::Get,
        "/investment/ledger.xlsx",
        Access::Permission(P::ActOnCases),
        "招商引资信息线索台账（XLSX，筛选同列表）",
    ),
    page(
        Verb::Get,
        "/investment/{id}",
        Access::Permission(P::ActOnCases),
        "招商引资项目：各阶段记录与条款、五个一、帮办代办与容缺受理、实际到位资金",
    ),
    page(
        Verb::Post,
        "/investment/{id}/actions",
        Access::Permission(P::ActOnCases),
        "办理招商引资项目",
    ),
    page(
        Verb::Get,
        "/gov-projects/{id}/documents/{doc}",
        Access::Permission(P::ActOnCases),
        "打印文书（竣工验收意见）",
    ),
    api(
        Verb::Get,
        "/api/v1/chains",
        Access::Permission(P::ViewTasks),
        "产业链列表：每链的链长、牵头单位、状态颜色与计数",
    ),
    api(
        Verb::Get,
        "/api/v1/chains/{key}",
        Access::Permission(P::ViewTasks),
        "一条产业链：各环节的计数与强弱、补链线索、企业、清单、招商项目与储备库",
    ),
    RouteSpec {
        request: Some(CHAIN_ITEM_BODY),
        ..api(
            Verb::Post,
            "/api/v1/chains/{key}/items",
            Access::Permission(P::ViewTasks),
            "添加清单事项（牵头单位）",
        )
    },
    RouteSpec {
        request: Some(ITEM_STATUS_BODY),
        ..api(
            Verb::Post,
            "/api/v1/chain-items/{id}",
            Access::Permission(P::ViewTasks),
            "清单事项销号或重新打开（牵头单位）",
        )
    },
    api(
        Verb::Get,
        "/api/v1/enterprises",
        Access::Permission(P::ViewTasks),
        "重点企业名录（含链主认定记录）",
    ),
    RouteSpec {
        request: Some(ENTERPRISE_BODY),
        ..api(
            Verb::Post,
            "/api/v1/enterprises",
            Access::Permission(P::ViewTasks),
            "登记重点企业：统一社会信用代码校验，一个代码只登记一次",
        )
    },
    api(
        Verb::Get,
        "/api/v1/enterprises/{id}",
        Access::Permission(P::ViewTasks),
        "一家企业",
    ),
    RouteSpec {
        request: Some(ENTERPRISE_BODY),
        ..api(
            Verb::Post,
            "/api/v1/enterprises/{id}",
            Access::Permission(P::ViewTasks),
            "更正企业信息（版本号乐观并发）",
        )
    },
    RouteSpec {
        request: Some(MASTER_STEP_BODY),
        ..api(
            Verb::Post,
            "/api/v1/enterprises/{id}/master-steps",
            Access::Permission(P::ViewTasks),
            "记录链主认定：候选、县级认定（含奖励）、自治区级认定（含县级再次奖励）",
        )
    },
    RouteSpec {
        query: &[("chain", "产业链代号，如 pv"), ("unit", "办理单位")],
        ..api(
            Verb::Get,
            "/api/v1/investment/board",
            Access::Permission(P::ViewTasks),
            "招商项目看板：本人可见的线索和项目按阶段",
        )
    },
    api(
        Verb::Get,
        "/api/v1/investment/figures",
        Access::Permission(P::ViewTasks),
        "招商引资考核参考（第十四条）：各办理单位的线索、签约落地、到位资金、登记到签约用时",
    ),
    RouteSpec {
        query: &[
            ("unit", "单位（牵头或责任）"),
            ("leader", "责任领导"),
            ("doc", "来源文件文号"),
            ("status", "未开始、推进中、已完成、逾期、已销号"),
            ("due_within", "若干日内到期的一次性任务"),
            ("link_kind", "chain / campaign_action / event / measure"),
            ("link_ref", "关联对象标识"),
            ("page", "页码"),
            ("per_page", "每页条数，最多100"),
        ],
        ..api(
            Verb::Get,
            "/api/v1/supervision/tasks",
            Access::Permission(P::ViewTasks),
            "督办任务（本人数据范围）",
        )
    },
    api(
        Verb::Get,
        "/api/v1/supervision/tasks/{id}",
        Access::Permission(P::ViewTasks),
        "督办任务：各报送期、各单位报送、督办记录",
    ),
    RouteSpec {
        request: Some(SV_REPORT_BODY),
        ..api(
            Verb::Post,
            "/api/v1/supervision/tasks/{id}/reports",
            Access::Permission(P::ViewTasks),
            "报送进展（任务的牵头或责任单位）",
        )
    },
    RouteSpec {
        request: Some(SV_ESCALATION_BODY),
        ..api(
            Verb::Post,
            "/api/v1/supervision/tasks/{id}/escalations",
            Access::Permission(P::Supervise),
            "督办：催办、约谈、通报、问责",
        )
    },
    RouteSpec {
        request: Some(SV_STATUS_BODY),
        ..api(
            Verb::Post,
            "/api/v1/supervision/tasks/{id}/status",
            Access::Permission(P::ViewTasks),
            "任务状态：牵头单位报完成，督查室销号或退回",
        )
    },
    RouteSpec {
        request: Some(SV_REVIEW_BODY),
        ..api(
            Verb::Post,
            "/api/v1/supervision/reports/{id}/review",
            Access::Permission(P::ViewTasks),
            "审核报送：通过或退回（督查室；牵头单位审核责任单位）",
        )
    },
    RouteSpec {
        query: &[
            ("unit", "整改责任单位"),
            (
                "status",
                "open、evidence_filed、closed、reopened，或 未销号",
            ),
            ("task_id", "督办任务"),
            ("link_kind", "关联类型"),
            ("link_ref", "关联对象"),
            ("page", "页码"),
            ("per_page", "每页条数"),
        ],
        ..api(
            Verb::Get,
            "/api/v1/supervision/problems",
            Access::Permission(P::ViewTasks),
            "问题清单（挂账整改）",
        )
    },
    RouteSpec {
        request: Some(SV_PROBLEM_BODY),
        ..api(
            Verb::Post,
            "/api/v1/supervision/problems",
            Access::Permission(P::Supervise),
            "挂账问题：责任单位、整改时限、佐证要求",
        )
    },
    RouteSpec {
        query: &[("period", "考核期：2024Q1、2024-03 或 2024")],
        ..api(
            Verb::Get,
            "/api/v1/supervision/bulletin",
            Access::Permission(P::ViewTasks),
            "季通报、年评优：各单位得分、排名、逾期事项及计分规则",
        )
    },
    RouteSpec {
        request: Some(SV_WEIGHTS_BODY),
        ..api(
            Verb::Post,
            "/api/v1/supervision/weights",
            Access::Permission(P::Supervise),
            "设置考核权重（自某日起）",
        )
    },
    api(
        Verb::Post,
        "/api/v1/supervision/reports/{id}/attachments",
        Access::Permission(P::ViewTasks),
        "上传报送材料：multipart/form-data，字段 files（可多个；PDF、图片、Word、Excel、TXT，每个不超过10MB，每项最多10个）",
    ),
    api(
        Verb::Post,
        "/api/v1/supervision/problems/{id}/attachments",
        Access::Permission(P::ViewTasks),
        "上传整改佐证：multipart/form-data，字段 files",
    ),
    RouteSpec {
        request: Some(SV_NEW_TASK_BODY),
        ..api(
            Verb::Post,
            "/api/v1/supervision/tasks",
            Access::Permission(P::Supervise),
            "新建督办任务（来源条款、牵头与责任单位、周期、时限；draft_id 发布导入文件的草稿任务）",
        )
    },
    api(
        Verb::Get,
        "/api/v1/indicators",
        Access::Permission(P::ViewTasks),
        "指标总览：目标、条款、期限、最新值、状态及理由",
    ),
    api(
        Verb::Get,
        "/api/v1/indicators/{key}",
        Access::Permission(P::ViewTasks),
        "指标及各期数值",
    ),
    RouteSpec {
        request: Some(IND_VALUE_BODY),
        ..api(
            Verb::Post,
            "/api/v1/indicators/{key}/values",
            Access::Permission(P::ViewTasks),
            "填报一期数值（填报单位；与上期相差较大时须 confirm）",
        )
    },
    RouteSpec {
        request: Some(SV_REVIEW_BODY_IND),
        ..api(
            Verb::Post,
            "/api/v1/indicator-values/{id}/review",
            Access::Permission(P::Supervise),
            "审核指标数值：通过或退回（须写原因）",
        )
    },
    RouteSpec {
        query: &[("year", "年份，默认今年")],
        ..api(
            Verb::Get,
            "/api/v1/revenue",
            Access::Permission(P::ViewTasks),
            "财源总览：目标路径、各月收入（环比、同比、非税报送期限）、分税种分行业、重点税源名录与预警（后两项限县领导、督查室、财政局、税务局）",
        )
    },
    RouteSpec {
        request: Some(REV_MONTHLY_BODY),
        ..api(
            Verb::Post,
            "/api/v1/revenue/monthly",
            Access::Permission(P::ViewTasks),
            "填报月度收入（财政局；万元）；更正已填月份须带 version",
        )
    },
    RouteSpec {
        request: Some(REV_SETTINGS_BODY),
        ..api(
            Verb::Post,
            "/api/v1/revenue/settings",
            Access::Permission(P::ViewTasks),
            "预警与名录设置（财政局）",
        )
    },
    api(
        Verb::Post,
        "/api/v1/revenue/import",
        Access::Permission(P::ViewTasks),
        "导入税收数据：multipart/form-data，字段 file（.xlsx或.csv；列：统一社会信用代码、纳税人名称、行业、产业链、税种、所属月份、税额（元，表头写万元则按万元））；返回逐行结果，成功的行保留",
    ),
    RouteSpec {
        query: &[("amount", "贷款金额（万元）")],
        ..api(
            Verb::Get,
            "/api/v1/revenue/guarantee",
            Access::Authenticated,
            "融资担保风险分担：按 同政办发〔2023〕76号 四、（八）的比例分配一笔贷款，精确到分",
        )
    },
    api(
        Verb::Post,
        "/api/v1/indicators/{key}/import",
        Access::Permission(P::ViewTasks),
        "导入指标数值：multipart/form-data，字段 file（.xlsx或.csv，表头含“填报期/月份”与“数值”，比率指标为分子、分母两列）、confirm（true 表示与上期相差较大的数值已核对）；返回逐行结果，成功的行保留",
    ),
    api(
        Verb::Post,
        "/api/v1/indicator-values/{id}/attachments",
        Access::Permission(P::ViewTasks),
        "上传指标佐证材料：multipart/form-data，字段 files",
    ),
    RouteSpec {
        query: &[("leader", "链长姓名：只列其所领的链")],
        ..api(
            Verb::Get,
            "/api/v1/supervision/chains",
            Access::Permission(P::ViewTasks),
            "产业链：链长、牵头单位、任务、逾期数、未销号问题数",
        )
    },
    api(
        Verb::Get,
        "/api/v1/supervision/chains/{key}",
        Access::Permission(P::ViewTasks),
        "一条产业链：任务、问题、最近报送",
    ),
    api(
        Verb::Get,
        "/api/v1/supervision/campaign",
        Access::Permission(P::ViewTasks),
        "百日攻坚：七大行动及成效评估",
    ),
    RouteSpec {
        query: &[("unit", "单位名称：只列其牵头或负责的")],
        ..api(
            Verb::Get,
            "/api/v1/supervision/festival",
            Access::Permission(P::ViewTasks),
            "“红红火火过大年”活动与期限",
        )
    },
    RouteSpec {
        query: &[("page", "页码"), ("per_page", "每页条数")],
        ..api(
            Verb::Get,
            "/api/v1/supervision/units/{key}/owed",
            Access::Permission(P::ViewTasks),
            "单位应报：各任务最早一期未报的进展及截止日，未销号问题",
        )
    },
    api(
        Verb::Get,
        "/api/v1/supervision/problems/{id}",
        Access::Permission(P::ViewTasks),
        "问题及整改记录",
    ),
    RouteSpec {
        request: Some(SV_PROBLEM_STEP_BODY),
        ..api(
            Verb::Post,
            "/api/v1/supervision/problems/{id}/steps",
            Access::Permission(P::ViewTasks),
            "整改：报送材料（责任单位）、核验销号或退回（督查室）",
        )
    },
    api(
        Verb::Get,
        "/api/v1/policies",
        Access::Permission(P::ViewPolicies),
        "政策文件列表及有效性",
    ),
    api(
        Verb::Get,
        "/api/v1/policies/{doc}",
        Access::Permission(P::ViewPolicies),
        "政策文件：元数据、有效性（含续期）、条款树",
    ),
    RouteSpec {
        request: Some(RENEWAL_BODY),
        ..api(
            Verb::Post,
            "/api/v1/policies/{doc}/renewals",
            Access::Permission(P::ManagePolicies),
            "记录文件续期：自起始日起不再提示已失效",
        )
    },
    api(
        Verb::Get,
        "/api/v1/policies/{doc}/clauses/{clause}",
        Access::Permission(P::ViewPolicies),
        "条款及引用它的规则",
    ),
    RouteSpec {
        query: &[("date", "查询日期 YYYY-MM-DD，默认今天")],
        ..api(
            Verb::Get,
            "/api/v1/rules",
            Access::Permission(P::ViewPolicies),
            "全部规则在某日的取值、依据与提示",
        )
    },
    RouteSpec {
        query: &[("date", "查询日期 YYYY-MM-DD，默认今天")],
        ..api(
            Verb::Get,
            "/api/v1/rules/{key}",
            Access::Permission(P::ViewPolicies),
            "某条规则在某日的取值、依据与提示",
        )
    },
    RouteSpec {
        query: &[
            (
                "q",
                "查询，如 add-workdays 2024-02-05 5、is-workday 2024-02-04、period 2024-03-01 2y、dekad 2024-02-25",
            ),
            (
                "calendar",
                "county（本县，含宁夏地方节假日，默认）或 national（全国）",
            ),
        ],
        ..api(
            Verb::Get,
            "/api/v1/calendar/query",
            Access::Permission(P::ViewWorkbench),
            "工作日计算",
        )
    },
    api(
        Verb::Get,
        "/api/v1/calendar/regional",
        Access::Permission(P::ViewWorkbench),
        "地方节假日年度及缺失年度",
    ),
    RouteSpec {
        request: Some(REGIONAL_BODY),
        ..api(
            Verb::Post,
            "/api/v1/calendar/regional",
            Access::Permission(P::ManageCalendar),
            "录入（或替换）某年地方节假日",
        )
    },
    page(
        Verb::Get,
        "/documents/import",
        Access::Permission(P::ImportDocuments),
        "文件导入",
    ),
    page(
        Verb::Post,
        "/documents/import",
        Access::Permission(P::ImportDocuments),
        "提交文件正文",
    ),
    page(
        Verb::Get,
        "/documents/import/{id}",
        Access::Permission(P::ImportDocuments),
        "审核识别结果",
    ),
    page(
        Verb::Post,
        "/documents/import/{id}/aliases",
        Access::Permission(P::ImportDocuments),
        "登记单位别名",
    ),
    page(
        Verb::Post,
        "/documents/import/{id}/publish",
        Access::Permission(P::ImportDocuments),
        "发布到政策库",
    ),
    RouteSpec {
        request: Some(TEXT_BODY),
        ..api(
            Verb::Post,
            "/api/v1/documents/parse",
            Access::Permission(P::ImportDocuments),
            "识别文件正文（不保存），输出同 tongxin doc parse --json",
        )
    },
    RouteSpec {
        request: Some(TEXT_BODY),
        ..api(
            Verb::Post,
            "/api/v1/imports",
            Access::Permission(P::ImportDocuments),
            "提交文件正文为导入草稿",
        )
    },
    api(
        Verb::Get,
        "/api/v1/imports/{id}",
        Access::Permission(P::ImportDocuments),
        "导入草稿及其识别结果",
    ),
    RouteSpec {
        request: Some(ALIAS_BODY),
        ..api(
            Verb::Post,
            "/api/v1/imports/{id}/aliases",
            Access::Permission(P::ImportDocuments),
            "登记单位别名（记住，以后的文件也能识别）",
        )
    },
    RouteSpec {
        request: Some(PUBLISH_BODY),
        ..api(
            Verb::Post,
            "/api/v1/imports/{id}/publish",
            Access::Permission(P::ImportDocuments),
            "发布到政策库，任务存为督办草稿",
        )
    },
    RouteSpec {
        request: Some(NEW_CASE_BODY),
        ..api(
            Verb::Post,
            "/api/v1/cases",
            Access::Permission(P::ActOnCases),
            "提交申请（新建案件）",
        )
    },
    RouteSpec {
        query: &[
            ("procedure", "办理流程，默认 homestead"),
            ("township", "乡镇"),
            ("village", "村（包含）"),
            ("state", "状态代码或中文名"),
            ("overdue", "true：只看逾期"),
            ("unit", "案件所属单位（政府投资项目：项目单位）"),
            ("year", "申报年度，如2025"),
            (
                "deadline",
                "时限代码（如 expiry、reclamation）：只看该时限在计时且将到期的",
            ),
            (
                "due_within",
                "与 deadline 合用：今天起若干日内到期（负数：已逾期若干日以上），默认0",
            ),
            ("page", "页码"),
            ("per_page", "每页条数，最多100"),
        ],
        ..api(
            Verb::Get,
            "/api/v1/cases",
            Access::Permission(P::ActOnCases),
            "本人数据范围内的案件",
        )
    },
    api(
        Verb::Get,
        "/api/v1/cases/{id}",
        Access::Permission(P::ActOnCases),
        "案件：状态、可办事项、时限及依据、办理记录、文书",
    ),
    RouteSpec {
        request: Some(ACTION_BODY),
        ..api(
            Verb::Post,
            "/api/v1/cases/{id}/actions",
            Access::Permission(P::ActOnCases),
            "办理（批准、退回、不予批准、记录查验等）",
        )
    },
    api(
        Verb::Get,
        "/api/v1/procedures/{id}",
        Public,
        "办理流程定义：状态、办理事项、字段、时限与依据",
    ),
    RouteSpec {
        query: &[("procedure", "办理流程，默认 homestead")],
        ..api(
            Verb::Get,
            "/api/v1/public/notices",
            Public,
            "公示中的申请（姓名脱敏，不含身份证号）",
        )
    },
    api(
        Verb::Get,
        "/api/v1/public/captcha",
        Public,
        "验证码：图片（SVG）与令牌，30分钟内回答一次",
    ),
    RouteSpec {
        request: Some(REPORT_BODY),
        ..api(
            Verb::Post,
            "/api/v1/public/reports",
            Public,
            "提交举报（无需登录；照片请用网页表单上传）",
        )
    },
    RouteSpec {
        request: Some(OBJECTION_BODY),
        ..api(
            Verb::Post,
            "/api/v1/public/notices/{number}/objections",
            Public,
            "对公示中的宅基地申请提出异议（同政办规发〔2023〕6号 第十条）",
        )
    },
    api(
        Verb::Get,
        "/api/v1/public/progress",
        Public,
        "重点工作进度公开：百日攻坚行动与产业链的任务和完成情况（不含内部报告与问题）",
    ),
    api(
        Verb::Get,
        "/api/v1/public/reports/{receipt}",
        Public,
        "凭受理编号查询举报办理进度与处理结果",
    ),
    RouteSpec {
        query: &[("topic", "举报事项"), ("page", "页码")],
        ..api(
            Verb::Get,
            "/api/v1/reports",
            Access::Permission(P::ViewTasks),
            "群众举报：本单位办理的举报",
        )
    },
    api(
        Verb::Get,
        "/api/v1/reports/{receipt}",
        Access::Permission(P::ViewTasks),
        "群众举报详情",
    ),
    RouteSpec {
        request: Some(OUTCOME_BODY),
        ..api(
            Verb::Post,
            "/api/v1/reports/{receipt}/outcome",
            Access::Permission(P::ViewTasks),
            "公布举报处理结果与奖励认定（督查室核验销号后）",
        )
    },
    RouteSpec {
        query: &[
            ("status", "pending / sending / delivered / failed"),
            ("unit", "单位标识"),
            ("page", "页码"),
        ],
        ..api(
            Verb::Get,
            "/api/v1/notifications/deliveries",
            Access::Permission(P::ManageUsers),
            "通知送达记录及每次发送结果",
        )
    },
    api(
        Verb::Post,
        "/api/v1/notifications/deliveries/{id}/retry",
        Access::Permission(P::ManageUsers),
        "重新发送发送失败的通知",
    ),
    api(
        Verb::Get,
        "/api/v1/notifications/channels",
        Access::Permission(P::ManageUsers),
        "各单位的推送渠道（机器人地址中的令牌已隐去）",
    ),
    RouteSpec {
        request: Some(CHANNEL_BODY),
        ..api(
            Verb::Post,
            "/api/v1/notifications/channels",
            Access::Permission(P::ManageUsers),
            "添加推送渠道：政务钉钉、企业微信群机器人或电子邮箱",
        )
    },
    RouteSpec {
        request: Some(CHANNEL_ENABLED_BODY),
        ..api(
            Verb::Post,
            "/api/v1/notifications/channels/{id}/enabled",
            Access::Permission(P::ManageUsers),
            "启用或停用推送渠道",
        )
    },
    api(
        Verb::Post,
        "/api/v1/notifications/channels/{id}/test",
        Access::Permission(P::ManageUsers),
        "向推送渠道发送测试消息（202：已排队，结果见送达记录）",
    ),
    api(
        Verb::Get,
        "/api/v1/me/notifications",
        Authenticated,
        "本人的通知设置",
    ),
    RouteSpec {
        request: Some(PREFS_BODY),
        ..api(
            Verb::Post,
            "/api/v1/me/notifications",
            Authenticated,
            "保存本人的通知设置",
        )
    },
    api(
        Verb::Get,
        "/api/v1/inbox",
        Access::Permission(P::ActOnCases),
        "本单位的时限预警与逾期提醒",
    ),
    RouteSpec {
        request: Some(LISTING_BODY),
        ..api(
            Verb::Post,
            "/api/v1/temporary-land/dishonesty",
            Access::Permission(P::ManageDishonestyList),
            "列入临时用地失信名单（县自然资源局；五年内不得再申请，第二十四条）",
        )
    },
    api(
        Verb::Get,
        "/api/v1/temporary-land/dishonesty",
        Access::Permission(P::ManageDishonestyList),
        "临时用地失信名单（含已期满的记录）",
    ),
    api(
        Verb::Get,
        "/api/v1/public/dishonesty",
        Public,
        "临时用地失信名单公开部分（在有效期内的记录，个人姓名脱敏，不含身份证号）",
    ),
    RouteSpec {
        request: Some(LAYER_BODY),
        ..api(
            Verb::Post,
            "/api/v1/land-layers",
            Access::Permission(P::ManageLandLayers),
            "导入保护图层（永久基本农田、耕地、地质灾害易发区、洪涝灾害区、规划取土区；GeoJSON，县自然资源局）",
        )
    },
    api(
        Verb::Get,
        "/api/v1/land-layers",
        Access::Permission(P::ActOnCases),
        "现行保护图层：来源、日期、要素数、面积",
    ),
    RouteSpec {
        query: &[(
            "bbox",
            "范围：最小经度,最小纬度,最大经度,最大纬度（CGCS2000）",
        )],
        ..api(
            Verb::Get,
            "/api/v1/land-layers/{kind}/features",
            Access::Permission(P::ActOnCases),
            "保护图层在指定范围内的要素（GeoJSON，供地图绘制；最多5000个）",
        )
    },
    RouteSpec {
        query: &[
            ("amount", "总投资（万元，最多两位小数）"),
            (
                "planned",
                "true：列入国家相关规划或经县级以上人民政府批准的规划",
            ),
            ("simple", "true：建设内容单一、技术方案简单"),
            ("partial", "true：部分扩建改建"),
            ("emergency", "true：应对突发事件需要紧急建设"),
            ("new_land", "true：涉及新增建设用地或办理规划选址"),
        ],
        ..api(
            Verb::Get,
            "/api/v1/gov-investment/path",
            Public,
            "政府投资项目审批路径：须审批的文件、依据条款、并联办理（第七条、第八条）",
        )
    },
    page(
        Verb::Get,
        "/field",
        Access::Permission(P::ViewTasks),
        "巡查执法：执法案件与巡查记录",
    ),
    page(
        Verb::Get,
        "/field/patrols/new",
        Access::Permission(P::RecordPatrols),
        "登记巡查（表单，可上传照片）",
    ),
    page(
        Verb::Post,
        "/field/patrols/new",
        Access::Permission(P::RecordPatrols),
        "登记巡查",
    ),
    page(
        Verb::Post,
        "/field/joint-enforcement",
        Access::Permission(P::Enforce),
        "登记联合执法（日期、地点、参加单位、执法情况）",
    ),
    page(
        Verb::Post,
        "/field/cases/{id}/steps",
        Access::Permission(P::Enforce),
        "办理执法案件：调查、责令改正、核实整改、结案",
    ),
    page(
        Verb::Get,
        "/field/joint-enforcement",
        Access::Permission(P::ViewTasks),
        "百日攻坚联合执法周表",
    ),
    page(
        Verb::Get,
        "/field/villages",
        Access::Permission(P::ViewTasks),
        "村庄规划与闲置宅基地",
    ),
    page(
        Verb::Post,
        "/field/villages",
        Access::Permission(P::Enforce),
        "登记村庄类型和规划（乡镇、自然资源局）",
    ),
    page(
        Verb::Post,
        "/field/villages/{id}/documents",
        Access::Permission(P::Enforce),
        "上传村庄规划文件（规划文本、图纸、村内公示照片）",
    ),
    page(
        Verb::Post,
        "/field/idle-homesteads",
        Access::Permission(P::RecordPatrols),
        "登记闲置宅基地、闲置住宅或应退原宅基地",
    ),
    page(
        Verb::Post,
        "/field/idle-homesteads/{id}/return",
        Access::Permission(P::RecordPatrols),
        "登记原宅基地退回或盘活利用",
    ),
    page(
        Verb::Post,
        "/field/findings/{id}/case",
        Access::Permission(P::RecordPatrols),
        "巡查发现的问题立案为执法案件",
    ),
    page(
        Verb::Get,
        "/field/spot-checks",
        Access::Permission(P::ViewTasks),
        "临时用地抽查与公开通报",
    ),
    page(
        Verb::Post,
        "/field/spot-checks",
        Access::Permission(P::CheckTemporaryLand),
        "登记临时用地抽查（县自然资源局）",
    ),
    page(
        Verb::Post,
        "/field/spot-checks/{id}/publish",
        Access::Permission(P::CheckTemporaryLand),
        "公开抽查结果（县自然资源局）",
    ),
    // 巡查执法、联合执法、临时用地抽查、村庄规划 (issue 11, parts 3 and 4)
    api(
        Verb::Get,
        "/api/v1/public/spot-checks",
        Public,
        "临时用地抽查结果公开通报（同政办规发〔2023〕7号 第二十五条）",
    ),
    RouteSpec {
        query: &[("page", "页码")],
        ..api(
            Verb::Get,
            "/api/v1/field/patrols",
            Access::Permission(P::ViewTasks),
            "巡查记录：本单位及辖区的巡查",
        )
    },
    RouteSpec {
        request: Some(PATROL_BODY),
        ..api(
            Verb::Post,
            "/api/v1/field/patrols",
            Access::Permission(P::RecordPatrols),
            "登记巡查（村、乡镇、部门工作专班；同政办规发〔2023〕6号 第二十九条）",
        )
    },
    api(
        Verb::Get,
        "/api/v1/field/patrols/{id}",
        Access::Permission(P::ViewTasks),
        "巡查记录详情",
    ),
    api(
        Verb::Post,
        "/api/v1/field/patrols/{id}/photos",
        Access::Permission(P::RecordPatrols),
        "上传巡查照片：multipart/form-data，字段 files",
    ),
    RouteSpec {
        request: Some(FILE_CASE_BODY),
        ..api(
            Verb::Post,
            "/api/v1/field/findings/{id}/case",
            Access::Permission(P::RecordPatrols),
            "巡查发现的问题立案为执法案件",
        )
    },
    RouteSpec {
        query: &[("page", "页码")],
        ..api(
            Verb::Get,
            "/api/v1/field/cases",
            Access::Permission(P::ViewTasks),
            "执法案件：本单位办理、立案或辖区内的案件，整改期限预警",
        )
    },
    api(
        Verb::Get,
        "/api/v1/field/cases/{id}",
        Access::Permission(P::ViewTasks),
        "执法案件详情",
    ),
    RouteSpec {
        request: Some(CASE_STEP_BODY),
        ..api(
            Verb::Post,
            "/api/v1/field/cases/{id}/steps",
            Access::Permission(P::Enforce),
            "办理执法案件：调查、责令改正、核实、结案或不实结案",
        )
    },
    api(
        Verb::Get,
        "/api/v1/field/joint-enforcement",
        Access::Permission(P::ViewTasks),
        "百日攻坚联合执法周表：每周至少一次（同党办综〔2023〕55号 五、（二）2.）",
    ),
    RouteSpec {
        request: Some(JOINT_BODY),
        ..api(
            Verb::Post,
            "/api/v1/field/joint-enforcement",
            Access::Permission(P::Enforce),
            "登记联合执法",
        )
    },
    api(
        Verb::Get,
        "/api/v1/field/spot-checks",
        Access::Permission(P::ViewTasks),
        "临时用地抽查记录",
    ),
    RouteSpec {
        request: Some(SPOT_BODY),
        ..api(
            Verb::Post,
            "/api/v1/field/spot-checks",
            Access::Permission(P::CheckTemporaryLand),
            "登记临时用地抽查（县自然资源局）",
        )
    },
    RouteSpec {
        request: Some(PUBLISH_SPOT_BODY),
        ..api(
            Verb::Post,
            "/api/v1/field/spot-checks/{id}/publish",
            Access::Permission(P::CheckTemporaryLand),
            "公开抽查结果（县自然资源局）",
        )
    },
    api(
        Verb::Get,
        "/api/v1/field/villages",
        Access::Permission(P::ViewTasks),
        "村庄类型与村庄规划，按乡镇统计（同政办规发〔2023〕6号 第五、六条）",
    ),
    RouteSpec {
        request: Some(VILLAGE_BODY),
        ..api(
            Verb::Post,
            "/api/v1/field/villages",
            Access::Permission(P::Enforce),
            "登记或修改村庄类型与规划（乡镇、自然资源局）",
        )
    },
    api(
        Verb::Post,
        "/api/v1/field/villages/{id}/documents",
        Access::Permission(P::Enforce),
        "上传村庄规划文件：multipart/form-data，字段 files（乡镇、自然资源局）",
    ),
    api(
        Verb::Get,
        "/api/v1/field/idle-homesteads",
        Access::Permission(P::ViewTasks),
        "闲置宅基地、闲置住宅与应退原宅基地台账（第二十五、二十六条），逾期未退回标红",
    ),
    RouteSpec {
        request: Some(IDLE_BODY),
        ..api(
            Verb::Post,
            "/api/v1/field/idle-homesteads",
            Access::Permission(P::RecordPatrols),
            "登记闲置宅基地或应退原宅基地",
        )
    },
    RouteSpec {
        request: Some(RETURN_BODY),
        ..api(
            Verb::Post,
            "/api/v1/field/idle-homesteads/{id}/return",
            Access::Permission(P::RecordPatrols),
            "登记原宅基地退回或盘活利用",
        )
    },
    api(
        Verb::Get,
        "/api/v1/cases/{id}/land",
        Access::Permission(P::ActOnCases),
        "案件用地范围：面积与保护图层叠加分析",
    ),
];

/// The spec of a matched route.
pub fn find(method: &Method, path: &str) -> Option<&'static RouteSpec> {
    ROUTES
        .iter()
        .find(|r| r.method.method() == *method && r.path == path)
}

/// A capability from DESIGN.md that has a navigation entry, and whether it is built.
pub struct Capability {
    pub slug: &'static str,
    pub title: &'static str,
    /// Where it lives when built; capabilities not built yet live under /capabilities/{slug}.
    pub href: Option<&'static str>,
    pub description: &'static str,
    /// The issue that builds it, for capabilities not built yet.
    pub issue: Option<u32>,
}

pub static CAPABILITIES: &[Capability] = &[
    Capability {
        slug: "workbench",
        title: "工作台",
        href: Some("/workbench"),
        description: "待办、预警与本单位概况",
        issue: None,
    },
    Capability {
        slug: "policies",
        title: "政策库",
        href: Some("/policies"),
        description: "八份文件的条款树、有效性与每条规则的依据",
        issue: Some(3),
    },
    Capability {
        slug: "calendar",
        title: "日历管理",
        href: Some("/calendar"),
        description: "国务院节假日安排与宁夏开斋节、古尔邦节，工作日计算",
        issue: Some(3),
    },
    Capability {
        slug: "documents",
        title: "文件导入",
        href: Some("/documents/import"),
        description: "红头文件文本 → 条款、任务、期限、指标草稿",
        issue: Some(4),
    },
    Capability {
        slug: "homestead",
        title: "宅基地审批",
        href: Some("/homestead"),
        description: "农村宅基地和村民自建住房：申请、公示、审查、批准、验收",
        issue: Some(5),
    },
    Capability {
        slug: "temporary-land",
        title: "临时用地",
        href: Some("/temporary-land"),
        description: "临时用地审批、到期提醒、复垦验收与移交",
        issue: Some(6),
    },
    Capability {
        slug: "gov-projects",
        title: "政府投资项目",
        href: Some("/gov-projects"),
        description: "按投资额确定审批路径，竣工验收与月度进度",
        issue: Some(7),
    },
    Capability {
        slug: "supervision",
        title: "督查督办",
        href: Some("/supervision"),
        description: "任务台账、旬调度、月总结、季通报、催办与问责",
        issue: Some(8),
    },
    Capability {
        slug: "chains",
        title: "产业链与招商",
        href: Some("/chains"),
        description: "21条产业链的链长、链图、链主企业与招商项目",
        issue: Some(9),
    },
    Capability {
        slug: "indicators",
        title: "指标与财源",
        href: Some("/indicators"),
        description: "攻坚目标、财政收入与重点税源监测",
        issue: Some(10),
    },
    Capability {
        slug: "events",
        title: "活动日程",
        href: Some("/supervision/festival"),
        description: "“红红火火过大年”活动安排与日历导出",
        issue: Some(8),
    },
    Capability {
        slug: "field",
        title: "巡查执法",
        href: Some("/field"),
        description: "巡查记录、执法案件、联合执法周表、村庄规划与闲置宅基地",
        issue: Some(11),
    },
    Capability {
        slug: "portal",
        title: "公众服务",
        href: Some("/public"),
        description: "公示、举报、审批信息公开",
        issue: Some(11),
    },
    Capability {
        slug: "notifications",
        title: "通知推送",
        href: Some("/notifications"),
        description: "政务钉钉、企业微信群机器人与邮件推送，送达记录",
        issue: Some(11),
    },
    Capability {
        slug: "units",
        title: "组织机构",
        href: Some("/units"),
        description: "单位、别名、统称与文件点名的负责人",
        issue: None,
    },
    Capability {
        slug: "users",
        title: "用户管理",
        href: Some("/users"),
        description: "账号、角色、数据范围与锁定",
        issue: None,
    },
    Capability {
        slug: "audit",
        title: "审计日志",
        href: Some("/audit"),
        description: "防篡改的操作记录与哈希链校验",
        issue: None,
    },
];

pub fn capability(slug: &str) -> Option<&'static Capability> {
    CAPABILITIES.iter().find(|c| c.slug == slug)
}
