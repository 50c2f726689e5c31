#!/usr/bin/env python3
"""Times chinese_calendar.find_workday on the benchmark queries and compares its answers
with ours.

    python3 -m venv .venv && .venv/bin/pip install -r requirements.txt
    .venv/bin/python chinese_calendar_bench.py            # writes queries-100k.txt, times
    cargo run --release -p tongxin-calendar --example answer < queries-100k.txt > ours-100k.txt
    .venv/bin/python chinese_calendar_bench.py --ours ours-100k.txt   # times again and compares

What find_workday means: chinese_calendar.find_workday(delta_days=N, date=D) first moves D
forward to the first working day >= D, then N more working days. For a working-day D that is
the N-th working day strictly after D, which is what Calendar::add_workdays(D, N) returns; for a
rest-day D it is one working day later than ours. The queries therefore start on working days
only, and the script checks that claim on a sample before timing.
"""

import argparse
import datetime as dt
import sys
import time

import chinese_calendar
from chinese_calendar import constants

from gen_queries import SEED, generate, line

COUNT = 100_000


def nth_workday_after(start, n):
    """Reference: step day by day with chinese_calendar.is_workday."""
    d = start
    while n:
        d += dt.timedelta(days=1)
        if chinese_calendar.is_workday(d):
            n -= 1
    return d


def check_semantics(queries):
    """find_workday(N, working day D) == N-th working day after D; differs on rest days."""
    for start, n in queries[:2000]:
        assert chinese_calendar.find_workday(delta_days=n, date=start) == nth_workday_after(start, n), (start, n)
    rest = [dt.date(2024, 10, 1), dt.date(2024, 2, 10), dt.date(2024, 3, 9)]
    shifted = {d.isoformat(): (chinese_calendar.find_workday(delta_days=1, date=d).isoformat(),
                               nth_workday_after(d, 1).isoformat()) for d in rest}
    return shifted


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=COUNT)
    ap.add_argument("--queries", default="queries-100k.txt")
    ap.add_argument("--answers", default="chinese-calendar-answers-100k.txt")
    ap.add_argument("--ours", help="answers of examples/answer.rs for the same query file, to compare")
    ap.add_argument("--repeat", type=int, default=3, help="timing runs; the best is reported")
    args = ap.parse_args()

    # Restrict to the years both calendars cover: ours is 2019..=2026; chinese_calendar's data
    # ends with the last year in its holiday table.
    cc_last_year = max(constants.holidays).year
    if cc_last_year < 2026:
        sys.exit(f"chinese_calendar {chinese_calendar.__version__} covers only up to {cc_last_year}")
    queries = list(generate(args.count, SEED))
    with open(args.queries, "w", encoding="ascii") as f:
        f.writelines(line(s, n) for s, n in queries)

    shifted = check_semantics(queries)
    print(f"chinese_calendar {chinese_calendar.__version__}: data up to {cc_last_year}; "
          f"{len(queries)} queries in {args.queries}")
    print("semantics: find_workday(N, working day D) == N-th working day after D on a 2,000-query sample")
    for d, (theirs, ours) in shifted.items():
        print(f"  rest-day start {d}: find_workday(1) = {theirs}, first working day after = {ours}")

    find = chinese_calendar.find_workday
    best = None
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        answers = [find(n, s) for s, n in queries]
        elapsed = time.perf_counter() - t0
        best = elapsed if best is None else min(best, elapsed)
    print(f"chinese_calendar.find_workday: {best / len(queries) * 1e6:.2f} µs/query "
          f"(best of {args.repeat} runs, {best:.3f} s for {len(queries)} queries)")
    with open(args.answers, "w", encoding="ascii") as f:
        f.writelines(a.isoformat() + "\n" for a in answers)

    if args.ours:
        with open(args.ours, encoding="utf-8") as f:
            ours = [l.rstrip("\n") for l in f]
        if len(ours) != len(answers):
            sys.exit(f"{args.ours} has {len(ours)} lines, expected {len(answers)}")
        disagree = [(q, a.isoformat(), o) for q, a, o in zip(queries, answers, ours) if a.isoformat() != o]
        print(f"agreement: {len(answers) - len(disagree)} of {len(answers)}")
        for (s, n), theirs, o in disagree[:20]:
            print(f"  add-workdays {s} {n}: chinese_calendar {theirs}, ours {o}")
        return 1 if disagree else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
