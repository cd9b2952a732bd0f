-- Replays pre-built publish requests: $WRK_BODIES.idx ("path offset length" per line) into
-- $WRK_BODIES.bin, starting at request $WRK_START, with $WRK_METHOD, $WRK_CONTENT_TYPE and
-- "Authorization: Bearer $WRK_TOKEN". Every request publishes a new package; run with -t1.
dofile(os.getenv("WRK_SCRIPTS") .. "/common.lua")

local base = os.getenv("WRK_BODIES")
local index = {}
for line in io.lines(base .. ".idx") do
  local path, offset, length = line:match("^(%S+) (%d+) (%d+)$")
  if path then index[#index + 1] = { path, tonumber(offset), tonumber(length) } end
end
local blob = io.open(base .. ".bin", "rb"):read("*a")
local method = os.getenv("WRK_METHOD")
local counter = tonumber(os.getenv("WRK_START") or "0")

function init(args)
  wrk.headers["Content-Type"] = os.getenv("WRK_CONTENT_TYPE")
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("WRK_TOKEN")
end

function request()
  counter = counter + 1
  -- past the end the list wraps: those requests re-publish and fail (counted as errors)
  local entry = index[((counter - 1) % #index) + 1]
  return wrk.format(method, entry[1], nil, blob:sub(entry[2] + 1, entry[2] + entry[3]))
end

function done(summary, latency, requests)
  write_summary(summary, latency)
end
