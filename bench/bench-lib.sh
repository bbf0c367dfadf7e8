# Helpers shared by the benchmark scripts (sourced, not run): process control, free ports, CPU
# accounting and the rows the wrk and curl measurements append to a script's TSV files.

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }

stop_pid() { # pid signal grace_seconds
  local pid=$1 sig=$2 grace=$3 i
  alive "$pid" || return 0
  kill "-$sig" "$pid" 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do alive "$pid" || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

cpu_ticks() { # pid: utime+stime of the process and its direct children (nginx workers)
  local pid=$1 total=0 p f fs
  for p in $pid $(pgrep -P "$pid"); do
    f=$(cat /proc/"$p"/stat 2>/dev/null) || continue
    f=${f##*) }                             # drop "pid (comm) "
    read -r -a fs <<<"$f"
    total=$((total + fs[11] + fs[12]))      # fields 14/15 of stat = index 11/12 after comm
  done
  echo "$total"
}

# One TSV row from wrk's RESULT line (random-range.lua, random-song-range.lua) and the server's CPU:
# round scenario server requests bytes duration_us errors p50_us p99_us cpu_pct cpu_ms
wrk_row() { # round scenario server result_line cpu_ticks_before cpu_ticks_after wall_ns_before wall_ns_after
  python3 - "$@" "$(getconf CLK_TCK)" <<'PY'
import sys
round_, scen, server, line, t0, t1, w0, w1, hz = sys.argv[1:]
kv = dict(x.split("=") for x in line.split()[1:])
errors = sum(int(kv[k]) for k in kv if k.startswith("err_"))
cpu = (int(t1) - int(t0)) / int(hz) / ((int(w1) - int(w0)) / 1e9) * 100
print("\t".join([round_, scen, server, kv["requests"], kv["bytes"], kv["duration_us"], str(errors),
                 kv["p50_us"], kv["p99_us"], f"{cpu:.0f}", f"{(int(t1) - int(t0)) * 1000 // int(hz)}"]))
PY
}

# One TSV row from curl's "<status> <time_starttransfer> [more fields]" lines: round server n non-206 p50_ms p99_ms max_ms
ttfb_row() { # round server curl_output
  python3 - "$@" <<'PY'
import sys, math
round_, server, path = sys.argv[1:]
rows = [l.split() for l in open(path) if l.strip()]
bad = sum(1 for r in rows if r[0] != "206")
t = sorted(float(r[1]) * 1000 for r in rows)
pct = lambda p: t[max(0, math.ceil(p / 100 * len(t)) - 1)]
print(f"{round_}\t{server}\t{len(t)}\t{bad}\t{pct(50):.3f}\t{pct(99):.3f}\t{t[-1]:.3f}")
PY
}

# kill_run_processes DIR TAG kills (SIGKILL, by pid) every process whose
# command line names DIR (the run's node JVMs and their embedded PostgreSQL: config path, data
# directory), up to three sweeps, so a crashed or interrupted run leaves nothing behind.
kill_run_processes() {
  local dir=$1 tag=$2
  for _ in 1 2 3; do
    local pids=""
    for p in /proc/[0-9]*; do
      local pid=${p#/proc/}
      [[ "$pid" == "$$" ]] && continue
      if tr '\0' ' ' 2>/dev/null <"$p/cmdline" | grep -qF -- "$dir"; then pids+=" $pid"; fi
    done
    [[ -z "$pids" ]] && break
    echo "[$tag] killing leftover processes:$pids" >&2
    kill -KILL $pids 2>/dev/null || true
    sleep 1
  done
}

# node_jvm PID: the JVM that runs the node. `java -jar dspot.jar` starts the node in a second,
# smaller JVM (node/SmallJvm.java) and waits for it; profile, measure and jcmd that one.
node_jvm() {
  local pid=$1 child
  child=$(pgrep -P "$pid" -f 'dspot\.relaunched' | head -n1)
  echo "${child:-$pid}"
}
