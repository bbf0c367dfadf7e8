#!/usr/bin/env python3
"""Where an idle process's CPU and wake-ups go, per thread group, from /proc/<pid>/task/* over a window.

    bench/threads.py PID [SECONDS=30]

Threads are grouped by name with trailing digits dropped (vert.x-eventloop-thread-0 and -1 are one
row). Prints a markdown table: wake-ups/s (voluntary context switches), CPU ticks (utime+stime,
100 per second) and % of one core. Threads that started or ended inside the window count from 0.
"""
import os
import re
import subprocess
import sys
import time

HZ = os.sysconf("SC_CLK_TCK")


def snapshot(pid):
    threads = {}
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/stat" % (pid, tid)) as f:
                stat = f.read()
            with open("/proc/%d/task/%s/status" % (pid, tid)) as f:
                status = f.read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        switches = int(re.search(r"voluntary_ctxt_switches:\s+(\d+)", status).group(1))
        threads[tid] = (name, int(fields[11]) + int(fields[12]), switches)
    return threads


def java_names(pid):
    """Full Java thread names by native id (the kernel keeps 15 characters); empty if not a JVM."""
    try:
        dump = subprocess.run(["jcmd", str(pid), "Thread.print"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        return {}
    return {str(int(nid, 16)): name for name, nid in re.findall(r'^"([^"]*)".*? nid=0x([0-9a-f]+)', dump, re.M)}


def group(name):
    # Hazelcast names its threads hz.<instance name>.<pool>.thread-<n>: group by pool.
    name = re.sub(r"^hz\.[^.]+\.", "hz.", name)
    return re.sub(r"[-#._ ]?\d+$", "", name) or name


def main():
    pid = int(sys.argv[1])
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 30.0
    before = snapshot(pid)
    time.sleep(seconds)
    after = snapshot(pid)
    full = java_names(pid)
    rows = {}
    for tid, (name, cpu, switches) in after.items():
        name0, cpu0, switches0 = before.get(tid, (name, 0, 0))
        row = rows.setdefault(group(full.get(tid, name)), [0, 0, 0])
        row[0] += 1
        row[1] += cpu - cpu0
        row[2] += switches - switches0
    total = sum(r[1] for r in rows.values())
    print("pid %d, %d threads, %.0f s: %.2f %% of a core" % (pid, len(after), seconds, total * 100.0 / HZ / seconds))
    print()
    print("| threads | count | wake-ups/s | CPU ticks | % of a core |")
    print("|---|---:|---:|---:|---:|")
    for name, (count, cpu, switches) in sorted(rows.items(), key=lambda kv: (-kv[1][1], -kv[1][2])):
        if cpu or switches:
            print("| `%s` | %d | %.1f | %d | %.2f |" % (name, count, switches / seconds, cpu, cpu * 100.0 / HZ / seconds))


if __name__ == "__main__":
    main()
