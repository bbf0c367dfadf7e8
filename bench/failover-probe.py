#!/usr/bin/env python3
"""Client-side outage probe for bench/failover.sh, run inside the client namespace.

Starts one request every INTERVAL ms (each in its own thread, so a probe stuck in a connect
timeout does not delay the next) and prints one line per finished probe:
    <start epoch s> <end epoch s> ok|fail <node or error>
until it receives SIGTERM. A probe is answered when /api/health says "UP" within the timeouts.
"""
import signal, socket, ssl, sys, threading, time

host, port, scheme = sys.argv[1], int(sys.argv[2]), sys.argv[3]
interval = float(sys.argv[4]) / 1000 if len(sys.argv) > 4 else 0.015
connect_timeout = float(sys.argv[5]) if len(sys.argv) > 5 else 0.2
# Only the answer's arrival is measured; the lab's certificates are self-signed.
tls = ssl._create_unverified_context() if scheme == "https" else None
out = threading.Lock()
running = True

def probe():
    start = time.time()
    try:
        with socket.create_connection((host, port), timeout=connect_timeout) as raw:
            raw.settimeout(0.5)
            conn = tls.wrap_socket(raw, server_hostname=host) if tls else raw
            conn.sendall(b"GET /api/health HTTP/1.0\r\nHost: " + host.encode() + b"\r\n\r\n")
            data = b""
            while chunk := conn.recv(4096):
                data += chunk
        text = data.decode(errors="replace")
        ok = '"status":"UP"' in text.replace(" ", "")
        node = text.split('"node":"')[1].split('"')[0] if '"node":"' in text else "-"
        # An answer that is not UP says why (its status and reason), one word for the log's columns.
        why = "" if ok else " " + "_".join((text.split('"reason":"')[1].split('"')[0] if '"reason":"' in text
                                             else text.split("\r\n")[0] or "empty").split())
        result = ("ok" if ok else "fail") + " " + node + why
    except Exception as e:  # every failure is a miss of this probe, nothing more
        result = "fail " + type(e).__name__
    with out:
        print(f"{start:.4f} {time.time():.4f} {result}", flush=True)

def stop(*_):
    global running
    running = False

signal.signal(signal.SIGTERM, stop)
next_at = time.time()
while running:
    threading.Thread(target=probe, daemon=True).start()
    next_at += interval
    time.sleep(max(0.0, next_at - time.time()))
time.sleep(connect_timeout + 0.6)
