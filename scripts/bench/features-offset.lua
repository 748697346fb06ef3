-- wrk script: page through a collection with limit=LIMIT (default 1000)
-- and offset=START, START+LIMIT, START+2·LIMIT… as offset-paging clients do
-- (@camptocamp/ogc-client, scripts that count pages), from START again at
-- the end. The offset advances when a page is asked, so with -c1 pages
-- come one after the other and with -cN (one thread) N consecutive pages
-- are in flight at once, as a client fetching pages in parallel does.
-- ITEMS is the items path (default /collections/COLLECTION/items, so that
-- another server's path can be given); START the first offset (default 0).
local collection = os.getenv("COLLECTION") or "lucca_parcels"
local items = os.getenv("ITEMS") or ("/collections/" .. collection .. "/items")
local limit = tonumber(os.getenv("LIMIT") or "1000")
local start = tonumber(os.getenv("START") or "0")
local threads = {}
function setup(thread) table.insert(threads, thread) end

function init(args)
  offset, features, passes, errors, deepest = start, 0, 0, 0, 0
end

function request()
  local o = offset
  offset = offset + limit
  if o > deepest then deepest = o end
  return wrk.format("GET", items .. "?limit=" .. limit .. "&offset=" .. o)
end

function response(status, headers, body)
  if status ~= 200 then errors = errors + 1 offset = start return end
  local n = tonumber(body:match('"numberReturned":%s*(%d+)') or "0")
  features = features + n
  if n < limit and offset > start then offset = start passes = passes + 1 end
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
