-- wrk script: random 300 m bounding boxes around parcel centres, limit=100.
-- CENTERS names a file of "lon lat" lines (scripts/bench.sh makes it
-- from the database); COLLECTION the collection (default lucca_parcels).
-- Counts the features returned (uncompressed responses only) for items/s.
local centers = {}
local collection = os.getenv("COLLECTION") or "lucca_parcels"
local f = assert(io.open(os.getenv("CENTERS") or "centers.txt"))
for line in f:lines() do
  local lon, lat = line:match("([%-%d%.]+)%s+([%-%d%.]+)")
  if lon then centers[#centers + 1] = { tonumber(lon), tonumber(lat) } end
end
f:close()

local threads = {}
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(id * 7919)
  features, responses, errors = 0, 0, 0
end

-- 300 m at Lucca's latitude: 0.0027° of latitude, 0.0037° of longitude.
local dlat, dlon = 0.00135, 0.00187
function request()
  local c = centers[math.random(#centers)]
  local lon = c[1] + (math.random() - 0.5) * 0.002
  local lat = c[2] + (math.random() - 0.5) * 0.002
  local path = string.format("/collections/%s/items?limit=100&bbox=%.6f,%.6f,%.6f,%.6f",
    collection, lon - dlon, lat - dlat, lon + dlon, lat + dlat)
  return wrk.format("GET", path)
end

function response(status, headers, body)
  responses = responses + 1
  if status ~= 200 then errors = errors + 1 return end
  local n = body:match('"numberReturned":(%d+)')
  if n then features = features + tonumber(n) end
end

function done(summary, latency, requests)
  local feats, errs = 0, 0
  for _, t in ipairs(threads) do
    feats = feats + t:get("features")
    errs = errs + t:get("errors")
  end
  local secs = summary.duration / 1e6
  io.write(string.format("requests %d, non-200 %d, req/s %.0f, features counted %d (%.0f/s; 0 when gzip hides them), p50 %.1f ms, p99 %.1f ms\n",
    summary.requests, errs, summary.requests / secs, feats, feats / secs, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
