-- wrk script of benches/scripts/nats.sh: POSTs the End Battle packet of WRK_BODY_FILE to WRK_PATH (a path
-- with its query string, Sign and RequestTime included), each request with a BattleId of its
-- own (the thread's number and a counter), so that every request is a distinct event: a sink
-- that deduplicates stores every one. Ends with one line of results, `wrk-result name=value
-- ...`, as benches/scripts/post.lua. Latencies are in microseconds.
local body_file = assert(os.getenv("WRK_BODY_FILE"), "WRK_BODY_FILE is not set")
local file = assert(io.open(body_file, "rb"))
local body = file:read("*a")
file:close()
local path = assert(os.getenv("WRK_PATH"), "WRK_PATH is not set")
local head, tail = body:match('^(.-"BattleId":")[^"]*(".*)$')
assert(head, "the packet has no BattleId")
local headers = { ["Content-Type"] = "application/json" }
local run = os.getenv("WRK_RUN") or "0"

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

local counter = 0
function request()
  counter = counter + 1
  local id = string.format("bench-%s-%d-%d", run, thread_number or 0, counter)
  return wrk.format("POST", path, headers, head .. id .. tail)
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "wrk-result requests=%d duration_us=%d p50_us=%.0f p99_us=%.0f max_us=%.0f"
      .. " status_errors=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), latency.max,
    errors.status, errors.connect, errors.read, errors.write, errors.timeout))
end
