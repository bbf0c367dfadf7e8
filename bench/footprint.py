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
import urllib.request

WORK = os.environ["FP_WORK"]
JARS = [j for j in os.environ["FP_JARS"].split(",") if j]
LABELS = os.environ["FP_LABELS"].split(",")
SONGS = int(os.environ.get("BENCH_SONGS", "10000"))
METHOD = os.environ.get("BENCH_METHOD", "folder")
IDLE = int(os.environ.get("BENCH_IDLE", "60"))
SETTLE = int(os.environ.get("BENCH_SETTLE", "20"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))
SAMPLE = float(os.environ.get("BENCH_SAMPLE", "1"))
JAVA_OPTS = os.environ.get("BENCH_JAVA_OPTS", "").split()
TIMEOUT = int(os.environ.get("BENCH_IMPORT_TIMEOUT", "3600"))
HZ = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
PASSWORD = "footprint-%d" % os.getpid()


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


def make_songs(folder, count):
    os.makedirs(folder, exist_ok=True)
    tone = os.path.join(WORK, "tone.mp3")
    if not os.path.exists(tone):
        subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=1",
                        "-ac", "1", "-c:a", "libmp3lame", "-b:a", "32k", "-id3v2_version", "0", "-write_xing", "0", tone], check=True)
    audio = open(tone, "rb").read()
    for i in range(count):
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

def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ""


def stat_fields(pid):
    s = read("/proc/%d/stat" % pid)
    if not s:
        return None
    return s[s.rfind(")") + 2:].split()  # fields from index 2 (state) on


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


def footprint(node):
    jvm_rss, jvm_pss = memory(node.pid)
    pg = [memory(p) for p in postgres_pids(node.data)]
    return {"jvm_rss": jvm_rss, "jvm_pss": jvm_pss, "pg_rss": sum(r for r, _ in pg), "pg_pss": sum(p for _, p in pg),
            "pg_procs": len(pg)}


def cpu_ticks(node):
    pg = postgres_pids(node.data)
    master = pg[:1]
    return ticks(node.pid), sum(ticks(p, with_children=p in master) for p in pg)


# ---------------------------------------------------------------------------------------------
# The node

def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Node:
    def __init__(self, jar, case_dir):
        self.dir = case_dir
        self.data = os.path.join(case_dir, "data")
        self.port = free_port()
        os.makedirs(self.data)
        conf = {
            "node": {"id": "footprint", "dataDir": self.data},
            "http": {"host": "127.0.0.1", "port": self.port, "tls": {"enabled": False}},
            "db": {"url": "", "user": "postgres", "password": "", "poolSize": 8, "embeddedPort": 0},
            "admin": {"username": "admin"},
            "demo": {"enabled": False},
            "import": {"roots": [os.path.join(WORK, "songs")]},
        }
        with open(os.path.join(case_dir, "node.json"), "w") as f:
            json.dump(conf, f)
        self.log = open(os.path.join(case_dir, "node.log"), "w")
        env = dict(os.environ, DSPOT_ADMIN_PASSWORD=PASSWORD)
        self.proc = subprocess.Popen(["java"] + JAVA_OPTS + ["-jar", jar, "--conf", os.path.join(case_dir, "node.json")],
                                     cwd=case_dir, stdout=self.log, stderr=subprocess.STDOUT, env=env)
        self.pid = self.proc.pid
        self.base = "http://127.0.0.1:%d" % self.port
        self.token = None

    def call(self, method, path, body=None, timeout=30):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if self.token:
            req.add_header("Authorization", "Bearer " + self.token)
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return json.loads(r.read() or b"{}")

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
# One case: start, import while sampling memory, settle, idle CPU window, memory at rest.

def run_case(label, jar, rnd):
    case_dir = os.path.join(WORK, "%s-r%d" % (label, rnd))
    node = Node(jar, case_dir)
    try:
        t0 = time.time()
        node.await_up()
        started = time.time() - t0
        time.sleep(3)
        empty = footprint(node)
        say("%s round %d: up in %.1f s; empty library: JVM %.0f MB, PG PSS %.0f MB", label, rnd, started,
            empty["jvm_rss"] / 2**20, empty["pg_pss"] / 2**20)
        samples = []
        t0 = time.time()
        if METHOD == "folder":
            node.call("POST", "/api/admin/import", {"path": os.path.join(WORK, "songs")})
            while True:
                time.sleep(SAMPLE)
                samples.append(footprint(node))
                job = node.call("GET", "/api/admin/import")
                if job.get("state") != "running":
                    break
                if time.time() - t0 > TIMEOUT:
                    raise RuntimeError("import still running after %d s" % TIMEOUT)
                if len(samples) % 30 == 0:
                    say("%s round %d: %s of %s imported", label, rnd, job.get("imported"), job.get("found"))
        else:
            raise RuntimeError("BENCH_METHOD=%s: only 'folder' is implemented" % METHOD)
        took = time.time() - t0
        say("%s round %d: import %s in %.0f s: %s", label, rnd, job.get("state"), took,
            {k: job.get(k) for k in ("found", "imported", "duplicates", "failed")})
        time.sleep(SETTLE)
        jvm0, pg0 = cpu_ticks(node)
        w0 = time.time()
        time.sleep(IDLE)
        jvm1, pg1 = cpu_ticks(node)
        secs = time.time() - w0
        rest = footprint(node)
        totals = [s["jvm_rss"] + s["pg_pss"] for s in samples] or [0]
        return {
            "label": label, "round": rnd, "start_s": started, "import_s": took, "imported": job.get("imported"),
            "failed": job.get("failed"), "empty": empty, "rest": rest,
            "import_min": min(totals), "import_max": max(totals), "samples": len(samples),
            "cpu_jvm": (jvm1 - jvm0) * 100.0 / HZ / secs, "cpu_pg": (pg1 - pg0) * 100.0 / HZ / secs, "idle_s": secs,
        }
    finally:
        node.stop()
        shutil.rmtree(case_dir, ignore_errors=True)


def mb(b):
    return "%.0f" % (b / 2**20)


def main():
    load_start = loadavg()
    say("generating %d songs", SONGS)
    make_songs(os.path.join(WORK, "songs"), SONGS)
    results = []
    for rnd in range(1, ROUNDS + 1):
        order = list(zip(LABELS, JARS))
        if rnd % 2 == 0:
            order.reverse()  # interleaved: A B, then B A
        for label, jar in order:
            results.append(run_case(label, jar, rnd))
    load_end = loadavg()

    out = []
    out.append("host: %d cores, %s; %d songs (%s import of %s-byte MP3s with distinct ID3 tags); idle window %d s after %d s settle; "
               "load average at start %s, at end %s; JVM flags given: %s" % (
                   os.cpu_count(), os.uname().release, SONGS, METHOD,
                   os.path.getsize(os.path.join(WORK, "songs", "000", "song-000000.mp3")), IDLE, SETTLE, load_start, load_end,
                   " ".join(JAVA_OPTS) or "none (as `java -jar`)"))
    out.append("")
    out.append("| jar | round | idle: JVM RSS MB | idle: PG RSS MB (sum) | idle: PG PSS MB | **idle: JVM + PG PSS MB** | "
               "import: min-max JVM+PG PSS MB | idle CPU JVM % | idle CPU PG % | **idle CPU total %** | empty library: JVM RSS + PG PSS MB | import s | start s |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        rest, empty = r["rest"], r["empty"]
        out.append("| %s | %d | %s | %s | %s | **%s** | %s-%s | %.2f | %.2f | **%.2f** | %s | %.0f | %.1f |" % (
            r["label"], r["round"], mb(rest["jvm_rss"]), mb(rest["pg_rss"]), mb(rest["pg_pss"]),
            mb(rest["jvm_rss"] + rest["pg_pss"]), mb(r["import_min"]), mb(r["import_max"]),
            r["cpu_jvm"], r["cpu_pg"], r["cpu_jvm"] + r["cpu_pg"], mb(empty["jvm_rss"] + empty["pg_pss"]), r["import_s"], r["start_s"]))
    if len(LABELS) >= 2:
        out.append("")
        out.append("Ratios %s / %s (median over rounds): " % (LABELS[-1], LABELS[0]) + ", ".join(
            "%s %.2f" % (name, statistics.median(
                [f(a) / f(b) for a, b in zip([r for r in results if r["label"] == LABELS[-1]],
                                             [r for r in results if r["label"] == LABELS[0]]) if f(b)] or [float("nan")]))
            for name, f in [("idle JVM+PG PSS", lambda r: r["rest"]["jvm_rss"] + r["rest"]["pg_pss"]),
                            ("import max", lambda r: r["import_max"]),
                            ("idle CPU", lambda r: r["cpu_jvm"] + r["cpu_pg"])]))
    for r in results:
        if r["failed"]:
            out.append("\n%s round %d: %s files failed to import" % (r["label"], r["round"], r["failed"]))
    print("\n".join(out))


if __name__ == "__main__":
    main()
