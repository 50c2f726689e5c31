//! 保护图层与叠加分析 (同政办规发〔2023〕7号 第五条、第六条): the natural-resources department
//! imports the protected layers (永久基本农田、耕地、地质灾害易发区、洪涝灾害区、规划取土区) as
//! GeoJSON with their source and date; every temporary-land check that reads a boundary gets
//! the boundary's overlaps with the layers in force ([`LandFacts`]).
//!
//! Layers are kept in memory with their spatial index, keyed by the stored row: a process that
//! finds a newer row (imported by another process sharing the database) reloads that kind.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use tongxin_domain::audit::AuditAction;
use tongxin_domain::homestead_siting;
use tongxin_domain::siting::{BOUNDARY_FIELD, LandFacts, LayerFinding, LayerSource};
use tongxin_domain::{FieldError, Permission};
use tongxin_geo::{Layer, LayerKind, Site};
use tongxin_store::{LandLayerRow, NewLandLayer};

use crate::{Actor, App, AppError};

/// The procedure whose handling unit keeps the layers.
const PROCEDURE: &str = "temporary_land";
/// Features a map request returns at most (the map of one site needs a few hundred).
pub const MAP_FEATURE_LIMIT: usize = 5_000;

/// The layers loaded in memory, by kind: the stored row they came from and the indexed layer.
#[derive(Default)]
pub struct LayerCache {
    loaded: Mutex<HashMap<LayerKind, (i64, Arc<Layer>)>>,
}

/// What the department enters to import a layer.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct LayerInput {
    /// `basic_farmland`, `farmland`, `geological_hazard`, `flood_hazard`, `planned_borrow_area`.
    #[serde(default)]
    pub kind: String,
    /// 数据来源 (`国土三调 2023年度变更调查`).
    #[serde(default)]
    pub source: String,
    /// 数据日期 (YYYY-MM-DD).
    #[serde(default)]
    pub source_date: String,
    /// A GeoJSON feature collection, as text or as an object.
    #[serde(default)]
    pub geojson: Value,
}

/// A layer in force, as listed.
#[derive(Debug, Clone, Serialize)]
pub struct LayerView {
    pub id: i64,
    pub kind: String,
    pub kind_label: String,
    pub source: String,
    pub source_date: NaiveDate,
    pub feature_count: i64,
    pub area_m2: f64,
    pub area_mu: f64,
    pub imported_by: String,
    pub imported_at: String,
}

impl LayerView {
    fn of(r: LandLayerRow) -> Self {
        LayerView {
            kind_label: LayerKind::from_code(&r.kind)
                .map(|k| k.label().to_owned())
                .unwrap_or_else(|| r.kind.clone()),
            area_mu: tongxin_geo::mu(r.area_m2),
            id: r.id,
            kind: r.kind,
            source: r.source,
            source_date: r.source_date,
            feature_count: r.feature_count,
            area_m2: r.area_m2,
            imported_by: r.imported_by,
            imported_at: r.imported_at,
        }
    }
}

fn kinds_text() -> String {
    let all: Vec<String> = LayerKind::ALL
        .iter()
        .map(|k| format!("{}（{}）", k.label(), k.code()))
        .collect();
    all.join("、")
}

/// A boundary as stored in a case's data, read back into a site.
pub fn site_of(data: &Map<String, Value>) -> Option<Site> {
    let v = data.get(BOUNDARY_FIELD)?;
    if v.is_null() {
        return None;
    }
    tongxin_geo::parse_site(&v.to_string()).ok()
}

impl App {
    /// Only the unit that approves temporary land keeps its layers and its dishonesty list.
    pub(crate) fn require_temporary_land_unit(
        &self,
        actor: &Actor,
        permission: Permission,
        action: &str,
        clause: &str,
    ) -> Result<(), AppError> {
        self.require(actor, permission, action)?;
        let keeper = self
            .procedure(PROCEDURE)?
            .handled_by
            .as_deref()
            .and_then(|name| self.directory().resolve_unit(name).map(|u| u.id.clone()));
        match keeper {
            Some(unit) if unit == actor.unit => Ok(()),
            _ => Err(AppError::Forbidden {
                action: action.to_owned(),
                needed: format!("县自然资源主管部门（{clause}）"),
            }),
        }
    }

    /// Imports a layer: every feature is checked (valid polygons inside China), the layer
    /// replaces the kind's layer in force, and the import is audited. Returns the new layer.
    pub async fn import_land_layer(
        &self,
        actor: &Actor,
        input: &LayerInput,
    ) -> Result<LayerView, AppError> {
        self.require_temporary_land_unit(
            actor,
            Permission::ManageLandLayers,
            "导入保护图层",
            "同政办规发〔2023〕7号 第五条、第六条",
        )?;
        let today = self.clock.today();
        let mut errors = Vec::new();
        let kind = LayerKind::from_code(input.kind.trim());
        if kind.is_none() {
            errors.push(FieldError::new(
                "kind",
                format!("“图层类型”须为以下之一：{}", kinds_text()),
            ));
        }
        let source = input.source.trim();
        match source.chars().count() {
            0 => errors.push(FieldError::new("source", "请填写“数据来源”")),
            n if n > 200 => errors.push(FieldError::new(
                "source",
                format!("“数据来源”不能超过200个字，现为{n}个字"),
            )),
            _ => {}
        }
        let source_date = match input.source_date.trim().parse::<NaiveDate>() {
            Ok(d) if d > today => {
                errors.push(FieldError::new(
                    "source_date",
                    format!("“数据日期”不能晚于今天（{today}）"),
                ));
                None
            }
            Ok(d) => Some(d),
            Err(_) => {
                errors.push(FieldError::new(
                    "source_date",
                    "“数据日期”须为日期，如 2024-03-04",
                ));
                None
            }
        };
        let text = match &input.geojson {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            v => v.to_string(),
        };
        let layer = match kind {
            Some(kind) if !text.trim().is_empty() => {
                let parsed =
                    tokio::task::spawn_blocking(move || tongxin_geo::parse_layer(kind, &text))
                        .await
                        .map_err(|e| AppError::Internal(e.to_string()))?;
                match parsed {
                    Ok(l) => Some(l),
                    Err(e) => {
                        errors.push(FieldError::new("geojson", format!("“图层数据”：{e}")));
                        None
                    }
                }
            }
            Some(_) => {
                errors.push(FieldError::new(
                    "geojson",
                    "请提供“图层数据”（GeoJSON要素集合）",
                ));
                None
            }
            None => None,
        };
        let (Some(kind), Some(source_date), Some(layer), true) =
            (kind, source_date, layer, errors.is_empty())
        else {
            return Err(AppError::Validation(errors));
        };
        self.store_land_layer(
            &actor.audit(),
            &actor.username,
            kind,
            source,
            source_date,
            layer,
        )
        .await
    }

    /// Stores a checked layer as the kind's layer in force, audited.
    async fn store_land_layer(
        &self,
        who: &crate::AuditActor<'_>,
        imported_by: &str,
        kind: LayerKind,
        source: &str,
        source_date: NaiveDate,
        layer: Layer,
    ) -> Result<LayerView, AppError> {
        let layer = Arc::new(layer);
        let stored = layer.to_geojson().to_string();
        let area_m2 = layer.area_m2();
        let feature_count = i64::try_from(layer.features().len()).unwrap_or(i64::MAX);
        let mut tx = self.store.begin().await?;
        let id = tx
            .insert_land_layer(
                &NewLandLayer {
                    kind: kind.code(),
                    source,
                    source_date,
                    feature_count,
                    area_m2,
                    geojson: &stored,
                    imported_by,
                },
                self.clock.now(),
            )
            .await?;
        self.audit(
            &mut tx,
            who,
            AuditAction::Create,
            &format!("land_layer:{id}"),
            json!({ "kind": kind.code(), "source": source, "source_date": source_date, "features": feature_count, "area_m2": area_m2 }),
        )
        .await?;
        tx.commit().await?;
        if let Ok(mut loaded) = self.layers.loaded.lock() {
            loaded.insert(kind, (id, layer));
        }
        let row = self
            .store
            .current_land_layers()
            .await?
            .into_iter()
            .find(|r| r.id == id)
            .ok_or_else(|| AppError::Internal(format!("图层{id}写入后未找到")))?;
        Ok(LayerView::of(row))
    }

    /// 演示图层: in a demo database without layers, six small made-up layers around the county
    /// seat, their source saying they are not real, so that a trainer can file a site and see
    /// the map and the overlap rules at work.
    pub async fn seed_demo_layers(&self) -> Result<(), AppError> {
        if self.mode != crate::Mode::Demo || !self.store.current_land_layers().await?.is_empty() {
            return Ok(());
        }
        // Squares east of 豫海镇, (x0, y0) in metres from 105.93°E, 36.97°N, 400 m a side.
        let (lon0, lat0) = (105.93_f64, 36.97_f64);
        let (mx, my) = (88_990.0, 110_960.0);
        let sized = |name: &str, x: f64, y: f64, side: f64| {
            let p = |dx: f64, dy: f64| json!([lon0 + (x + dx) / mx, lat0 + (y + dy) / my]);
            json!({"type": "Feature", "properties": {"name": name}, "geometry": {"type": "Polygon",
                "coordinates": [[p(0.0, 0.0), p(side, 0.0), p(side, side), p(0.0, side), p(0.0, 0.0)]]}})
        };
        let square = |name: &str, x: f64, y: f64| sized(name, x, y, 400.0);
        let plan = [
            (
                LayerKind::Farmland,
                vec![
                    square("演示耕地1", 0.0, 0.0),
                    square("演示耕地2", 500.0, 0.0),
                ],
            ),
            (
                LayerKind::BasicFarmland,
                vec![square("演示基本农田1", 1000.0, 0.0)],
            ),
            (
                LayerKind::GeologicalHazard,
                vec![square("演示地灾区1", 0.0, 600.0)],
            ),
            (
                LayerKind::FloodHazard,
                vec![square("演示洪涝区1", 500.0, 600.0)],
            ),
            (
                LayerKind::PlannedBorrowArea,
                vec![square("演示取土区1", 1000.0, 600.0)],
            ),
            // A village's homestead layout area, 600 m a side, around the point the demo's
            // homestead applications give (106.12°E, 36.98°N), so their siting checks have a
            // village plan to read.
            (
                LayerKind::HomesteadLayout,
                vec![sized("演示村宅基地布局区", 16_608.0, 810.0, 600.0)],
            ),
        ];
        for (kind, features) in plan {
            let fc = json!({"type": "FeatureCollection", "features": features}).to_string();
            let layer = tongxin_geo::parse_layer(kind, &fc)
                .map_err(|e| AppError::Internal(format!("演示图层：{e}")))?;
            self.store_land_layer(
                &crate::AuditActor::SYSTEM,
                "system",
                kind,
                "演示数据（示意图形，非真实图层）",
                chrono::NaiveDate::from_ymd_opt(2023, 12, 31).unwrap_or_default(),
                layer,
            )
            .await?;
        }
        Ok(())
    }

    /// The layers in force, one per kind imported (public metadata: source, date, size).
    pub async fn land_layers(&self) -> Result<Vec<LayerView>, AppError> {
        Ok(self
            .store
            .current_land_layers()
            .await?
            .into_iter()
            .map(LayerView::of)
            .collect())
    }

    /// Every import, newest first (导入记录: which layer was in force when).
    pub async fn land_layer_history(&self) -> Result<Vec<LayerView>, AppError> {
        Ok(self
            .store
            .land_layer_history()
            .await?
            .into_iter()
            .map(LayerView::of)
            .collect())
    }

    /// The layers in force, loaded (from memory when the stored row has not changed).
    async fn loaded_layers(&self) -> Result<Vec<(LandLayerRow, Arc<Layer>)>, AppError> {
        let rows = self.store.current_land_layers().await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let Some(kind) = LayerKind::from_code(&row.kind) else {
                continue;
            };
            let cached = self
                .layers
                .loaded
                .lock()
                .ok()
                .and_then(|m| m.get(&kind).filter(|(id, _)| *id == row.id).cloned());
            let layer = match cached {
                Some((_, l)) => l,
                None => {
                    let text = self
                        .store
                        .land_layer_geojson(row.id)
                        .await?
                        .ok_or_else(|| AppError::Internal(format!("图层{}的数据缺失", row.id)))?;
                    let layer =
                        tokio::task::spawn_blocking(move || tongxin_geo::parse_layer(kind, &text))
                            .await
                            .map_err(|e| AppError::Internal(e.to_string()))?
                            .map_err(|e| {
                                AppError::Internal(format!("已存图层{}无法读取：{e}", row.id))
                            })?;
                    let layer = Arc::new(layer);
                    if let Ok(mut m) = self.layers.loaded.lock() {
                        m.insert(kind, (row.id, layer.clone()));
                    }
                    layer
                }
            };
            out.push((row, layer));
        }
        Ok(out)
    }

    /// The site against every layer kind: overlaps with the layers in force, `source: None`
    /// for kinds not imported.
    pub async fn land_facts(&self, site: &Site) -> Result<LandFacts, AppError> {
        let loaded = self.loaded_layers().await?;
        let layers = LayerKind::TEMPORARY_LAND
            .into_iter()
            .map(|kind| match loaded.iter().find(|(_, l)| l.kind == kind) {
                Some((row, layer)) => {
                    let overlaps = layer.overlaps(site);
                    // The area outside is a rule only for planned borrow areas (a pit must lie
                    // inside); for the others it is the rest of the site (features of a layer
                    // do not overlap each other), which spares the costly difference.
                    let uncovered_m2 = if kind == LayerKind::PlannedBorrowArea {
                        layer.uncovered_m2(site)
                    } else {
                        let inside: f64 = overlaps.iter().map(|o| o.area_m2).sum();
                        (site.area_m2() - inside).max(0.0)
                    };
                    LayerFinding {
                        kind,
                        source: Some(LayerSource {
                            layer_id: row.id,
                            source: row.source.clone(),
                            dated: row.source_date,
                        }),
                        overlaps,
                        uncovered_m2,
                    }
                }
                None => LayerFinding {
                    kind,
                    source: None,
                    overlaps: vec![],
                    uncovered_m2: site.area_m2(),
                },
            })
            .collect();
        let farmland: Vec<&Layer> = loaded
            .iter()
            .map(|(_, l)| l.as_ref())
            .filter(|l| matches!(l.kind, LayerKind::Farmland | LayerKind::BasicFarmland))
            .collect();
        let outside_farmland_m2 =
            (farmland.len() == 2).then(|| tongxin_geo::uncovered_by_all(&farmland, site));
        Ok(LandFacts {
            site_area_m2: site.area_m2(),
            layers,
            outside_farmland_m2,
        })
    }

    /// A homestead's point against the layout areas and hazard zones in force (宅基地选址,
    /// 同政办规发〔2023〕6号 第六条、第十一条): the nearest feature of each kind within the
    /// search radius, `source: None` for kinds not imported.
    pub async fn homestead_site_facts(
        &self,
        field: &'static str,
        lon: f64,
        lat: f64,
    ) -> Result<homestead_siting::SiteFacts, AppError> {
        let loaded = self.loaded_layers().await?;
        let layers = LayerKind::HOMESTEAD
            .into_iter()
            .map(|kind| match loaded.iter().find(|(_, l)| l.kind == kind) {
                Some((row, layer)) => homestead_siting::PointFinding {
                    kind,
                    source: Some(LayerSource {
                        layer_id: row.id,
                        source: row.source.clone(),
                        dated: row.source_date,
                    }),
                    nearest: layer.nearest(lon, lat, homestead_siting::SEARCH_RADIUS_M),
                },
                None => homestead_siting::PointFinding {
                    kind,
                    source: None,
                    nearest: None,
                },
            })
            .collect();
        Ok(homestead_siting::SiteFacts {
            field,
            lon,
            lat,
            layers,
        })
    }

    /// The features of one layer in force within `bbox`, as GeoJSON, for a map (at most
    /// [`MAP_FEATURE_LIMIT`]; `truncated` says when there were more).
    pub async fn layer_features(&self, kind: &str, bbox: [f64; 4]) -> Result<Value, AppError> {
        let Some(kind) = LayerKind::from_code(kind) else {
            return Err(AppError::field(
                "kind",
                format!("“图层类型”须为以下之一：{}", kinds_text()),
            ));
        };
        if !(bbox[0] <= bbox[2] && bbox[1] <= bbox[3]) || bbox.iter().any(|v| !v.is_finite()) {
            return Err(AppError::field(
                "bbox",
                "“范围”须为 最小经度,最小纬度,最大经度,最大纬度",
            ));
        }
        let loaded = self.loaded_layers().await?;
        let Some((row, layer)) = loaded.iter().find(|(_, l)| l.kind == kind) else {
            return Ok(json!({ "type": "FeatureCollection", "features": [], "imported": false }));
        };
        let hits = layer.features_in(bbox, MAP_FEATURE_LIMIT + 1);
        let truncated = hits.len() > MAP_FEATURE_LIMIT;
        let mut fc = tongxin_geo::features_geojson(hits.into_iter().take(MAP_FEATURE_LIMIT));
        if let Value::Object(m) = &mut fc {
            m.insert("imported".into(), Value::Bool(true));
            m.insert("truncated".into(), Value::Bool(truncated));
            m.insert("source".into(), Value::String(row.source.clone()));
            m.insert("source_date".into(), json!(row.source_date));
        }
        Ok(fc)
    }
}

/// A case's site on the map: its boundary, area and overlaps with the layers in force.
#[derive(Debug, Clone, Serialize)]
pub struct CaseLand {
    /// The boundary as a GeoJSON MultiPolygon.
    pub boundary: Value,
    pub area_m2: f64,
    pub area_mu: f64,
    /// `[min_lon, min_lat, max_lon, max_lat]`.
    pub bbox: [f64; 4],
    pub facts: LandFacts,
}

impl App {
    /// A homestead case's point against today's layout areas and hazard zones (宅基地选址), for
    /// its page, from the case already read; `None` when its procedure runs no siting check or
    /// the form gives no point.
    pub async fn homestead_site(
        &self,
        proc: &tongxin_domain::procedure::Procedure,
        data: &Map<String, Value>,
    ) -> Result<Option<homestead_siting::SiteFacts>, AppError> {
        let checks_site = proc.actions.iter().any(|a| {
            a.checks
                .iter()
                .any(|c| c == homestead_siting::SITE_IN_LAYOUT)
        });
        match homestead_siting::site_point(data) {
            Some((field, lon, lat)) if checks_site => {
                Ok(Some(self.homestead_site_facts(field, lon, lat).await?))
            }
            _ => Ok(None),
        }
    }

    /// The site of a case the user may see, against today's layers; `None` when the case has
    /// no boundary.
    pub async fn case_land(
        &self,
        actor: &Actor,
        case_id: i64,
    ) -> Result<Option<CaseLand>, AppError> {
        let case = self.visible_case(actor, case_id).await?;
        let data: Map<String, Value> = serde_json::from_str(&case.data).unwrap_or_default();
        let Some(site) = site_of(&data) else {
            return Ok(None);
        };
        let facts = self.land_facts(&site).await?;
        Ok(Some(CaseLand {
            boundary: site.to_geojson(),
            area_m2: site.area_m2(),
            area_mu: site.area_mu(),
            bbox: site.bbox().unwrap_or_default(),
            facts,
        }))
    }
}
