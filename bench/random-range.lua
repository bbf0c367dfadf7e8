-- wrk script for bench/streaming.sh and bench/ranges.sh: random single-range GETs of one song
-- or of random songs from a list.
--
-- Environment (read by every wrk thread):
--   BENCH_TARGETS      file with one "path size" line per song: each request picks one at random
--   BENCH_PATH         else: the one request path, e.g. /api/songs/<id>/stream
--   BENCH_FILE_SIZE    with BENCH_PATH: size of the file in bytes (required if ranged)
--   BENCH_TOKEN        bearer token sent as "Authorization: Bearer ..."  (nginx ignores it)
--   BENCH_RANGE_BYTES  length of each range; 0 or unset = whole-file GET, no Range header
--
-- done() prints one machine-readable "RESULT k=v ..." line that the scripts parse.
-- No response() callback on purpose: defining one makes wrk hand every body to Lua.

local token = os.getenv("BENCH_TOKEN") or ""
local len = tonumber(os.getenv("BENCH_RANGE_BYTES") or "0")

local paths, sizes = {}, {}
local targets = os.getenv("BENCH_TARGETS")
if targets then
  for line in io.lines(targets) do
    local p, s = line:match("^(%S+)%s+(%d+)$")
    if p then
      paths[#paths + 1] = p
      sizes[#sizes + 1] = tonumber(s)
    end
  end
  if #paths == 0 then error("no targets in " .. targets) end
else
  paths[1] = os.getenv("BENCH_PATH") or "/"
  sizes[1] = tonumber(os.getenv("BENCH_FILE_SIZE") or "0")
end
for i = 1, #paths do
  if len > 0 and len > sizes[i] then
    error("BENCH_RANGE_BYTES larger than the file at " .. paths[i])
  end
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
  local i = #paths == 1 and 1 or math.random(1, #paths)
  if len > 0 then
    local first = math.random(0, sizes[i] - len)
    fixed_headers["Range"] = string.format("bytes=%d-%d", first, first + len - 1)
  end
  return wrk.format("GET", paths[i], fixed_headers)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d bytes=%d duration_us=%d err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d " ..
    "p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.1f\n",
    summary.requests, summary.bytes, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
