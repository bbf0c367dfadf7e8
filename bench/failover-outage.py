#!/usr/bin/env python3
"""Reads a failover-probe.py log and the fault's time; prints the client-visible outage in ms:
the time between the last answer before the fault and the first answer after it (the largest
gap between consecutive answers from one second before the fault on), or "miss" when no answer
came within the window.    failover-outage.py LOG FAULT_EPOCH_S WINDOW_S
"""
import sys

log, fault, window = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
answers = sorted(float(end) for start, end, result, *_ in (l.split() for l in open(log) if l.strip())
                 if result == "ok")
before = [t for t in answers if t <= fault]
after = [t for t in answers if fault < t <= fault + window]
if not before or not after:
    print("miss")
    sys.exit(0)
points = [before[-1]] + after
gap = max(b - a for a, b in zip(points, points[1:]))
print(f"{gap * 1000:.0f}")
