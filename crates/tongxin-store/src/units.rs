//! Units as stored: the pack's directory, synced at start, so that users and (later) cases can
//! reference units with foreign keys, and aliases that officials add are kept.

use sqlx::Row;

use crate::{Result, Store, Tx, classify};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitRow {
    pub id: String,
    pub name: String,
    pub short_name: String,
    pub kind: String,
    pub parent_id: Option<String>,
    pub division_code: Option<String>,
    pub internal_code: Option<String>,
    pub aliases: Vec<String>,
}

impl Tx {
    /// Upserts the pack's units (parents before children) and replaces the pack's aliases.
    /// Units no longer in the pack stay, since users may still belong to them.
    pub async fn sync_units(&mut self, units: &[UnitRow]) -> Result<()> {
        sqlx::query("DELETE FROM unit_aliases WHERE source = 'pack'")
            .execute(self.conn().await?)
            .await?;
        for (order, u) in units.iter().enumerate() {
            sqlx::query(
                "INSERT INTO units (id, name, short_name, kind, parent_id, division_code, internal_code, sort_order) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name, short_name = excluded.short_name, \
                 kind = excluded.kind, parent_id = excluded.parent_id, division_code = excluded.division_code, \
                 internal_code = excluded.internal_code, sort_order = excluded.sort_order",
            )
            .bind(&u.id)
            .bind(&u.name)
            .bind(&u.short_name)
            .bind(&u.kind)
            .bind(&u.parent_id)
            .bind(&u.division_code)
            .bind(&u.internal_code)
            .bind(order as i64)
            .execute(self.conn().await?)
            .await
            .map_err(classify)?;
            for alias in &u.aliases {
                sqlx::query(
                    "INSERT INTO unit_aliases (alias, unit_id, source) VALUES ($1, $2, 'pack') \
                     ON CONFLICT (alias) DO NOTHING",
                )
                .bind(alias)
                .bind(&u.id)
                .execute(self.conn().await?)
                .await
                .map_err(classify)?;
            }
        }
        Ok(())
    }
}

impl Store {
    /// How many units are stored (the directory is seeded on first start).
    pub async fn unit_count(&self) -> Result<i64> {
        let r = sqlx::query("SELECT COUNT(*) FROM units")
            .fetch_one(&self.pool)
            .await?;
        Ok(r.try_get(0)?)
    }

    pub async fn unit_exists(&self, id: &str) -> Result<bool> {
        let r = sqlx::query("SELECT COUNT(*) FROM units WHERE id = $1")
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
        Ok(r.try_get::<i64, _>(0)? > 0)
    }
}
