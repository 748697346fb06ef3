-- wrk script: the probe of the stalled-clients measurement. Alternates a
-- small page of items and a cold tile (z17, a different one each time,
-- walked across the parcels' extent: WEST SOUTH EAST NORTH).
local layer = os.getenv("LAYER") or "lucca_parcels"
local w, s, e, n = (os.getenv("EXTENT") or "10.40 43.80 10.62 43.90"):match("(%S+) (%S+) (%S+) (%S+)")
w, s, e, n = tonumber(w), tonumber(s), tonumber(e), tonumber(n)
local threads = {}
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  i = id * 100000
  statuses = {}
end
function request()
  i = i + 1
  if i % 2 == 0 then
    return wrk.format("GET", "/collections/" .. layer .. "/items?limit=10")
  end
  local z = 17
  local nn = 2 ^ z
  local x0 = math.floor((w + 180) / 360 * nn)
  local x1 = math.floor((e + 180) / 360 * nn)
  local function row(lat)
    local r = math.rad(lat)
    return math.floor((1 - math.log(math.tan(r) + 1 / math.cos(r)) / math.pi) / 2 * nn)
  end
  local y0, y1 = row(n), row(s)
  local k = (i * 7919) % ((x1 - x0 + 1) * (y1 - y0 + 1))
  local x, y = x0 + k % (x1 - x0 + 1), y0 + math.floor(k / (x1 - x0 + 1))
  return wrk.format("GET", string.format("/tiles/%s/%d/%d/%d.mvt", layer, z, x, y))
end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
  local all = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("statuses")) do all[k] = (all[k] or 0) + v end
  end
  io.write(string.format("probe: %d requests, p50 %.1f ms, p99 %.1f ms, max %.1f ms\n", summary.requests,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  for k, v in pairs(all) do io.write(string.format("status %d: %d\n", k, v)) end
end
