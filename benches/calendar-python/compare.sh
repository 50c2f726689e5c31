#!/usr/bin/env bash
# One run, one machine: the `tongxin calendar --stdin` batch CLI on 1,000,000 queries (start-up
# included) against chinese-calendar's find_workday on the first 100,000 of the same queries.
# Prints per-query times and the ratio. Needs python3 with venv; installs chinese-calendar
# into .venv here.
set -euo pipefail
cd "$(dirname "$0")"
[ -x .venv/bin/python ] || { python3 -m venv .venv && .venv/bin/pip install -q -r requirements.txt; }
[ -f queries-1m.txt ] || python3 gen_queries.py
[ -f queries-100k.txt ] || head -n 100000 queries-1m.txt > queries-100k.txt
(cd ../.. && cargo build --release -p tongxin -q)
bin=../../target/release/tongxin
best=""
for _ in 1 2 3; do
  s=$(date +%s.%N); "$bin" calendar --stdin < queries-1m.txt > ours-1m.txt; e=$(date +%s.%N)
  t=$(python3 -c "print($e-$s)")
  best=$(python3 -c "print(min(float('$t'), float('${best:-1e9}')))")
done
cli_us=$(python3 -c "print($best / 1_000_000 * 1e6)")
py_out=$(.venv/bin/python chinese_calendar_bench.py --ours <(head -n 100000 ours-1m.txt))
echo "$py_out"
py_us=$(grep -oE '[0-9.]+ µs/query' <<<"$py_out" | head -n1 | cut -d' ' -f1)
echo "tongxin calendar --stdin: 1,000,000 queries in ${best}s (best of 3, start-up included) = ${cli_us} µs/query"
python3 -c "print(f'ratio: chinese-calendar / tongxin CLI = {float(\"$py_us\") / float(\"$cli_us\"):,.0f}x per query')"
