//! Calendar query cost. Run:
//! `CARGO_TARGET_DIR=/work/target-cal cargo bench -p tongxin-calendar --bench calendar -- --warm-up-time 1 --measurement-time 3`
//!
//! Each iteration answers one query from a precomputed, deterministic set (4096 queries,
//! cycled), so the reported time is the time per query.

use std::hint::black_box;

use chrono::{Days, NaiveDate};
use criterion::{Criterion, criterion_group, criterion_main};
use tongxin_calendar::{Calendar, Period, Query, RegionalOverlay, WorkdayDeadline};

const N: usize = 4096;

/// xorshift64*: deterministic, dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn day(first: NaiveDate, i: u64) -> NaiveDate {
    first + Days::new(i)
}

struct Fixture {
    national: Calendar,
    ningxia: Calendar,
    /// Working-day starts 2019-01-01..=2026-11-15 and n in 1..=30.
    add: Vec<(NaiveDate, u32)>,
    dates: Vec<NaiveDate>,
    pairs: Vec<(NaiveDate, NaiveDate)>,
    periods: Vec<(NaiveDate, Period)>,
    deadlines: Vec<WorkdayDeadline>,
    lines: Vec<String>,
}

fn fixture() -> Fixture {
    let national = Calendar::national().expect("built-in data");
    let ningxia = national.with_overlay(&RegionalOverlay::ningxia_builtin().expect("built-in"));
    let first = *national.covered_range().start();
    let last_start = NaiveDate::from_ymd_opt(2026, 11, 15).expect("date");
    let span = (last_start - first).num_days() as u64 + 1;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut add = Vec::with_capacity(N);
    while add.len() < N {
        let s = day(first, rng.below(span));
        if national.is_workday(s).expect("covered").value {
            add.push((s, 1 + rng.below(30) as u32));
        }
    }
    let dates = (0..N).map(|_| day(first, rng.below(span))).collect();
    let pairs = (0..N)
        .map(|_| (day(first, rng.below(span)), day(first, rng.below(span))))
        .collect();
    let periods = (0..N)
        .map(|_| {
            let s = day(first, rng.below(span - 400));
            let p = match rng.below(3) {
                0 => Period::Days(1 + rng.below(60) as u32),
                1 => Period::Months(1 + rng.below(12) as u32),
                _ => Period::Years(1),
            };
            (s, p)
        })
        .collect();
    let deadlines = add
        .iter()
        .map(|&(s, n)| {
            let p = s + Days::new(1 + rng.below(5));
            WorkdayDeadline::new(s, n)
                .with_pause(p, Some(p + Days::new(rng.below(10))))
                .with_pause(p + Days::new(15), Some(p + Days::new(18)))
        })
        .collect();
    let lines = add
        .iter()
        .map(|(s, n)| format!("add-workdays {s} {n}"))
        .collect();
    Fixture {
        national,
        ningxia,
        add,
        dates,
        pairs,
        periods,
        deadlines,
        lines,
    }
}

fn bench(c: &mut Criterion) {
    let f = fixture();
    let mut i = 0usize;
    let mut next = || {
        i = (i + 1) & (N - 1);
        i
    };

    c.bench_function("add_workdays (national)", |b| {
        b.iter(|| {
            let (s, n) = f.add[next()];
            f.national.add_workdays(black_box(s), black_box(n))
        })
    });
    c.bench_function("add_workdays (ningxia overlay, with warnings)", |b| {
        b.iter(|| {
            let (s, n) = f.add[next()];
            f.ningxia.add_workdays(black_box(s), black_box(n))
        })
    });
    c.bench_function("is_workday", |b| {
        b.iter(|| f.national.is_workday(black_box(f.dates[next()])))
    });
    c.bench_function("workdays_between", |b| {
        b.iter(|| {
            let (a, z) = f.pairs[next()];
            f.national.workdays_between(black_box(a), black_box(z))
        })
    });
    c.bench_function("period_end", |b| {
        b.iter(|| {
            let (s, p) = f.periods[next()];
            f.national.period_end(black_box(s), black_box(p))
        })
    });
    c.bench_function("deadline status (2 pauses)", |b| {
        b.iter(|| f.deadlines[next()].status(black_box(&f.national)))
    });
    c.bench_function("query line parse + answer", |b| {
        b.iter(|| {
            let q: Query = black_box(f.lines[next()].as_str()).parse().expect("valid");
            f.national.answer(&q)
        })
    });
    c.bench_function("Calendar::national (construction)", |b| {
        b.iter(Calendar::national)
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
