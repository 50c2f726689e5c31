//! 巡查执法 and 村庄规划 as stored: patrols and their findings, enforcement cases, the
//! campaign's joint-enforcement sessions, temporary-land spot checks, the village planning
//! registry and the idle-homestead register.

use chrono::NaiveDate;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::cases::{date, day, opt_date};
use crate::query::{Arg, Where, bind_all, one_row};
use crate::{Result, Store, Tx, classify};

/// 巡查记录 as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct PatrolRow {
    pub id: i64,
    pub unit_id: String,
    pub township_id: String,
    pub village: String,
    pub patrolled_on: NaiveDate,
    pub route: String,
    pub patrollers: String,
    pub recorded_by: String,
    pub recorded_at: String,
}

/// 发现问题 of a patrol.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingRow {
    pub id: i64,
    pub patrol_id: i64,
    pub place: String,
    pub description: String,
    pub case_id: Option<i64>,
}

/// 执法案件 as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct EnforcementRow {
    pub id: i64,
    pub kind: String,
    pub status: String,
    pub finding_id: Option<i64>,
    pub land_case_id: Option<i64>,
    pub township_id: String,
    pub village: String,
    pub place: String,
    pub description: String,
    pub unit_id: String,
    pub filed_unit: String,
    pub filed_by: String,
    pub filed_on: NaiveDate,
    pub investigation: String,
    pub investigated_on: Option<NaiveDate>,
    pub order_text: String,
    pub ordered_on: Option<NaiveDate>,
    pub deadline: Option<NaiveDate>,
    pub deadline_rule: String,
    pub verification: String,
    pub verified_on: Option<NaiveDate>,
    pub closing: String,
    pub closed_on: Option<NaiveDate>,
    pub updated_by: String,
    pub version: i64,
}

/// 联合执法 session as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct JointSessionRow {
    pub id: i64,
    pub campaign: String,
    pub held_on: NaiveDate,
    pub place: String,
    /// Unit ids present.
    pub units: Vec<String>,
    pub findings: String,
    pub recorded_unit: String,
    pub recorded_by: String,
    pub recorded_at: String,
}

/// 临时用地抽查 as stored, with the temporary-land case's number.
#[derive(Debug, Clone, PartialEq)]
pub struct SpotCheckRow {
    pub id: i64,
    pub land_case_id: i64,
    /// Read from the case (not written with the check).
    pub case_number: String,
    pub checked_on: NaiveDate,
    pub result: String,
    pub problems: String,
    pub public_text: String,
    pub published_on: Option<NaiveDate>,
    pub unit_id: String,
    pub checked_by: String,
    pub recorded_at: String,
    pub version: i64,
}

/// 村庄规划 entry.
#[derive(Debug, Clone, PartialEq)]
pub struct VillagePlanRow {
    pub id: i64,
    pub township_id: String,
    pub village: String,
    pub village_type: String,
    pub plan_name: String,
    pub plan_number: String,
    pub approved_on: Option<NaiveDate>,
    pub published_on: Option<NaiveDate>,
    pub updated_by: String,
    pub updated_at: String,
    pub version: i64,
}

/// 闲置宅基地 register entry.
#[derive(Debug, Clone, PartialEq)]
pub struct IdleHomesteadRow {
    pub id: i64,
    pub township_id: String,
    pub village: String,
    pub kind: String,
    pub location: String,
    pub holder: String,
    pub area_m2: Option<i64>,
    pub reuse: String,
    pub promised_on: Option<NaiveDate>,
    pub returned_on: Option<NaiveDate>,
    pub note: String,
    pub recorded_by: String,
    pub recorded_at: String,
    pub version: i64,
}

const PATROL_COLUMNS: &str =
    "id, unit_id, township_id, village, patrolled_on, route, patrollers, recorded_by, recorded_at";
const CASE_COLUMNS: &str = "id, kind, status, finding_id, land_case_id, township_id, village, place, description, unit_id, filed_unit, filed_by, filed_on, investigation, investigated_on, order_text, ordered_on, deadline, deadline_rule, verification, verified_on, closing, closed_on, updated_by, version";
const SESSION_COLUMNS: &str =
    "id, campaign, held_on, place, units, findings, recorded_unit, recorded_by, recorded_at";
const SPOT_COLUMNS: &str = "s.id, s.land_case_id, c.number AS case_number, s.checked_on, s.result, s.problems, s.public_text, s.published_on, s.unit_id, s.checked_by, s.recorded_at, s.version";
const SPOT_FROM: &str = "land_spot_checks s JOIN cases c ON c.id = s.land_case_id";
const PLAN_COLUMNS: &str = "id, township_id, village, village_type, plan_name, plan_number, approved_on, published_on, updated_by, updated_at, version";
const IDLE_COLUMNS: &str = "id, township_id, village, kind, location, holder, area_m2, reuse, promised_on, returned_on, note, recorded_by, recorded_at, version";

fn patrol(r: &AnyRow) -> Result<PatrolRow> {
    Ok(PatrolRow {
        id: r.try_get("id")?,
        unit_id: r.try_get("unit_id")?,
        township_id: r.try_get("township_id")?,
        village: r.try_get("village")?,
        patrolled_on: date(&r.try_get::<String, _>("patrolled_on")?)?,
        route: r.try_get("route")?,
        patrollers: r.try_get("patrollers")?,
        recorded_by: r.try_get("recorded_by")?,
        recorded_at: r.try_get("recorded_at")?,
    })
}

fn finding(r: &AnyRow) -> Result<FindingRow> {
    Ok(FindingRow {
        id: r.try_get("id")?,
        patrol_id: r.try_get("patrol_id")?,
        place: r.try_get("place")?,
        description: r.try_get("description")?,
        case_id: r.try_get("case_id")?,
    })
}

fn enforcement(r: &AnyRow) -> Result<EnforcementRow> {
    Ok(EnforcementRow {
        id: r.try_get("id")?,
        kind: r.try_get("kind")?,
        status: r.try_get("status")?,
        finding_id: r.try_get("finding_id")?,
        land_case_id: r.try_get("land_case_id")?,
        township_id: r.try_get("township_id")?,
        village: r.try_get("village")?,
        place: r.try_get("place")?,
        description: r.try_get("description")?,
        unit_id: r.try_get("unit_id")?,
        filed_unit: r.try_get("filed_unit")?,
        filed_by: r.try_get("filed_by")?,
        filed_on: date(&r.try_get::<String, _>("filed_on")?)?,
        investigation: r.try_get("investigation")?,
        investigated_on: opt_date(r, "investigated_on")?,
        order_text: r.try_get("order_text")?,
        ordered_on: opt_date(r, "ordered_on")?,
        deadline: opt_date(r, "deadline")?,
        deadline_rule: r.try_get("deadline_rule")?,
        verification: r.try_get("verification")?,
        verified_on: opt_date(r, "verified_on")?,
        closing: r.try_get("closing")?,
        closed_on: opt_date(r, "closed_on")?,
        updated_by: r.try_get("updated_by")?,
        version: r.try_get("version")?,
    })
}

fn session(r: &AnyRow) -> Result<JointSessionRow> {
    let units: String = r.try_get("units")?;
    Ok(JointSessionRow {
        id: r.try_get("id")?,
        campaign: r.try_get("campaign")?,
        held_on: date(&r.try_get::<String, _>("held_on")?)?,
        place: r.try_get("place")?,
        units: units
            .split(',')
            .filter(|u| !u.is_empty())
            .map(str::to_owned)
            .collect(),
        findings: r.try_get("findings")?,
        recorded_unit: r.try_get("recorded_unit")?,
        recorded_by: r.try_get("recorded_by")?,
        recorded_at: r.try_get("recorded_at")?,
    })
}

fn spot(r: &AnyRow) -> Result<SpotCheckRow> {
    Ok(SpotCheckRow {
        id: r.try_get("id")?,
        land_case_id: r.try_get("land_case_id")?,
        case_number: r.try_get("case_number")?,
        checked_on: date(&r.try_get::<String, _>("checked_on")?)?,
        result: r.try_get("result")?,
        problems: r.try_get("problems")?,
        public_text: r.try_get("public_text")?,
        published_on: opt_date(r, "published_on")?,
        unit_id: r.try_get("unit_id")?,
        checked_by: r.try_get("checked_by")?,
        recorded_at: r.try_get("recorded_at")?,
        version: r.try_get("version")?,
    })
}

fn plan(r: &AnyRow) -> Result<VillagePlanRow> {
    Ok(VillagePlanRow {
        id: r.try_get("id")?,
        township_id: r.try_get("township_id")?,
        village: r.try_get("village")?,
        village_type: r.try_get("village_type")?,
        plan_name: r.try_get("plan_name")?,
        plan_number: r.try_get("plan_number")?,
        approved_on: opt_date(r, "approved_on")?,
        published_on: opt_date(r, "published_on")?,
        updated_by: r.try_get("updated_by")?,
        updated_at: r.try_get("updated_at")?,
        version: r.try_get("version")?,
    })
}

fn idle(r: &AnyRow) -> Result<IdleHomesteadRow> {
    Ok(IdleHomesteadRow {
        id: r.try_get("id")?,
        township_id: r.try_get("township_id")?,
        village: r.try_get("village")?,
        kind: r.try_get("kind")?,
        location: r.try_get("location")?,
        holder: r.try_get("holder")?,
        area_m2: r.try_get("area_m2")?,
        reuse: r.try_get("reuse")?,
        promised_on: opt_date(r, "promised_on")?,
        returned_on: opt_date(r, "returned_on")?,
        note: r.try_get("note")?,
        recorded_by: r.try_get("recorded_by")?,
        recorded_at: r.try_get("recorded_at")?,
        version: r.try_get("version")?,
    })
}

impl Tx {
    /// Stores a patrol; returns its id.
    pub async fn insert_patrol(&mut self, p: &PatrolRow) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO patrols (unit_id, township_id, village, patrolled_on, route, patrollers, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(&p.unit_id)
        .bind(&p.township_id)
        .bind(&p.village)
        .bind(day(p.patrolled_on))
        .bind(&p.route)
        .bind(&p.patrollers)
        .bind(&p.recorded_by)
        .bind(&p.recorded_at)
        .fetch_one(self.conn().await?)
        .await
        .map_err(classify)?;
        Ok(row.try_get(0)?)
    }

    /// Stores a finding of a patrol; returns its id.
    pub async fn insert_finding(&mut self, f: &FindingRow) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO patrol_findings (patrol_id, place, description) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(f.patrol_id)
        .bind(&f.place)
        .bind(&f.description)
        .fetch_one(self.conn().await?)
        .await
        .map_err(classify)?;
        Ok(row.try_get(0)?)
    }

    /// Marks a finding as filed as `case_id`; [`crate::StoreError::StaleVersion`] if it was
    /// filed meanwhile.
    pub async fn link_finding(&mut self, finding_id: i64, case_id: i64) -> Result<()> {
        let n = sqlx::query(
            "UPDATE patrol_findings SET case_id = $1 WHERE id = $2 AND case_id IS NULL",
        )
        .bind(case_id)
        .bind(finding_id)
        .execute(self.conn().await?)
        .await
        .map_err(classify)?
        .rows_affected();
        one_row(n)
    }

    /// Files an enforcement case; returns its id.
    pub async fn insert_enforcement_case(&mut self, c: &EnforcementRow) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO enforcement_cases (kind, status, finding_id, land_case_id, township_id, village, place, description, unit_id, filed_unit, filed_by, filed_on, updated_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        )
        .bind(&c.kind)
        .bind(&c.status)
        .bind(c.finding_id)
        .bind(c.land_case_id)
        .bind(&c.township_id)
        .bind(&c.village)
        .bind(&c.place)
        .bind(&c.description)
        .bind(&c.unit_id)
        .bind(&c.filed_unit)
        .bind(&c.filed_by)
        .bind(day(c.filed_on))
        .bind(&c.updated_by)
        .fetch_one(self.conn().await?)
        .await
        .map_err(classify)?;
        Ok(row.try_get(0)?)
    }

    /// Writes a case's step read at `c.version`; [`crate::StoreError::StaleVersion`] if
    /// someone acted first.
    pub async fn update_enforcement_case(&mut self, c: &EnforcementRow) -> Result<()> {
        let n = sqlx::query(
            "UPDATE enforcement_cases SET status = $1, investigation = $2, investigated_on = $3, order_text = $4, ordered_on = $5, deadline = $6, deadline_rule = $7, verification = $8, verified_on = $9, closing = $10, closed_on = $11, updated_by = $12, version = version + 1 \
             WHERE id = $13 AND version = $14",
        )
        .bind(&c.status)
        .bind(&c.investigation)
        .bind(c.investigated_on.map(day))
        .bind(&c.order_text)
        .bind(c.ordered_on.map(day))
        .bind(c.deadline.map(day))
        .bind(&c.deadline_rule)
        .bind(&c.verification)
        .bind(c.verified_on.map(day))
        .bind(&c.closing)
        .bind(c.closed_on.map(day))
        .bind(&c.updated_by)
        .bind(c.id)
        .bind(c.version)
        .execute(self.conn().await?)
        .await
        .map_err(classify)?
        .rows_affected();
        one_row(n)
    }

    /// Records a joint-enforcement session; returns its id.
    pub async fn insert_joint_session(&mut self, s: &JointSessionRow) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO joint_sessions (campaign, held_on, place, units, findings, recorded_unit, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(&s.campaign)
        .bind(day(s.held_on))
        .bind(&s.place)
        .bind(s.units.join(","))
        .bind(&s.findings)
        .bind(&s.recorded_unit)
        .bind(&s.recorded_by)
        .bind(&s.recorded_at)
        .fetch_one(self.conn().await?)
        .await
        .map_err(classify)?;
        Ok(row.try_get(0)?)
    }

    /// Records a spot check; returns its id.
    pub async fn insert_spot_check(&mut self, s: &SpotCheckRow) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO land_spot_checks (land_case_id, checked_on, result, problems, public_text, unit_id, checked_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(s.land_case_id)
        .bind(day(s.checked_on))
        .bind(&s.result)
        .bind(&s.problems)
        .bind(&s.public_text)
        .bind(&s.unit_id)
        .bind(&s.checked_by)
        .bind(&s.recorded_at)
        .fetch_one(self.conn().await?)
        .await
        .map_err(classify)?;
        Ok(row.try_get(0)?)
    }

    /// Publishes a spot check's report read at `version`.
    pub async fn publish_spot_check(
        &mut self,
        id: i64,
        public_text: &str,
        on: NaiveDate,
        version: i64,
    ) -> Result<()> {
        let n = sqlx::query(
            "UPDATE land_spot_checks SET public_text = $1, published_on = $2, version = version + 1 WHERE id = $3 AND version = $4 AND published_on IS NULL",
        )
        .bind(public_text)
        .bind(day(on))
        .bind(id)
        .bind(version)
        .execute(self.conn().await?)
        .await
        .map_err(classify)?
        .rows_affected();
        one_row(n)
    }

    /// Enters a village's plan (version 0: a new village) or updates the one read at
    /// `p.version`. A village entered twice at once is a [`crate::StoreError::Conflict`].
    pub async fn save_village_plan(&mut self, p: &VillagePlanRow) -> Result<()> {
        if p.id == 0 {
            sqlx::query(
                "INSERT INTO village_plans (township_id, village, village_type, plan_name, plan_number, approved_on, published_on, updated_by, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(&p.township_id)
            .bind(&p.village)
            .bind(&p.village_type)
            .bind(&p.plan_name)
            .bind(&p.plan_number)
            .bind(p.approved_on.map(day))
            .bind(p.published_on.map(day))
            .bind(&p.updated_by)
            .bind(&p.updated_at)
            .execute(self.conn().await?)
            .await
            .map_err(classify)?;
            return Ok(());
        }
        let n = sqlx::query(
            "UPDATE village_plans SET village_type = $1, plan_name = $2, plan_number = $3, approved_on = $4, published_on = $5, updated_by = $6, updated_at = $7, version = version + 1 \
             WHERE id = $8 AND version = $9",
        )
        .bind(&p.village_type)
        .bind(&p.plan_name)
        .bind(&p.plan_number)
        .bind(p.approved_on.map(day))
        .bind(p.published_on.map(day))
        .bind(&p.updated_by)
        .bind(&p.updated_at)
        .bind(p.id)
        .bind(p.version)
        .execute(self.conn().await?)
        .await
        .map_err(classify)?
        .rows_affected();
        one_row(n)
    }

    /// Records an idle homestead; returns its id.
    pub async fn insert_idle_homestead(&mut self, h: &IdleHomesteadRow) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO idle_homesteads (township_id, village, kind, location, holder, area_m2, reuse, promised_on, note, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(&h.township_id)
        .bind(&h.village)
        .bind(&h.kind)
        .bind(&h.location)
        .bind(&h.holder)
        .bind(h.area_m2)
        .bind(&h.reuse)
        .bind(h.promised_on.map(day))
        .bind(&h.note)
        .bind(&h.recorded_by)
        .bind(&h.recorded_at)
        .fetch_one(self.conn().await?)
        .await
        .map_err(classify)?;
        Ok(row.try_get(0)?)
    }

    /// Records the return (and reuse) of an entry read at `h.version`.
    pub async fn update_idle_homestead(&mut self, h: &IdleHomesteadRow) -> Result<()> {
        let n = sqlx::query(
            "UPDATE idle_homesteads SET reuse = $1, returned_on = $2, note = $3, version = version + 1 WHERE id = $4 AND version = $5",
        )
        .bind(&h.reuse)
        .bind(h.returned_on.map(day))
        .bind(&h.note)
        .bind(h.id)
        .bind(h.version)
        .execute(self.conn().await?)
        .await
        .map_err(classify)?
        .rows_affected();
        one_row(n)
    }
}

impl Store {
    /// Patrols of these units (None: all), newest first, and how many match.
    pub async fn patrols(
        &self,
        units: Option<&[String]>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<PatrolRow>, i64)> {
        let mut w = Where::default();
        if let Some(units) = units {
            // A township sees the patrols of its units and those of its area.
            w.any_in(&["p.unit_id", "p.township_id"], units);
        }
        let (rows, total) = self
            .page(
                ("patrols", "p"),
                PATROL_COLUMNS,
                &w,
                "p.patrolled_on DESC, p.id DESC",
                limit.clamp(1, 500),
                offset.max(0),
            )
            .await?;
        Ok((rows.iter().map(patrol).collect::<Result<_>>()?, total))
    }

    pub async fn patrol(&self, id: i64) -> Result<Option<PatrolRow>> {
        let row = sqlx::query(&format!(
            "SELECT {PATROL_COLUMNS} FROM patrols WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(patrol).transpose()
    }

    /// The findings of these patrols, in order.
    pub async fn findings_of(&self, patrols: &[i64]) -> Result<Vec<FindingRow>> {
        if patrols.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT id, patrol_id, place, description, case_id FROM patrol_findings WHERE patrol_id IN ({}) ORDER BY id",
            crate::query::placeholders(1, patrols.len())
        );
        let mut q = sqlx::query(&sql);
        for p in patrols {
            q = q.bind(*p);
        }
        q.fetch_all(&self.pool).await?.iter().map(finding).collect()
    }

    pub async fn finding(&self, id: i64) -> Result<Option<FindingRow>> {
        let row = sqlx::query(
            "SELECT id, patrol_id, place, description, case_id FROM patrol_findings WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(finding).transpose()
    }

    /// Enforcement cases the units act on or filed (None: all), newest first.
    pub async fn enforcement_cases(
        &self,
        units: Option<&[String]>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<EnforcementRow>, i64)> {
        let mut w = Where::default();
        if let Some(units) = units {
            w.any_in(&["e.unit_id", "e.filed_unit", "e.township_id"], units);
        }
        let (rows, total) = self
            .page(
                ("enforcement_cases", "e"),
                CASE_COLUMNS,
                &w,
                "e.id DESC",
                limit.clamp(1, 500),
                offset.max(0),
            )
            .await?;
        Ok((rows.iter().map(enforcement).collect::<Result<_>>()?, total))
    }

    pub async fn enforcement_case(&self, id: i64) -> Result<Option<EnforcementRow>> {
        let mut w = Where::default();
        let p = w.arg(Arg::Int(id));
        w.push(format!("id = {p}"));
        let sql = format!("SELECT {CASE_COLUMNS} FROM enforcement_cases{}", w.sql());
        let row = bind_all(sqlx::query(&sql), &w.args)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(enforcement).transpose()
    }

    /// A campaign's joint-enforcement sessions, by date.
    pub async fn joint_sessions(&self, campaign: &str) -> Result<Vec<JointSessionRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {SESSION_COLUMNS} FROM joint_sessions WHERE campaign = $1 ORDER BY held_on, id"
        ))
        .bind(campaign)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(session).collect()
    }

    /// Spot checks, newest first; only the published ones when `published`.
    pub async fn spot_checks(&self, published: bool, limit: i64) -> Result<Vec<SpotCheckRow>> {
        let mut w = Where::default();
        if published {
            w.push("s.published_on IS NOT NULL");
        }
        let (rows, _) = self
            .page_from(
                SPOT_FROM,
                SPOT_COLUMNS,
                &w,
                "s.checked_on DESC, s.id DESC",
                limit.clamp(1, 500),
                0,
            )
            .await?;
        rows.iter().map(spot).collect()
    }

    pub async fn spot_check(&self, id: i64) -> Result<Option<SpotCheckRow>> {
        let row = sqlx::query(&format!(
            "SELECT {SPOT_COLUMNS} FROM {SPOT_FROM} WHERE s.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(spot).transpose()
    }

    /// Village plans of these townships (None: all), by township and village.
    pub async fn village_plans(&self, townships: Option<&[String]>) -> Result<Vec<VillagePlanRow>> {
        let mut w = Where::default();
        if let Some(t) = townships {
            w.is_in("township_id", t);
        }
        let sql = format!(
            "SELECT {PLAN_COLUMNS} FROM village_plans{} ORDER BY township_id, village",
            w.sql()
        );
        let rows = bind_all(sqlx::query(&sql), &w.args)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(plan).collect()
    }

    pub async fn village_plan_by_id(&self, id: i64) -> Result<Option<VillagePlanRow>> {
        let row = sqlx::query(&format!(
            "SELECT {PLAN_COLUMNS} FROM village_plans WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(plan).transpose()
    }

    pub async fn village_plan(
        &self,
        township_id: &str,
        village: &str,
    ) -> Result<Option<VillagePlanRow>> {
        let row = sqlx::query(&format!(
            "SELECT {PLAN_COLUMNS} FROM village_plans WHERE township_id = $1 AND village = $2"
        ))
        .bind(township_id)
        .bind(village)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(plan).transpose()
    }

    /// Idle-homestead entries of these townships (None: all), newest first.
    pub async fn idle_homesteads(
        &self,
        townships: Option<&[String]>,
    ) -> Result<Vec<IdleHomesteadRow>> {
        let mut w = Where::default();
        if let Some(t) = townships {
            w.is_in("township_id", t);
        }
        let sql = format!(
            "SELECT {IDLE_COLUMNS} FROM idle_homesteads{} ORDER BY id DESC LIMIT 1000",
            w.sql()
        );
        let rows = bind_all(sqlx::query(&sql), &w.args)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(idle).collect()
    }

    pub async fn idle_homestead(&self, id: i64) -> Result<Option<IdleHomesteadRow>> {
        let row = sqlx::query(&format!(
            "SELECT {IDLE_COLUMNS} FROM idle_homesteads WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(idle).transpose()
    }
}
