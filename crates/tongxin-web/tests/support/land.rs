//! A small map near 同心县 for the temporary-land tests, laid out in metres so that areas and
//! intersections can be worked out by hand.
//!
//! Origin: 106.20°E, 36.95°N. `x` runs east, `y` north, in metres, converted with the WGS84
//! ellipsoid's radii of curvature at the origin's latitude (over a few kilometres the error is
//! far below 0.1%). Every protected feature is a 200 m × 200 m square on the row y 0..200:
//!
//! | layer                    | feature | x (m)       |
//! |--------------------------|---------|-------------|
//! | 耕地 (farmland)          | 耕地1   | 1000..1200  |
//! | 永久基本农田             | 基本农田1 | 2000..2200 |
//! | 地质灾害易发区           | 地灾1   | 3000..3200  |
//! | 洪涝灾害区               | 洪涝1   | 4000..4200  |
//! | 规划取土区               | 取土区1 | 5000..5200  |
//!
//! A site at x 0..100, y 0..100 touches none of them and is exactly 1 ha (15 亩).

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::{Client, TestApp};

const LON0: f64 = 106.20;
const LAT0: f64 = 36.95;

/// Metres per degree of longitude and latitude at the origin (WGS84).
fn metres_per_degree() -> (f64, f64) {
    let a = 6_378_137.0_f64;
    let f = 1.0 / 298.257_223_563;
    let e2 = f * (2.0 - f);
    let phi = LAT0.to_radians();
    let w = (1.0 - e2 * phi.sin().powi(2)).sqrt();
    let n = a / w;
    let m = a * (1.0 - e2) / w.powi(3);
    let rad = std::f64::consts::PI / 180.0;
    (n * phi.cos() * rad, m * rad)
}

/// The point `x` m east and `y` m north of the origin, as `[lon, lat]`.
pub fn at(x: f64, y: f64) -> [f64; 2] {
    let (mx, my) = metres_per_degree();
    [LON0 + x / mx, LAT0 + y / my]
}

/// A rectangle x0..x1, y0..y1 (metres) as a GeoJSON Polygon, counter-clockwise.
pub fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Value {
    json!({
        "type": "Polygon",
        "coordinates": [[at(x0, y0), at(x1, y0), at(x1, y1), at(x0, y1), at(x0, y0)]]
    })
}

/// A feature collection of named rectangles.
pub fn layer(features: &[(&str, f64, f64, f64, f64)]) -> Value {
    let features: Vec<Value> = features
        .iter()
        .map(|(name, x0, y0, x1, y1)| {
            json!({"type": "Feature", "properties": {"name": name}, "geometry": rect(*x0, *y0, *x1, *y1)})
        })
        .collect();
    json!({"type": "FeatureCollection", "features": features})
}

/// Imports one layer of `kind` with named rectangles, as `dept` (the 自然资源局 account).
pub async fn import_layer(
    t: &TestApp,
    dept: &Client,
    kind: &str,
    features: &[(&str, f64, f64, f64, f64)],
) {
    let body = json!({
        "kind": kind,
        "source": "测试图层（手绘方块）",
        "source_date": "2023-12-31",
        "geojson": layer(features),
    });
    let r = t
        .json(
            Method::POST,
            "/api/v1/land-layers",
            Some(dept),
            &body.to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{kind}: {}", r.body);
}

/// The five layers of the map above, imported by `dept` (the 自然资源局 account).
pub async fn import_layers(t: &TestApp, dept: &Client) {
    for (kind, name, x0) in [
        ("farmland", "耕地1", 1000.0),
        ("basic_farmland", "基本农田1", 2000.0),
        ("geological_hazard", "地灾1", 3000.0),
        ("flood_hazard", "洪涝1", 4000.0),
        ("planned_borrow_area", "取土区1", 5000.0),
    ] {
        import_layer(t, dept, kind, &[(name, x0, 0.0, x0 + 200.0, 200.0)]).await;
    }
}

/// The first number before `平方米` in `text` (an area the app reported).
pub fn area_in(text: &str) -> f64 {
    let end = text.find("平方米").expect("an area in square metres");
    let start = text[..end]
        .rfind(|c: char| !(c.is_ascii_digit() || c == '.'))
        .map_or(0, |i| {
            i + text[i..].chars().next().map_or(1, char::len_utf8)
        });
    text[start..end].parse().expect("a number")
}
