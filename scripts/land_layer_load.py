#!/usr/bin/env python3
"""Load test: a farmland layer of N plots imported through the API, then site applications
checked against it, timed end to end (HTTP, JSON, store, R-tree, geodesic intersections).

Usage: land_layer_load.py BASE_URL ACCOUNTS_JSON [PLOTS] [FILINGS]
  BASE_URL       a `tongxin serve --demo` (build with --release for figures)
  ACCOUNTS_JSON  the output of `tongxin demo accounts`
Prints the import time, the stored layer, and the filing latencies (median, p95) with the
layer in force. Only the standard library.
"""
import json, math, statistics, sys, time, urllib.request, http.cookiejar

base, accounts_file = sys.argv[1], sys.argv[2]
plots = int(sys.argv[3]) if len(sys.argv) > 3 else 100_000
filings = int(sys.argv[4]) if len(sys.argv) > 4 else 50
accounts = {a["username"]: a for a in json.load(open(accounts_file))}

LON0, LAT0 = 106.0, 36.9
MX, MY = 88_990.0, 110_960.0  # metres per degree near 37°N

def at(x, y):
    return [round(LON0 + x / MX, 7), round(LAT0 + y / MY, 7)]

def square(x, y, side):
    return [[at(x, y), at(x + side, y), at(x + side, y + side), at(x, y + side), at(x, y)]]

class Client:
    def __init__(self, user):
        self.jar = http.cookiejar.CookieJar()
        self.op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        r = self.call("POST", "/api/v1/session", {"username": user, "password": accounts[user]["password"]})
        self.csrf = r["csrf_token"]

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(base + path, data=data, method=method)
        req.add_header("content-type", "application/json")
        if getattr(self, "csrf", None):
            req.add_header("x-csrf-token", self.csrf)
        try:
            with self.op.open(req, timeout=600) as res:
                return json.loads(res.read())
        except urllib.error.HTTPError as e:
            raise SystemExit(f"{method} {path}: {e.code} {e.read()[:500]!r}")

side, gap = 30.0, 10.0
per_row = math.ceil(math.sqrt(plots))
features = []
for i in range(plots):
    x, y = (i % per_row) * (side + gap), (i // per_row) * (side + gap)
    features.append({"type": "Feature", "properties": {"name": f"耕地{i + 1}"},
                     "geometry": {"type": "Polygon", "coordinates": square(x, y, side)}})
fc = {"type": "FeatureCollection", "features": features}
payload = json.dumps({"kind": "farmland", "source": "负载测试（生成的方格，非真实图层）",
                      "source_date": "2024-01-01", "geojson": fc})
print(f"layer: {plots} plots of {side:.0f} m, {len(payload) / 1e6:.1f} MB of JSON")

dept = Client("demo-department")
t0 = time.perf_counter()
layer = dept.call("POST", "/api/v1/land-layers", json.loads(payload))
print(f"import: {time.perf_counter() - t0:.2f} s → {layer['feature_count']} plots, {layer['area_mu']:.0f} 亩")

applicant = Client("demo-applicant")
times = []
extent = per_row * (side + gap)
for n in range(filings):
    # A 100 m site somewhere inside the grid: it overlaps a few plots.
    x = (n * 7919) % int(extent - 200)
    y = (n * 104729) % int(extent - 200)
    data = {"applicant_kind": "enterprise", "applicant_role": "contractor",
            "applicant_name": "负载测试公司", "applicant_credit_code": "914403001922038216",
            "contact_name": "王工", "contact_phone": "13800001234", "project_name": f"负载测试{n}",
            "project_type": "construction", "infrastructure": False, "use_kind": "general",
            "site_location": "负载测试", "period_months": 12,
            "boundary": {"type": "Polygon", "coordinates": square(x + 5, y + 5, 100)}}
    t0 = time.perf_counter()
    case = applicant.call("POST", "/api/v1/cases", {"procedure": "temporary_land", "township": "豫海镇",
                                                   "data": data, "client_key": f"load-{time.time()}-{n}"})
    times.append(time.perf_counter() - t0)
    if n == 0:
        note = [c for c in case["events"][0]["clauses"] if c.get("check") == "temporary_land.siting"]
        print("first filing's siting note:", note[0]["note"] if note else case)
times_ms = sorted(t * 1000 for t in times)
print(f"filings: {filings}, median {statistics.median(times_ms):.1f} ms, "
      f"p95 {times_ms[int(len(times_ms) * 0.95) - 1]:.1f} ms, first {times[0] * 1000:.1f} ms")
