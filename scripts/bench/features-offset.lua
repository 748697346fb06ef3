-- wrk script: page through a whole collection with limit=LIMIT (default
-- 1000) and offset=0, LIMIT, 2·LIMIT… as offset-paging clients do
-- (@camptocamp/ogc-client, scripts that count pages), from the start again
-- at the end. Run with one connection (-c1): pages are asked in order.
local collection = os.getenv("COLLECTION") or "lucca_parcels"
local limit = tonumber(os.getenv("LIMIT") or "1000")
local threads = {}
function setup(thread) table.insert(threads, thread) end

function init(args)
  offset, features, passes, errors, deepest = 0, 0, 0, 0, 0
end

function request()
  return wrk.format("GET", "/collections/" .. collection .. "/items?limit=" .. limit .. "&offset=" .. offset)
end

function response(status, headers, body)
  if status ~= 200 then errors = errors + 1 offset = 0 return end
  local n = tonumber(body:match('"numberReturned":(%d+)') or "0")
  features = features + n
  if offset > deepest then deepest = offset end
  if n < limit then offset = 0 passes = passes + 1 else offset = offset + limit end
end

function done(summary, latency, requests)
  local feats, p, errs, deep = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    feats = feats + t:get("features")
    p = p + t:get("passes")
    errs = errs + t:get("errors")
    deep = math.max(deep, t:get("deepest"))
  end
  local secs = summary.duration / 1e6
  io.write(string.format("pages %d, non-200 %d, whole passes %d, deepest offset %d, features %d, features/s %.0f, p50 %.1f ms, p99 %.1f ms\n",
    summary.requests, errs, p, deep, feats, feats / secs, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
