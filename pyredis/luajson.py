# cjson for scripts: lua-cjson 2.1.0 as Redis 7.0 configures it (numbers
# "%.14g", '/' escaped, sparse arrays past ratio 2 / safe 10 refused,
# empty tables as {}, nesting capped at 1000, invalid numbers accepted when
# decoding, since strtod parses them), with its error texts.
import math

from pyredis.lualibs import strtod_prefix

MAX_DEPTH = 1000

_ESC = {i: b"\\u%04x" % i for i in range(32)}
_ESC.update({8: b"\\b", 9: b"\\t", 10: b"\\n", 12: b"\\f", 13: b"\\r",
             34: b'\\"', 92: b"\\\\", 47: b"\\/", 127: b"\\u007f"})
_ESC_TABLE = {k: v.decode("latin-1") for k, v in _ESC.items()}


def _escape(s):
    return b'"' + s.decode("latin-1").translate(_ESC_TABLE).encode("latin-1") + b'"'


def build(libs):
    lua_type, null = libs.lua_type, libs.null

    def fail_ser(what, why):
        libs.fail(b"Cannot serialise " + what + b": " + why)

    def number(n):
        if n != n or n in (math.inf, -math.inf):
            fail_ser(b"number", b"must not be NaN or Inf")
        return b"%.14g" % n

    def encode_value(v, depth, out):
        if v is None:
            out.append(b"null")
        elif v is True:
            out.append(b"true")
        elif v is False:
            out.append(b"false")
        elif isinstance(v, bytes):
            out.append(_escape(v))
        elif isinstance(v, (int, float)):
            out.append(number(v))
        else:
            t = lua_type(v)
            if t == b"table":
                encode_table(v, depth + 1, out)
            elif t == b"userdata":
                out.append(b"null")
            else:
                fail_ser(t, b"type not supported")

    def array_length(items):
        mx = 0
        for k, _ in items:
            if isinstance(k, (int, float)) and not isinstance(k, bool) and k and \
                    math.floor(k) == k and k >= 1:
                mx = max(mx, k)
                continue
            return -1
        if mx > len(items) * 2 and mx > 10:
            libs.fail(b"Cannot serialise table: excessively sparse array")
        return int(mx)

    def encode_table(t, depth, out):
        if depth > MAX_DEPTH:
            libs.fail(b"Cannot serialise, excessive nesting (%d)" % depth)
        items = libs.pairs(t)
        n = array_length(items)
        if n > 0:
            out.append(b"[")
            for i in range(1, n + 1):
                if i > 1:
                    out.append(b",")
                encode_value(libs.rawget(t, i), depth, out)
            out.append(b"]")
            return
        out.append(b"{")
        first = True
        for k, v in items:
            if not first:
                out.append(b",")
            first = False
            if isinstance(k, bytes):
                out.append(_escape(k))
            elif isinstance(k, (int, float)) and not isinstance(k, bool):
                out.append(b'"' + number(k) + b'"')
            else:
                fail_ser(libs.typename(k), b"table key must be a number or string")
            out.append(b":")
            encode_value(v, depth, out)
        out.append(b"}")

    def encode(*args):
        if len(args) != 1:
            libs.argerror(1, b"encode", b"expected 1 argument")
        out = []
        encode_value(args[0], 0, out)
        return b"".join(out)

    def decode(*args):
        if len(args) != 1:
            libs.argerror(1, b"decode", b"expected 1 argument")
        s = libs.check_string(args, 0, b"decode")
        if len(s) >= 2 and (s[0] == 0 or s[1] == 0):
            libs.fail(b"JSON parser does not support UTF-16 or UTF-32")
        p = _Parser(libs, s, null)
        tok = p.next()
        v = p.value(tok)
        tok = p.next()
        if tok[0] != b"T_END":
            p.error(b"the end", tok)
        return v

    funcs = {b"encode": encode, b"decode": decode}
    for name in (b"encode_keep_buffer", b"encode_max_depth", b"decode_max_depth",
                 b"encode_number_precision", b"encode_sparse_array",
                 b"encode_invalid_numbers", b"decode_invalid_numbers"):
        funcs[name] = lambda *a: None
    return b"cjson", funcs, {b"null": null, b"_NAME": b"cjson", b"_VERSION": b"2.1.0"}


_SINGLE = {ord("{"): b"T_OBJ_BEGIN", ord("}"): b"T_OBJ_END", ord("["): b"T_ARR_BEGIN",
           ord("]"): b"T_ARR_END", ord(":"): b"T_COLON", ord(","): b"T_COMMA"}
_UNESC = {ord('"'): b'"', ord("\\"): b"\\", ord("/"): b"/", ord("b"): b"\b",
          ord("f"): b"\f", ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t"}


class _Parser(object):
    """lua-cjson's tokenizer and recursive parser.  A token is
    (type, value, index); an error token carries its message as value."""

    def __init__(self, libs, s, null):
        self.libs, self.s, self.pos, self.null = libs, s, 0, null
        self.depth = 0

    def next(self):
        s, n = self.s, len(self.s)
        pos = self.pos
        while pos < n and s[pos] in b" \t\n\r":
            pos += 1
        self.pos = pos
        if pos >= n:
            return (b"T_END", None, pos)
        ch = s[pos]
        t = _SINGLE.get(ch)
        if t is not None:
            self.pos = pos + 1
            return (t, None, pos)
        if ch == 34:
            return self.string(pos)
        if ch == 45 or 48 <= ch <= 57:
            return self.number(pos)
        if s.startswith(b"true", pos):
            self.pos = pos + 4
            return (b"T_BOOLEAN", True, pos)
        if s.startswith(b"false", pos):
            self.pos = pos + 5
            return (b"T_BOOLEAN", False, pos)
        if s.startswith(b"null", pos):
            self.pos = pos + 4
            return (b"T_NULL", None, pos)
        low = s[pos:pos + 3].lower()
        if ch == 43 or low in (b"inf", b"nan"):
            return self.number(pos)
        return (b"T_ERROR", b"invalid token", pos)

    def number(self, pos):
        v, end = strtod_prefix(self.s, pos)
        if v is None:
            return (b"T_ERROR", b"invalid number", pos)
        self.pos = end
        return (b"T_NUMBER", v, pos)

    def string(self, start):
        s, n = self.s, len(self.s)
        pos = start + 1
        out = bytearray()
        while True:
            if pos >= n:
                self.pos = pos
                return (b"T_ERROR", b"unexpected end of string", pos)
            ch = s[pos]
            if ch == 34:
                break
            if ch != 92:
                out.append(ch)
                pos += 1
                continue
            if pos + 1 >= n:
                return (b"T_ERROR", b"unexpected end of string", pos)
            e = s[pos + 1]
            if e == 117:
                cp, used = self.unicode(pos)
                if cp is None:
                    return (b"T_ERROR", b"invalid unicode escape code", pos)
                out += chr(cp).encode("utf-8", "surrogatepass")
                pos += used
                continue
            r = _UNESC.get(e)
            if r is None:
                return (b"T_ERROR", b"invalid escape code", pos)
            out += r
            pos += 2
        self.pos = pos + 1
        return (b"T_STRING", bytes(out), start)

    def _hex4(self, pos):
        h = self.s[pos:pos + 4]
        if len(h) != 4 or any(c not in b"0123456789abcdefABCDEF" for c in h):
            return None
        return int(h, 16)

    def unicode(self, pos):
        cp = self._hex4(pos + 2)
        if cp is None:
            return None, 0
        if 0xDC00 <= cp <= 0xDFFF:
            return None, 0
        if 0xD800 <= cp <= 0xDBFF:
            if self.s[pos + 6:pos + 8] != b"\\u":
                return None, 0
            lo = self._hex4(pos + 8)
            if lo is None or not 0xDC00 <= lo <= 0xDFFF:
                return None, 0
            return 0x10000 + ((cp & 0x3FF) << 10) + (lo & 0x3FF), 12
        return cp, 6

    def error(self, expected, tok):
        found = tok[1] if tok[0] == b"T_ERROR" else tok[0]
        self.libs.fail(b"Expected %s but found %s at character %d" % (expected, found, tok[2] + 1))

    def descend(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self.libs.fail(b"Found too many nested data structures (%d) at character %d"
                           % (self.depth, self.pos))

    def value(self, tok):
        t = tok[0]
        if t in (b"T_STRING", b"T_NUMBER", b"T_BOOLEAN"):
            return tok[1]
        if t == b"T_NULL":
            return self.null
        if t == b"T_OBJ_BEGIN":
            return self.obj()
        if t == b"T_ARR_BEGIN":
            return self.arr()
        self.error(b"value", tok)

    def obj(self):
        self.descend()
        t = self.libs.new_table()
        tok = self.next()
        if tok[0] == b"T_OBJ_END":
            self.depth -= 1
            return t
        while True:
            if tok[0] != b"T_STRING":
                self.error(b"object key string", tok)
            key = tok[1]
            tok = self.next()
            if tok[0] != b"T_COLON":
                self.error(b"colon", tok)
            t[key] = self.value(self.next())
            tok = self.next()
            if tok[0] == b"T_OBJ_END":
                self.depth -= 1
                return t
            if tok[0] != b"T_COMMA":
                self.error(b"comma or object end", tok)
            tok = self.next()

    def arr(self):
        self.descend()
        t = self.libs.new_table()
        tok = self.next()
        if tok[0] == b"T_ARR_END":
            self.depth -= 1
            return t
        i = 1
        while True:
            t[i] = self.value(tok)
            tok = self.next()
            if tok[0] == b"T_ARR_END":
                self.depth -= 1
                return t
            if tok[0] != b"T_COMMA":
                self.error(b"comma or array end", tok)
            tok = self.next()
            i += 1
