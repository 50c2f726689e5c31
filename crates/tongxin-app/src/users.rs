//! Users (用户管理) and the audit trail's read side (审计日志), with their permission checks and
//! data scopes.

use serde::Serialize;
use serde_json::json;
use tongxin_domain::account::{DisplayName, Username, check_password_policy};
use tongxin_domain::audit::{AuditAction, AuditEntry, ChainBreak};
use tongxin_domain::validation::char_len;
use tongxin_domain::{DataScope, FieldError, Permission, Role, Unit};
use tongxin_store::{AuditFilter, NewUser, StoreError, UserFilter, UserRow};

use crate::auth::{Actor, hash_password};
use crate::{App, AppError, AuditActor};

/// What a form or a JSON body or the CLI gives to create a user.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct NewUserInput {
    pub username: String,
    pub display_name: String,
    pub password: String,
    /// Role code (`township`) or Chinese name (`乡镇`).
    pub role: String,
    /// Unit id or any of its names (`豫海镇`, `twp-yuhai`).
    pub unit: String,
}

/// A user as shown in lists: no password hash.
#[derive(Debug, Clone, Serialize)]
pub struct UserView {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub role_label: &'static str,
    pub unit_id: String,
    pub unit_name: String,
    pub active: bool,
    pub locked: bool,
    pub is_demo: bool,
    pub version: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

pub const PER_PAGE_MAX: i64 = 100;

impl App {
    /// Refuses unless the actor's role holds the permission.
    pub fn require(
        &self,
        actor: &Actor,
        permission: Permission,
        action: &str,
    ) -> Result<(), AppError> {
        if actor.role.permits(permission) {
            return Ok(());
        }
        let needed: Vec<&str> = Role::ALL
            .iter()
            .filter(|r| r.permits(permission))
            .map(|r| r.label())
            .collect();
        Err(AppError::Forbidden {
            action: action.to_owned(),
            needed: needed.join("或"),
        })
    }

    /// Resolves what a user typed for a unit: its id or any of its names.
    pub fn resolve_unit_input(&self, field: &str, input: &str) -> Result<Unit, FieldError> {
        let input = input.trim();
        if input.is_empty() {
            return Err(FieldError::new(field, "所属单位不能为空"));
        }
        let d = self.directory();
        d.get(input)
            .or_else(|| d.resolve_unit(input))
            .cloned()
            .ok_or_else(|| FieldError::new(field, format!("单位“{input}”不在组织机构目录中")))
    }

    /// An optional filter by unit as typed (a name, alias or id): None when blank; else the
    /// unit's id, or the error naming `field` and what it is called on the form (`label`).
    pub(crate) fn unit_filter(
        &self,
        field: &str,
        label: &str,
        input: Option<&str>,
        errors: &mut Vec<FieldError>,
    ) -> Option<String> {
        let typed = input.map(str::trim).filter(|s| !s.is_empty())?;
        match self.resolve_unit_input(field, typed) {
            Ok(u) => Some(u.id.0),
            Err(e) => {
                errors.push(FieldError::new(field, e.message.replace("所属单位", label)));
                None
            }
        }
    }

    /// Creates a user. `actor` None means the server console (`tongxin user add`).
    pub async fn create_user(
        &self,
        actor: Option<&Actor>,
        input: &NewUserInput,
    ) -> Result<UserView, AppError> {
        self.create_user_inner(actor, input, false).await
    }

    pub(crate) async fn create_user_inner(
        &self,
        actor: Option<&Actor>,
        input: &NewUserInput,
        is_demo: bool,
    ) -> Result<UserView, AppError> {
        if let Some(a) = actor {
            self.require(a, Permission::ManageUsers, "新建用户")?;
        }
        let mut errors = Vec::new();
        let username = Username::parse(&input.username)
            .map_err(|e| errors.push(e))
            .ok();
        let display = DisplayName::parse(&input.display_name)
            .map_err(|e| errors.push(e))
            .ok();
        let role = input.role.parse::<Role>().map_err(|e| errors.push(e)).ok();
        let unit = self
            .resolve_unit_input("unit", &input.unit)
            .map_err(|e| errors.push(e))
            .ok();
        if let Err(e) = check_password_policy(&input.password, input.username.trim()) {
            errors.push(e);
        }
        let (Some(username), Some(display), Some(role), Some(unit)) =
            (username, display, role, unit)
        else {
            return Err(AppError::Validation(errors));
        };
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let hash = hash_password(input.password.clone()).await?;
        let mut tx = self.store.begin().await?;
        let new = NewUser {
            username: username.as_str(),
            display_name: display.as_str(),
            password_hash: &hash,
            role: role.code(),
            unit_id: unit.id.as_str(),
            is_demo,
        };
        let id = match tx.insert_user(&new, self.clock.now()).await {
            Ok(id) => id,
            Err(StoreError::Conflict { .. }) => {
                return Err(AppError::field(
                    "username",
                    format!("用户名“{username}”已被使用"),
                ));
            }
            Err(e) => return Err(e.into()),
        };
        let who = match actor {
            Some(a) => a.audit(),
            None if is_demo => AuditActor::SYSTEM,
            None => AuditActor::CONSOLE,
        };
        // The summary leaves out the display name: it is a person's name.
        let summary = json!({ "after": { "username": username.as_str(), "role": role.code(), "unit": unit.id.as_str(), "active": true } });
        self.audit(
            &mut tx,
            &who,
            AuditAction::Create,
            &format!("user:{id}"),
            summary,
        )
        .await?;
        tx.commit().await?;
        let row = self
            .store
            .user_by_id(id)
            .await?
            .ok_or_else(|| AppError::NotFound {
                what: "用户".into(),
            })?;
        Ok(self.user_view(row))
    }

    fn user_view(&self, u: UserRow) -> UserView {
        let role = u.role.parse::<Role>().unwrap_or(Role::Applicant);
        let unit_name = self
            .directory()
            .get(&u.unit_id)
            .map(|x| x.name.clone())
            .unwrap_or_else(|| u.unit_id.clone());
        let locked = u.locked_until.is_some_and(|t| t > self.clock.now());
        UserView {
            id: u.id,
            username: u.username,
            display_name: u.display_name,
            role,
            role_label: role.label(),
            unit_id: u.unit_id,
            unit_name,
            active: u.active,
            locked,
            is_demo: u.is_demo,
            version: u.version,
        }
    }

    /// The users the actor may see, a page at a time (pages count from 1).
    pub async fn list_users(
        &self,
        actor: &Actor,
        page: i64,
        per_page: i64,
    ) -> Result<Page<UserView>, AppError> {
        self.require(actor, Permission::ViewUsers, "查看用户")?;
        let per_page = per_page.clamp(1, PER_PAGE_MAX);
        let page = page.max(1);
        let mut filter = UserFilter {
            limit: per_page,
            offset: (page - 1) * per_page,
            ..Default::default()
        };
        match actor.role.scope() {
            DataScope::All => {}
            DataScope::OwnUnit => filter.units = Some(vec![actor.unit.0.clone()]),
            DataScope::OwnUnitAndBelow => {
                filter.units = Some(
                    self.directory()
                        .subtree(&actor.unit)
                        .iter()
                        .map(|u| u.id.0.clone())
                        .collect(),
                )
            }
            DataScope::OwnRecords => filter.user_id = Some(actor.user_id),
        }
        let (rows, total) = self.store.list_users(&filter).await?;
        Ok(Page {
            items: rows.into_iter().map(|u| self.user_view(u)).collect(),
            total,
            page,
            per_page,
        })
    }

    /// Enables or disables a user (system administrator). `version` is the version the official
    /// saw: if someone changed the user since, nothing changes and they are told.
    pub async fn set_user_active(
        &self,
        actor: &Actor,
        user_id: i64,
        active: bool,
        version: i64,
    ) -> Result<UserView, AppError> {
        self.require(
            actor,
            Permission::ManageUsers,
            if active {
                "启用用户"
            } else {
                "停用用户"
            },
        )?;
        if user_id == actor.user_id && !active {
            return Err(AppError::Conflict("不能停用自己的账号".into()));
        }
        let before = self.user_or_not_found(user_id).await?;
        let mut tx = self.store.begin().await?;
        match tx
            .set_user_active(user_id, active, version, self.clock.now())
            .await
        {
            Ok(()) => {}
            Err(StoreError::StaleVersion) => {
                return Err(AppError::Conflict(
                    "该用户已被他人修改，请刷新后重试".into(),
                ));
            }
            Err(e) => return Err(e.into()),
        }
        let summary =
            json!({ "before": { "active": before.active }, "after": { "active": active } });
        self.audit(
            &mut tx,
            &actor.audit(),
            AuditAction::StateChange,
            &format!("user:{user_id}"),
            summary,
        )
        .await?;
        tx.commit().await?;
        let row = self.user_or_not_found(user_id).await?;
        Ok(self.user_view(row))
    }

    async fn user_or_not_found(&self, user_id: i64) -> Result<UserRow, AppError> {
        self.store
            .user_by_id(user_id)
            .await?
            .ok_or_else(|| AppError::NotFound {
                what: format!("用户{user_id}"),
            })
    }

    /// Unlocks a locked account (security administrator).
    pub async fn unlock_user(&self, actor: &Actor, user_id: i64) -> Result<UserView, AppError> {
        self.require(actor, Permission::ManageSecurity, "解锁账号")?;
        let user = self.user_or_not_found(user_id).await?;
        let mut tx = self.store.begin().await?;
        tx.clear_failed_logins(user_id).await?;
        let summary = json!({ "before": { "locked": user.locked_until.is_some() }, "after": { "locked": false } });
        self.audit(
            &mut tx,
            &actor.audit(),
            AuditAction::StateChange,
            &format!("user:{user_id}"),
            summary,
        )
        .await?;
        tx.commit().await?;
        let row = self.user_or_not_found(user_id).await?;
        Ok(self.user_view(row))
    }

    /// A page of the audit trail, newest first (audit administrator only).
    pub async fn audit_page(
        &self,
        actor: &Actor,
        actor_filter: Option<&str>,
        action: Option<&str>,
        before_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<AuditEntry>, AppError> {
        self.require(actor, Permission::ViewAudit, "查看审计日志")?;
        let actor_filter = actor_filter.map(str::trim).filter(|s| !s.is_empty());
        if let Some(a) = actor_filter
            && char_len(a) > 64
        {
            return Err(AppError::field("actor", "操作人不能超过64个字符"));
        }
        let action = action.map(str::trim).filter(|s| !s.is_empty());
        if let Some(a) = action
            && AuditAction::from_code(a).is_none()
        {
            return Err(AppError::field("action", format!("操作类型“{a}”不存在")));
        }
        let filter = AuditFilter {
            actor: actor_filter.map(str::to_owned),
            action: action.map(str::to_owned),
            before_id,
            limit: limit.clamp(1, PER_PAGE_MAX),
        };
        Ok(self.store.audit_page(&filter).await?)
    }

    /// Verifies the whole chain. From the web, audit administrators only; the CLI passes None.
    pub async fn verify_audit(
        &self,
        actor: Option<&Actor>,
    ) -> Result<Result<u64, ChainBreak>, AppError> {
        if let Some(a) = actor {
            self.require(a, Permission::ViewAudit, "校验审计日志")?;
        }
        Ok(self.store.verify_audit().await?)
    }
}
