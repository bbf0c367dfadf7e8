#!/usr/bin/env python3
"""What a node's memory is made of, sampled beside bench/footprint.sh (see footprint.md).

    bench/footprint-sampler.py OUT.tsv [INTERVAL=5] [HISTOGRAM_EVERY=0]

Finds the node JVM that footprint.sh started (the java process with -Ddspot.relaunched=true whose
command line names a /tmp/footprint.* config) and its PostgreSQL (the postmaster whose command line
names a /tmp/footprint.* data dir, and its children), and every INTERVAL seconds appends one line:

- the node JVM's PSS, and its heap from `jcmd GC.heap_info` (young and old generation, committed
  and used), and, if the JVM runs with -XX:NativeMemoryTracking=summary, NMT's committed MB per
  category (Java Heap, Class, Thread, Code, GC, Compiler, Internal, Other, Symbol, Arena Chunk...);
- PostgreSQL's PSS split into its main shared memory (shared buffers and the rest of the segment:
  the Pss of that mapping summed over its processes is what is resident of it) and each process
  kind's private part (backends, checkpointer, autovacuum...).

With HISTOGRAM_EVERY=N > 0, every N-th sample also writes `jcmd GC.class_histogram` (a full
collection: the live set, at the cost of a pause) to OUT.histo-<n>.txt. Runs until killed; the
first column is the Unix time, to line up with footprint.sh's progress lines.
"""
import collections
import os
import re
import subprocess
import sys
import time

from procfs import cmdline, processes, read


def ppid_map():
    return {pid: st[1] for pid, st in processes().items()}


def find_node():
    for pid in ppid_map():
        c = cmdline(pid)
        if c.startswith("java") or "/java " in c.split("-jar")[0]:
            if "-Ddspot.relaunched=true" in c and "/tmp/footprint." in c:
                return pid
    return None


def find_postgres(parents):
    masters = [p for p in parents if "postgres" in cmdline(p) and "/tmp/footprint." in cmdline(p) and "java" not in cmdline(p)]
    masters = [p for p in masters if parents.get(p) not in masters]
    return masters, [p for p, pp in parents.items() if pp in masters]


def pss(pid):
    m = re.search(r"^Pss:\s+(\d+)", read("/proc/%d/smaps_rollup" % pid), re.M)
    return int(m.group(1)) / 1024.0 if m else 0.0


def shm_pss(pid):
    """Pss (MB) of the process's largest shared mapping: PostgreSQL's main shared memory segment."""
    best_size, best_pss, size, cur_pss, shared = 0, 0, 0, 0, False
    for line in read("/proc/%d/smaps" % pid).splitlines():
        if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
            if shared and size > best_size:
                best_size, best_pss = size, cur_pss
            perms = line.split()[1]
            shared = perms.endswith("s")
            size = cur_pss = 0
        elif line.startswith("Size:"):
            size = int(line.split()[1])
        elif line.startswith("Pss:"):
            cur_pss = int(line.split()[1])
    if shared and size > best_size:
        best_pss = cur_pss
    return best_pss / 1024.0


def kind(pid):
    title = read("/proc/%d/cmdline" % pid).replace("\0", " ").strip()
    m = re.match(r"postgres: (.*)", title)
    if not m:
        return "postmaster"
    rest = m.group(1)
    if re.match(r"\S+ \S+ \S+\(\d+\)|\S+ \S+ \[local\]", rest):
        return "backend"
    return re.sub(r"\s+\d+$", "", rest.split(" ")[0] if not rest.startswith("autovacuum") else rest.rsplit(" ", 0)[0])[:24]


def jcmd(pid, *args):
    try:
        return subprocess.run(["jcmd", str(pid)] + list(args), capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired):
        return ""


def heap(pid):
    """(young committed, young used, old committed, old used) in MB from the serial collector's GC.heap_info."""
    text = jcmd(pid, "GC.heap_info")
    out = []
    for gen in ("def new generation", "tenured generation"):
        m = re.search(gen + r"\s+total (\d+)K, used (\d+)K", text)
        out += [int(m.group(1)) / 1024.0, int(m.group(2)) / 1024.0] if m else [0.0, 0.0]
    m = re.search(r"Metaspace\s+used (\d+)K, committed (\d+)K", text)
    out += [int(m.group(2)) / 1024.0] if m else [0.0]
    return out


NMT_KEYS = ["Java Heap", "Class", "Thread", "Code", "GC", "Compiler", "Internal", "Other", "Symbol", "Native Memory Tracking",
            "Arena Chunk", "Metaspace", "Shared class space", "Module", "Synchronization", "Serviceability"]


def nmt(pid):
    text = jcmd(pid, "VM.native_memory", "summary", "scale=KB")
    out = {}
    for m in re.finditer(r"^-\s+([A-Za-z ]+?) \(reserved=\d+KB, committed=(\d+)KB", text, re.M):
        out[m.group(1).strip()] = int(m.group(2)) / 1024.0
    return out


def main():
    out_path = sys.argv[1]
    interval = float(sys.argv[2]) if len(sys.argv) > 2 else 5.0
    histo_every = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    n = 0
    t0 = 0
    with open(out_path, "w") as out:
        out.write("\t".join(["t", "jvm_pss", "young_c", "young_u", "old_c", "old_u", "meta_c"] + ["nmt:" + k for k in NMT_KEYS]
                            + ["pg_pss", "pg_shm", "pg_private_by_kind"]) + "\n")
        while True:
            node = find_node()
            if node is None:
                time.sleep(1)
                continue
            n += 1
            parents = ppid_map()
            masters, children = find_postgres(parents)
            pg = masters + children
            row = [time.time() - t0, pss(node)] + heap(node)
            nm = nmt(node)
            row += [nm.get(k, 0.0) for k in NMT_KEYS]
            total, shm = 0.0, 0.0
            private = collections.Counter()
            count = collections.Counter()
            for p in pg:
                whole, shared = pss(p), shm_pss(p)
                total += whole
                shm += shared
                private[kind(p)] += whole - shared
                count[kind(p)] += 1
            row += [total, shm]
            out.write("\t".join("%.1f" % v for v in row) + "\t" + ",".join("%s=%.1f(%d)" % (k, v, count[k]) for k, v in sorted(private.items())) + "\n")
            out.flush()
            if histo_every and n % histo_every == 0:
                with open("%s.histo-%03d.txt" % (out_path, n), "w") as h:
                    h.write("t=%.0f\n" % (time.time() - t0))
                    h.write("\n".join(jcmd(node, "GC.class_histogram").splitlines()[:45]))
            time.sleep(interval)


if __name__ == "__main__":
    main()
