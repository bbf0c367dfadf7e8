#!/usr/bin/env python3
"""Where a folder import's JVM CPU goes, from the collapsed stacks of its window (bench/import.sh with BENCH_ASPROF).

    bench/import-split.py TRACKS NAME=import.collapsed [NAME=import.collapsed ...]

One markdown table: a row per kind of work, a column per profile, as share of the profile's samples
and as ms of CPU per track (1 sample = 1 ms). Each stack goes to the first kind whose pattern
matches, in the order below, so the shares add up to 100 %.
"""
import importlib.util
import pathlib
import re
import sys

KINDS = [
    ("JIT: C1 compiling", r"^C1 CompilerThre|^C2 CompilerThre"),
    ("file creation in the kernel (ext4 inode allocation, its directory lock)", r"ext4_create|__ext4_new_inode|ext4_mkdir"),
    ("SHA-256 of the copy", r"MessageDigest\.update|SHA2\.implCompress"),
    ("fsync of blobs and their directories", r"do_fsync|FileChannelImpl\.force|FileDispatcherImpl\.force"),
    ("tag reading (jaudiotagger, our probe)", r"org\.jaudiotagger|AudioProbe\.|TruncationCheck|OpusReader"),
    ("copy-in: read, write, open (rest)", r"BlobStore\.copyIn|FolderImport\.copyIn"),
    ("blob commit: rename, mkdir, stat (rest)", r"BlobStore\.(commit|verify|makeDirectory|contains|force|discard|put)"),
    ("worker: other (pool, class loading, interpreter)", r"^vert\.x-worker"),
    ("event loop: PostgreSQL client I/O and codec", r"^vert\.x-eventloop.*(io\.vertx\.pgclient|io\.vertx\.sqlclient)(?!.*io\.dspot)"),
    ("event loop: ordered log, catalog, import, replication", r"^vert\.x-eventloop.*io\.dspot"),
    ("event loop: other (event bus, Netty, JSON)", r"^vert\.x-eventloop"),
    ("GC and VM threads", r"^(VM Thread|GC Thread|VM Periodic)"),
    ("other threads", r""),
]
COMPILED = [(name, re.compile(pattern)) for name, pattern in KINDS]


def split(path):
    here = pathlib.Path(__file__).with_name("profile-split.py")
    spec = importlib.util.spec_from_file_location("profile_split", here)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.split(path, COMPILED, thread="")


def main(tracks, args):
    results = [(label, *split(path)) for label, path in (a.split("=", 1) for a in args)]
    print("| where the import's JVM CPU goes | " + " | ".join(f"{label} (% / ms per track)" for label, _, _ in results) + " |")
    print("|---|" + "---:|" * len(results))
    for name, _ in KINDS:
        print(f"| {name} | " + " | ".join(f"{100 * c[name] / t:.1f} % / {c[name] / tracks:.2f}" if t else "-" for _, c, t in results) + " |")
    print("| samples (1 ms of CPU each) | " + " | ".join(str(t) for _, _, t in results) + " |")


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2:])
