#!/usr/bin/env python3
"""Splits async-profiler collapsed stacks (taken with `threads`) of the ring bench harness JVM into
the parts of a write: the load generator by its threads (bench-client-*, HttpClient-*), JIT and GC
threads apart, every other sample by the innermost frame that names a part. Used by
bench/ring-profile.sh:  bench/ring-split.py FILE.collapsed[.gz]"""
import collections
import gzip
import re
import sys

GENERATOR = "load generator (java.net.http clients in the harness JVM)"
JIT = "JIT compiler threads"
GC = "GC + VM threads"
GEN_THREAD = re.compile(r'bench-client|HttpClient|httpclient', re.I)
CATS = [  # (name, regex on a frame), tried leaf-first: the innermost known frame wins
  ("TLS (server, netty SslHandler / JSSE)", re.compile(r'sun/security|javax/net/ssl|io/netty/handler/ssl|com/sun/crypto|java/security')),
  ("JSON (jackson, vert.x Json)", re.compile(r'com/fasterxml/jackson|io/vertx/core/json')),
  ("PostgreSQL client (vert.x pg/sql client)", re.compile(r'io/vertx/pgclient|io/vertx/sqlclient')),
  ("event bus (local + clustered, hazelcast)", re.compile(r'io/vertx/core/eventbus|com/hazelcast|io/vertx/spi/cluster|io/vertx/core/spi/cluster')),
  ("session/auth check", re.compile(r'io/dspot/web/Authentication|io/dspot/security')),
  ("apply on the other nodes (relay/applier)", re.compile(r'io/dspot/log/(Relay|EventApplier|Outbox)')),
  ("ring/commit (io.dspot.log)", re.compile(r'io/dspot/log')),
  ("catalog (playlist decide/answer)", re.compile(r'io/dspot/catalog')),
  ("HTTP server + router (vert.x http, vertx-web)", re.compile(r'io/vertx/core/http|io/vertx/ext/web|io/netty/handler/codec/http|io/dspot/web|io/dspot/http')),
  ("metrics (micrometer)", re.compile(r'micrometer|io/vertx/micrometer')),
  ("metrics (micrometer)", re.compile(r'micrometer|io/vertx/micrometer')),
]
GENERIC = ("netty socket I/O + event loop + futures (not attributable to one protocol)", re.compile(r'io/netty|io/vertx/core'))


def main(path):
    tot, gen, entry = collections.Counter(), collections.Counter(), collections.Counter()
    n = 0
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as lines:
        for line in lines:
            stack, _, cnt = line.rstrip().rpartition(" ")
            if not stack:
                continue
            cnt = int(cnt)
            n += cnt
            frames = stack.split(";")
            thread = frames[0]
            if GEN_THREAD.search(thread):
                part = "other"
                for f in reversed(frames[1:]):
                    if re.search(r"sun/security|javax/net/ssl|com/sun/crypto", f):
                        part = "its TLS"
                        break
                    if re.search(r"jdk/internal/net/http", f):
                        part = "java.net.http"
                        break
                gen[part] += cnt
                tot[GENERATOR] += cnt
                continue
            if re.search(r"Compiler|C2 |C1 |Sweeper", thread):
                tot[JIT] += cnt
                continue
            if re.search(r"GC Thread|G1 |VM Thread|VM Periodic", thread):
                tot[GC] += cnt
                continue
            if "eventloop" in thread:
                ours = [f for f in frames if f.startswith("io/dspot/")]
                entry[re.split(r"[.$]", ours[0])[0] if ours else "(no io.dspot frame: socket reads, TLS/HTTP decoding)"] += cnt
            cat = None
            for f in reversed(frames[1:]):
                for name, rx in CATS:
                    if rx.search(f):
                        cat = name
                        break
                if cat:
                    break
            if cat is None:
                cat = GENERIC[0] if any(GENERIC[1].search(f) for f in frames) else "other (hazelcast threads, timers, ...)"
            tot[cat] += cnt
    work = n - tot[JIT] - tot[GC]
    print(f"{n} samples\n")
    print("| part | % of all samples | % without JIT/GC threads |")
    print("|---|---:|---:|")
    for k, v in tot.most_common():
        rest = "—" if k in (JIT, GC) else f"{100 * v / work:.1f}"
        print(f"| {k} | {100 * v / n:.1f} | {rest} |")
    print("\nload generator by part (% of all samples): " + ", ".join(f"{k} {100 * v / n:.1f}" for k, v in gen.most_common()))
    print("\nevent-loop samples by their outermost io.dspot frame (% of all samples):")
    for k, v in entry.most_common(15):
        print(f"- {k}: {100 * v / n:.1f}")


if __name__ == "__main__":
    main(sys.argv[1])
