-- wrk script: POST the single-row OIP request from $EDGELOOP_BENCH_DIR/request.json.
-- With EDGELOOP_BENCH_DELAY_MS set, each connection waits that long between requests (wrk 4's
-- delay() hook; Debian has no wrk2), which holds the offered rate near connections*1000/delay.
local dir = os.getenv("EDGELOOP_BENCH_DIR") or "/tmp/edgeloop-bench"
local f = assert(io.open(dir .. "/request.json", "r"))
wrk.method = "POST"
wrk.body = f:read("*a")
wrk.headers["Content-Type"] = "application/json"
f:close()

local pause = tonumber(os.getenv("EDGELOOP_BENCH_DELAY_MS") or "0")
if pause > 0 then
  function delay()
    return pause
  end
end
