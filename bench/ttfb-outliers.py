#!/usr/bin/env python3
"""Which TTFB requests were slow, and what the node was doing then (bench/ranges.md, round 5).

    bench/ttfb-outliers.py REQUESTS_TSV [--server dspot] [--over 0.2] [--gc GC_LOG] [--jit JIT_LOG]

REQUESTS_TSV is bench/ranges.sh's results/ranges-<UTC>-ttfb-requests.tsv.gz (round server index
pass_start_s pass_end_s status starttransfer_s pretransfer_s total_s connects). GC_LOG is the node's
-Xlog:gc*,safepoint:file=...:time,uptime,level,tags and JIT_LOG its
-Xlog:jit+compilation=debug:file=...:time,uptime (pass them with DSPOT_JAVA_OPTS and BENCH_KEEP=1;
use %p in the file name: `java -jar` starts the node in a second JVM, and both log).

A request's wall-clock start is the pass's start plus the requests before it (their time_total and
an equal share of what curl spent between requests), so a match is good to about a millisecond.
Per pass: the slowest requests, each with its server-side part (time_starttransfer -
time_pretransfer: a large pretransfer means curl itself was late), whether it opened the connection,
the safepoints (GC pauses included) that overlap it and the JIT events around it.
"""
import argparse
import datetime
import gzip
import re
from collections import defaultdict


def wall(stamp):
    return datetime.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()


def safepoints(path):
    out = []
    for line in open(path) if path else []:
        m = re.match(r"\[(\S+?)\].*\[safepoint\s*\] Safepoint \"(\w+)\".*Total: (\d+) ns", line)
        if m:
            end = wall(m.group(1))
            out.append((end - int(m.group(3)) / 1e9, end, m.group(2), int(m.group(3)) / 1e6))
    return out


def jit_events(path):
    out = []
    for line in open(path) if path else []:
        m = re.match(r"\[(\S+?)\]\[[^]]*\]\s*(.*)", line)
        if m:
            text = re.sub(r"\s+", " ", m.group(2))
            name = next((w for w in text.split(" ") if "::" in w), text[:60])
            out.append((wall(m.group(1)), ("deopt " if "made not entrant" in text else "") + name))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("requests")
    ap.add_argument("--server", default="dspot")
    ap.add_argument("--over", type=float, default=0.2, help="ms of time_starttransfer")
    ap.add_argument("--top", type=int, default=6)
    ap.add_argument("--gc")
    ap.add_argument("--jit")
    a = ap.parse_args()
    pauses, jits = safepoints(a.gc), jit_events(a.jit)
    passes = defaultdict(list)
    for line in (gzip.open(a.requests, "rt") if a.requests.endswith(".gz") else open(a.requests)):
        f = line.split("\t")
        if f[1] == a.server:
            passes[f[0]].append(f)
    for rnd, rows in sorted(passes.items()):
        t0, t1 = float(rows[0][3]), float(rows[0][4])
        total = sum(float(r[8]) for r in rows)
        gap = max(0.0, (t1 - t0) - total) / len(rows)
        inside = [p for p in pauses if t0 <= p[1] and p[0] <= t1]
        deopts = [j for j in jits if t0 <= j[0] <= t1 and j[1].startswith("deopt ")]
        print(f"round {rnd} {a.server}: {len(rows)} requests in {(t1 - t0) * 1000:.0f} ms; "
              f"safepoints in the pass: {len(inside)} ({sum(p[3] for p in inside):.2f} ms, "
              f"{', '.join(sorted({p[2] for p in inside})) or '-'}); compiled {sum(1 for j in jits if t0 <= j[0] <= t1) - len(deopts)}, "
              f"deoptimized {len(deopts)}: {'; '.join(j[1][6:] for j in deopts)[:400]}")
        t, slow = t0, []
        for r in rows:
            st, pre, tot = float(r[6]) * 1000, float(r[7]) * 1000, float(r[8])
            if st > a.over:
                near = [f"{p[2]} {p[3]:.2f} ms" for p in pauses if p[0] - 0.002 <= t + tot and p[1] + 0.002 >= t]
                jit = [j[1] for j in jits if t - 0.002 <= j[0] <= t + tot + 0.002]
                slow.append((st, f"  #{r[2]:>3} at {(t - t0) * 1000:6.1f} ms: {st:7.3f} ms (server part {st - pre:7.3f})"
                                 f"{' new connection' if r[9].strip() != '0' else ''}"
                                 f"{' | ' + ', '.join(near) if near else ''}"
                                 f"{' | jit: ' + '; '.join(jit[:4]) if jit else ''}"))
            t += tot + gap
        for _, text in sorted(slow, reverse=True)[:a.top]:
            print(text[:400])


if __name__ == "__main__":
    main()
