#!/usr/bin/env python3
"""Who spends footprint.sh's idle-CPU window, per JVM thread and per PostgreSQL process (see footprint.md).

    bench/footprint-idle-profile.py PROGRESS_FILE OUT.md [SETTLE=20] [WINDOW=60]

Run beside footprint.sh with its stderr (the progress lines) going to PROGRESS_FILE. Each time a
line "... round N: import finished" appears, waits SETTLE seconds, then watches for WINDOW - 3
seconds (so the node is still there at the window's end): the node JVM's and its launcher JVM's
threads (utime+stime from /proc/<pid>/task/*/stat; Java names from `jcmd Thread.print` asked
halfway through the quiet before the window, so that its cost falls outside) and every process of
the node's PostgreSQL, polled every 0.2 s so that a backend or autovacuum worker that ends inside
the window is seen with (almost) all its CPU, which the benchmark counts through the postmaster's
cutime. Appends one section per case to OUT.md. The window starts up to 0.5 s after footprint.sh's.
"""
import os
import re
import sys
import time

from procfs import cmdline, processes, read, stat
from threads import java_names

HZ = os.sysconf("SC_CLK_TCK")


def node_jvm(procs):
    for pid in procs:
        c = cmdline(pid)
        if "-Ddspot.relaunched=true" in c and "/tmp/footprint." in c:
            return pid
    return None


def postgres(procs):
    masters = [p for p in procs if "/tmp/footprint." in cmdline(p) and "postgres" in cmdline(p) and "java" not in cmdline(p)]
    masters = [p for p in masters if procs[p][1] not in masters]
    return masters, {p: st for p, st in procs.items() if st[1] in masters or p in masters}


def threads(pid):
    out = {}
    for tid in os.listdir("/proc/%d/task" % pid) if os.path.isdir("/proc/%d/task" % pid) else []:
        st = stat("/proc/%d/task/%s/stat" % (pid, tid))
        if st:
            out[tid] = (st[0], st[2])
    return out


def names_of(procs):
    """Java thread names of the node and its launcher; asked before the window, since a jcmd costs the JVM CPU."""
    jvm = node_jvm(procs)
    return {} if jvm is None else {jvm: java_names(jvm), procs[jvm][1]: java_names(procs[jvm][1])}


def watch(label, window, known):
    procs = processes()
    jvm = node_jvm(procs)
    masters, pg = postgres(procs)
    if jvm is None:
        return "### %s\n\nno node JVM found\n" % label
    launcher = procs[jvm][1]
    l_before = threads(launcher)
    t_before = threads(jvm)
    first = {p: (cmdline(p) or st[0], st[2]) for p, st in pg.items()}
    last = dict(first)
    t0 = time.time()
    while time.time() - t0 < window:
        time.sleep(0.2)
        procs = processes()
        for p, st in postgres(procs)[1].items():
            last[p] = (cmdline(p) or last.get(p, (st[0], 0))[0], st[2])
            first.setdefault(p, (last[p][0], 0))  # started inside the window: all its ticks are in it
    secs = time.time() - t0
    alive = set(postgres(processes())[1])
    lines = ["### %s (%.0f s window)" % (label, secs)]
    for title, pid, before in (("node JVM", jvm, t_before), ("launcher JVM", launcher, l_before)):
        after = threads(pid)
        names = known.get(pid, {})
        lines += ["", "| %s thread | ticks |" % title, "|---|---:|"]
        total = 0
        rows = {}
        for tid, (name, ticks) in after.items():
            d = ticks - before.get(tid, (name, 0))[1]
            key = re.sub(r"[-#._ ]?\d+$", "", names.get(tid, name))
            rows[key] = rows.get(key, 0) + d
            total += d
        for k, d in sorted(rows.items(), key=lambda kv: -kv[1]):
            if d:
                lines.append("| `%s` | %d |" % (k, d))
        lines.append("| **all** | **%d (%.2f %% of a core)** |" % (total, total * 100.0 / HZ / secs))
    lines += ["", "| PostgreSQL process | ticks in window | state |", "|---|---:|---|"]
    pg_total = 0
    for p in sorted(last):
        d = last[p][1] - first[p][1]
        pg_total += d
        was_there = first[p][1] != 0 or p in pg
        state = ("ended in window" if p not in alive else "alive") + ("" if was_there else ", started in window")
        if d or p not in alive:
            lines.append("| %d `%s` | %d | %s |" % (p, re.sub(r"\s+", " ", last[p][0])[:70], d, state))
    lines.append("| **all** | **%d (%.2f %% of a core)** | |" % (pg_total, pg_total * 100.0 / HZ / secs))
    return "\n".join(lines) + "\n"


def main():
    progress, out = sys.argv[1], sys.argv[2]
    settle = float(sys.argv[3]) if len(sys.argv) > 3 else 20
    window = float(sys.argv[4]) if len(sys.argv) > 4 else 60
    done = 0
    while True:
        finished = [l for l in read(progress).splitlines() if "import finished" in l and "round" in l]
        if len(finished) > done:
            label = re.search(r"\] (.*?): import finished", finished[done]).group(1)
            done += 1
            time.sleep(settle / 2)
            known = names_of(processes())
            time.sleep(settle / 2)
            # a little inside footprint.sh's window, so the node is still there at its end
            section = watch(label, window - 3, known)
            with open(out, "a") as f:
                f.write(section + "\n")
        time.sleep(0.5)


if __name__ == "__main__":
    main()
