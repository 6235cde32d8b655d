# cmsgpack for scripts: lua-cmsgpack 0.4.0 as bundled by Redis 7.0.
# Numbers with an exact int64 value pack as the smallest integer type,
# others as float32 when that is exact, else float64; a table whose keys
# are exactly 1..n packs as an array, any other as a map (in Lua's
# iteration order); tables nested deeper than 16 pack as nil.
import math
import struct

MAX_NESTING = 16


def build(libs):
    lua_type = libs.lua_type

    def enc_int(n, out):
        if n >= 0:
            if n <= 127:
                out.append(bytes((n,)))
            elif n <= 0xff:
                out.append(b"\xcc" + bytes((n,)))
            elif n <= 0xffff:
                out.append(b"\xcd" + struct.pack(">H", n))
            elif n <= 0xffffffff:
                out.append(b"\xce" + struct.pack(">I", n))
            else:
                out.append(b"\xcf" + struct.pack(">Q", n))
        else:
            if n >= -32:
                out.append(struct.pack(">b", n))
            elif n >= -128:
                out.append(b"\xd0" + struct.pack(">b", n))
            elif n >= -32768:
                out.append(b"\xd1" + struct.pack(">h", n))
            elif n >= -2147483648:
                out.append(b"\xd2" + struct.pack(">i", n))
            else:
                out.append(b"\xd3" + struct.pack(">q", n))

    def enc_number(n, out):
        if isinstance(n, int):
            n = float(n)
        if not math.isinf(n) and n == n and -2.0**63 <= n < 2.0**63 and int(n) == n:
            enc_int(int(n), out)
            return
        try:
            exact32 = struct.unpack(">f", struct.pack(">f", n))[0] == n
        except OverflowError:
            exact32 = False
        if exact32:
            out.append(b"\xca" + struct.pack(">f", n))
        else:
            out.append(b"\xcb" + struct.pack(">d", n))

    def enc_str(s, out):
        n = len(s)
        if n < 32:
            out.append(bytes((0xa0 | n,)))
        elif n <= 0xff:
            out.append(b"\xd9" + bytes((n,)))
        elif n <= 0xffff:
            out.append(b"\xda" + struct.pack(">H", n))
        else:
            out.append(b"\xdb" + struct.pack(">I", n))
        out.append(s)

    def enc_len(n, small, small_max, op16, op32, out):
        if n <= small_max:
            out.append(bytes((small | n,)))
        elif n <= 0xffff:
            out.append(op16 + struct.pack(">H", n))
        else:
            out.append(op32 + struct.pack(">I", n))

    def enc_table(t, level, out):
        items = libs.pairs(t)
        count, mx, is_array = 0, 0, True
        for k, _ in items:
            if isinstance(k, (int, float)) and not isinstance(k, bool) and k > 0 and k == int(k):
                count += 1
                mx = max(mx, k)
            else:
                is_array = False
                break
        if is_array and count == mx:
            enc_len(count, 0x90, 15, b"\xdc", b"\xdd", out)
            for i in range(1, count + 1):
                enc_value(libs.rawget(t, i), level + 1, out)
        else:
            enc_len(len(items), 0x80, 15, b"\xde", b"\xdf", out)
            for k, v in items:
                enc_value(k, level + 1, out)
                enc_value(v, level + 1, out)

    def enc_value(v, level, out):
        if v is None:
            out.append(b"\xc0")
        elif v is True:
            out.append(b"\xc3")
        elif v is False:
            out.append(b"\xc2")
        elif isinstance(v, bytes):
            enc_str(v, out)
        elif isinstance(v, (int, float)):
            enc_number(v, out)
        elif lua_type(v) == b"table" and level < MAX_NESTING:
            enc_table(v, level, out)
        else:
            out.append(b"\xc0")

    def pack(*args):
        if not args:
            libs.argerror(0, b"pack", b"MessagePack pack needs input.")
        out = []
        for a in args:
            enc_value(a, 0, out)
        return b"".join(out)

    def unpack_values(s, limit, offset):
        d = _Decoder(libs, s, offset)
        vals = []
        while d.pos < len(s) and (limit <= 0 or len(vals) < limit):
            vals.append(d.value())
        return vals, d.pos

    def unpack(*args):
        s = libs.check_string(args, 0, b"unpack")
        vals, _ = unpack_values(s, 0, 0)
        return tuple(vals)

    def unpack_limit(s, limit, offset=0):
        vals, pos = unpack_values(s, int(limit), int(offset))
        return (pos if pos < len(s) else -1,) + tuple(vals)

    def unpack_one(s, offset=0):
        return unpack_limit(s, 1, offset)

    return b"cmsgpack", {b"pack": pack, b"unpack": unpack, b"unpack_one": unpack_one,
                         b"unpack_limit": unpack_limit}, \
        {b"_NAME": b"cmsgpack", b"_VERSION": b"lua-cmsgpack 0.4.0",
         b"_COPYRIGHT": b"Copyright (C) 2012, Salvatore Sanfilippo",
         b"_DESCRIPTION": b"MessagePack C implementation for Lua"}


class _Decoder(object):
    def __init__(self, libs, s, pos):
        self.libs, self.s, self.pos = libs, s, pos

    def take(self, n):
        if self.pos + n > len(self.s):
            self.libs.fail(b"Missing bytes in input.")
        b = self.s[self.pos:self.pos + n]
        self.pos += n
        return b

    def unpack(self, fmt, n):
        return struct.unpack(fmt, self.take(n))[0]

    def value(self):
        c = self.take(1)[0]
        if c <= 0x7f:
            return c
        if c >= 0xe0:
            return c - 256
        if 0xa0 <= c <= 0xbf:
            return self.take(c & 0x1f)
        if 0x90 <= c <= 0x9f:
            return self.array(c & 0xf)
        if 0x80 <= c <= 0x8f:
            return self.map(c & 0xf)
        if c == 0xc0:
            return None
        if c == 0xc2:
            return False
        if c == 0xc3:
            return True
        fixed = {0xcc: (">B", 1), 0xcd: (">H", 2), 0xce: (">I", 4), 0xcf: (">Q", 8),
                 0xd0: (">b", 1), 0xd1: (">h", 2), 0xd2: (">i", 4), 0xd3: (">q", 8),
                 0xca: (">f", 4), 0xcb: (">d", 8)}.get(c)
        if fixed is not None:
            v = self.unpack(*fixed)
            return float(v) if c in (0xcf, 0xd3) else v
        if c in (0xd9, 0xc4):
            return self.take(self.unpack(">B", 1))
        if c in (0xda, 0xc5):
            return self.take(self.unpack(">H", 2))
        if c in (0xdb, 0xc6):
            return self.take(self.unpack(">I", 4))
        if c == 0xdc:
            return self.array(self.unpack(">H", 2))
        if c == 0xdd:
            return self.array(self.unpack(">I", 4))
        if c == 0xde:
            return self.map(self.unpack(">H", 2))
        if c == 0xdf:
            return self.map(self.unpack(">I", 4))
        self.libs.fail(b"Bad data format in input.")

    def array(self, n):
        t = self.libs.new_table()
        for i in range(1, n + 1):
            t[i] = self.value()
        return t

    def map(self, n):
        t = self.libs.new_table()
        for _ in range(n):
            k = self.value()
            v = self.value()
            if k is not None:
                t[k] = v
        return t
