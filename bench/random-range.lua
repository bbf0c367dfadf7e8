-- wrk script for bench/streaming.sh: random single-range GETs of one song.
--
-- Environment (read by every wrk thread):
--   BENCH_PATH         request path, e.g. /api/songs/<id>/stream        (required)
--   BENCH_TOKEN        bearer token sent as "Authorization: Bearer ..."  (nginx ignores it)
--   BENCH_FILE_SIZE    size of the file in bytes                          (required if ranged)
--   BENCH_RANGE_BYTES  length of each range; 0 or unset = whole-file GET, no Range header
--
-- done() prints one machine-readable "RESULT k=v ..." line that streaming.sh parses.
-- No response() callback on purpose: defining one makes wrk hand every body to Lua.

local path = os.getenv("BENCH_PATH") or "/"
local token = os.getenv("BENCH_TOKEN") or ""
local size = tonumber(os.getenv("BENCH_FILE_SIZE") or "0")
local len = tonumber(os.getenv("BENCH_RANGE_BYTES") or "0")

if len > 0 and len > size then
  error("BENCH_RANGE_BYTES larger than BENCH_FILE_SIZE")
end

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_no", threads)
end

local fixed_headers
function init(args)
  math.randomseed(os.time() * 7919 + (thread_no or 0) * 104729)
  fixed_headers = { ["Authorization"] = "Bearer " .. token }
end

function request()
  if len > 0 then
    local first = math.random(0, size - len)
    fixed_headers["Range"] = string.format("bytes=%d-%d", first, first + len - 1)
  end
  return wrk.format("GET", path, fixed_headers)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d bytes=%d duration_us=%d err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d " ..
    "p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.1f\n",
    summary.requests, summary.bytes, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
