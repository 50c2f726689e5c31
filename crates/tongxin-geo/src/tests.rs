//! Areas and overlaps against figures known by hand: rectangles laid out in metres on the
//! ellipsoid near 同心县城 (105.914°E, 36.980°N), so a 100 m × 100 m square is 1 ha = 15 亩.

use geo::{Destination, Geodesic, Point};
use proptest::prelude::*;

use super::*;

const ORIGIN: (f64, f64) = (105.914, 36.980);

/// The corner `east` metres east and `north` metres north of the origin.
fn at(east: f64, north: f64) -> (f64, f64) {
    let p = Point::new(ORIGIN.0, ORIGIN.1);
    let p = Geodesic.destination(p, 90.0, east);
    let p = Geodesic.destination(p, 0.0, north);
    (p.x(), p.y())
}

/// A rectangle `w` × `h` metres whose south-west corner is `(east, north)` metres from the
/// origin, as a GeoJSON Polygon ring (counter-clockwise, closed).
fn rect(east: f64, north: f64, w: f64, h: f64) -> Vec<(f64, f64)> {
    let ring = vec![
        at(east, north),
        at(east + w, north),
        at(east + w, north + h),
        at(east, north + h),
    ];
    let mut closed = ring.clone();
    closed.push(ring[0]);
    closed
}

fn polygon_json(ring: &[(f64, f64)]) -> String {
    let coords: Vec<String> = ring.iter().map(|(x, y)| format!("[{x},{y}]")).collect();
    format!(
        r#"{{"type":"Polygon","coordinates":[[{}]]}}"#,
        coords.join(",")
    )
}

fn pasted(ring: &[(f64, f64)]) -> String {
    ring.iter()
        .map(|(x, y)| format!("{x},{y}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn layer(kind: LayerKind, rects: &[(&str, [f64; 4])]) -> Layer {
    let features: Vec<String> = rects
        .iter()
        .map(|(name, [e, n, w, h])| {
            format!(
                r#"{{"type":"Feature","properties":{{"name":"{name}"}},"geometry":{}}}"#,
                polygon_json(&rect(*e, *n, *w, *h))
            )
        })
        .collect();
    let fc = format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        features.join(",")
    );
    parse_layer(kind, &fc).expect("a valid layer")
}

fn site(e: f64, n: f64, w: f64, h: f64) -> Site {
    parse_site(&polygon_json(&rect(e, n, w, h))).expect("a valid site")
}

#[test]
fn a_hundred_metre_square_is_one_hectare_and_fifteen_mu() {
    let s = site(0.0, 0.0, 100.0, 100.0);
    assert!((s.area_m2() - 10_000.0).abs() < 1.0, "{}", s.area_m2());
    assert!((s.area_mu() - 15.0).abs() < 0.002, "{}", s.area_mu());
    assert!((mu(M2_PER_MU) - 1.0).abs() < 1e-12);
}

#[test]
fn the_same_square_pasted_as_coordinates_has_the_same_area() {
    let ring = rect(0.0, 0.0, 100.0, 100.0);
    let json = parse_site(&polygon_json(&ring)).unwrap();
    // Open ring, one point per line: closed for the user.
    let open = &ring[..4];
    let typed = parse_site(&pasted(open)).unwrap();
    assert!((typed.area_m2() - json.area_m2()).abs() < 1e-6);
    // Full-width punctuation, as typed on a Chinese keyboard.
    let fullwidth = open
        .iter()
        .map(|(x, y)| format!("{x}，{y}"))
        .collect::<Vec<_>>()
        .join("；");
    let typed = parse_site(&fullwidth).unwrap();
    assert!((typed.area_m2() - json.area_m2()).abs() < 1e-6);
}

#[test]
fn features_collections_and_multipolygons_are_read() {
    let a = rect(0.0, 0.0, 100.0, 100.0);
    let b = rect(500.0, 0.0, 50.0, 100.0);
    let feature = format!(
        r#"{{"type":"Feature","properties":{{}},"geometry":{}}}"#,
        polygon_json(&a)
    );
    assert!((parse_site(&feature).unwrap().area_m2() - 10_000.0).abs() < 1.0);
    let fc = format!(
        r#"{{"type":"FeatureCollection","features":[{feature},{{"type":"Feature","properties":{{}},"geometry":{}}}]}}"#,
        polygon_json(&b)
    );
    assert!((parse_site(&fc).unwrap().area_m2() - 15_000.0).abs() < 2.0);
    let ring = |r: &[(f64, f64)]| {
        r.iter()
            .map(|(x, y)| format!("[{x},{y}]"))
            .collect::<Vec<_>>()
            .join(",")
    };
    let mp = format!(
        r#"{{"type":"MultiPolygon","coordinates":[[[{}]],[[{}]]]}}"#,
        ring(&a),
        ring(&b)
    );
    let s = parse_site(&mp).unwrap();
    assert!((s.area_m2() - 15_000.0).abs() < 2.0);
    // What is stored reads back to the same site.
    let again = parse_site(&s.to_geojson().to_string()).unwrap();
    assert!((again.area_m2() - s.area_m2()).abs() < 1e-6);
}

#[test]
fn bad_boundaries_are_refused_with_the_reason() {
    let sq = rect(0.0, 0.0, 100.0, 100.0);
    let cases: Vec<(String, GeoError)> = vec![
        ("".into(), GeoError::Empty),
        (
            "{\"type\":\"Polygon\"".into(),
            GeoError::Unreadable(String::new()),
        ),
        ("105.9,36.9 abc".into(), GeoError::Unreadable(String::new())),
        ("105.9,36.9 105.91".into(), GeoError::OddNumbers),
        (
            r#"{"type":"Point","coordinates":[105.9,36.9]}"#.into(),
            GeoError::NotPolygon("点（Point）"),
        ),
        (
            r#"{"type":"LineString","coordinates":[[105.9,36.9],[105.91,36.9]]}"#.into(),
            GeoError::NotPolygon("线（LineString）"),
        ),
        (
            r#"{"type":"Polygon","coordinates":[]}"#.into(),
            GeoError::Empty,
        ),
        (
            // A bow tie: the second and third corners swapped.
            pasted(&[sq[0], sq[2], sq[1], sq[3]]),
            GeoError::SelfIntersecting { polygon: 1 },
        ),
        (
            pasted(&[sq[0], sq[1]]),
            GeoError::TooFewPoints { polygon: 1 },
        ),
        (
            // Three points on one line.
            pasted(&[at(0.0, 0.0), at(50.0, 0.0), at(100.0, 0.0)]),
            GeoError::Degenerate { polygon: 1 },
        ),
    ];
    for (input, want) in cases {
        let got = parse_site(&input).expect_err(&input);
        match (&got, &want) {
            (GeoError::Unreadable(_), GeoError::Unreadable(_)) => {}
            _ => assert_eq!(got, want, "{input}"),
        }
        assert!(!got.to_string().is_empty());
    }
}

#[test]
fn coordinates_outside_china_say_what_probably_went_wrong() {
    // Paris.
    let e = parse_site("2.35,48.85 2.36,48.85 2.36,48.86").unwrap_err();
    assert!(
        matches!(
            e,
            GeoError::OutsideChina {
                index: 1,
                hint: "",
                ..
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("EPSG:4490"), "{e}");
    // Latitude first.
    let e = parse_site("36.98,105.91 36.98,105.92 36.99,105.92").unwrap_err();
    assert!(e.to_string().contains("经纬度顺序颠倒"), "{e}");
    // Projected metres (a Gauss-Krüger easting and northing).
    let e = parse_site("36500000,4093000 36500100,4093000 36500100,4093100").unwrap_err();
    assert!(e.to_string().contains("投影坐标"), "{e}");
    // The third corner is the bad one.
    let e = parse_site("105.9,36.9 105.91,36.9 10.91,36.91").unwrap_err();
    assert!(matches!(e, GeoError::OutsideChina { index: 3, .. }), "{e}");
}

#[test]
fn overlapping_polygons_in_one_site_are_refused() {
    let ring = |r: &[(f64, f64)]| {
        r.iter()
            .map(|(x, y)| format!("[{x},{y}]"))
            .collect::<Vec<_>>()
            .join(",")
    };
    let mp = format!(
        r#"{{"type":"MultiPolygon","coordinates":[[[{}]],[[{}]]]}}"#,
        ring(&rect(0.0, 0.0, 100.0, 100.0)),
        ring(&rect(50.0, 0.0, 100.0, 100.0))
    );
    assert_eq!(parse_site(&mp).unwrap_err(), GeoError::PolygonsOverlap);
}

#[test]
fn overlaps_with_a_layer_are_measured_feature_by_feature() {
    let farmland = layer(
        LayerKind::Farmland,
        &[
            // Half the site: 50 m × 100 m.
            ("耕地-东", [50.0, 0.0, 100.0, 100.0]),
            // Shares the site's west edge: touches, does not overlap.
            ("耕地-西", [-100.0, 0.0, 100.0, 100.0]),
            // A 20 m × 30 m corner inside the site.
            ("耕地-角", [0.0, 70.0, 20.0, 30.0]),
            // Far away.
            ("耕地-远", [5_000.0, 5_000.0, 100.0, 100.0]),
        ],
    );
    let s = site(0.0, 0.0, 100.0, 100.0);
    let hits = farmland.overlaps(&s);
    let names: Vec<&str> = hits.iter().map(|o| o.feature.as_str()).collect();
    assert_eq!(names, ["耕地-东", "耕地-角"]);
    assert!(
        (hits[0].area_m2 - 5_000.0).abs() < 1.0,
        "{}",
        hits[0].area_m2
    );
    assert!((hits[1].area_m2 - 600.0).abs() < 0.5, "{}", hits[1].area_m2);
    assert!(
        farmland
            .overlaps(&site(1_000.0, 1_000.0, 10.0, 10.0))
            .is_empty()
    );
}

#[test]
fn a_site_inside_the_layer_leaves_nothing_uncovered() {
    let borrow = layer(
        LayerKind::PlannedBorrowArea,
        &[
            ("取土区1", [0.0, 0.0, 60.0, 100.0]),
            ("取土区2", [60.0, 0.0, 200.0, 100.0]),
        ],
    );
    // Spans both planned areas: wholly covered.
    assert_eq!(borrow.uncovered_m2(&site(10.0, 10.0, 100.0, 50.0)), 0.0);
    // Sticks 40 m out of the north edge: 40 m × 50 m outside.
    let out = borrow.uncovered_m2(&site(10.0, 60.0, 50.0, 80.0));
    assert!((out - 2_000.0).abs() < 1.0, "{out}");
    // Nowhere near: all of it.
    let far = site(9_000.0, 0.0, 10.0, 10.0);
    assert!((borrow.uncovered_m2(&far) - far.area_m2()).abs() < 1e-6);
}

#[test]
fn land_outside_two_overlapping_layers_is_counted_once() {
    // Basic farmland (40 × 100) lies inside farmland (100 × 100); the site is 200 × 100 over
    // both: 100 × 100 of it is farmland, so 10,000 m² is other land — not 10,000 − 4,000 more.
    let farmland = layer(LayerKind::Farmland, &[("耕地1", [0.0, 0.0, 100.0, 100.0])]);
    let basic = layer(
        LayerKind::BasicFarmland,
        &[("基本农田1", [0.0, 0.0, 40.0, 100.0])],
    );
    let s = site(0.0, 0.0, 200.0, 100.0);
    let other = crate::uncovered_by_all(&[&farmland, &basic], &s);
    assert!((other - 10_000.0).abs() < 2.0, "{other}");
    // Disjoint layers: both are taken out.
    let apart = layer(
        LayerKind::BasicFarmland,
        &[("基本农田2", [150.0, 0.0, 200.0, 100.0])],
    );
    let other = crate::uncovered_by_all(&[&farmland, &apart], &s);
    assert!((other - 5_000.0).abs() < 2.0, "{other}");
}

#[test]
fn a_bad_layer_feature_is_named() {
    let bad = format!(
        r#"{{"type":"FeatureCollection","features":[
            {{"type":"Feature","properties":{{"名称":"一号地块"}},"geometry":{}}},
            {{"type":"Feature","properties":{{"DKBH":"6403240001"}},"geometry":{{"type":"Point","coordinates":[105.9,36.9]}}}}]}}"#,
        polygon_json(&rect(0.0, 0.0, 10.0, 10.0))
    );
    let e = parse_layer(LayerKind::BasicFarmland, &bad).unwrap_err();
    assert!(
        matches!(&e, GeoError::Feature { index: 2, name, .. } if name == "6403240001"),
        "{e}"
    );
    assert!(e.to_string().starts_with("第2个要素（6403240001）"), "{e}");
    let empty = r#"{"type":"FeatureCollection","features":[]}"#;
    assert_eq!(
        parse_layer(LayerKind::Farmland, empty).unwrap_err(),
        GeoError::EmptyLayer
    );
}

#[test]
fn layer_kinds_round_trip_through_their_codes() {
    for k in LayerKind::ALL {
        assert_eq!(LayerKind::from_code(k.code()), Some(k));
        assert!(!k.label().is_empty());
    }
    assert_eq!(LayerKind::from_code("wetland"), None);
}

#[test]
fn the_nearest_feature_to_a_point_and_its_distance() {
    // Two layout areas: A is 0–100 m east, B is 300–400 m east; both 0–100 m north.
    let l = layer(
        LayerKind::HomesteadLayout,
        &[
            ("A", [0.0, 0.0, 100.0, 100.0]),
            ("B", [300.0, 0.0, 100.0, 100.0]),
        ],
    );
    // (east, north, search radius) → (feature, distance in m)
    type Row = ((f64, f64, f64), Option<(&'static str, f64)>);
    let table: [Row; 7] = [
        ((50.0, 50.0, 0.0), Some(("A", 0.0))), // inside A, even with no tolerance
        ((100.0, 50.0, 0.0), Some(("A", 0.0))), // on A's edge
        ((120.0, 50.0, 50.0), Some(("A", 20.0))), // 20 m east of A
        ((120.0, 50.0, 10.0), None),           // farther than the radius
        ((250.0, 50.0, 100.0), Some(("B", 50.0))), // nearer B than A
        ((190.0, 50.0, 100.0), Some(("A", 90.0))), // nearer A than B
        ((350.0, 250.0, 200.0), Some(("B", 150.0))), // due north of B
    ];
    for ((e, n, r), want) in table {
        let (lon, lat) = at(e, n);
        let got = l.nearest(lon, lat, r);
        match (got, want) {
            (None, None) => {}
            (Some(g), Some((name, d))) => {
                assert_eq!(g.feature, name, "at ({e}, {n})");
                assert!(
                    (g.distance_m - d).abs() < 0.5,
                    "at ({e}, {n}): {} m, want {d} m",
                    g.distance_m
                );
            }
            (g, w) => panic!("at ({e}, {n}) within {r} m: got {g:?}, want {w:?}"),
        }
    }
    assert_eq!(l.nearest(f64::NAN, 36.98, 10.0), None);
    assert_eq!(l.nearest(105.9, 36.98, -1.0), None);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A point east of a square is as far from it as it was laid out, to half a metre.
    #[test]
    fn distances_east_of_a_square_match_the_layout(gap in 0.5f64..2_000.0, north in 1.0f64..99.0) {
        let l = layer(LayerKind::GeologicalHazard, &[("z", [0.0, 0.0, 100.0, 100.0])]);
        let (lon, lat) = at(100.0 + gap, north);
        let near = l.nearest(lon, lat, gap + 10.0).expect("within the radius");
        prop_assert!((near.distance_m - gap).abs() < 0.5, "{} vs {}", near.distance_m, gap);
        prop_assert!(l.nearest(lon, lat, gap * 0.9).is_none());
    }

    /// A rectangle laid out in metres has the area its sides say, to 0.1 %.
    #[test]
    fn rectangle_areas_match_their_sides(w in 10.0f64..2_000.0, h in 10.0f64..2_000.0) {
        let s = site(0.0, 0.0, w, h);
        prop_assert!((s.area_m2() - w * h).abs() / (w * h) < 1e-3);
    }

    /// Against a one-feature layer, what overlaps and what is left uncovered add up to the
    /// site, and the overlap is no bigger than either polygon.
    #[test]
    fn overlap_and_uncovered_add_up(
        dx in -150.0f64..150.0, dy in -150.0f64..150.0,
        w in 20.0f64..200.0, h in 20.0f64..200.0,
    ) {
        let s = site(0.0, 0.0, 100.0, 100.0);
        let l = layer(LayerKind::Farmland, &[("f", [dx, dy, w, h])]);
        let overlap: f64 = l.overlaps(&s).iter().map(|o| o.area_m2).sum();
        let uncovered = l.uncovered_m2(&s);
        prop_assert!(overlap <= s.area_m2().min(w * h) * 1.001 + 1.0);
        prop_assert!((overlap + uncovered - s.area_m2()).abs() < 1.0,
            "overlap {} + uncovered {} != {}", overlap, uncovered, s.area_m2());
    }
}
