//! 保护图层 as stored: one row per import, the newest of a kind in force. The GeoJSON is read
//! only when a layer is (re)loaded into memory; listings leave it out.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::cases::{date, day};
use crate::time::format_ts;
use crate::{Result, Store, Tx, classify};

/// An imported layer, without its geometry.
#[derive(Debug, Clone, PartialEq)]
pub struct LandLayerRow {
    pub id: i64,
    /// `basic_farmland`, `farmland`, `geological_hazard`, `flood_hazard`, `planned_borrow_area`.
    pub kind: String,
    /// 数据来源.
    pub source: String,
    /// 数据日期.
    pub source_date: NaiveDate,
    pub feature_count: i64,
    pub area_m2: f64,
    pub imported_by: String,
    pub imported_at: String,
}

/// A layer to store: its metadata and the normalised GeoJSON feature collection.
#[derive(Debug, Clone)]
pub struct NewLandLayer<'a> {
    pub kind: &'a str,
    pub source: &'a str,
    pub source_date: NaiveDate,
    pub feature_count: i64,
    pub area_m2: f64,
    pub geojson: &'a str,
    pub imported_by: &'a str,
}

const COLUMNS: &str =
    "id, kind, source, source_date, feature_count, area_m2, imported_by, imported_at";

fn from_row(r: &AnyRow) -> Result<LandLayerRow> {
    Ok(LandLayerRow {
        id: r.try_get("id")?,
        kind: r.try_get("kind")?,
        source: r.try_get("source")?,
        source_date: date(&r.try_get::<String, _>("source_date")?)?,
        feature_count: r.try_get("feature_count")?,
        area_m2: r.try_get("area_m2")?,
        imported_by: r.try_get("imported_by")?,
        imported_at: r.try_get("imported_at")?,
    })
}

impl Tx {
    /// Stores an imported layer; it is the kind's layer in force from now on. Returns its id.
    pub async fn insert_land_layer(
        &mut self,
        l: &NewLandLayer<'_>,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let r = sqlx::query(
            "INSERT INTO land_layers (kind, source, source_date, feature_count, area_m2, geojson, imported_by, imported_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(l.kind)
        .bind(l.source)
        .bind(day(l.source_date))
        .bind(l.feature_count)
        .bind(l.area_m2)
        .bind(l.geojson)
        .bind(l.imported_by)
        .bind(format_ts(now))
        .fetch_one(self.conn().await?)
        .await
        .map_err(classify)?;
        Ok(r.try_get(0)?)
    }
}

impl Store {
    /// The layer in force of each kind imported so far (the newest row of the kind).
    pub async fn current_land_layers(&self) -> Result<Vec<LandLayerRow>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM land_layers WHERE id IN (SELECT MAX(id) FROM land_layers GROUP BY kind) ORDER BY kind"
        );
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        rows.iter().map(from_row).collect()
    }

    /// Every import, newest first (the layers' history).
    pub async fn land_layer_history(&self) -> Result<Vec<LandLayerRow>> {
        let sql = format!("SELECT {COLUMNS} FROM land_layers ORDER BY id DESC");
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        rows.iter().map(from_row).collect()
    }

    /// The GeoJSON of one import.
    pub async fn land_layer_geojson(&self, id: i64) -> Result<Option<String>> {
        let row = sqlx::query("SELECT geojson FROM land_layers WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get(0)).transpose()?)
    }
}
