#!/usr/bin/env python3
"""Load test for 产业链与招商: N investment leads spread over every chain and segment and M
enterprises in the 光伏 chain filed through the API, then the pages a chain chief opens timed
end to end (the cards, a chain's map, the pipeline board, the chain as JSON).

Usage: chains_load.py BASE_URL ACCOUNTS_JSON [LEADS] [ENTERPRISES] [ROUNDS]
  BASE_URL       a `tongxin serve --demo` (build with --release for figures)
  ACCOUNTS_JSON  the output of `tongxin demo accounts` (needs demo-invest and demo-chief)
Prints the filing rate and each page's latency (median, p95). Only the standard library.
"""
import json, statistics, sys, time, urllib.request, urllib.error, http.cookiejar

base, accounts_file = sys.argv[1], sys.argv[2]
leads = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
enterprises = int(sys.argv[4]) if len(sys.argv) > 4 else 200
rounds = int(sys.argv[5]) if len(sys.argv) > 5 else 20
accounts = {a["username"]: a for a in json.load(open(accounts_file))}

CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

def credit_code(n):
    """A valid 统一社会信用代码 (GB 32100 check character, GB 11714 organisation check)."""
    body = f"91640324M{n:07d}"
    s = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body[8:16], [3, 7, 9, 10, 5, 8, 4, 2]))
    org = {10: "X", 11: "0"}.get(11 - s % 11, str(11 - s % 11))
    v = body + org
    return v + CHARS[(31 - sum(CHARS.index(c) * w for c, w in zip(v, W)) % 31) % 31]

class Client:
    def __init__(self, user):
        self.op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.csrf = None
        self.csrf = self.call("POST", "/api/v1/session", {"username": user, "password": accounts[user]["password"]})[1]["csrf_token"]

    def call(self, method, path, body=None):
        req = urllib.request.Request(base + path, data=None if body is None else json.dumps(body).encode(), method=method)
        req.add_header("content-type", "application/json")
        if self.csrf:
            req.add_header("x-csrf-token", self.csrf)
        try:
            with self.op.open(req) as r:
                raw = r.read()
                return r.status, (json.loads(raw) if r.headers.get("content-type", "").startswith("application/json") else raw)
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

invest, chief = Client("demo-invest"), Client("demo-chief")
_, chains = chief.call("GET", "/api/v1/chains")
segments = []
for c in chains:
    _, d = chief.call("GET", f"/api/v1/chains/{c['key']}")
    segments += [(c["key"], s["key"]) for s in d["segments"]]
t0 = time.perf_counter()
for i in range(leads):
    chain, seg = segments[i % len(segments)]
    s, r = invest.call("POST", "/api/v1/cases", {"procedure": "investment", "township": "豫海镇", "client_key": f"load-{time.time_ns()}-{i}", "data": {
        "project_name": f"负载测试项目{i}", "company_name": f"负载测试企业{i}", "source": "visit", "chain": chain,
        "segment": f"{chain}.{seg}", "planned_investment": str(1000 + i), "project_summary": "负载测试",
        "contact_name": "测试", "contact_phone": "13900000000"}})
    assert s == 201, r
filing = time.perf_counter() - t0
pv = [s for c, s in segments if c == "pv"]
for i in range(enterprises):
    s, r = invest.call("POST", "/api/v1/enterprises", {"credit_code": credit_code(900000 + i),
        "name": f"负载测试企业{i}", "segments": [f"pv.{pv[i % len(pv)]}"]})
    assert s in (201, 422), r
print(f"{leads} leads filed in {filing:.1f} s ({leads / filing:.0f}/s); {enterprises} enterprises registered")
for path in ["/chains", "/chains/pv", "/investment/board", "/api/v1/chains/pv"]:
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        s, _ = chief.call("GET", path)
        times.append((time.perf_counter() - t) * 1000)
        assert s == 200, (path, s)
    times.sort()
    print(f"{path}: median {statistics.median(times):.1f} ms, p95 {times[int(len(times) * 0.95) - 1]:.1f} ms")
