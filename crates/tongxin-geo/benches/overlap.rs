//! Overlap check of one temporary-land site against a farmland layer of 100,000 polygons, with
//! the layer's R-tree and, for the ratio, without it (every feature tested in turn).
//!
//! ```text
//! cargo bench -p tongxin-geo --bench overlap
//! ```
//!
//! The layer is a grid of 316 × 316 plots of 50 m × 40 m with 10 m lanes between them, about
//! 19 km × 16 km around 同心县城: the size of a township's farmland layer, plot for plot. The
//! site is 300 m × 200 m, so it overlaps about twenty plots, partly or wholly.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use geo::{BooleanOps, GeodesicArea, Intersects, LineString, MultiPolygon, Polygon};
use std::hint::black_box;
use tongxin_geo::{Layer, LayerFeature, LayerKind, Site, parse_site};

const ORIGIN: (f64, f64) = (105.80, 36.90);
const SIDE: usize = 316;

/// Degrees per metre near the origin (flat approximation; exact enough to lay out a grid).
fn deg(east: f64, north: f64) -> (f64, f64) {
    let lat = ORIGIN.1.to_radians();
    (
        ORIGIN.0 + east / (111_320.0 * lat.cos()),
        ORIGIN.1 + north / 110_574.0,
    )
}

fn rect(east: f64, north: f64, w: f64, h: f64) -> Polygon<f64> {
    let pts = [
        deg(east, north),
        deg(east + w, north),
        deg(east + w, north + h),
        deg(east, north + h),
        deg(east, north),
    ];
    Polygon::new(LineString::from(pts.to_vec()), vec![])
}

fn farmland() -> Vec<LayerFeature> {
    let mut out = Vec::with_capacity(SIDE * SIDE);
    for i in 0..SIDE {
        for j in 0..SIDE {
            out.push(LayerFeature {
                name: format!("耕地{i:03}-{j:03}"),
                shape: MultiPolygon(vec![rect(i as f64 * 60.0, j as f64 * 50.0, 50.0, 40.0)]),
            });
        }
    }
    out
}

fn site() -> Site {
    let p = rect(9_015.0, 7_005.0, 300.0, 200.0);
    let coords: Vec<String> = p
        .exterior()
        .0
        .iter()
        .map(|c| format!("[{},{}]", c.x, c.y))
        .collect();
    parse_site(&format!(
        r#"{{"type":"Polygon","coordinates":[[{}]]}}"#,
        coords.join(",")
    ))
    .expect("the bench site is valid")
}

/// The same answer without the index: every feature tested.
fn brute_force(features: &[LayerFeature], site: &Site) -> f64 {
    features
        .iter()
        .filter(|f| f.shape.intersects(site.shape()))
        .map(|f| f.shape.intersection(site.shape()).geodesic_area_unsigned())
        .sum()
}

fn bench(c: &mut Criterion) {
    let features = farmland();
    let s = site();
    let layer = Layer::new(LayerKind::Farmland, features.clone());
    let hits = layer.overlaps(&s);
    let indexed: f64 = hits.iter().map(|o| o.area_m2).sum();
    let brute = brute_force(&features, &s);
    assert!((indexed - brute).abs() < 1e-6, "{indexed} vs {brute}");
    println!(
        "layer: {} polygons; site {:.0} m² overlaps {} of them, {:.0} m² in all",
        features.len(),
        s.area_m2(),
        hits.len(),
        indexed
    );

    let mut g = c.benchmark_group("overlap_100k_farmland");
    g.sample_size(20);
    g.bench_function(BenchmarkId::new("one_site", "r_tree"), |b| {
        b.iter(|| black_box(layer.overlaps(black_box(&s))))
    });
    g.bench_function(BenchmarkId::new("one_site", "every_feature"), |b| {
        b.iter(|| black_box(brute_force(black_box(&features), black_box(&s))))
    });
    g.sample_size(10);
    g.bench_function(BenchmarkId::new("build_index", "100k"), |b| {
        b.iter_batched(
            || features.clone(),
            |f| black_box(Layer::new(LayerKind::Farmland, f)),
            criterion::BatchSize::LargeInput,
        )
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
