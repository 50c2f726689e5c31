#!/usr/bin/env python3
"""Deterministic `add-workdays YYYY-MM-DD N` queries for the calendar benchmarks.

Every start is a working day (per data/calendar/cn/*.json, the same data the Rust crate embeds),
so that chinese_calendar.find_workday(delta_days=N, date=start) and
`tongxin calendar add-workdays START N` ask the same question: the N-th working day strictly
after START. N is uniform in 1..=30; starts are uniform over the working days from 2019-01-01
to 2026-11-15, so every answer stays inside 2026, the last year both calendars cover.

The stream depends only on the seed: the first 100,000 lines of the 1,000,000-line file are the
100,000 queries chinese_calendar_bench.py times.

    python3 gen_queries.py                      # writes queries-1m.txt (1,000,000 lines)
    python3 gen_queries.py -n 1000 -o small.txt
"""

import argparse
import datetime as dt
import json
import random
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "data" / "calendar" / "cn"
SEED = 20240205
FIRST = dt.date(2019, 1, 1)
LAST_START = dt.date(2026, 11, 15)  # 30 working days later is still in December 2026
MAX_N = 30


def working_days(first=FIRST, last=LAST_START):
    """Working days in first..=last from the canonical per-year notice files."""
    off, work = set(), set()
    for f in sorted(DATA.glob("*.json")):
        y = json.loads(f.read_text(encoding="utf-8"))
        off.update(e["date"] for e in y["off"])
        work.update(e["date"] for e in y["makeup_workdays"])
    days, d = [], first
    while d <= last:
        iso = d.isoformat()
        if iso in work or (d.weekday() < 5 and iso not in off):
            days.append(d)
        d += dt.timedelta(days=1)
    return days


def generate(count, seed=SEED, last_start=LAST_START):
    """Yields (start, n) pairs; the same seed gives the same stream."""
    starts = working_days(last=last_start)
    rng = random.Random(seed)
    for _ in range(count):
        yield starts[rng.randrange(len(starts))], rng.randint(1, MAX_N)


def line(start, n):
    return f"add-workdays {start.isoformat()} {n}\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", "--count", type=int, default=1_000_000)
    ap.add_argument("-o", "--output", default="queries-1m.txt")
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args()
    with open(args.output, "w", encoding="ascii") as out:
        out.writelines(line(s, n) for s, n in generate(args.count, args.seed))
    print(f"wrote {args.count} queries to {args.output}")


if __name__ == "__main__":
    main()
