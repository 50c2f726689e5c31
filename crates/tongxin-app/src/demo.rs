//! Demo mode (演示模式): one demo user for every role, each on a real unit of the county, with a
//! generated password stored (in demo databases only) so trainers can print the accounts.
//! Demo users are flagged `is_demo` everywhere they appear.

use serde::Serialize;
use tongxin_domain::{Role, UnitKind};

use crate::auth::random_token;
use crate::users::NewUserInput;
use crate::{App, AppError, Mode};

/// One printed demo account.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DemoAccountView {
    pub username: String,
    pub password: String,
    pub role: String,
    pub unit: String,
}

impl App {
    /// Creates the demo users unless they exist. Refused on a production database.
    pub async fn seed_demo(&self) -> Result<(), AppError> {
        if self.mode != Mode::Demo {
            return Err(AppError::Conflict("只有演示数据库可以生成演示数据".into()));
        }
        self.seed_demo_layers().await?;
        self.seed_demo_field().await?;
        // Each account once: a demo database from an older version gains the accounts added
        // since (the government-investment project's three departments).
        for (role, username, display, unit) in self.demo_plan()? {
            if self.store.user_by_username(username).await?.is_some() {
                continue;
            }
            // Three classes guaranteed (upper, digit, other) plus 16 random hex characters.
            let password = format!("Tx-{}-9", &random_token()[..16]);
            let input = NewUserInput {
                username: username.to_owned(),
                display_name: display.to_owned(),
                password: password.clone(),
                role: role.code().to_owned(),
                unit,
            };
            self.create_user_inner(None, &input, true).await?;
            let mut tx = self.store.begin().await?;
            tx.insert_demo_account(username, &password).await?;
            tx.commit().await?;
        }
        Ok(())
    }

    /// Which real unit each demo role sits on.
    fn demo_plan(&self) -> Result<Vec<(Role, &'static str, &'static str, String)>, AppError> {
        let d = self.directory();
        let first = |kind: UnitKind| {
            d.units()
                .iter()
                .find(|u| u.kind == kind)
                .map(|u| u.id.0.clone())
        };
        let by_name = |name: &str| d.resolve_unit(name).map(|u| u.id.0.clone());
        let county = d.root().id.0.clone();
        let leadership = first(UnitKind::Leadership).unwrap_or_else(|| county.clone());
        let missing =
            |what: &str| AppError::Internal(format!("演示数据需要组织机构目录中的{what}"));
        let township = by_name("豫海镇")
            .or_else(|| first(UnitKind::Township))
            .ok_or_else(|| missing("乡镇"))?;
        let village = d
            .subtree(&tongxin_domain::UnitId(township.clone()))
            .into_iter()
            .find(|u| u.kind == UnitKind::Village)
            .map(|u| u.id.0.clone())
            .or_else(|| first(UnitKind::Village));
        let department = by_name("自然资源局")
            .or_else(|| first(UnitKind::Department))
            .ok_or_else(|| missing("部门"))?;
        let supervision = by_name("县委督查室")
            .or_else(|| by_name("督查室"))
            .or_else(|| by_name("县人民政府办公室"))
            .unwrap_or_else(|| county.clone());
        let office = by_name("县人民政府办公室").unwrap_or_else(|| county.clone());
        let mut plan = vec![
            (
                Role::SystemAdmin,
                "demo-sysadmin",
                "演示系统管理员",
                office.clone(),
            ),
            (
                Role::SecurityAdmin,
                "demo-secadmin",
                "演示安全管理员",
                office.clone(),
            ),
            (Role::AuditAdmin, "demo-auditor", "演示审计管理员", office),
            (Role::CountyLeader, "demo-leader", "演示县领导", leadership),
            (
                Role::Supervision,
                "demo-supervisor",
                "演示督查员",
                supervision,
            ),
            (
                Role::Department,
                "demo-department",
                "演示部门经办人",
                department,
            ),
            (
                Role::Township,
                "demo-township",
                "演示乡镇经办人",
                township.clone(),
            ),
        ];
        // A village account needs a real village; without one in the directory, the village
        // role's demo user sits on the township and says so in its name.
        match village {
            Some(v) => plan.push((Role::Village, "demo-village", "演示村干部", v)),
            None => plan.push((
                Role::Village,
                "demo-village",
                "演示村干部（目录无村）",
                township.clone(),
            )),
        }
        plan.push((
            Role::Applicant,
            "demo-applicant",
            "演示申请人",
            village_or(&plan, township),
        ));
        // 政府投资项目: the department building a project, the one approving it, and the one
        // reviewing its funds (同政办规发〔2023〕5号).
        for (username, display, unit) in [
            (
                "demo-builder",
                "演示项目单位经办人（交通运输局）",
                "交通运输局",
            ),
            ("demo-reform", "演示发改局经办人", "发展和改革局"),
            ("demo-finance", "演示财政局经办人", "财政局"),
            ("demo-tax", "演示税务局经办人", "税务局"),
            ("demo-eco", "演示生态环境分局经办人", "生态环境分局"),
            // 招商引资: the centre that keeps the lead ledger and leads the 光伏 chain.
            (
                "demo-invest",
                "演示投资促进服务中心经办人",
                "投资促进服务中心",
            ),
        ] {
            if let Some(u) = by_name(unit) {
                plan.push((Role::Department, username, display, u));
            }
        }
        // A chain chief (链长): a county leader named by 同党办发〔2023〕49号 三、 (凌镇: 光伏,
        // 氢能), so his chains come first on 产业链.
        if let Some(p) = d.people().iter().find(|p| p.name == "凌镇") {
            plan.push((Role::CountyLeader, "demo-chief", "凌镇", p.unit.0.clone()));
        }
        Ok(plan)
    }

    /// The demo accounts with their passwords, roles and units (demo databases only).
    pub async fn demo_accounts(&self) -> Result<Vec<DemoAccountView>, AppError> {
        if self.mode != Mode::Demo {
            return Err(AppError::Conflict(
                "此数据库不是演示数据库，没有演示账号".into(),
            ));
        }
        let mut out = Vec::new();
        for a in self.store.demo_accounts().await? {
            let Some(u) = self.store.user_by_username(&a.username).await? else {
                continue;
            };
            let role = u.role.parse::<Role>().map(|r| r.label()).unwrap_or("?");
            let unit = self
                .directory()
                .get(&u.unit_id)
                .map(|x| x.name.clone())
                .unwrap_or(u.unit_id);
            out.push(DemoAccountView {
                username: a.username,
                password: a.password,
                role: role.to_owned(),
                unit,
            });
        }
        Ok(out)
    }
}

fn village_or(plan: &[(Role, &'static str, &'static str, String)], township: String) -> String {
    plan.iter()
        .find(|p| p.0 == Role::Village)
        .map(|p| p.3.clone())
        .unwrap_or(township)
}
