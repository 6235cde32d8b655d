# The Lua side of EVAL/EVALSHA (Redis 7.0 semantics) on lupa's Lua 5.1.
#
# One LuaRuntime for all scripts (SCRIPT FLUSH replaces it).  Scripts never
# see the real globals table: each compiled body runs with a read-only proxy
# as its environment whose __index raises for unknown names and whose
# __newindex raises "Attempt to modify a readonly table", as Redis 7.0's
# protected globals do; the library tables (redis, string, cjson, ...) are
# read-only proxies of their own.  Compiled bodies are kept by sha, so an
# EVALSHA is: set KEYS/ARGV, xpcall the cached function, encode its result.
#
# Commands a script runs go through the compiled core (`exec_command`, the
# same lookup, arity and flag checks as clients, plus the script-only ones)
# and come back as RESP bytes that are turned into Lua values here.
# Errors keep Redis's shapes: a runtime error becomes {err=..., source=...,
# line=...} in the message handler, and the caller gets
# "<msg> script: <sha>, on @user_script:<line>."
import hashlib
import math

from lupa.lua51 import LuaRuntime, LuaError

from pyredis import luabootstrap
from pyredis.lualibs import Libs, LuaLibError

REDIS_VERSION = b"7.0.15"
REDIS_VERSION_NUM = (7 << 16) | (0 << 8) | 15


class _Raise(Exception):
    """Raised by redis.call & co: Lua sees it as an error whose value is
    the {err=...} table (unwrapped by the message handler)."""

    def __init__(self, table):
        self.table = table


class ScriptError(Exception):
    """An error reply for the EVAL caller (the text, without '-')."""


def sha1hex(body):
    return hashlib.sha1(body).hexdigest().encode()


# --- RESP (a command's reply) -> Lua value ----------------------------------

class _ReplyParser(object):
    """Turns one RESP reply into Lua values for a script (Redis's
    redisProtocolToLuaType), for the protocol version the script chose."""

    def __init__(self, lua):
        self.table_from = lua.table_from
        self.new_table = lua.table

    def parse(self, buf):
        value, _ = self._value(buf, 0)
        return value

    def _line(self, buf, pos):
        end = buf.index(b"\r\n", pos)
        return buf[pos:end], end + 2

    def _value(self, buf, pos):
        t = buf[pos:pos + 1]
        line, pos = self._line(buf, pos + 1)
        if t == b"$":
            n = int(line)
            if n < 0:
                return False, pos
            return buf[pos:pos + n], pos + n + 2
        if t == b":":
            return int(line), pos
        if t == b"+":
            return self.table_from({b"ok": line}), pos
        if t == b"-":
            if b" " not in line:
                line = b"ERR " + line
            # already counted in the error stats when the command failed
            t = self.new_table()
            t[b"err"] = line
            t[b"ignore_error_stats_update"] = True
            return t, pos
        if t == b"*":
            n = int(line)
            if n < 0:
                return False, pos
            items = []
            for _ in range(n):
                v, pos = self._value(buf, pos)
                items.append(v)
            return self.table_from(items), pos
        if t == b"%":
            m = self.new_table()
            for _ in range(int(line)):
                k, pos = self._value(buf, pos)
                v, pos = self._value(buf, pos)
                m[k] = v
            return self.table_from({b"map": m}), pos
        if t == b"~":
            s = self.new_table()
            for _ in range(int(line)):
                k, pos = self._value(buf, pos)
                s[k] = True
            return self.table_from({b"set": s}), pos
        if t == b"_":
            return None, pos
        if t == b"#":
            return line == b"t", pos
        if t == b",":
            return self.table_from({b"double": float(line)}), pos
        if t == b"(":
            return self.table_from({b"big_number": line}), pos
        if t == b"=":
            n = int(line)
            s = buf[pos:pos + n]
            return self.table_from({b"verbatim_string": self.table_from(
                {b"format": s[:3], b"string": s[4:]})}), pos + n + 2
        if t == b"|":
            for _ in range(int(line) * 2):
                _, pos = self._value(buf, pos)
            return self._value(buf, pos)
        raise ValueError("bad reply type %r" % t)


# --- Lua value -> RESP (a script's result) ----------------------------------

def _ll(x):
    """(long long) of a Lua number, as C's cast on x86-64."""
    if x != x or x in (math.inf, -math.inf) or not -2.0**63 <= x < 2.0**63:
        return -2**63
    return int(x)


def _double(d, resp):
    if d in (math.inf, -math.inf):
        s = b"inf" if d > 0 else b"-inf"
    elif d != d:
        s = b"nan"
    else:
        s = (b"%.17g" % d)
    if resp == 2:
        return b"$%d\r\n%s\r\n" % (len(s), s)
    return b",%s\r\n" % s


def _error_line(msg):
    """Redis's addReplyErrorLength: newlines become spaces."""
    return b"-" + msg.replace(b"\r", b" ").replace(b"\n", b" ") + b"\r\n"


class _ReplyEncoder(object):
    """Encodes a script's result for the caller (luaReplyToRedisReply)."""

    def __init__(self, lua):
        self.lua_type = lua.eval("type")
        self.rawget = lua.eval("rawget")
        self.next = lua.eval("next")

    def encode(self, v, resp, script_resp, out):
        if v is None:
            out.append(b"$-1\r\n" if resp == 2 else b"_\r\n")
        elif v is True or v is False:
            if script_resp == 2:
                out.append(b":1\r\n" if v else (b"$-1\r\n" if resp == 2 else b"_\r\n"))
            elif resp == 2:
                out.append(b":1\r\n" if v else b":0\r\n")
            else:
                out.append(b"#t\r\n" if v else b"#f\r\n")
        elif isinstance(v, bytes):
            out.append(b"$%d\r\n%s\r\n" % (len(v), v))
        elif isinstance(v, (int, float)):
            out.append(b":%d\r\n" % _ll(v))
        elif self.lua_type(v) == b"table":
            self._table(v, resp, script_resp, out)
        else:
            out.append(b"$-1\r\n" if resp == 2 else b"_\r\n")

    def _table(self, t, resp, script_resp, out):
        rawget = self.rawget
        e = rawget(t, b"err")
        if isinstance(e, bytes):
            out.append(_error_line(e))
            if rawget(t, b"ignore_error_stats_update") is not True:
                self.count_error = True
            return
        e = rawget(t, b"ok")
        if isinstance(e, bytes):
            out.append(b"+" + e.replace(b"\r", b" ").replace(b"\n", b" ") + b"\r\n")
            return
        e = rawget(t, b"double")
        if isinstance(e, (int, float)) and not isinstance(e, bool):
            out.append(_double(float(e), resp))
            return
        e = rawget(t, b"big_number")
        if isinstance(e, bytes):
            e = e.replace(b"\r", b" ").replace(b"\n", b" ")
            out.append(b"$%d\r\n%s\r\n" % (len(e), e) if resp == 2 else b"(" + e + b"\r\n")
            return
        e = rawget(t, b"verbatim_string")
        if self.lua_type(e) == b"table":
            fmt, text = rawget(e, b"format"), rawget(e, b"string")
            if isinstance(fmt, bytes) and isinstance(text, bytes):
                if resp == 2:
                    out.append(b"$%d\r\n%s\r\n" % (len(text), text))
                else:
                    out.append(b"=%d\r\n%s:%s\r\n" % (len(text) + 4, fmt[:3], text))
                return
        e = rawget(t, b"map")
        if self.lua_type(e) == b"table":
            pairs = []
            k = self.next(e)
            while k is not None:
                k, val = k
                pairs.append((k, val))
                k = self.next(e, k)
            out.append((b"*%d\r\n" % (2 * len(pairs))) if resp == 2 else (b"%%%d\r\n" % len(pairs)))
            for k, val in pairs:
                self.encode(k, resp, script_resp, out)
                self.encode(val, resp, script_resp, out)
            return
        e = rawget(t, b"set")
        if self.lua_type(e) == b"table":
            keys = []
            k = self.next(e)
            while k is not None:
                keys.append(k[0])
                k = self.next(e, k[0])
            out.append((b"*%d\r\n" if resp == 2 else b"~%d\r\n") % len(keys))
            for k in keys:
                self.encode(k, resp, script_resp, out)
            return
        items = []
        j = 1
        while True:
            v = rawget(t, j)
            if v is None:
                break
            items.append(v)
            j += 1
        out.append(b"*%d\r\n" % len(items))
        for v in items:
            self.encode(v, resp, script_resp, out)


# --- the engine ---------------------------------------------------------------

class ScriptEngine(object):
    """The Lua interpreter, the script cache and one script run at a time.

    exec_command(args, raise_errors) runs a command for the running script
    and returns its RESP reply bytes (the core applies every check)."""

    HOOK_COUNT = 100000     # instructions between two busy checks

    def __init__(self, exec_command, log=None, busy_check=None, command_known=None):
        self.exec_command = exec_command
        self.command_known = command_known
        self.log = log
        self.busy_check = busy_check
        self.reset()

    def reset(self):
        """A fresh interpreter with an empty script cache (SCRIPT FLUSH)."""
        lua = LuaRuntime(encoding=None, register_eval=False, register_builtins=False,
                         unpack_returned_tuples=True, attribute_filter=_no_attributes)
        self.lua = lua
        self.scripts = {}           # sha (bytes, lower hex) -> compiled function
        self.bodies = {}
        self.parser = _ReplyParser(lua)
        self.encoder = _ReplyEncoder(lua)
        self.script_resp = 2
        self.skip_error_stats = False
        api = lua.execute(luabootstrap.BOOTSTRAP)
        self.api = api
        py = lua.table_from({
            b"call": self._call, b"pcall": self._pcall, b"sha1hex": self._sha1hex,
            b"log": self._log, b"setresp": self._setresp, b"set_repl": self._set_repl,
            b"unwrap": self._unwrap, b"acl_check_cmd": self._acl_check_cmd})
        api[b"init"](py, REDIS_VERSION, REDIS_VERSION_NUM)
        libs = Libs(lua, api[b"where"], api[b"type"])
        libs.install(api[b"library"])
        self.random = Rand48(libs)
        api[b"set_random"](self.random.random, self.random.randomseed)
        if self.busy_check is not None:
            api[b"sethook"](self.busy_check, self.HOOK_COUNT)
        self.compile_fn = api[b"compile"]
        self.run_fn = api[b"run"]

    # -- the redis library (called from Lua) --

    def _raise(self, msg):
        raise _Raise(self.lua.table_from({b"err": b"ERR " + msg}))

    def _unwrap(self, exc):
        if isinstance(exc, _Raise):
            return exc.table
        if isinstance(exc, LuaLibError):
            return exc.args[0]
        if not isinstance(exc, BaseException):
            return exc
        return self.lua.table_from({b"err": b"ERR " + str(exc).encode("utf-8", "replace")})

    def _call(self, *args):
        reply = self._run_command(args, True)
        if isinstance(reply, str):
            raise _Raise(self._refusal(reply))
        if reply[:1] == b"-":
            raise _Raise(self.parser.parse(reply))
        return self.parser.parse(reply)

    def _pcall(self, *args):
        reply = self._run_command(args, False)
        if isinstance(reply, str):
            return self._refusal(reply)
        return self.parser.parse(reply)

    def _refusal(self, text):
        """A command refused before it ran: an error the stats have not seen
        ("-CODE text" or "text" for ERR), as Redis's luaPushError."""
        msg = text.encode()
        if msg[:1] == b"-":
            msg = msg[1:]
        else:
            msg = b"ERR " + msg
        t = self.new_error_table(msg)
        t[b"ignore_error_stats_update"] = True
        return t

    def new_error_table(self, msg):
        t = self.lua.table()
        t[b"err"] = msg
        return t

    def _run_command(self, args, raising):
        if not args:
            if raising:
                self._raise(b"Please specify at least one argument for this redis lib call")
            return "Please specify at least one argument for this redis lib call"
        argv = []
        for a in args:
            if isinstance(a, bytes):
                argv.append(a)
            elif isinstance(a, (int, float)) and not isinstance(a, bool):
                argv.append(_lua_number_arg(a))
            else:
                if raising:
                    self._raise(b"Lua redis lib command arguments must be strings or integers")
                return "Lua redis lib command arguments must be strings or integers"
        return self.exec_command(argv, self.script_resp)

    def _acl_check_cmd(self, *args):
        if not args:
            self._raise(b"Please specify at least one argument for this redis lib call")
        argv = []
        for a in args:
            if isinstance(a, bytes):
                argv.append(a)
            elif isinstance(a, (int, float)) and not isinstance(a, bool):
                argv.append(_lua_number_arg(a))
            else:
                self._raise(b"Lua redis lib command arguments must be strings or integers")
        if self.command_known is None:
            return True
        allowed = self.command_known(argv)
        if allowed is None:
            self._raise(b"Invalid command passed to redis.acl_check_cmd()")
        return allowed

    def _sha1hex(self, *args):
        if len(args) != 1:
            self._raise(b"wrong number of arguments")
        a = args[0]
        if not isinstance(a, bytes):
            a = _lua_number_arg(a) if isinstance(a, (int, float)) else b""
        return sha1hex(a)

    def _log(self, *args):
        if len(args) < 2:
            self._raise(b"redis.log() requires two arguments or more.")
        level = args[0]
        if not isinstance(level, (int, float)) or isinstance(level, bool):
            self._raise(b"First argument must be a number (log level).")
        if not 0 <= level <= 3:
            self._raise(b"Invalid debug level.")
        parts = [a if isinstance(a, bytes) else _lua_number_arg(a)
                 for a in args[1:] if isinstance(a, (bytes, int, float)) and not isinstance(a, bool)]
        if self.log is not None:
            self.log(int(level), b" ".join(parts))

    def _setresp(self, *args):
        if len(args) != 1:
            self._raise(b"redis.setresp() requires one argument.")
        if args[0] not in (2, 3) or isinstance(args[0], bool):
            self._raise(b"RESP version must be 2 or 3.")
        self.script_resp = int(args[0])

    def _set_repl(self, *args):
        if len(args) != 1:
            self._raise(b"redis.set_repl() requires one argument.")
        v = args[0]
        if not isinstance(v, (int, float)) or isinstance(v, bool) or v not in (0, 1, 2, 3):
            self._raise(b"Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.")

    # -- the script cache --

    def load_as(self, sha, body, skip=0):
        """Compile body (without its first `skip` bytes: the shebang line)
        into the cache under sha.  Raises ScriptError when it does not
        compile."""
        fn, err = self.compile_fn(body[skip:])
        if fn is None:
            raise ScriptError(b"ERR Error compiling script (new function): " + err)
        self.scripts[sha] = fn
        self.bodies[sha] = body

    def exists(self, sha):
        return sha.lower() in self.scripts

    # -- running --

    def run(self, sha, keys, args, resp):
        """Run the cached script sha (lower hex); return the reply bytes."""
        return self.run_callable(self.scripts[sha], sha, keys, args, resp, False)

    def run_callable(self, fn, name, keys, args, resp, is_function):
        """Run a script body (KEYS/ARGV globals) or a function (called
        with keys, args); errors name it `name`.  The reply bytes."""
        self.script_resp = 2
        self.encoder.count_error = False
        ok, result = self.run_fn(fn, self.lua.table_from(keys), self.lua.table_from(args),
                                 self.HOOK_COUNT, is_function)
        out = []
        if ok:
            self.encoder.encode(result, resp, self.script_resp, out)
            # an error reply the stats have already seen is not counted again
            self.skip_error_stats = out[0][:1] == b"-" and not self.encoder.count_error
        else:
            out.append(self._error_reply(result, name))
            self.skip_error_stats = self.encoder.lua_type(result) == b"table" and \
                self.encoder.rawget(result, b"ignore_error_stats_update") is True
        return b"".join(out)

    def _error_reply(self, err, sha):
        rawget = self.encoder.rawget
        if self.encoder.lua_type(err) != b"table":
            return _error_line(b"ERR Error running script (call to f_" + sha + b"): @" +
                               (err if isinstance(err, bytes) else b"") + b"\n")
        msg = rawget(err, b"err")
        if isinstance(msg, (int, float)):
            msg = _lua_number_arg(msg)
        elif not isinstance(msg, bytes):
            msg = b""
        source, line = rawget(err, b"source"), rawget(err, b"line")
        if isinstance(source, bytes) and line is not None:
            return _error_line(b"%s script: %s, on %s:%d." % (msg, sha, source, int(line)))
        return _error_line(b"%s script: %s" % (msg, sha))


_rand48_state = [0x1234ABCD330E]      # one generator per process, as Redis


class Rand48(object):
    """Redis's math.random/randomseed: lrand48 (a 48-bit LCG) from its
    static initial state, shared by every script and function."""
    MAX = 2147483647

    def __init__(self, libs):
        self.libs = libs

    def seed(self, v):
        v &= 0xffffffff
        _rand48_state[0] = (v << 16) | 0x330E

    def _next(self):
        x = (0x5DEECE66D * _rand48_state[0] + 0xB) & ((1 << 48) - 1)
        _rand48_state[0] = x
        return x >> 17

    def random(self, *args):
        r = (self._next() % self.MAX) / float(self.MAX)
        if not args:
            return r
        libs = self.libs
        if len(args) == 1:
            u = int(libs.check_number(args, 0, b"random"))
            if u < 1:
                libs.argerror(1, b"random", b"interval is empty")
            return float(math.floor(r * u) + 1)
        if len(args) == 2:
            lo = int(libs.check_number(args, 0, b"random"))
            u = int(libs.check_number(args, 1, b"random"))
            if lo > u:
                libs.argerror(2, b"random", b"interval is empty")
            return float(math.floor(r * (u - lo + 1)) + lo)
        libs.fail(b"wrong number of arguments")

    def randomseed(self, *args):
        self.seed(int(self.libs.check_number(args, 0, b"randomseed")))


def _no_attributes(obj, name, is_setting):
    """Scripts see Python objects (the library callables) as opaque."""
    raise AttributeError("not accessible from scripts")


def _lua_number_arg(x):
    """A Lua number (a double) as a command argument, as Redis 7.0 prints it."""
    return b"%.17g" % x
