-- GET each path of $WRK_PATHS in turn (one path per line); optional $WRK_ACCEPT header.
dofile(os.getenv("WRK_SCRIPTS") .. "/common.lua")

local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do
  if #line > 0 then paths[#paths + 1] = line end
end
local accept = os.getenv("WRK_ACCEPT")
local next_id = 0
local counter = 0

function setup(thread)
  thread:set("thread_id", next_id)
  next_id = next_id + 1
end

function init(args)
  -- threads start at different places in the list so they do not ask for the same thing in step
  counter = (thread_id or 0) * 7919
  if accept and #accept > 0 then wrk.headers["Accept"] = accept end
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end

function done(summary, latency, requests)
  write_summary(summary, latency)
end
