-- wrk script of benches/scripts/receiver.sh: POSTs the bytes of the file WRK_BODY_FILE to WRK_PATH (a path
-- with its query string, Sign and RequestTime included), and ends with one line of results,
-- `wrk-result name=value ...`, for the script to read. Latencies are in microseconds.
local body_file = assert(os.getenv("WRK_BODY_FILE"), "WRK_BODY_FILE is not set")
local file = assert(io.open(body_file, "rb"))
wrk.method = "POST"
wrk.path = assert(os.getenv("WRK_PATH"), "WRK_PATH is not set")
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "wrk-result requests=%d duration_us=%d p50_us=%.0f p99_us=%.0f max_us=%.0f"
      .. " status_errors=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), latency.max,
    errors.status, errors.connect, errors.read, errors.write, errors.timeout))
end
