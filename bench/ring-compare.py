#!/usr/bin/env python3
"""Reads the RingBench reports of one bench/ring.sh run (base-N.md, this-N.md) and prints the
markdown table of this checkout against the base, round by round, with ratios this/base."""
import re
import sys
from pathlib import Path

work = Path(sys.argv[1])
labels = sys.argv[2:]


def rows(label):
    """metric -> result cell, from the report's summary table."""
    f = work / f"{label}.md"
    out = {}
    if not f.exists():
        return out
    for line in f.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and not cells[0].startswith("---"):
            out[cells[0]] = cells[1]
    return out


def number(cell, key):
    if cell is None:
        return None
    m = re.search(key, cell)
    return float(m.group(1)) if m else None


# (label in the table, metric prefix in the report, regex for the number, higher is better)
WANTED = [
    ("light load, 1 client, same node: commit p50 (ms)", "Commit latency, 1 client, same node", r"p50 ([0-9.]+)", False),
    ("light load, 1 client, rotating nodes: commit p50 (ms)", "Commit latency, 1 client, rotating nodes", r"p50 ([0-9.]+)", False),
]
def counts(pattern):
    """The numbers (clients, submitters) the reports have a row for, by the row's pattern."""
    found = set()
    for label in labels:
        for metric in rows(label):
            m = re.match(pattern, metric)
            if m:
                found.add(int(m.group(1)))
    return sorted(found)


for c in counts(r"Sustained ordered writes/s, (\d+) clients"):
    WANTED.append((f"sustained, {c} clients over 3 nodes: writes/s", f"Sustained ordered writes/s, {c} clients", r"([0-9.]+)/s", True))
    WANTED.append((f"sustained, {c} clients: commit p50 (ms)", f"Commit latency at that load ({c} clients)", r"p50 ([0-9.]+)", False))
    WANTED.append((f"sustained, {c} clients: commit p99 (ms)", f"Commit latency at that load ({c} clients)", r"p99 ([0-9.]+)", False))
for c in counts(r"Sustained ordered writes/s, load from wrk, (\d+) connections"):
    WANTED.append((f"sustained, load from wrk, {c} connections: writes/s", f"Sustained ordered writes/s, load from wrk, {c} connections", r"([0-9.]+)/s", True))
    WANTED.append((f"sustained, load from wrk, {c} connections: commit p50 (ms)", f"Commit latency, load from wrk ({c} connections)", r"p50 ([0-9.]+)", False))
    WANTED.append((f"sustained, load from wrk, {c} connections: commit p99 (ms)", f"Commit latency, load from wrk ({c} connections)", r"p99 ([0-9.]+)", False))
for c in counts(r"Ordered log alone \(no HTTP\), (\d+) submitters"):
    WANTED.append((f"log alone (no HTTP), {c} submitters: writes/s", f"Ordered log alone (no HTTP), {c} submitters", r"([0-9.]+)/s", True))
    WANTED.append((f"log alone, {c} submitters: commit p50 (ms)", f"Ordered log alone, {c} submitters", r"p50 ([0-9.]+)", False))

reports = {label: rows(label) for label in labels}
rounds = sorted({int(l.split("-")[1]) for l in labels})
compare = any(l.startswith("base-") for l in labels)


def cell(label, prefix, key):
    r = reports.get(label, {})
    for metric, result in r.items():
        if metric.startswith(prefix):
            return number(result, key)
    return None


def fmt(v):
    return "—" if v is None else (f"{v:.0f}" if v >= 100 else f"{v:.1f}")


head = ["metric"]
for n in rounds:
    head += ([f"base r{n}"] if compare else []) + [f"this r{n}"] + (["this/base"] if compare else [])
print("| " + " | ".join(head) + " |")
print("|" + "---|" + "---:|" * (len(head) - 1))
for title, prefix, key, _higher in WANTED:
    line = [title]
    for n in rounds:
        b = cell(f"base-{n}", prefix, key) if compare else None
        t = cell(f"this-{n}", prefix, key)
        if compare:
            line.append(fmt(b))
        line.append(fmt(t))
        if compare:
            line.append("—" if not b or t is None else f"**{t / b:.2f}x**")
    print("| " + " | ".join(line) + " |")
print()
print("Ratios are this/base: above 1 is better for writes/s, below 1 is better for latencies.")
