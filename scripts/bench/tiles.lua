-- wrk script: random tiles from the file named by TILES (one path per line,
-- /tiles/<layer>/<z>/<x>/<y>.mvt), asked with Accept-Encoding: gzip.
-- PREFIX is put before each path (for a server mounted under a prefix).
local paths = {}
for line in io.lines(os.getenv("TILES")) do paths[#paths + 1] = line end
local prefix = os.getenv("PREFIX") or ""
local counter = 0
function setup(thread) thread:set("id", counter); counter = counter + 1 end
function init(args) math.randomseed(os.time() * 1000 + id) end
request = function()
  local p = paths[math.random(#paths)]
  if prefix ~= "" then p = prefix .. p end
  return wrk.format("GET", p, {["Accept-Encoding"] = "gzip"})
end
