#!/usr/bin/env python3
"""Where a node's event loops spend their CPU, from async-profiler collapsed stacks.

    bench/profile-split.py NAME=FILE.collapsed [NAME=FILE.collapsed ...]

Prints one markdown table: a row per kind of work, a column per profile (share of that profile's
event-loop samples). Each stack goes to the first kind whose pattern it matches, in the order
below, so the shares add up to 100 %: the kernel's work on the socket first, then metrics (any
Micrometer / vertx-micrometer frame on the stack, whoever called it), then our code by module,
then Netty's and Vert.x's HTTP codec. Used by bench/metrics-cost.sh and bench/ranges.sh.
"""
import collections
import gzip
import re
import sys

KINDS = [
    ("sendfile(2) of the body (kernel)", r"sendfile|transferTo"),
    ("write/writev(2) of the response head (kernel)", r"writev|SocketDispatcher\.write|IOUtil\.write|FileDispatcherImpl\.write0|LinuxSocket\.write"),
    ("read(2) of the request (kernel)", r"SocketChannelImpl\.read|LinuxSocket\.read|readAddress|FileDispatcherImpl\.read0|doReadBytes"),
    ("waiting for events (epoll/select)", r"epollWait|EPoll\.wait|epoll_wait|SelectorImpl\.select|EPollSelectorImpl"),
    ("metrics (Micrometer, vertx-micrometer, io.dspot.metrics)", r"io/micrometer/|io/vertx/micrometer/|io\.micrometer\.|io\.vertx\.micrometer\.|io/dspot/metrics/|io\.dspot\.metrics\."),
    ("streaming: song, range plan, headers, open blobs (dspot)", r"io/dspot/streaming/|io\.dspot\.streaming\.|MediaRoutes"),
    ("router and web handlers: guards, session cache, routing", r"io/dspot/web/|io\.dspot\.web\.|io/dspot/http/|io\.dspot\.http\.|RouterImpl|RoutingContext|RouteState"),
    ("HTTP decode/encode (Netty, Vert.x)", r"HttpObjectDecoder|HttpRequestDecoder|HttpObjectEncoder|HttpResponseEncoder|Http1xServerConnection|Http1xServerRequest|Http1xServerResponse"),
    ("timers and queued tasks", r"ScheduledFutureTask|runAllTasks|TimerImpl|VertxImpl\$InternalTimerHandler"),
    ("other (event loop, pipeline, GC barriers)", r""),
]
COMPILED = [(name, re.compile(pattern)) for name, pattern in KINDS]


def split(path, compiled=COMPILED, thread="eventloop"):
    """Samples per kind among the stacks of threads whose name holds `thread` ("" for all); bench/import-split.py uses it too."""
    counts, total = collections.Counter(), 0
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as lines:
        for line in lines:
            stack, _, n = line.rstrip().rpartition(" ")
            if thread not in stack.split(";", 1)[0]:
                continue
            n = int(n)
            total += n
            for name, pattern in compiled:
                if pattern.search(stack):
                    counts[name] += n
                    break
    return counts, total


def main(args):
    profiles = [a.split("=", 1) for a in args]
    results = [(label, *split(path)) for label, path in profiles]
    print("| where the event loops' CPU goes | " + " | ".join(label for label, _, _ in results) + " |")
    print("|---|" + "---:|" * len(results))
    for name, _ in KINDS:
        print(f"| {name} | " + " | ".join(f"{100 * c[name] / t:.1f} %" if t else "-" for _, c, t in results) + " |")
    print("| event-loop samples (1 ms of CPU each) | " + " | ".join(str(t) for _, _, t in results) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])
