//! Tongxin's domain: the county's units and people (组织机构), roles and data scopes (角色,
//! 数据范围), account rules (账号), personal-data masking (脱敏) and the audit chain (审计).
//!
//! Pure: no I/O, no async, no clock, no sqlx/axum/tokio. Dates and times are arguments.
//! Procedures (办理流程) and their named checks (校验规则) live in `procedure` and `checks`;
//! later issues add cases, the ledger, indicators, chains and revenue here.

pub mod access;
pub mod account;
pub mod attract_checks;
pub mod audit;
pub mod chains;
pub mod checks;
pub mod citation;
pub mod directory;
pub mod field;
pub mod homestead_siting;
pub mod ids;
pub mod indicators;
pub mod invest;
pub mod invest_checks;
pub mod mask;
pub mod policy;
pub mod procedure;
pub mod reports;
pub mod revenue;
pub mod siting;
pub mod supervision;
pub mod validation;

pub use access::{DataScope, Permission, Role};
pub use citation::{Citation, DocNumber};
pub use directory::{Directory, Person, Unit, UnitId, UnitKind};
pub use ids::ResidentId;
pub use procedure::{Action, Procedure, ProcedureError};
pub use validation::FieldError;
