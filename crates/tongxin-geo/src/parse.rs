//! Reading boundaries: GeoJSON (a geometry, a feature or a feature collection) or coordinates
//! pasted as “经度,纬度” pairs, checked before anything is computed on them. Every refusal says
//! in Chinese what is wrong and where, so the one who typed it can fix it.

use std::str::FromStr;

use geo::{GeodesicArea, Geometry, MultiPolygon, Polygon, Validation};
use geojson::{GeoJson, GeometryValue};
use thiserror::Error;

use crate::{Layer, LayerFeature, LayerKind, Site};

/// China's extent in longitude and latitude (degrees), generously rounded.
const LON: (f64, f64) = (73.0, 135.5);
const LAT: (f64, f64) = (3.5, 53.6);

/// Polygons smaller than this (m²) are points or lines drawn as polygons.
const DEGENERATE_M2: f64 = 0.01;

#[derive(Debug, Clone, PartialEq, Error)]
pub enum GeoError {
    #[error("既不是有效的GeoJSON，也不是“经度,纬度”坐标列表（{0}）")]
    Unreadable(String),
    #[error("坐标个数为奇数：每个点须有经度和纬度两个数")]
    OddNumbers,
    #[error("用地范围须为面（Polygon 或 MultiPolygon），收到的是{0}")]
    NotPolygon(&'static str),
    #[error("用地范围为空：至少需要3个不同的点围成一个面")]
    Empty,
    #[error("第{polygon}个面少于3个不同的点")]
    TooFewPoints { polygon: usize },
    #[error(
        "第{index}个坐标（{lon}, {lat}）不在中国境内：须为CGCS2000经纬度（EPSG:4490），经度在前、纬度在后{hint}"
    )]
    OutsideChina {
        index: usize,
        lon: f64,
        lat: f64,
        hint: &'static str,
    },
    #[error("第{polygon}个面的边界自相交（边线交叉），请按顺序排列拐点")]
    SelfIntersecting { polygon: usize },
    #[error("第{polygon}个面面积为零（各点共线或重合）")]
    Degenerate { polygon: usize },
    #[error("第{polygon}个面不是有效的面：{detail}")]
    Invalid {
        polygon: usize,
        detail: &'static str,
    },
    #[error("各个面相互重叠，请合并为一个面")]
    PolygonsOverlap,
    #[error("第{index}个要素（{name}）：{source}")]
    Feature {
        index: usize,
        name: String,
        source: Box<GeoError>,
    },
    #[error("图层中没有任何面要素")]
    EmptyLayer,
}

/// A site boundary from GeoJSON or pasted coordinates.
pub fn parse_site(input: &str) -> Result<Site, GeoError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(GeoError::Empty);
    }
    let shape = if input.starts_with('{') {
        let gj = GeoJson::from_str(input).map_err(|e| GeoError::Unreadable(e.to_string()))?;
        let mut polys = Vec::new();
        for value in geometries(&gj) {
            polys.extend(polygons(value.ok_or(GeoError::Empty)?)?);
        }
        MultiPolygon(polys)
    } else {
        MultiPolygon(vec![pasted_ring(input)?])
    };
    check(&shape)?;
    Ok(Site::new(shape))
}

/// A protected layer from a GeoJSON feature collection: every feature must be a valid polygon
/// inside China; a bad one is named by position and name.
pub fn parse_layer(kind: LayerKind, input: &str) -> Result<Layer, GeoError> {
    let gj = GeoJson::from_str(input.trim()).map_err(|e| GeoError::Unreadable(e.to_string()))?;
    let features: Vec<(Option<String>, Option<&GeometryValue>)> = match &gj {
        GeoJson::FeatureCollection(fc) => fc
            .features
            .iter()
            .map(|f| (feature_name(f), f.geometry.as_ref().map(|g| &g.value)))
            .collect(),
        GeoJson::Feature(f) => vec![(feature_name(f), f.geometry.as_ref().map(|g| &g.value))],
        GeoJson::Geometry(g) => vec![(None, Some(&g.value))],
    };
    let mut out = Vec::with_capacity(features.len());
    for (i, (name, value)) in features.into_iter().enumerate() {
        let name = name.unwrap_or_else(|| (i + 1).to_string());
        let shape = value
            .ok_or(GeoError::Empty)
            .and_then(polygons)
            .map(MultiPolygon)
            .and_then(|s| check(&s).map(|()| s))
            .map_err(|e| GeoError::Feature {
                index: i + 1,
                name: name.clone(),
                source: Box::new(e),
            })?;
        out.push(LayerFeature { name, shape });
    }
    if out.is_empty() {
        return Err(GeoError::EmptyLayer);
    }
    Ok(Layer::new(kind, out))
}

fn feature_name(f: &geojson::Feature) -> Option<String> {
    const KEYS: [&str; 8] = ["name", "名称", "NAME", "编号", "DKBH", "TBBH", "id", "ID"];
    let props = f.properties.as_ref();
    KEYS.iter()
        .find_map(|k| match props?.get(*k)? {
            serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
        .or_else(|| {
            f.id.as_ref().map(|id| match id {
                geojson::feature::Id::String(s) => s.clone(),
                geojson::feature::Id::Number(n) => n.to_string(),
            })
        })
}

/// The geometries a GeoJSON document holds (`None` for a feature without one).
fn geometries(gj: &GeoJson) -> Vec<Option<&GeometryValue>> {
    match gj {
        GeoJson::Geometry(g) => vec![Some(&g.value)],
        GeoJson::Feature(f) => vec![f.geometry.as_ref().map(|g| &g.value)],
        GeoJson::FeatureCollection(fc) => fc
            .features
            .iter()
            .map(|f| f.geometry.as_ref().map(|g| &g.value))
            .collect(),
    }
}

fn polygons(value: &GeometryValue) -> Result<Vec<Polygon<f64>>, GeoError> {
    let g = Geometry::<f64>::try_from(value).map_err(|e| GeoError::Unreadable(e.to_string()))?;
    flatten(g)
}

fn flatten(g: Geometry<f64>) -> Result<Vec<Polygon<f64>>, GeoError> {
    match g {
        Geometry::Polygon(p) => Ok(vec![p]),
        Geometry::MultiPolygon(mp) => Ok(mp.0),
        Geometry::Rect(r) => Ok(vec![r.to_polygon()]),
        Geometry::GeometryCollection(gc) => {
            let mut out = Vec::new();
            for g in gc {
                out.extend(flatten(g)?);
            }
            Ok(out)
        }
        Geometry::Point(_) => Err(GeoError::NotPolygon("点（Point）")),
        Geometry::MultiPoint(_) => Err(GeoError::NotPolygon("多点（MultiPoint）")),
        Geometry::Line(_) | Geometry::LineString(_) => {
            Err(GeoError::NotPolygon("线（LineString）"))
        }
        Geometry::MultiLineString(_) => Err(GeoError::NotPolygon("多线（MultiLineString）")),
        Geometry::Triangle(t) => Ok(vec![t.to_polygon()]),
    }
}

/// “105.9,36.9 105.91,36.9 …”: pairs separated by spaces, commas, semicolons or new lines, in
/// ASCII or full-width punctuation; the ring is closed if the last point is not the first.
fn pasted_ring(input: &str) -> Result<Polygon<f64>, GeoError> {
    let mut numbers = Vec::new();
    for token in input
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '，' | '；' | '、'))
        .filter(|t| !t.is_empty())
    {
        let n: f64 = token
            .parse()
            .map_err(|_| GeoError::Unreadable(format!("“{token}”不是数字")))?;
        numbers.push(n);
    }
    if numbers.len() % 2 == 1 {
        return Err(GeoError::OddNumbers);
    }
    let coords: Vec<(f64, f64)> = numbers.chunks(2).map(|p| (p[0], p[1])).collect();
    Ok(Polygon::new(coords.into(), vec![]))
}

/// The checks every boundary passes: coordinates inside China, each polygon valid and not
/// degenerate, polygons not overlapping one another.
fn check(shape: &MultiPolygon<f64>) -> Result<(), GeoError> {
    if shape.0.is_empty() || shape.0.iter().any(|p| p.exterior().0.is_empty()) {
        return Err(GeoError::Empty);
    }
    let mut index = 0;
    for poly in &shape.0 {
        for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
            // The closing point repeats the first: count each corner once.
            let n = ring.0.len().saturating_sub(1).max(1);
            for c in ring.0.iter().take(n) {
                index += 1;
                inside_china(index, c.x, c.y)?;
            }
        }
    }
    for (i, poly) in shape.0.iter().enumerate() {
        let polygon = i + 1;
        if let Some(problem) = poly.validation_errors().into_iter().next() {
            use geo::algorithm::validation::InvalidPolygon as P;
            return Err(match problem {
                P::TooFewPointsInRing(_) => GeoError::TooFewPoints { polygon },
                P::SelfIntersection(_) => GeoError::SelfIntersecting { polygon },
                P::NonFiniteCoord(..) => GeoError::Invalid {
                    polygon,
                    detail: "有坐标不是有限的数",
                },
                P::InteriorRingNotContainedInExteriorRing(_) => GeoError::Invalid {
                    polygon,
                    detail: "内环（扣除部分）不在外边界之内",
                },
                P::IntersectingRingsOnALine(..) | P::IntersectingRingsOnAnArea(..) => {
                    GeoError::Invalid {
                        polygon,
                        detail: "内环与外边界或其他内环相交",
                    }
                }
            });
        }
        if poly.geodesic_area_unsigned() < DEGENERATE_M2 {
            return Err(GeoError::Degenerate { polygon });
        }
    }
    if shape.0.len() > 1 && !shape.is_valid() {
        return Err(GeoError::PolygonsOverlap);
    }
    Ok(())
}

fn inside_china(index: usize, lon: f64, lat: f64) -> Result<(), GeoError> {
    let within = |v: f64, (lo, hi): (f64, f64)| v >= lo && v <= hi;
    if within(lon, LON) && within(lat, LAT) {
        return Ok(());
    }
    let hint = if within(lat, LON) && within(lon, LAT) {
        "（看起来经纬度顺序颠倒了）"
    } else if lon.abs() > 180.0 || lat.abs() > 90.0 {
        "（看起来是投影坐标（米），请先转换为经纬度）"
    } else {
        ""
    };
    Err(GeoError::OutsideChina {
        index,
        lon,
        lat,
        hint,
    })
}
