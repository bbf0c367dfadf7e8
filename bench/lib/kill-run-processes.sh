# Sourced by bench scripts: kill_run_processes DIR TAG kills (SIGKILL, by pid) every process whose
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
