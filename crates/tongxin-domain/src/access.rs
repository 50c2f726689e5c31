//! Roles (角色), permissions and data scopes (数据范围).
//!
//! The three administrators (三员: 系统管理员, 安全管理员, 审计管理员) are separated as 等保 level 3
//! expects: none holds another's permission, and none may act on cases.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::validation::FieldError;

/// 角色: what a user does in Tongxin. Each user has exactly one role and belongs to one unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 系统管理员: accounts and units; cannot read the audit trail or change security settings.
    SystemAdmin,
    /// 安全管理员: security settings, unlocking accounts and resetting passwords.
    SecurityAdmin,
    /// 审计管理员: reads and verifies the audit trail; nothing else.
    AuditAdmin,
    /// 县领导 (链长): sees everything in the county; orders rectification.
    CountyLeader,
    /// 督查室: the supervision office; sees everything, chases and escalates.
    Supervision,
    /// 部门: a department, bureau or centre; its own unit's work.
    Department,
    /// 乡镇: township (or development-zone) staff; their township and its villages.
    Township,
    /// 村: village staff; their own village.
    Village,
    /// 申请人: a villager or an enterprise; only what they submitted themselves.
    Applicant,
}

impl Role {
    pub const ALL: [Role; 9] = [
        Role::SystemAdmin,
        Role::SecurityAdmin,
        Role::AuditAdmin,
        Role::CountyLeader,
        Role::Supervision,
        Role::Department,
        Role::Township,
        Role::Village,
        Role::Applicant,
    ];

    /// The stable code stored in the database and used in the API (`system_admin`).
    pub fn code(self) -> &'static str {
        match self {
            Role::SystemAdmin => "system_admin",
            Role::SecurityAdmin => "security_admin",
            Role::AuditAdmin => "audit_admin",
            Role::CountyLeader => "county_leader",
            Role::Supervision => "supervision",
            Role::Department => "department",
            Role::Township => "township",
            Role::Village => "village",
            Role::Applicant => "applicant",
        }
    }

    /// The Chinese name shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Role::SystemAdmin => "系统管理员",
            Role::SecurityAdmin => "安全管理员",
            Role::AuditAdmin => "审计管理员",
            Role::CountyLeader => "县领导",
            Role::Supervision => "督查室",
            Role::Department => "部门",
            Role::Township => "乡镇",
            Role::Village => "村",
            Role::Applicant => "申请人",
        }
    }

    /// 数据范围: which records a user of this role sees.
    pub fn scope(self) -> DataScope {
        match self {
            Role::SystemAdmin
            | Role::SecurityAdmin
            | Role::AuditAdmin
            | Role::CountyLeader
            | Role::Supervision => DataScope::All,
            Role::Department | Role::Village => DataScope::OwnUnit,
            Role::Township => DataScope::OwnUnitAndBelow,
            Role::Applicant => DataScope::OwnRecords,
        }
    }

    /// Is this one of the three separated administrators (三员)?
    pub fn is_administrator(self) -> bool {
        matches!(
            self,
            Role::SystemAdmin | Role::SecurityAdmin | Role::AuditAdmin
        )
    }

    pub fn permits(self, permission: Permission) -> bool {
        use Permission::*;
        match permission {
            ViewWorkbench | ViewDirectory => true,
            ManageUsers => self == Role::SystemAdmin,
            ViewUsers => matches!(self, Role::SystemAdmin | Role::SecurityAdmin),
            ManageSecurity => self == Role::SecurityAdmin,
            ViewAudit => self == Role::AuditAdmin,
            ActOnCases => !self.is_administrator(),
            ViewPolicies => true,
            ViewInternalPolicies => self != Role::Applicant,
            ManageCalendar => self == Role::SystemAdmin,
            ImportDocuments | ManagePolicies | Supervise => self == Role::Supervision,
            ViewTasks => !self.is_administrator() && self != Role::Applicant,
            ManageDishonestyList | ManageLandLayers | CheckTemporaryLand => {
                self == Role::Department
            }
            RecordPatrols => matches!(self, Role::Village | Role::Township | Role::Department),
            Enforce => matches!(self, Role::Township | Role::Department),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl FromStr for Role {
    type Err = FieldError;

    /// Accepts the code (`township`) or the Chinese name (`乡镇`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        Role::ALL
            .into_iter()
            .find(|r| r.code() == s || r.label() == s)
            .ok_or_else(|| {
                let known: Vec<String> = Role::ALL
                    .iter()
                    .map(|r| format!("{}（{}）", r.label(), r.code()))
                    .collect();
                FieldError::new(
                    "role",
                    format!("角色“{s}”不存在；可选角色：{}", known.join("、")),
                )
            })
    }
}

/// 数据范围: the records a role may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataScope {
    /// 全部: the whole county.
    All,
    /// 本单位: the user's own unit.
    OwnUnit,
    /// 本单位及下级: the user's unit and the units below it (a township and its villages).
    OwnUnitAndBelow,
    /// 本人: only what the user submitted.
    OwnRecords,
}

impl DataScope {
    pub fn label(self) -> &'static str {
        match self {
            DataScope::All => "全部",
            DataScope::OwnUnit => "本单位",
            DataScope::OwnUnitAndBelow => "本单位及下级",
            DataScope::OwnRecords => "本人",
        }
    }
}

/// What a route or an action requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// 工作台
    ViewWorkbench,
    /// 组织机构 (read)
    ViewDirectory,
    /// 用户管理 (read): system and security administrators.
    ViewUsers,
    /// 用户管理 (create, disable): the system administrator only.
    ManageUsers,
    /// 安全管理 (unlock, reset password): the security administrator only.
    ManageSecurity,
    /// 审计日志: the audit administrator only.
    ViewAudit,
    /// 办理案件: anyone but the three administrators.
    ActOnCases,
    /// 政策库 (public documents).
    ViewPolicies,
    /// 政策库: documents not marked （此件公开发布）; staff only, not applicants.
    ViewInternalPolicies,
    /// 日历管理: entering regional holiday notices (system administrator: it is configuration).
    ManageCalendar,
    /// 文件导入: turning a document's text into clauses and draft tasks (the supervision office,
    /// which keeps the task ledger).
    ImportDocuments,
    /// 失信名单管理 (临时用地, 第二十四条): departments; the app further requires the unit that
    /// approves temporary land.
    ManageDishonestyList,
    /// 保护图层导入 (临时用地, 第五条、第六条): departments; the app further requires the unit
    /// that approves temporary land.
    ManageLandLayers,
    /// 政策库维护: recording a renewal (续期) of a lapsed document — the supervision office,
    /// which keeps the policy library and its imports.
    ManagePolicies,
    /// 督查督办 (read and report): the units that owe tasks, county leaders, the office.
    ViewTasks,
    /// 督办 (create tasks, review reports, escalate, close, raise problems): the supervision
    /// office.
    Supervise,
    /// 巡查 (同政办规发〔2023〕6号 第二十九条): recording patrols and their photos, filing a
    /// finding as a case, keeping the idle-homestead register — villages, townships and
    /// departments' task forces.
    RecordPatrols,
    /// 执法 (第二十八条; 同党办综〔2023〕55号 五、（二）2.): acting on enforcement cases, recording
    /// joint enforcement, the village planning registry — townships and departments; the app
    /// further requires the responsible unit.
    Enforce,
    /// 临时用地抽查 (同政办规发〔2023〕7号 第二十五条): departments; the app further requires the
    /// unit that approves temporary land.
    CheckTemporaryLand,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_administrator_holds_another_administrators_permission() {
        let exclusive = [
            (Role::SystemAdmin, Permission::ManageUsers),
            (Role::SecurityAdmin, Permission::ManageSecurity),
            (Role::AuditAdmin, Permission::ViewAudit),
        ];
        for (owner, permission) in exclusive {
            for role in Role::ALL {
                assert_eq!(
                    role.permits(permission),
                    role == owner,
                    "{role:?} {permission:?}"
                );
            }
        }
    }

    #[test]
    fn no_administrator_can_act_on_cases() {
        for role in Role::ALL {
            assert_eq!(
                role.permits(Permission::ActOnCases),
                !role.is_administrator()
            );
        }
    }

    #[test]
    fn roles_parse_from_code_and_chinese_name() {
        for role in Role::ALL {
            assert_eq!(role.code().parse::<Role>().unwrap(), role);
            assert_eq!(role.label().parse::<Role>().unwrap(), role);
        }
        let err = "镇长".parse::<Role>().unwrap_err();
        assert_eq!(err.field, "role");
        assert!(err.message.contains("镇长"));
    }

    #[test]
    fn township_staff_see_their_villages_and_applicants_only_their_own() {
        assert_eq!(Role::Township.scope(), DataScope::OwnUnitAndBelow);
        assert_eq!(Role::Applicant.scope(), DataScope::OwnRecords);
        assert_eq!(Role::Department.scope(), DataScope::OwnUnit);
        assert_eq!(Role::CountyLeader.scope(), DataScope::All);
    }
}
