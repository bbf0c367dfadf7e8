#!/usr/bin/env python3
"""What a footprint setting costs the catalog's reads: search and list latency of two or more jars,
each on its own copy of the same node data directory (e.g. one that footprint.sh kept with
BENCH_KEEP=1 after importing 100,000 songs onto 10,000), measured by search-client.py, interleaved
request by request. Used in round 7 of footprint.md for `shared_buffers` (the embedded PostgreSQL's
settings come with the jar; bench/search.sh runs an external PostgreSQL and cannot see them).

    FP_WORK=/tmp/footprint.XXXX FP_PASSWORD=... bench/footprint-reads.py DATA_DIR SONGS REPS label=/path.jar label=/path.jar ...

(FP_PASSWORD: the one the footprint.sh run that made DATA_DIR was given.)

Progress on stderr, search-client.py's JSON on stdout. Every node started here is stopped and its
copy removed at the end.
"""
import os
import shutil
import subprocess
import sys

os.environ.setdefault("FP_JARS", "")
os.environ.setdefault("FP_LABELS", "")
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the repo
import footprint  # noqa: E402  (reads FP_WORK at import)


def main():
    data, songs, reps = sys.argv[1], sys.argv[2], sys.argv[3]
    jars = [a.split("=", 1) for a in sys.argv[4:]]
    nodes = []
    try:
        for label, jar in jars:
            node = footprint.Node(jar, os.path.join(footprint.WORK, "reads-" + label), seed=data)
            nodes.append(node)
            node.await_up()
            footprint.say("%s: up on a copy of %s", label, data)
        env = dict(os.environ, DSPOT_ADMIN_PASSWORD=footprint.PASSWORD, BENCH_SONGS=songs)
        subprocess.run([sys.executable, os.path.join(HERE, "search-client.py"), reps, "5"]
                       + ["%s=%s" % (label, node.base) for (label, _), node in zip(jars, nodes)], env=env, check=True)
    finally:
        for node in nodes:
            node.stop()
            shutil.rmtree(node.dir, ignore_errors=True)


if __name__ == "__main__":
    main()
