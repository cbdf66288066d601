wrk.method = "POST"
local f = io.open(os.getenv("BODY"), "r")
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
