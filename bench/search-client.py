#!/usr/bin/env python3
"""Latency of dspot's catalog reads over HTTP, for bench/search.sh.

Usage: search-client.py REPS WARMUP name=URL [name=URL ...]   (URL = http://127.0.0.1:PORT)
Logs in as admin (DSPOT_ADMIN_PASSWORD) with the session cookie, as the web player does, gets a
Subsonic API key, then measures every request shape on every server, interleaved request by
request (a, b, a, b, ...) so load changes on the shared machine hit both alike. Prints one JSON
object: {shape: {server: {"p50": ms, "p99": ms, "status": code, "total": ..., "exact": ...}}}.
Progress goes to stderr.
"""
import http.client
import json
import os
import sys
import time
import urllib.parse

REPS, WARMUP = int(sys.argv[1]), int(sys.argv[2])
SERVERS = dict(a.split("=", 1) for a in sys.argv[3:])
PASSWORD = os.environ["DSPOT_ADMIN_PASSWORD"]


class Client:
    def __init__(self, url):
        u = urllib.parse.urlparse(url)
        self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=120)
        self.headers = {}

    def call(self, method, path, body=None):
        headers = dict(self.headers)
        if body is not None:
            headers["Content-Type"] = "application/json"
            body = json.dumps(body)
        self.conn.request(method, path, body=body, headers=headers)
        r = self.conn.getresponse()
        data = r.read()
        return r, data

    def login(self):
        r, data = self.call("POST", "/api/auth/login", {"username": "admin", "password": PASSWORD})
        if r.status != 200:
            raise SystemExit(f"login failed: {r.status} {data[:200]}")
        cookie = r.getheader("Set-Cookie").split(";", 1)[0]
        self.headers = {"Cookie": cookie}
        r, data = self.call("PUT", "/api/account/subsonic-password", {"currentPassword": PASSWORD})
        if r.status != 200:
            raise SystemExit(f"subsonic password failed: {r.status} {data[:200]}")
        self.api_key = json.loads(data)["apiKey"]


def q(path, **params):
    return path + "?" + urllib.parse.urlencode(params)


clients = {name: Client(url) for name, url in SERVERS.items()}
for c in clients.values():
    c.login()
first = next(iter(clients.values()))


def pick_ids():
    """An album in the middle of the artist-sorted list: a real album page, the same on every server."""
    r, data = first.call("GET", q("/api/albums", limit=1, offset=max(0, int(os.environ.get("BENCH_SONGS", "1000")) // 20)))
    items = json.loads(data)["items"]
    return items[0]["id"] if items else None


ALBUM = pick_ids()
DEEP = int(os.environ.get("BENCH_SONGS", "1000")) // 2
DEEP_ALBUMS = max(DEEP // 10, 0)
DEEP_ARTISTS = max(DEEP // 100, 0)

CURSORS = {}


def deep_cursor(c):
    """The page after row DEEP by the cursor the row before it answers (next); None where the server gives none."""
    if c not in CURSORS:
        r, data = c.call("GET", q("/api/songs", limit=1, offset=max(DEEP - 1, 0)))
        CURSORS[c] = json.loads(data).get("next") if r.status == 200 else None
    return None if CURSORS[c] is None else q("/api/songs", limit=50, after=CURSORS[c])


# (name, path or function of client -> path; None: the server does not answer this shape)
SHAPES = [
    ("search: prefix 'mor'", q("/api/search", q="mor", limit=50)),
    ("search: word 'river'", q("/api/search", q="river", limit=50)),
    ("search: multi-word 'blue night'", q("/api/search", q="blue night", limit=50)),
    ("search: accented 'café'", q("/api/search", q="café", limit=50)),
    ("search: rare 'zephyrine'", q("/api/search", q="zephyrine", limit=50)),
    ("search: common 'love'", q("/api/search", q="love", limit=50)),
    ("search: no hit 'qqxjzv'", q("/api/search", q="qqxjzv", limit=50)),
    ("search: genre+year 'jazz 1987'", q("/api/search", q="jazz 1987", limit=50)),
    ("search: songs page 2 'love'", q("/api/songs", q="love", limit=50, offset=50)),
    ("subsonic search3 'river'", lambda c: q("/rest/search3", apiKey=c.api_key, v="1.16.1", c="bench", f="json",
                                             query="river", songCount=20, albumCount=20, artistCount=20)),
    ("songs, first page", q("/api/songs", limit=50)),
    ("songs, first page, sort=title", q("/api/songs", limit=50, sort="title")),
    ("songs, first page, sort=added desc", q("/api/songs", limit=50, sort="added", order="desc")),
    (f"songs, deep page (offset {DEEP})", q("/api/songs", limit=50, offset=DEEP)),
    (f"songs, deep page after a cursor (row {DEEP})", lambda c: deep_cursor(c)),
    ("songs, genre=jazz decade=1980", q("/api/songs", limit=50, genre="jazz", decade=1980)),
    ("albums, first page", q("/api/albums", limit=50)),
    (f"albums, deep page (offset {DEEP_ALBUMS})", q("/api/albums", limit=50, offset=DEEP_ALBUMS)),
    ("artists, first page", q("/api/artists", limit=50)),
    (f"artists, deep page (offset {DEEP_ARTISTS})", q("/api/artists", limit=50, offset=DEEP_ARTISTS)),
    ("album page", f"/api/albums/{ALBUM}"),
    ("home", "/api/home"),
    ("history (the caller's plays, newest first)", q("/api/history", limit=50)),
    ("subsonic getAlbumList2 newest", lambda c: q("/rest/getAlbumList2", apiKey=c.api_key, v="1.16.1", c="bench", f="json",
                                                  type="newest", size=50)),
    ("subsonic getAlbumList2 alphabeticalByArtist", lambda c: q("/rest/getAlbumList2", apiKey=c.api_key, v="1.16.1", c="bench",
                                                                f="json", type="alphabeticalByArtist", size=50)),
    ("subsonic getAlbumList2 frequent", lambda c: q("/rest/getAlbumList2", apiKey=c.api_key, v="1.16.1", c="bench", f="json",
                                                    type="frequent", size=50)),
    ("subsonic getAlbumList2 recent", lambda c: q("/rest/getAlbumList2", apiKey=c.api_key, v="1.16.1", c="bench", f="json",
                                                  type="recent", size=50)),
]
only = os.environ.get("BENCH_SHAPES")
if only:
    SHAPES = [s for s in SHAPES if any(k.strip() and k.strip() in s[0] for k in only.split(","))]


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


result = {}
for name, path in SHAPES:
    times = {s: [] for s in clients}
    info = {}
    for i in range(WARMUP + REPS):
        for s, c in clients.items():
            p = path(c) if callable(path) else path
            if p is None:
                continue
            t0 = time.perf_counter()
            r, data = c.call("GET", p)
            dt = (time.perf_counter() - t0) * 1000
            if i >= WARMUP:
                times[s].append(dt)
            if i == 0:
                body = {}
                try:
                    body = json.loads(data)
                except ValueError:
                    pass
                page = body.get("songs", body) if isinstance(body, dict) else {}
                info[s] = {"status": r.status, "total": page.get("total") if isinstance(page, dict) else None,
                           "exact": page.get("totalExact") if isinstance(page, dict) else None}
    result[name] = {s: dict(info[s], p50=round(pct(times[s], 50), 2), p99=round(pct(times[s], 99), 2)) for s in clients if times[s]}
    print(f"  {name}: " + ", ".join(f"{s} p50 {v['p50']} p99 {v['p99']} ({v['status']})" for s, v in result[name].items()),
          file=sys.stderr)
print(json.dumps(result))
