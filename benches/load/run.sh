#!/usr/bin/env bash
# Load test: requests per second and p99 latency of /healthz and of an authenticated JSON list
# (/api/v1/users), 64 concurrent connections, against a release build on SQLite (demo data).
#
# Usage: benches/load/run.sh [seconds]    (needs wrk: apt-get install wrk)
# Traffic goes only to 127.0.0.1. The machine is shared: compare figures within one run.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs="${1:-15}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk"; exit 2; }
cargo build --release -p tongxin -q
work="$(mktemp -d)"
port=$((20000 + RANDOM % 20000))
base="http://127.0.0.1:$port"
TONGXIN_LOG=warn ./target/release/tongxin serve --demo --db "sqlite://$work/demo.db" --listen "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 50); do curl -fsS "$base/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
pw="$(./target/release/tongxin demo accounts --db "sqlite://$work/demo.db" | python3 -c 'import json,sys; print(next(a["password"] for a in json.load(sys.stdin) if a["username"]=="demo-sysadmin"))')"
cookie="$(curl -fsS -i -H 'content-type: application/json' -d "{\"username\":\"demo-sysadmin\",\"password\":\"$pw\"}" "$base/api/v1/session" | tr -d '\r' | sed -n 's/^set-cookie: \(tongxin_session=[^;]*\).*/\1/p')"
[ -n "$cookie" ] || { echo "login failed"; exit 1; }
curl -fsS -H "cookie: $cookie" "$base/api/v1/users" >/dev/null

echo "== GET /healthz, 64 connections, ${secs}s"
wrk -t2 -c64 -d"${secs}s" --latency "$base/healthz"
echo
echo "== GET /api/v1/users (authenticated, 9 users, JSON), 64 connections, ${secs}s"
wrk -t2 -c64 -d"${secs}s" --latency -H "cookie: $cookie" "$base/api/v1/users"
