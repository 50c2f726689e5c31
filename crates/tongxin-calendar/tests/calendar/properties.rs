//! Invariants, checked exhaustively over every covered day where that is cheap, and with
//! proptest over random pairs, pauses and overlays where it is not.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use proptest::prelude::*;
use tongxin_calendar::{
    Calendar, DeadlineStatus, Period, PeriodType, RegionalOverlay, WorkdayDeadline,
};

use crate::support::{cal, clean, every_day, naive_add};

fn first() -> NaiveDate {
    *cal().covered_range().start()
}

fn span() -> u32 {
    (*cal().covered_range().end() - first()).num_days() as u32 + 1
}

fn date_at(i: u32) -> NaiveDate {
    first() + Days::new(u64::from(i))
}

fn any_day() -> impl Strategy<Value = NaiveDate> {
    (0..span()).prop_map(date_at)
}

fn workday(c: &Calendar, x: NaiveDate) -> bool {
    clean(c.is_workday(x).unwrap())
}

#[test]
fn add_workdays_lands_on_a_working_day_after_the_start_for_every_day_and_n_up_to_30() {
    for start in every_day() {
        for n in 1..=30 {
            let Ok(c) = cal().add_workdays(start, n) else {
                assert!(naive_add(cal(), start, n).is_none(), "{start} + {n}");
                continue;
            };
            let due = clean(c);
            assert!(due > start, "{start} + {n}");
            assert!(workday(cal(), due), "{start} + {n} = {due} is a rest day");
            assert_eq!(Some(due), naive_add(cal(), start, n), "{start} + {n}");
        }
    }
}

#[test]
fn add_workdays_is_strictly_increasing_in_n_and_non_decreasing_in_start() {
    let mut previous_row: Option<Vec<NaiveDate>> = None;
    for start in every_day() {
        let row: Vec<NaiveDate> = (0..=30)
            .map_while(|n| cal().add_workdays(start, n).ok().map(clean))
            .collect();
        assert!(
            row.windows(2).all(|w| w[0] < w[1]),
            "not increasing in n from {start}"
        );
        if let Some(prev) = &previous_row {
            for (n, (a, b)) in prev.iter().zip(&row).enumerate().skip(1) {
                assert!(
                    a <= b,
                    "add({}, {n}) = {a} > add({start}, {n}) = {b}",
                    start.pred_opt().unwrap()
                );
            }
        }
        previous_row = Some(row);
    }
}

#[test]
fn workdays_between_inverts_add_workdays_for_every_day() {
    for start in every_day() {
        for n in 0..=30 {
            if let Ok(c) = cal().add_workdays(start, n) {
                let due = clean(c);
                assert_eq!(
                    clean(cal().workdays_between(start, due).unwrap()),
                    n as i32,
                    "{start} + {n}"
                );
            }
        }
    }
}

#[test]
fn period_end_never_lands_on_a_rest_day_for_every_start_day() {
    let periods: Vec<Period> = (0..=45)
        .map(Period::Days)
        .chain((1..=12).map(Period::Months))
        .chain((1..=3).map(Period::Years))
        .collect();
    for start in every_day() {
        for p in &periods {
            let Ok(c) = cal().period_end(start, *p) else {
                continue;
            };
            let e = clean(c);
            assert!(
                workday(cal(), e.end),
                "{start} + {p} ends on rest day {}",
                e.end
            );
            assert_eq!(e.rolled_over, e.end != e.natural_end);
            assert!(e.end >= e.natural_end);
            // Every day between the natural end and the end is a rest day.
            for x in e.natural_end.iter_days().take_while(|x| *x < e.end) {
                assert!(!workday(cal(), x), "{start} + {p}: skipped working day {x}");
            }
        }
    }
}

#[test]
fn dekads_partition_every_month_and_contain_their_days() {
    for x in every_day() {
        let p = PeriodType::Dekad.containing(x);
        assert!(p.contains(x));
        assert_eq!((p.start().year(), p.start().month()), (x.year(), x.month()));
        assert_eq!((p.end().year(), p.end().month()), (x.year(), x.month()));
        assert!(matches!(p.start().day(), 1 | 11 | 21));
        if x.day() == 1 {
            let dekads: Vec<_> = PeriodType::Dekad.iter_from(x).take(3).collect();
            assert_eq!(dekads[0].start(), x);
            assert_eq!(dekads[1].start(), dekads[0].end().succ_opt().unwrap());
            assert_eq!(dekads[2].start(), dekads[1].end().succ_opt().unwrap());
            assert_eq!(dekads[2].end(), PeriodType::Month.containing(x).end());
        }
        for t in [PeriodType::Month, PeriodType::Quarter, PeriodType::Year] {
            assert!(t.containing(x).contains(x));
        }
    }
}

/// Day-by-day reference for a paused deadline.
fn naive_deadline(c: &Calendar, dl: &WorkdayDeadline) -> Option<DeadlineStatus> {
    let start = dl.start;
    let paused = |x: NaiveDate| {
        dl.pauses
            .iter()
            .any(|p| p.from.max(start) < x && p.to.is_none_or(|to| x <= to))
    };
    let open = |x: NaiveDate| {
        dl.pauses
            .iter()
            .any(|p| p.to.is_none() && p.from.max(start) < x)
    };
    if dl.workdays == 0 {
        return Some(DeadlineStatus::Due {
            date: start,
            paused_workdays: 0,
        });
    }
    let (mut counted, mut paused_count, mut x) = (0, 0, start);
    loop {
        x = x.succ_opt()?;
        let w = c.is_workday(x).ok()?.value;
        if open(x) {
            let mut since = x.pred_opt()?;
            while since > start && paused(since) {
                since = since.pred_opt()?;
            }
            return Some(DeadlineStatus::Suspended {
                since,
                counted_workdays: counted,
                remaining_workdays: dl.workdays - counted,
            });
        }
        if paused(x) {
            paused_count += u32::from(w);
        } else if w {
            counted += 1;
            if counted == dl.workdays {
                return Some(DeadlineStatus::Due {
                    date: x,
                    paused_workdays: paused_count,
                });
            }
        }
    }
}

fn pause_strategy() -> impl Strategy<Value = (i64, u32, bool)> {
    (-5i64..40, 0u32..15, prop::bool::weighted(0.2))
}

proptest! {
    // About a third of the days drawn are not working days and are rejected by `prop_assume!`:
    // allow for that many rejections (the default 1,024 failed now and then at 2,000 cases).
    #![proptest_config(ProptestConfig { cases: 2000, max_global_rejects: 20_000, ..ProptestConfig::default() })]

    #[test]
    fn workdays_between_is_antisymmetric_and_additive(a in any_day(), b in any_day(), c in any_day()) {
        let between = |x, y| clean(cal().workdays_between(x, y).unwrap());
        prop_assert_eq!(between(a, b), -between(b, a));
        prop_assert_eq!(between(a, b) + between(b, c), between(a, c));
        prop_assert_eq!(between(a, a), 0);
    }

    #[test]
    fn adding_the_count_between_lands_on_the_last_working_day_up_to_b(a in any_day(), b in any_day()) {
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        let n = clean(cal().workdays_between(a, b).unwrap());
        let got = clean(cal().add_workdays(a, n as u32).unwrap());
        let mut expected = a;
        let mut x = b;
        while x > a {
            if workday(cal(), x) { expected = x; break; }
            x = x.pred_opt().unwrap();
        }
        prop_assert_eq!(got, expected);
    }

    #[test]
    fn sub_workdays_undoes_add_workdays_from_a_working_day(x in any_day(), n in 0u32..60) {
        prop_assume!(workday(cal(), x));
        if let Ok(c) = cal().sub_workdays(x, n) {
            let back = clean(c);
            prop_assert_eq!(clean(cal().add_workdays(back, n).unwrap()), x);
            prop_assert_eq!(clean(cal().workdays_between(back, x).unwrap()), n as i32);
        }
    }

    #[test]
    fn a_paused_deadline_matches_day_by_day_counting(
        start in (0..span() - 200).prop_map(date_at),
        workdays in 0u32..30,
        pauses in prop::collection::vec(pause_strategy(), 0..4),
    ) {
        let mut dl = WorkdayDeadline::new(start, workdays);
        for (offset, len, open) in pauses {
            let from = start.checked_add_signed(chrono::Duration::days(offset)).unwrap();
            let to = (!open).then(|| from + Days::new(u64::from(len)));
            dl = dl.with_pause(from, to);
        }
        let got = clean(dl.status(cal()).unwrap());
        prop_assert_eq!(Some(got), naive_deadline(cal(), &dl));
        let unpaused = clean(WorkdayDeadline::new(start, workdays).status(cal()).unwrap());
        if let Some(date) = got.due_date() {
            prop_assert!(date >= unpaused.due_date().unwrap());
            // Counted working days on the due date are exactly the time limit.
            prop_assert_eq!(clean(dl.counted_workdays(cal(), date).unwrap()), workdays);
        }
    }

    #[test]
    fn period_end_is_the_first_working_day_on_or_after_the_natural_end(
        start in any_day(), kind in 0u8..3, n in 0u32..40,
    ) {
        let p = match kind { 0 => Period::Days(n), 1 => Period::Months(n), _ => Period::Years(n % 4) };
        if let Ok(c) = cal().period_end(start, p) {
            let e = clean(c);
            prop_assert_eq!(e.natural_end, p.natural_end(start).unwrap());
            prop_assert_eq!(e.end, clean(cal().workday_on_or_after(e.natural_end).unwrap()));
            if let Period::Months(m) = p {
                let months = (e.natural_end.year() - start.year()) * 12
                    + e.natural_end.month() as i32 - start.month() as i32;
                prop_assert_eq!(months, m as i32);
                prop_assert!(e.natural_end.day() == start.day() || e.natural_end.day() < start.day()
                    && e.natural_end.succ_opt().unwrap().day() == 1);
            }
        }
    }

    #[test]
    fn an_overlay_changes_exactly_its_days(
        year in 2019i32..=2026,
        off in prop::collection::btree_set(0u32..365, 0..8),
        weekend_work in prop::collection::btree_set(0u32..52, 0..3),
        starts in prop::collection::vec(0u32..365, 5),
    ) {
        let jan1 = NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
        let off: Vec<NaiveDate> = off.into_iter().map(|i| jan1 + Days::new(u64::from(i))).collect();
        // Saturdays of the year not already chosen as off days.
        let first_sat = jan1.iter_days().find(|x| x.weekday() == Weekday::Sat).unwrap();
        let work: Vec<NaiveDate> = weekend_work
            .into_iter()
            .map(|w| first_sat + Days::new(u64::from(w) * 7))
            .filter(|x| x.year() == year && !off.contains(x))
            .collect();
        let mut overlay = RegionalOverlay::new("测试区").unwrap();
        overlay.add_year(year, "测试通知".into(), off.clone(), work.clone(), true).unwrap();
        let c = cal().with_overlay(&overlay);
        for x in jan1.iter_days().take_while(|x| x.year() == year) {
            let expected = if off.contains(&x) { false } else if work.contains(&x) { true } else { workday(cal(), x) };
            prop_assert_eq!(c.is_workday(x).unwrap().value, expected, "{}", x);
        }
        for s in starts {
            let s = jan1 + Days::new(u64::from(s));
            for n in [1, 5, 20] {
                if let Ok(got) = c.add_workdays(s, n) {
                    prop_assert_eq!(Some(got.value), naive_add(&c, s, n));
                }
            }
        }
    }
}
