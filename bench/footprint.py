#!/usr/bin/env python3
"""Memory and idle CPU of one node with N songs, for several jars in the same run (see footprint.md).

Driven by footprint.sh, which owns the temp dir and kills whatever is left in it. Progress goes to
stderr, the markdown report to stdout. Everything is read from /proc: the node JVM (the pid we
started) and its embedded PostgreSQL (the postmaster whose command line names the node's data
directory, and that postmaster's children).
"""
import json
import os
import shutil
import signal
import socket
import ssl
import statistics
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request

from procfs import read, stat_fields

WORK = os.environ["FP_WORK"]
JARS = [j for j in os.environ["FP_JARS"].split(",") if j]
LABELS = os.environ["FP_LABELS"].split(",")
SONGS = int(os.environ.get("BENCH_SONGS", "10000"))
IMPORT_SONGS = int(os.environ.get("BENCH_IMPORT_SONGS", "1000"))
IDLE = int(os.environ.get("BENCH_IDLE", "60"))
SETTLE = int(os.environ.get("BENCH_SETTLE", "20"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))
SAMPLE = float(os.environ.get("BENCH_SAMPLE", "1"))
JAVA_OPTS = os.environ.get("BENCH_JAVA_OPTS", "").split()
HEAP_MB = os.environ.get("BENCH_HEAP_MB", "")  # the node's jvm.heapMegabytes; empty: the jar's default
TIMEOUT = int(os.environ.get("BENCH_IMPORT_TIMEOUT", "3600"))
HZ = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
# FP_PASSWORD: the admin password of the nodes (a kept data dir, e.g. for footprint-reads.py, needs the one it was made with)
PASSWORD = os.environ.get("FP_PASSWORD") or "footprint-%d" % os.getpid()


def say(fmt, *args):
    print("[footprint] " + (fmt % args if args else fmt), file=sys.stderr, flush=True)


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


# ---------------------------------------------------------------------------------------------
# Songs: one short MP3 encoded once, then N files that differ in their ID3v2.3 tag (title,
# artist, album, track): distinct bytes, distinct catalog rows, as a real library has.

def id3_frame(fid, text):
    body = b"\x03" + text.encode("utf-8")  # encoding 3 = UTF-8
    return fid.encode() + struct.pack(">I", len(body)) + b"\x00\x00" + body


def syncsafe(n):
    return bytes([(n >> 21) & 0x7F, (n >> 14) & 0x7F, (n >> 7) & 0x7F, n & 0x7F])


def make_songs(folder, count, first=0):
    os.makedirs(folder, exist_ok=True)
    tone = os.path.join(WORK, "tone.mp3")
    if not os.path.exists(tone):
        subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=1",
                        "-ac", "1", "-c:a", "libmp3lame", "-b:a", "32k", "-id3v2_version", "0", "-write_xing", "0", tone], check=True)
    audio = open(tone, "rb").read()
    for i in range(first, first + count):
        artist, album = "Artist %d" % (i // 100), "Album %d" % (i // 10)
        frames = id3_frame("TIT2", "Song %d" % i) + id3_frame("TPE1", artist) + id3_frame("TALB", album) \
            + id3_frame("TRCK", str(i % 10 + 1))
        tag = b"ID3\x03\x00\x00" + syncsafe(len(frames)) + frames
        sub = os.path.join(folder, "%03d" % (i // 1000))
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, "song-%06d.mp3" % i), "wb") as f:
            f.write(tag + audio)


# ---------------------------------------------------------------------------------------------
# /proc

def postgres_pids(data_dir):
    """The node's postmaster (its command line names the data dir) and all its children."""
    procs = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            f = stat_fields(int(name))
            if f:
                procs[int(name)] = int(f[1])  # ppid
    masters = [p for p in procs if data_dir in read("/proc/%d/cmdline" % p).replace("\0", " ")
               and "postgres" in read("/proc/%d/cmdline" % p) and "java" not in read("/proc/%d/cmdline" % p)]
    masters = [p for p in masters if procs.get(p) not in masters]
    return masters + [p for p, pp in procs.items() if pp in masters]


def ticks(pid, with_children=False):
    f = stat_fields(pid)
    if not f:
        return 0
    t = int(f[11]) + int(f[12])  # utime, stime
    if with_children:
        t += int(f[13]) + int(f[14])  # cutime, cstime: backends and workers that exited
    return t


def memory(pid):
    """(RSS, PSS) in bytes."""
    rss = pss = 0
    for line in read("/proc/%d/smaps_rollup" % pid).splitlines():
        if line.startswith("Rss:"):
            rss = int(line.split()[1]) * 1024
        elif line.startswith("Pss:"):
            pss = int(line.split()[1]) * 1024
    return rss, pss


def jvm_pids(pid):
    """The JVM we started and the java processes under it (a launcher JVM runs the node in a child)."""
    children = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            f = stat_fields(int(name))
            if f:
                children.setdefault(int(f[1]), []).append(int(name))
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        if os.path.basename(read("/proc/%d/cmdline" % p).split("\0")[0]) == "java":
            found.append(p)
            todo.extend(children.get(p, []))
    return found


def footprint(node):
    jvm = [memory(p) for p in jvm_pids(node.pid)]
    pg = [memory(p) for p in postgres_pids(node.data)]
    return {"jvm_rss": sum(r for r, _ in jvm), "jvm_pss": sum(p for _, p in jvm), "jvms": len(jvm),
            "pg_rss": sum(r for r, _ in pg), "pg_pss": sum(p for _, p in pg), "pg_procs": len(pg)}


def cpu_ticks(node):
    pg = postgres_pids(node.data)
    master = pg[:1]
    return sum(ticks(p) for p in jvm_pids(node.pid)), sum(ticks(p, with_children=p in master) for p in pg)


# ---------------------------------------------------------------------------------------------
# The node

def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Node:
    def __init__(self, jar, case_dir, seed=None):
        self.dir = case_dir
        self.data = os.path.join(case_dir, "data")
        self.port = free_port()
        hz_port = free_port()
        os.makedirs(case_dir, exist_ok=True)
        if seed:
            shutil.copytree(seed, self.data, symlinks=True)
        else:
            os.makedirs(self.data)
        conf = {
            "node": {"id": "footprint", "dataDir": self.data},
            "http": {"host": "127.0.0.1", "port": self.port, "tls": {"enabled": False}},
            "db": {"url": "", "user": "postgres", "password": "", "poolSize": 8, "embeddedPort": 0},
            "admin": {"username": "admin"},
            "demo": {"enabled": False},
            # Other nodes on this machine hold the default ports: every port is a free one.
            "cluster": {"port": hz_port, "members": ["127.0.0.1:%d" % hz_port], "internalHttpPort": free_port()},
            "import": {"roots": [os.path.join(WORK, "songs"), os.path.join(WORK, "more")]},
        }
        if HEAP_MB:
            conf["jvm"] = {"heapMegabytes": int(HEAP_MB)}
        with open(os.path.join(case_dir, "node.json"), "w") as f:
            json.dump(conf, f)
        self.log = open(os.path.join(case_dir, "node.log"), "w")
        env = dict(os.environ, DSPOT_ADMIN_PASSWORD=PASSWORD)
        self.proc = subprocess.Popen(["java"] + JAVA_OPTS + ["-jar", jar, "--conf", os.path.join(case_dir, "node.json")],
                                     cwd=case_dir, stdout=self.log, stderr=subprocess.STDOUT, env=env)
        self.pid = self.proc.pid
        self.base = "http://127.0.0.1:%d" % self.port
        self.token = None
        self.delays = []  # event-loop probe's max, ms, read while importing (loop_delay_max)

    def call(self, method, path, body=None, timeout=30):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if self.token:
            req.add_header("Authorization", "Bearer " + self.token)
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return json.loads(r.read() or b"{}")

    def loop_delay_max(self):
        """The longest wait of the metrics' event-loop probe (a no-op queued on each loop every 2 s) in
        Micrometer's window, in ms over all loops: a lower bound of the longest event-loop block."""
        req = urllib.request.Request(self.base + "/metrics")
        req.add_header("Authorization", "Bearer " + self.token)
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                text = r.read().decode()
        except Exception:
            return None
        values = [float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
                  if line.startswith("dspot_event_loop_delay_seconds_max")]
        return max(values) * 1000 if values else None

    def await_up(self):
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("node exited with %s, see %s" % (self.proc.returncode, self.log.name))
            try:
                self.call("GET", "/api/health", timeout=2)
                break
            except Exception:
                time.sleep(0.3)
        else:
            raise RuntimeError("node not up after 120 s")
        self.token = self.call("POST", "/api/auth/login", {"username": "admin", "password": PASSWORD})["token"]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for p in postgres_pids(self.data):
            try:
                os.kill(p, signal.SIGKILL)
            except OSError:
                pass
        self.log.close()


# ---------------------------------------------------------------------------------------------
# The library: N songs imported once into a seed data directory (by the jar under test), copied
# for every case, so each node starts holding the same N songs. Each case then imports M more
# while its memory is sampled, rests, and is measured idle.

def folder_import(node, folder, label, samples=None):
    t0 = time.time()
    try:
        node.call("POST", "/api/admin/import", {"path": folder})
    except urllib.error.HTTPError as e:
        # On a loaded machine the start of a 100,000-file import can outlast the API's bus
        # timeout (504) although the import started: go on if the job says it runs.
        if e.code != 504:
            raise
        job = node.call("GET", "/api/admin/import")
        if job.get("state") != "running":
            raise
        say("%s: the start answered 504, but the import runs: %s", label, job)
    while True:
        time.sleep(SAMPLE)
        if samples is not None:
            samples.append(footprint(node))
            delay = node.loop_delay_max()
            if delay is not None:
                node.delays.append(delay)
        job = node.call("GET", "/api/admin/import")
        if job.get("state") != "running":
            break
        if time.time() - t0 > TIMEOUT:
            raise RuntimeError("import still running after %d s" % TIMEOUT)
        if int(time.time() - t0) % 60 < SAMPLE:
            say("%s: %s of %s imported", label, job.get("imported"), job.get("found"))
    took = time.time() - t0
    say("%s: import %s in %.0f s: %s", label, job.get("state"), took, {k: job.get(k) for k in ("found", "imported", "duplicates", "failed")})
    return job, took


def seed_library(jar):
    node = Node(jar, os.path.join(WORK, "seed"))
    try:
        node.await_up()
        job, took = folder_import(node, os.path.join(WORK, "songs"), "seed library")
        if job.get("imported") != SONGS:
            raise RuntimeError("seed import: %s" % job)
        return took
    finally:
        node.stop()


def run_case(label, jar, rnd):
    case_dir = os.path.join(WORK, "%s-r%d" % (label, rnd))
    node = Node(jar, case_dir, seed=os.path.join(WORK, "seed", "data"))
    try:
        t0 = time.time()
        node.await_up()
        started = time.time() - t0
        time.sleep(SETTLE)
        at_start = footprint(node)
        say("%s round %d: up in %.1f s with %d songs: JVM PSS %.0f MB, PG PSS %.0f MB", label, rnd, started, SONGS,
            at_start["jvm_pss"] / 2**20, at_start["pg_pss"] / 2**20)
        samples = []
        job, took = folder_import(node, os.path.join(WORK, "more"), "%s round %d" % (label, rnd), samples)
        time.sleep(SETTLE)
        after = node.loop_delay_max()
        say("%s round %d: event-loop probe's longest wait %s ms during the import; %d s after it, its max over the last ~2 min: %s ms", label, rnd,
            "%.0f" % max(node.delays) if node.delays else "?", SETTLE, "%.0f" % after if after is not None else "?")
        jvm0, pg0 = cpu_ticks(node)
        w0 = time.time()
        time.sleep(IDLE)
        jvm1, pg1 = cpu_ticks(node)
        secs = time.time() - w0
        rest = footprint(node)
        totals = [x["jvm_pss"] + x["pg_pss"] for x in samples] or [0]
        say("%s round %d: idle JVM + PG PSS %.0f MB, import %.0f-%.0f MB, idle CPU JVM %.2f %% + PG %.2f %%", label, rnd,
            (rest["jvm_pss"] + rest["pg_pss"]) / 2**20, min(totals) / 2**20, max(totals) / 2**20,
            (jvm1 - jvm0) * 100.0 / HZ / secs, (pg1 - pg0) * 100.0 / HZ / secs)
        return {
            "label": label, "round": rnd, "start_s": started, "import_s": took, "imported": job.get("imported"),
            "failed": job.get("failed"), "at_start": at_start, "rest": rest,
            "import_min": min(totals), "import_max": max(totals), "samples": len(samples),
            "cpu_jvm": (jvm1 - jvm0) * 100.0 / HZ / secs, "cpu_pg": (pg1 - pg0) * 100.0 / HZ / secs, "idle_s": secs,
        }
    finally:
        node.stop()
        if os.environ.get("BENCH_KEEP") != "1":  # kept: its node.log tells what the node did (AfterImport's line, autovacuum)
            shutil.rmtree(case_dir, ignore_errors=True)


def mb(b):
    return "%.0f" % (b / 2**20)


def main():
    load_start = loadavg()
    say("generating %d + %d songs", SONGS, IMPORT_SONGS)
    make_songs(os.path.join(WORK, "songs"), SONGS)
    make_songs(os.path.join(WORK, "more"), IMPORT_SONGS, first=SONGS)
    say("seeding the library: %d songs through %s's folder import", SONGS, LABELS[-1])
    seed_s = seed_library(JARS[-1])
    results = []
    for rnd in range(1, ROUNDS + 1):
        order = list(zip(LABELS, JARS))
        if rnd % 2 == 0:
            order.reverse()  # interleaved: A B, then B A
        for label, jar in order:
            results.append(run_case(label, jar, rnd))
    load_end = loadavg()

    out = []
    out.append("host: %d cores, %s; library of %d songs (seeded once by `%s`'s folder import in %.0f s, copied for every case), "
               "then %d more imported while memory is sampled every %s s; MP3s of %d bytes with distinct ID3 tags; "
               "idle window %d s after %d s of quiet; load average at start %s, at end %s; JVM options given: %s" % (
                   os.cpu_count(), os.uname().release, SONGS, LABELS[-1], seed_s, IMPORT_SONGS, SAMPLE,
                   os.path.getsize(os.path.join(WORK, "songs", "000", "song-000000.mp3")), IDLE, SETTLE, load_start, load_end,
                   (" ".join(JAVA_OPTS) or "none (`java -jar`)") + ("; jvm.heapMegabytes %s" % HEAP_MB if HEAP_MB else "")))
    out.append("")
    out.append("| jar | round | JVMs | JVM RSS MB | JVM PSS MB | PG RSS MB (sum; processes) | PG PSS MB | **JVM + PG PSS MB, idle** | "
               "JVM + PG PSS during the import, min-max MB (spread) | idle CPU JVM % | idle CPU PG % | **idle CPU total, % of a core** | "
               "JVM + PG PSS just after start MB | import s | start s |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        rest = r["rest"]
        out.append("| %s | %d | %d | %s | %s | %s (%d) | %s | **%s** | %s-%s (%+.0f %%) | %.2f | %.2f | **%.2f** | %s | %.0f | %.1f |" % (
            r["label"], r["round"], rest["jvms"], mb(rest["jvm_rss"]), mb(rest["jvm_pss"]), mb(rest["pg_rss"]), rest["pg_procs"],
            mb(rest["pg_pss"]), mb(rest["jvm_pss"] + rest["pg_pss"]), mb(r["import_min"]), mb(r["import_max"]),
            (r["import_max"] / r["import_min"] - 1) * 100 if r["import_min"] else 0,
            r["cpu_jvm"], r["cpu_pg"], r["cpu_jvm"] + r["cpu_pg"],
            mb(r["at_start"]["jvm_pss"] + r["at_start"]["pg_pss"]), r["import_s"], r["start_s"]))
    if len(LABELS) >= 2:
        def ratio(f):
            pairs = zip([r for r in results if r["label"] == LABELS[-1]], [r for r in results if r["label"] == LABELS[0]])
            values = [f(a) / f(b) for a, b in pairs if f(b)]
            return statistics.median(values) if values else float("nan")
        out.append("")
        out.append("Ratios %s / %s, median over the rounds: " % (LABELS[-1], LABELS[0]) + ", ".join("%s %.2f" % (name, ratio(f)) for name, f in [
            ("idle JVM + PG PSS", lambda r: r["rest"]["jvm_pss"] + r["rest"]["pg_pss"]),
            ("import max PSS", lambda r: r["import_max"]),
            ("idle CPU", lambda r: r["cpu_jvm"] + r["cpu_pg"])]))
    for r in results:
        if r["failed"]:
            out.append("\n%s round %d: %s files failed to import" % (r["label"], r["round"], r["failed"]))
    print("\n".join(out))


if __name__ == "__main__":
    main()
