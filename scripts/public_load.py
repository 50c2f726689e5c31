#!/usr/bin/env python3
"""Load test for the public portal (公众服务): N homestead applications put on public notice by
the demo village clerk, M citizen reports lodged through the public API (the captcha answered
with the server's key read from the demo database, as the browser test does), then the pages
the public opens fetched by C concurrent clients without logging in for S seconds, each page's
latency measured end to end (median, p95, max) and the overall rate.

Usage: public_load.py BASE_URL ACCOUNTS_JSON DEMO_DB [NOTICES] [REPORTS] [CLIENTS] [SECONDS]
  BASE_URL       a `tongxin serve --demo` on SQLite (build with --release for figures)
  ACCOUNTS_JSON  the output of `tongxin demo accounts` (needs demo-village)
  DEMO_DB        the demo database file (for the captcha key)
Only the standard library. Requests are bounded: the run stops after SECONDS.
"""
import hashlib, hmac, http.client, http.cookiejar, json, sqlite3, statistics, sys, threading, time
import urllib.error, urllib.parse, urllib.request

base, accounts_file, db = sys.argv[1], sys.argv[2], sys.argv[3]
notices = int(sys.argv[4]) if len(sys.argv) > 4 else 200
reports = int(sys.argv[5]) if len(sys.argv) > 5 else 100
clients = int(sys.argv[6]) if len(sys.argv) > 6 else 8
seconds = float(sys.argv[7]) if len(sys.argv) > 7 else 20
accounts = {a["username"]: a for a in json.load(open(accounts_file))}

W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]

def resident_id(n):
    """A valid 18-digit resident ID (GB 11643), unique per n."""
    body = f"640324{1960 + n // 300:04d}{1 + (n // 25) % 12:02d}{1 + n % 25:02d}{n % 1000:03d}"
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, W)) % 11]

def call(opener, method, path, body=None, csrf=None):
    req = urllib.request.Request(base + path, data=None if body is None else json.dumps(body).encode(), method=method)
    req.add_header("content-type", "application/json")
    if csrf:
        req.add_header("x-csrf-token", csrf)
    try:
        with opener.open(req) as r:
            raw = r.read()
            return r.status, (json.loads(raw) if r.headers.get("content-type", "").startswith("application/json") else raw)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()

# --- data ---------------------------------------------------------------------------------
clerk = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
_, s = call(clerk, "POST", "/api/v1/session", {"username": "demo-village", "password": accounts["demo-village"]["password"]})
csrf = s["csrf_token"]
numbers = []
t0 = time.time()
for i in range(notices):
    who, spouse = resident_id(2 * i + 1), resident_id(2 * i + 2)
    data = {
        "applicant_name": "马某" + str(i), "applicant_id": who,
        "members": [{"name": "马某" + str(i), "resident_id": who, "relation": "户主"},
                    {"name": "李某" + str(i), "resident_id": spouse, "relation": "配偶"}],
        "village": "王团村", "village_group": "三组", "land_type": "irrigated", "area_m2": 200,
        "storeys": 1, "site_description": "东至村道，西至某宅，南至耕地，北至渠",
        "coordinates": {"lon": 106.12, "lat": 36.98}, "application_reason": "分户另建", "use_pledge_signed": True,
    }
    st, case = call(clerk, "POST", "/api/v1/cases", {"procedure": "homestead", "data": data, "client_key": f"load-{i}-{time.time()}"}, csrf)
    if st != 201:
        sys.exit(f"filing refused: {st} {case}")
    day = "2026-11-27"
    for action, form in (("group_pass", {"group_meeting_date": day, "group_meeting_record": "同意"}),
                         ("village_pass", {"villagers_meeting_date": day, "neighbours_opinion": "无异议", "notice_place": "村务公开栏"})):
        st, case = call(clerk, "POST", f"/api/v1/cases/{case['id']}/actions", {"action": action, "data": form, "version": case["version"]}, csrf)
        if st != 200:
            sys.exit(f"{action} refused: {st} {case}")
    numbers.append(case["number"])
print(f"{notices} applications on public notice in {time.time() - t0:.1f} s")

key = sqlite3.connect(db).execute("SELECT value FROM meta WHERE key='public_form_key'").fetchone()
public = urllib.request.build_opener()
receipts = []
t0 = time.time()
for i in range(reports):
    _, c = call(public, "GET", "/api/v1/public/captcha")
    if key is None:
        key = sqlite3.connect(db).execute("SELECT value FROM meta WHERE key='public_form_key'").fetchone()
    nonce, expires, tag = c["token"].split(".")
    answer = next(str(n) for n in range(61)
                  if hmac.new(key[0].encode(), f"captcha|{nonce}|{expires}|{n}".encode(), hashlib.sha256).hexdigest() == tag)
    body = {"topic": ["environment", "grazing", "illegal_building", "temporary_land"][i % 4], "township": "豫海镇",
            "place": f"某村某组附近{i}", "description": "发现有人在夜间倾倒建筑垃圾，已持续数日，请核查。", "contact": "",
            "captcha_token": c["token"], "captcha_answer": answer}
    # Each network address may lodge 5 an hour (and 20 a day): the reports come from distinct
    # loopback addresses, as from different villagers' phones.
    host, port = urllib.parse.urlsplit(base).hostname, urllib.parse.urlsplit(base).port
    conn = http.client.HTTPConnection(host, port, source_address=(f"127.0.{i // 1000 + 1}.{(i // 5) % 200 + 2}", 0))
    conn.request("POST", "/api/v1/public/reports", body=json.dumps(body).encode(), headers={"content-type": "application/json"})
    r = conn.getresponse()
    raw = r.read()
    conn.close()
    if r.status != 201:
        print("report refused:", r.status, raw.decode()[:200])
        break
    receipts.append(json.loads(raw)["receipt"])
print(f"{len(receipts)} reports lodged in {time.time() - t0:.1f} s")


# --- load ---------------------------------------------------------------------------------
pages = {
    "/public": lambda i: "/public",
    "/homestead/notices": lambda i: "/homestead/notices",
    "/api/v1/public/notices": lambda i: "/api/v1/public/notices",
    "/public/report/follow?receipt=": lambda i: f"/public/report/follow?receipt={receipts[i % len(receipts)]}" if receipts else "/public/report/follow",
    "/temporary-land/public": lambda i: "/temporary-land/public",
    "/policies": lambda i: "/policies",
    "/policies/同政办规发-2023-6/clauses/第七条": lambda i: "/policies/%E5%90%8C%E6%94%BF%E5%8A%9E%E8%A7%84%E5%8F%91-2023-6/clauses/%E7%AC%AC%E4%B8%83%E6%9D%A1",
    "/public/report (captcha)": lambda i: "/public/report",
    "/gov-projects/path": lambda i: "/gov-projects/path?amount=3000",
}
lat = {k: [] for k in pages}
errors = []
stop = time.time() + seconds
lock = threading.Lock()

def worker(w):
    opener = urllib.request.build_opener()
    i = w
    names = list(pages)
    while time.time() < stop:
        name = names[i % len(names)]
        path = pages[name](i)
        t = time.perf_counter()
        try:
            with opener.open(base + urllib.request.quote(path, safe="/?=&%")) as r:
                r.read()
                ok = r.status == 200
        except urllib.error.HTTPError as e:
            ok = False
            with lock:
                errors.append((path, e.code))
        dt = (time.perf_counter() - t) * 1000
        with lock:
            if ok:
                lat[name].append(dt)
        i += clients

threads = [threading.Thread(target=worker, args=(w,)) for w in range(clients)]
t0 = time.time()
for t in threads:
    t.start()
for t in threads:
    t.join()
elapsed = time.time() - t0
total = sum(len(v) for v in lat.values())
print(f"{clients} clients for {elapsed:.1f} s: {total} requests, {total / elapsed:.0f}/s, {len(errors)} errors {errors[:5]}")
print(f"{'page':48} {'n':>6} {'median':>8} {'p95':>8} {'max':>8}  (ms)")
worst = 0.0
for name, v in lat.items():
    if not v:
        print(f"{name:48} no successful requests")
        continue
    v.sort()
    p95 = v[min(len(v) - 1, int(len(v) * 0.95))]
    worst = max(worst, p95)
    print(f"{name:48} {len(v):6} {statistics.median(v):8.1f} {p95:8.1f} {v[-1]:8.1f}")
print(f"worst p95: {worst:.1f} ms ({'under' if worst < 50 else 'OVER'} 50 ms)")
