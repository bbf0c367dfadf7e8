#!/usr/bin/env python3
"""Collapsed stacks of the CPU samples an async-profiler JFR file holds between two log times.

    bench/jfr-window.py FROM TO FILE.jfr [FILE.jfr ...] > window.collapsed

FROM and TO are HH:MM:SS.mmm as the node's log prints them (UTC, as the JVM's clock). async-profiler
loaded at JVM start (-agentpath:...=start,event=cpu,file=x.jfr) profiles the whole process;
attaching it later with jcmd took 0.4-0.6 s here, a third of a 1,000-track import window. Each
sample's time is in the JFR file, so the window is cut afterwards. Thread name first, leaf last, as
async-profiler's own collapsed output (bench/profile-split.py reads it).
"""
import collections
import re
import subprocess
import sys

FRAME = re.compile(r"^\s{4}(.*?)(\(.*\))?\s+line:\s*-?\d+")


def ms(t):
    h, m, s = t.split(":")
    return (int(h) * 3600 + int(m) * 60) * 1000 + round(float(s) * 1000)


def samples(path):
    out = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "256", path],
                         capture_output=True, text=True, check=True).stdout
    time = thread = None
    frames = []
    for line in out.splitlines():
        if line.startswith("jdk.ExecutionSample"):
            time, thread, frames = None, None, []
        elif line.startswith("  startTime = "):
            time = ms(line.split("=", 1)[1].strip())
        elif line.startswith("  sampledThread = "):
            thread = line.split('"')[1] if '"' in line else line.split("=", 1)[1].strip()
        elif line == "}":
            if time is not None:
                yield time, thread, frames
            time = None
        else:
            f = FRAME.match(line)
            if f:
                name = f.group(1).lstrip(".")
                frames.append(name.replace(" ", "_"))


def main(start, end, paths):
    a, b = ms(start), ms(end)
    if b < a:
        b += 86_400_000
    counts = collections.Counter()
    for path in paths:
        for t, thread, frames in samples(path):
            if t < a:
                t += 86_400_000 if a - t > 43_200_000 else 0
            if a <= t <= b:
                counts[";".join([re.sub(r"[-_]?\d+$", "", thread or "?")] + frames[::-1])] += 1
    for stack, n in counts.most_common():
        print(f"{stack} {n}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
