#!/usr/bin/env python3
"""Answers of two nodes on copies of one bench catalog, byte for byte (bench/search.md, round 6).

Usage: DSPOT_ADMIN_PASSWORD=... search-answers.py URL_A URL_B   (e.g. main's jar and this build's, each on a
copy of bench/gen-catalog.sql's 100,000 songs, as bench/search.sh makes them; BENCH_KEEP=1 keeps a run's)
65 GETs: the bench's shapes and more (searches with offsets inside and past the titles, filters, ids, lists,
an album and artist page, home without its random albums, history, 400s, Subsonic search and album lists).
Same status, Content-Type and bytes, or the difference is printed. Exit status 1 when any differs."""
import http.client, json, os, sys, urllib.parse
q = lambda p, **kw: p + "?" + urllib.parse.urlencode(kw)
class C:
    def __init__(s, url):
        u = urllib.parse.urlparse(url); s.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60); s.h = {}
    def call(s, m, p, body=None):
        h = dict(s.h)
        if body is not None: h["Content-Type"] = "application/json"; body = json.dumps(body)
        s.conn.request(m, p, body=body, headers=h); r = s.conn.getresponse(); return r, r.read()
    def login(s):
        r, d = s.call("POST", "/api/auth/login", {"username": "admin", "password": os.environ["DSPOT_ADMIN_PASSWORD"]})
        s.h = {"Cookie": r.getheader("Set-Cookie").split(";", 1)[0]}
        r, d = s.call("PUT", "/api/account/subsonic-password", {"currentPassword": os.environ["DSPOT_ADMIN_PASSWORD"]})
        s.key = json.loads(d)["apiKey"]
a, b = C(sys.argv[1]), C(sys.argv[2]); a.login(); b.login()
r, d = a.call("GET", q("/api/albums", limit=1, offset=5000)); album = json.loads(d)["items"][0]
r, d = a.call("GET", q("/api/artists", limit=1, offset=500)); artist = json.loads(d)["items"][0]["id"]
r, d = a.call("GET", q("/api/songs", limit=1, offset=49999)); nxt = json.loads(d).get("next")
urls = []
for w in ["mor", "river", "blue night", "café", "zephyrine", "love", "qqxjzv", "jazz 1987", "m", "mo", "ab", "x", "LOVE", "Café", "night blue", "1987", "ångström", "łódź"]:
    urls.append(q("/api/search", q=w, limit=50))
for w, off in [("mor", 50), ("mor", 500), ("river", 100), ("love", 50), ("blue night", 50), ("jazz 1987", 100), ("blue night", 700)]:
    urls.append(q("/api/search", q=w, limit=50, offset=off))
urls += [q("/api/songs", q="love", limit=50, offset=50), q("/api/songs", q="mor", limit=20), q("/api/songs", q="river", genre="jazz"),
         q("/api/songs", q="night", decade=1980), q("/api/songs", q="blue", artistId=artist), q("/api/songs", q="love", sort="title"),
         q("/api/songs", limit=50), q("/api/songs", limit=50, sort="title"), q("/api/songs", limit=50, sort="added", order="desc"),
         q("/api/songs", limit=50, offset=50000), q("/api/songs", genre="jazz", decade=1980), q("/api/songs", limit=50, after=nxt) if nxt else "/api/songs",
         q("/api/albums", limit=50), q("/api/albums", limit=50, offset=5000), q("/api/artists", limit=50), q("/api/artists", limit=50, offset=500),
         q("/api/artists", q="mor"), q("/api/albums", artistId=artist), f"/api/albums/{album['id']}", f"/api/artists/{artist}",
         "/api/home", q("/api/history", limit=50), q("/api/history", limit=50, offset=50), "/api/genres", "/api/years",
         q("/api/songs/ids", q="blue night"), q("/api/favourites/songs", limit=50), q("/api/search", q="a" * 201), q("/api/search", q=""),
         q("/api/songs", limit=50, offset=-1)]
sub = lambda c, m, **kw: q(f"/rest/{m}", apiKey=c.key, v="1.16.1", c="cmp", f="json", **kw)
subs = [("search3", dict(query="river", songCount=20, albumCount=20, artistCount=20)), ("search3", dict(query="blue night")),
        ("search2", dict(query="mor")), ("getAlbumList2", dict(type="newest", size=50)), ("getAlbumList2", dict(type="alphabeticalByArtist", size=50)),
        ("getAlbumList2", dict(type="frequent", size=50)), ("getAlbumList2", dict(type="recent", size=50)), ("getAlbumList2", dict(type="byGenre", genre="Jazz", size=50)),
        ("getSongsByGenre", dict(genre="Jazz", count=50)), ("getArtists", {})]
same = diff = 0
for u in urls + [("SUB", m, kw) for m, kw in subs]:
    if isinstance(u, tuple):
        pa, pb = sub(a, u[1], **u[2]), sub(b, u[1], **u[2]); label = u[1] + " " + str(u[2])
    else:
        pa = pb = label = u
    ra, da = a.call("GET", pa); rb, db = b.call("GET", pb)
    if u == "/api/home":
        ja, jb = json.loads(da), json.loads(db)
        ka = [x["id"] for x in ja.pop("randomAlbums")]; kb = [x["id"] for x in jb.pop("randomAlbums")]
        da, db = json.dumps(ja).encode(), json.dumps(jb).encode()
    ok = ra.status == rb.status and da == db and ra.getheader("Content-Type") == rb.getheader("Content-Type")
    same += ok; diff += not ok
    print(("same " if ok else "DIFF ") + f"{ra.status} {len(da):7d} B  {label[:110]}")
    if not ok: print("   A:", da[:300], "\n   B:", db[:300])
print(f"{same} same, {diff} different, of {same + diff} URLs")
sys.exit(1 if diff else 0)
