-- wrk script: page through a whole collection with limit=1000 by following
-- the next links (key seek: after=<last fid>), start again at the end.
-- Run with one connection (-c1): each response decides the next request.
local collection = os.getenv("COLLECTION") or "lucca_parcels"
local limit = os.getenv("LIMIT") or "1000"
local threads = {}
function setup(thread) table.insert(threads, thread) end

function init(args)
  after, features, passes, errors = nil, 0, 0, 0
end

function request()
  local path = "/collections/" .. collection .. "/items?limit=" .. limit
  if after then path = path .. "&after=" .. after end
  return wrk.format("GET", path)
end

function response(status, headers, body)
  if status ~= 200 then errors = errors + 1 after = nil return end
  local n = body:match('"numberReturned":(%d+)')
  if n then features = features + tonumber(n) end
  local nxt = body:match('"href":"[^"]*after=([^&"]+)[^"]*","rel":"next"')
  if nxt then after = nxt else after = nil passes = passes + 1 end
end

function done(summary, latency, requests)
  local feats, p, errs = 0, 0, 0
  for _, t in ipairs(threads) do
    feats = feats + t:get("features")
    p = p + t:get("passes")
    errs = errs + t:get("errors")
  end
  local secs = summary.duration / 1e6
  io.write(string.format("pages %d, non-200 %d, whole passes %d, features %d, features/s %.0f, p50 %.1f ms, p99 %.1f ms\n",
    summary.requests, errs, p, feats, feats / secs, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
