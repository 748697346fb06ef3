-- wrk script: a mix of the three database-backed reads a comune's users
-- make — cold-ish vector tiles (z15–z17), items in 300 m boxes, the parcel
-- under a point — around parcel centres (CENTERS: "lon lat" lines), and
-- a count of answers by status (to see that an outage is 503s only).
local centers = {}
local f = assert(io.open(os.getenv("CENTERS") or "centers.txt"))
for line in f:lines() do
  local lon, lat = line:match("([%-%d%.]+)%s+([%-%d%.]+)")
  if lon then centers[#centers + 1] = { tonumber(lon), tonumber(lat) } end
end
f:close()
local layer = os.getenv("LAYER") or "lucca_parcels"

local threads = {}
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(id * 104729)
  statuses = {}
end

local function tile(lon, lat, z)
  local n = 2 ^ z
  local x = math.floor((lon + 180) / 360 * n)
  local r = math.rad(lat)
  local y = math.floor((1 - math.log(math.tan(r) + 1 / math.cos(r)) / math.pi) / 2 * n)
  return x, y
end

function request()
  local c = centers[math.random(#centers)]
  local lon = c[1] + (math.random() - 0.5) * 0.002
  local lat = c[2] + (math.random() - 0.5) * 0.002
  local k = math.random(3)
  local path
  if k == 1 then
    local z = 14 + math.random(3)
    local x, y = tile(lon, lat, z)
    path = string.format("/tiles/%s/%d/%d/%d.mvt", layer, z, x, y)
  elseif k == 2 then
    path = string.format("/collections/%s/items?limit=100&bbox=%.6f,%.6f,%.6f,%.6f", layer, lon - 0.00187, lat - 0.00135, lon + 0.00187, lat + 0.00135)
  else
    path = string.format("/parcels/at?lon=%.6f&lat=%.6f", lon, lat)
  end
  return wrk.format("GET", path, { ["Accept-Encoding"] = "gzip" })
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local all = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("statuses")) do all[k] = (all[k] or 0) + v end
  end
  local secs = summary.duration / 1e6
  io.write(string.format("requests %d, %.0f/s, p50 %.1f ms, p99 %.1f ms, socket errors %d\n", summary.requests,
    summary.requests / secs, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  for k, v in pairs(all) do io.write(string.format("status %d: %d\n", k, v)) end
end
