# The Lua half of the scripting sandbox (run once per interpreter by
# pyredis/scripting.py): the read-only globals proxy scripts run in, the
# `redis` library, and the message handler that gives errors Redis 7.0's
# {err=, source=, line=} shape.  Frames of this chunk and C frames are
# skipped when a handler looks for the script line an error belongs to.

BOOTSTRAP = br"""
local api = {}
local dbg = debug
local real = _G
local type, tostring, error, rawget, rawset, setmetatable, getmetatable, xpcall,
      setfenv, loadstring, select, next =
      type, tostring, error, rawget, rawset, setmetatable, getmetatable, xpcall,
      setfenv, loadstring, select, next
local errh_unwrap
local HERE = dbg.getinfo(1, 'S').source
local READONLY = "Attempt to modify a readonly table"
local protected = setmetatable({}, {__mode = 'k'})

local function readonly(t)
  local p = setmetatable({}, {__index = t,
    __newindex = function() error(READONLY, 2) end})
  protected[p] = true
  return p
end

-- the Python callables of the libraries: functions, as far as type() tells
local pyfuncs = setmetatable({}, {__mode = 'k'})
local function mark_functions(t)
  for _, v in next, t do
    if type(v) == 'userdata' and getmetatable(v) then pyfuncs[v] = true end
  end
end
function api.type(v)
  local t = type(v)
  if t == 'userdata' and pyfuncs[v] then return 'function' end
  return t
end

local G = {}
-- what the globals proxy reads: G, or GL while FUNCTION LOAD runs a
-- library's body (Redis swaps the globals' __index the same way)
local current = G
local GL = {}
local P = setmetatable({}, {
  __index = function(_, n)
    local v = current[n]
    if v == nil then
      error("Script attempted to access nonexistent global variable '" .. tostring(n) .. "'", 2)
    end
    return v
  end,
  __newindex = function() error(READONLY, 2) end})
protected[P] = true

local function errh(err)
  local lvl = 2
  local i = dbg.getinfo(lvl, 'nSl')
  while i and (i.what == 'C' or i.source == HERE) do
    lvl = lvl + 1
    i = dbg.getinfo(lvl, 'nSl')
  end
  if type(err) == 'userdata' then
    err = errh_unwrap(err)
  end
  if type(err) ~= 'table' then
    err = {err = 'ERR ' .. tostring(err)}
  end
  if i then
    err['source'] = i.source
    err['line'] = i.currentline
  end
  return err
end

for _, n in ipairs({'assert', 'collectgarbage', 'error', 'gcinfo', 'getmetatable',
                    'ipairs', 'next', 'pairs', 'rawequal', 'rawget',
                    'select', 'tonumber', 'tostring', 'unpack', 'xpcall',
                    '_VERSION'}) do
  G[n] = real[n]
end
for _, n in ipairs({'coroutine', 'math', 'string', 'table'}) do
  G[n] = readonly(real[n])
end
-- ("x"):upper() and getmetatable('').__index see the sandbox's string
getmetatable('').__index = G.string

-- math.random/randomseed are replaced by Redis's deterministic ones
function api.set_random(random, randomseed)
  local m = {}
  for k, v in next, real.math do m[k] = v end
  m.random, m.randomseed = random, randomseed
  mark_functions(m)
  G.math = readonly(m)
end
G._G = P
G.type = api.type
G.__redis__err__handler = errh
-- Redis 7.0's pcall: an error table is caught as its err string
local killed = false
local function caught(ok, ...)
  if ok then return ok, ... end
  local e = ...
  if killed then error(e, 0) end
  if type(e) == 'userdata' then e = errh_unwrap(e) end
  if type(e) == 'table' then
    local m = e.err
    if type(m) == 'string' or type(m) == 'number' then e = m end
  end
  return false, e
end
G.pcall = function(f, ...) return caught(pcall(f, ...)) end
G.rawset = function(t, k, v)
  if protected[t] then error(READONLY, 0) end
  return rawset(t, k, v)
end
G.setmetatable = function(t, m)
  if protected[t] then error(READONLY, 0) end
  return setmetatable(t, m)
end
G.loadstring = function(s, name)
  local f, e = loadstring(s, name)
  if f then setfenv(f, P) end
  return f, e
end
G.load = function(fn, name)
  local f, e = real.load(fn, name)
  if f then setfenv(f, P) end
  return f, e
end

function api.init(py, version, version_num)
  local unwrap = py.unwrap
  -- a Python callback's error arrives as userdata wrapping the exception
  -- that carries the {err=...} table
  errh_unwrap = unwrap
  local redis = {}
  -- redis.call and friends are the Python callables themselves: a C call,
  -- so a script's `return redis.call(...)` keeps its frame (and its line
  -- in error messages)
  redis.call = py.call
  redis.pcall = py.pcall
  redis.sha1hex = py.sha1hex
  redis.log = py.log
  redis.setresp = py.setresp
  redis.set_repl = py.set_repl
  local function liberr(msg) return {err = 'ERR ' .. msg} end
  redis.error_reply = function(...)
    local e = ...
    if select('#', ...) ~= 1 or type(e) ~= 'string' then
      return liberr('wrong number or type of arguments')
    end
    if e:sub(1, 1) == '-' then e = e:sub(2) end
    local sp = e:find(' ', 1, true)
    if not sp then e = 'ERR ' .. e end
    return {err = e:gsub('^[\r\n]+', ''):gsub('[\r\n]+$', '')}
  end
  redis.status_reply = function(...)
    local s = ...
    if select('#', ...) ~= 1 or type(s) ~= 'string' then
      return liberr('wrong number or type of arguments')
    end
    return {ok = s}
  end
  redis.replicate_commands = function() return true end
  redis.breakpoint = function() return false end
  redis.debug = function() end
  redis.acl_check_cmd = py.acl_check_cmd
  redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING = 0, 1, 2, 3
  redis.REPL_NONE, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_ALL = 0, 1, 2, 2, 3
  redis.REDIS_VERSION = version
  redis.REDIS_VERSION_NUM = version_num
  mark_functions(redis)
  G.redis = readonly(redis)
  python = nil
end

-- luaL_where(1) for a Python library function: "user_script:3: "
function api.where()
  local i = dbg.getinfo(3, 'Sl')
  if i and i.currentline > 0 then
    return i.short_src .. ':' .. i.currentline .. ': '
  end
  return ''
end

function api.library(name, t)
  mark_functions(t)
  G[name] = readonly(t)
end

-- FUNCTION LOAD: run a library body with only the load-time API visible
function api.load_library(body, register_function, log, version, version_num)
  local f, err = loadstring(body, '@user_function')
  if not f then return false, err, true end
  setfenv(f, P)
  local lib = {register_function = register_function, log = log,
               REDIS_VERSION = version, REDIS_VERSION_NUM = version_num}
  lib.LOG_DEBUG, lib.LOG_VERBOSE, lib.LOG_NOTICE, lib.LOG_WARNING = 0, 1, 2, 3
  mark_functions(lib)
  local api_table = setmetatable({}, {
    __index = function(_, n)
      local v = lib[n]
      if v == nil then
        error("Script attempted to access nonexistent global variable '" .. tostring(n) .. "'", 2)
      end
      return v
    end,
    __newindex = function() error(READONLY, 2) end})
  protected[api_table] = true
  GL.redis = api_table
  current = GL
  local ok, r = xpcall(f, errh)
  current = G
  return ok, r, false
end

function api.compile(body)
  local f, err = loadstring(body, '@user_script')
  if not f then return nil, err end
  setfenv(f, P)
  return f, nil
end

-- the busy check: every HOOK_COUNT instructions, and once the script is
-- killed on every line, so that no pcall can keep it running
local busy_check
local KILLED = {err = 'ERR Script killed by user with SCRIPT KILL...'}
local function hook()
  local i = dbg.getinfo(2, 'S')
  if i and i.source == HERE then return end
  if killed or busy_check() then
    killed = true
    dbg.sethook(hook, 'l')
    error(KILLED, 0)
  end
end

function api.sethook(check, count)
  busy_check = check
  dbg.sethook(hook, '', count)
end

function api.run(fn, keys, args, count, is_function)
  local ok, r
  if is_function then
    ok, r = xpcall(function() return fn(keys, args) end, errh)
  else
    G.KEYS = keys
    G.ARGV = args
    ok, r = xpcall(fn, errh)
  end
  if killed then
    killed = false
    dbg.sethook(hook, '', count)
    r = {err = KILLED.err, source = r.source, line = r.line}
  end
  return ok, r
end

return api
"""
