//! Parsing 1 MB of documents: the seed repeated until the text is at least 1 MB.
//! Run: `CARGO_TARGET_DIR=/work/target-doc cargo bench -p tongxin-docparse --bench parse`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use tongxin_docparse::parse;
use tongxin_policy::tongxin;

fn one_megabyte() -> String {
    let mut text = String::new();
    while text.len() < 1 << 20 {
        text.push_str(tongxin::SEED_TEXT);
        text.push('\n');
    }
    text
}

fn bench(c: &mut Criterion) {
    let dir = tongxin::directory().expect("the pack's directory loads");
    let text = one_megabyte();
    let mut g = c.benchmark_group("parse");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.sample_size(20);
    g.bench_function("seed repeated to 1 MB", |b| {
        b.iter(|| parse(black_box(&text), &dir))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
