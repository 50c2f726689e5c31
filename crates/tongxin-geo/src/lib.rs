//! Land geometry (用地范围与压占分析) for temporary land use (同政办规发〔2023〕7号 第五条、第六条):
//! a site's boundary (用地范围) read from GeoJSON or pasted coordinates and checked, its
//! area on the ellipsoid, and its overlaps with the protected layers the natural-resources
//! department keeps (永久基本农田、耕地、地质灾害和洪涝灾害区、规划取土区).
//!
//! Coordinates are CGCS2000 longitude/latitude in degrees (EPSG:4490), longitude first, as
//! GeoJSON orders them. CGCS2000's ellipsoid differs from WGS84's by less than a tenth of a
//! millimetre in the semi-minor axis, so areas are computed geodesically on WGS84 (Karney's
//! algorithm, through `geo`), which is exact to well under a square metre for parcels of any
//! size the county deals with.
//!
//! Pure: no I/O, no clock. What an overlap means (refer upward, refuse, warn) and which clause
//! says so is the policy's business, not this crate's.

mod parse;

use geo::{
    BooleanOps, BoundingRect, Distance, Euclidean, GeodesicArea, Intersects, MapCoords,
    MultiPolygon, Point,
};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};
use serde::Serialize;

pub use parse::{GeoError, parse_layer, parse_site};

/// Square metres in one 亩 (mu): 1 hectare is 15 亩.
pub const M2_PER_MU: f64 = 10_000.0 / 15.0;

/// Overlaps smaller than this (m²) are slivers of floating-point arithmetic along a shared
/// edge, not land: boundaries drawn on the same survey line touch without overlapping.
pub const SLIVER_M2: f64 = 0.01;

/// Square metres to 亩.
pub fn mu(m2: f64) -> f64 {
    m2 / M2_PER_MU
}

/// A checked site boundary (用地范围): one or more polygons, valid, inside China.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    shape: MultiPolygon<f64>,
    area_m2: f64,
}

impl Site {
    pub(crate) fn new(shape: MultiPolygon<f64>) -> Self {
        let area_m2 = shape.geodesic_area_unsigned();
        Self { shape, area_m2 }
    }

    pub fn shape(&self) -> &MultiPolygon<f64> {
        &self.shape
    }

    /// Area on the ellipsoid, m².
    pub fn area_m2(&self) -> f64 {
        self.area_m2
    }

    pub fn area_mu(&self) -> f64 {
        mu(self.area_m2)
    }

    /// The boundary as a GeoJSON geometry (for storing and for the map).
    pub fn to_geojson(&self) -> serde_json::Value {
        let g = geojson::Geometry::from(&self.shape);
        serde_json::to_value(&g).unwrap_or(serde_json::Value::Null)
    }
}

/// A protected layer kind (保护图层).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LayerKind {
    /// 永久基本农田.
    BasicFarmland,
    /// 耕地.
    Farmland,
    /// 地质灾害易发区.
    GeologicalHazard,
    /// 洪涝灾害区.
    FloodHazard,
    /// 规划取土区.
    PlannedBorrowArea,
    /// 宅基地布局区: the areas a village plan sets aside for homesteads (同政办规发〔2023〕6号
    /// 第五条、第六条、第十一条).
    HomesteadLayout,
}

impl LayerKind {
    pub const ALL: [LayerKind; 6] = [
        LayerKind::BasicFarmland,
        LayerKind::Farmland,
        LayerKind::GeologicalHazard,
        LayerKind::FloodHazard,
        LayerKind::PlannedBorrowArea,
        LayerKind::HomesteadLayout,
    ];

    /// The layers a temporary-land site is checked against (同政办规发〔2023〕7号 第六条).
    pub const TEMPORARY_LAND: [LayerKind; 5] = [
        LayerKind::BasicFarmland,
        LayerKind::Farmland,
        LayerKind::GeologicalHazard,
        LayerKind::FloodHazard,
        LayerKind::PlannedBorrowArea,
    ];

    /// The layers a homestead's site is checked against (同政办规发〔2023〕6号 第六条、第十一条).
    pub const HOMESTEAD: [LayerKind; 3] = [
        LayerKind::HomesteadLayout,
        LayerKind::GeologicalHazard,
        LayerKind::FloodHazard,
    ];

    pub fn code(self) -> &'static str {
        match self {
            LayerKind::BasicFarmland => "basic_farmland",
            LayerKind::Farmland => "farmland",
            LayerKind::GeologicalHazard => "geological_hazard",
            LayerKind::FloodHazard => "flood_hazard",
            LayerKind::PlannedBorrowArea => "planned_borrow_area",
            LayerKind::HomesteadLayout => "homestead_layout",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            LayerKind::BasicFarmland => "永久基本农田",
            LayerKind::Farmland => "耕地",
            LayerKind::GeologicalHazard => "地质灾害易发区",
            LayerKind::FloodHazard => "洪涝灾害区",
            LayerKind::PlannedBorrowArea => "规划取土区",
            LayerKind::HomesteadLayout => "宅基地布局区",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// One polygon of a layer: a farmland plot, a hazard zone.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerFeature {
    /// The feature's name or number from the source's properties (`name`, `名称`, `id`, …),
    /// else its position in the file (1-based).
    pub name: String,
    pub shape: MultiPolygon<f64>,
}

/// A layer with a spatial index over its features' bounding boxes.
#[derive(Debug, Clone)]
pub struct Layer {
    pub kind: LayerKind,
    features: Vec<LayerFeature>,
    index: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
}

/// The feature of a layer nearest a point, and how far it is (0 when the point lies inside).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Nearest {
    pub feature: String,
    pub distance_m: f64,
}

/// Metres per degree of latitude and of longitude at latitude `lat` (degrees): the local scale
/// of the ellipsoid, exact to a few centimetres per kilometre, which is all a distance of a
/// house from a zone needs.
fn metres_per_degree(lat: f64) -> (f64, f64) {
    let phi = lat.to_radians();
    let per_lat = 111_132.92 - 559.82 * (2.0 * phi).cos() + 1.175 * (4.0 * phi).cos();
    let per_lon = 111_412.84 * phi.cos() - 93.5 * (3.0 * phi).cos();
    (per_lat, per_lon)
}

/// Where a site overlaps one feature of a layer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overlap {
    pub feature: String,
    pub area_m2: f64,
}

impl Layer {
    pub fn new(kind: LayerKind, features: Vec<LayerFeature>) -> Self {
        let boxes = features
            .iter()
            .enumerate()
            .filter_map(|(i, f)| {
                let r = f.shape.bounding_rect()?;
                Some(GeomWithData::new(
                    Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
                    i,
                ))
            })
            .collect();
        Self {
            kind,
            features,
            index: RTree::bulk_load(boxes),
        }
    }

    pub fn features(&self) -> &[LayerFeature] {
        &self.features
    }

    /// Features whose bounding boxes meet the site's: the candidates worth intersecting.
    fn candidates(&self, site: &Site) -> Vec<usize> {
        let Some(r) = site.shape.bounding_rect() else {
            return Vec::new();
        };
        let env = AABB::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]);
        self.index
            .locate_in_envelope_intersecting(&env)
            .map(|b| b.data)
            .collect()
    }

    /// Each feature the site overlaps by more than a sliver, with the overlap's area, in the
    /// order of the layer's features.
    pub fn overlaps(&self, site: &Site) -> Vec<Overlap> {
        let mut hits: Vec<usize> = self
            .candidates(site)
            .into_iter()
            .filter(|&i| self.features[i].shape.intersects(&site.shape))
            .collect();
        hits.sort_unstable();
        hits.into_iter()
            .filter_map(|i| {
                let f = &self.features[i];
                let area_m2 = f.shape.intersection(&site.shape).geodesic_area_unsigned();
                (area_m2 > SLIVER_M2).then(|| Overlap {
                    feature: f.name.clone(),
                    area_m2,
                })
            })
            .collect()
    }

    /// The part of the site no feature of this layer covers, m² (0 when the site lies wholly
    /// inside the layer, as a borrow pit must lie inside planned borrow areas).
    pub fn uncovered_m2(&self, site: &Site) -> f64 {
        let mut rest = site.shape.clone();
        for i in self.candidates(site) {
            let f = &self.features[i];
            if rest.0.is_empty() {
                break;
            }
            if f.shape.intersects(&rest) {
                rest = rest.difference(&f.shape);
            }
        }
        let a = rest.geodesic_area_unsigned();
        if a > SLIVER_M2 { a } else { 0.0 }
    }

    /// The layer's total area, m² (features are expected not to overlap each other).
    pub fn area_m2(&self) -> f64 {
        self.features
            .iter()
            .map(|f| f.shape.geodesic_area_unsigned())
            .sum()
    }

    /// Features whose bounding boxes meet `bbox` (`[min_lon, min_lat, max_lon, max_lat]`), in
    /// the layer's order, at most `limit` of them: what a map of that extent draws.
    pub fn features_in(&self, bbox: [f64; 4], limit: usize) -> Vec<&LayerFeature> {
        let env = AABB::from_corners([bbox[0], bbox[1]], [bbox[2], bbox[3]]);
        let mut hits: Vec<usize> = self
            .index
            .locate_in_envelope_intersecting(&env)
            .map(|b| b.data)
            .collect();
        hits.sort_unstable();
        hits.truncate(limit);
        hits.into_iter().map(|i| &self.features[i]).collect()
    }

    /// The feature nearest the point (`lon`, `lat`) among those within `within_m` metres of it,
    /// with its distance in metres, 0 when the point lies inside (or on the edge of) a feature.
    /// Distances are measured in a plane tangent at the point, exact to well under a metre at
    /// the few kilometres that matter here.
    pub fn nearest(&self, lon: f64, lat: f64, within_m: f64) -> Option<Nearest> {
        if !(lon.is_finite() && lat.is_finite() && within_m.is_finite() && within_m >= 0.0) {
            return None;
        }
        let (per_lat, per_lon) = metres_per_degree(lat);
        let (dlat, dlon) = (within_m / per_lat, within_m / per_lon.max(1.0));
        let env = AABB::from_corners([lon - dlon, lat - dlat], [lon + dlon, lat + dlat]);
        let origin = Point::new(0.0, 0.0);
        let mut best: Option<(usize, f64)> = None;
        for b in self.index.locate_in_envelope_intersecting(&env) {
            let i = b.data;
            let local = self.features[i]
                .shape
                .map_coords(|c| geo::coord! { x: (c.x - lon) * per_lon, y: (c.y - lat) * per_lat });
            let d = Euclidean.distance(&origin, &local);
            let closer = match best {
                Some((j, bd)) => d < bd || (d == bd && i < j),
                None => true,
            };
            if d <= within_m && closer {
                best = Some((i, d));
            }
        }
        best.map(|(i, d)| Nearest {
            feature: self.features[i].name.clone(),
            distance_m: d,
        })
    }

    /// The layer as a GeoJSON feature collection, each feature with its `name` (for storing:
    /// [`parse_layer`] reads it back to the same layer).
    pub fn to_geojson(&self) -> serde_json::Value {
        features_geojson(self.features.iter())
    }
}

/// The part of a site no feature of any of `layers` covers, m² (其他土地: outside both farmland
/// layers, however they overlap each other).
pub fn uncovered_by_all(layers: &[&Layer], site: &Site) -> f64 {
    let mut rest = site.shape.clone();
    for layer in layers {
        for i in layer.candidates(site) {
            if rest.0.is_empty() {
                break;
            }
            let f = &layer.features[i];
            if f.shape.intersects(&rest) {
                rest = rest.difference(&f.shape);
            }
        }
    }
    let a = rest.geodesic_area_unsigned();
    if a > SLIVER_M2 { a } else { 0.0 }
}

/// Features as a GeoJSON feature collection with their names as the `name` property.
pub fn features_geojson<'a>(features: impl Iterator<Item = &'a LayerFeature>) -> serde_json::Value {
    let features: Vec<serde_json::Value> = features
        .map(|f| {
            serde_json::json!({
                "type": "Feature",
                "properties": { "name": f.name },
                "geometry": geojson::Geometry::from(&f.shape),
            })
        })
        .collect();
    serde_json::json!({ "type": "FeatureCollection", "features": features })
}

impl Site {
    /// The boundary's extent, `[min_lon, min_lat, max_lon, max_lat]`.
    pub fn bbox(&self) -> Option<[f64; 4]> {
        let r = self.shape.bounding_rect()?;
        Some([r.min().x, r.min().y, r.max().x, r.max().y])
    }
}

#[cfg(test)]
mod tests;
