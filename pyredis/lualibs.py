# The Lua libraries Redis 7.0 bundles that lupa's Lua 5.1 does not: cjson
# (lua-cjson 2.1.0 with Redis's defaults), cmsgpack (lua-cmsgpack 0.4.0),
# bit (LuaBitOp 1.0.2) and struct (Roberto Ierusalimschy's struct).  They
# are written in Python against the lupa runtime, with the same output
# bytes, number formatting and error messages as the C originals.
#
# Errors are raised through `fail`, which prefixes the caller's position
# ("user_script:1: ") as luaL_error does.  Tables are built empty and
# filled key by key, as the C libraries do, so that Lua's iteration order
# over them (visible in cjson.encode and HGETALL-style returns) matches.
import math
import re
import struct as _struct
import sys

sys.setrecursionlimit(max(sys.getrecursionlimit(), 5000))

_NUM_RE = re.compile(
    rb"[+-]?(?:0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?[0-9]+)?"
    rb"|(?i:infinity|inf|nan(?:\([0-9A-Za-z_]*\))?)"
    rb"|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)")


def strtod_prefix(s, pos=0):
    """C strtod over s[pos:]: (value, end) or (None, pos)."""
    m = _NUM_RE.match(s, pos)
    if not m:
        return None, pos
    text = m.group(0)
    body = text.lstrip(b"+-")
    neg = text[:1] == b"-"
    low = body.lower()
    if low.startswith(b"0x"):
        h = low[2:]
        if b"p" not in h:
            h += b"p0"
        v = float.fromhex("0x" + h.decode())
    elif low.startswith(b"inf"):
        v = math.inf
    elif low.startswith(b"nan"):
        v = math.nan
    else:
        v = float(body)
    return (-v if neg else v), m.end()


def lua_tonumber(v):
    """Lua 5.1's lua_tonumber for a number or a numeric string, else None."""
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return v
    if isinstance(v, bytes):
        s = v.strip(b" \t\n\r\f\v")
        if s.lower().startswith((b"0x", b"-0x", b"+0x")) and b"." not in s and b"p" not in s.lower():
            try:
                return float(int(s, 16))
            except ValueError:
                return None
        n, end = strtod_prefix(s)
        if n is not None and end == len(s):
            return n
    return None


class LuaLibError(Exception):
    """A library error: a Lua string error (the message, position added)."""


class Libs(object):
    def __init__(self, lua, where, lua_type):
        self.lua = lua
        self.where = where            # Lua: "user_script:1: " of the caller
        self.lua_type = lua_type      # type() as scripts see it
        self.rawget = lua.eval("rawget")
        self.next = lua.eval("next")
        self.new_table = lua.table
        self.null = lua.eval("newproxy(false)")

    def fail(self, msg):
        raise LuaLibError(self.where() + msg)

    def argerror(self, n, fname, extra):
        self.fail(b"bad argument #%d to '%s' (%s)" % (n, fname, extra))

    def typename(self, v):
        if v is None:
            return b"nil"
        if isinstance(v, bool):
            return b"boolean"
        if isinstance(v, (int, float)):
            return b"number"
        if isinstance(v, bytes):
            return b"string"
        return self.lua_type(v)

    def check_number(self, args, i, fname):
        if i >= len(args):
            self.argerror(i + 1, fname, b"number expected, got no value")
        n = lua_tonumber(args[i])
        if n is None:
            self.argerror(i + 1, fname, b"number expected, got " + self.typename(args[i]))
        return n

    def check_string(self, args, i, fname):
        if i >= len(args):
            self.argerror(i + 1, fname, b"string expected, got no value")
        v = args[i]
        if isinstance(v, bytes):
            return v
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return b"%.14g" % v
        self.argerror(i + 1, fname, b"string expected, got " + self.typename(v))

    def pairs(self, t):
        out = []
        k = self.next(t)
        while k is not None:
            out.append(k)
            k = self.next(t, k[0])
        return out

    def table(self, lua_table_items):
        t = self.new_table()
        for k, v in lua_table_items:
            t[k] = v
        return t

    def install(self, register):
        """register(name, {fname: callable, ...}, {const: value})"""
        from pyredis import luajson, luamsgpack, luabit, luastruct
        for mod in (luajson, luamsgpack, luabit, luastruct):
            name, funcs, consts = mod.build(self)
            t = self.new_table()
            for k, v in funcs.items():
                t[k] = v
            for k, v in consts.items():
                t[k] = v
            register(name, t)
