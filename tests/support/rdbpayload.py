"""Build DUMP payloads by hand, in the RDB value format (documented in
Redis's RDB file format notes): used to feed RESTORE the old encodings
Redis 7.0 still loads, and damaged payloads."""
import struct

_POLY = int("{:064b}".format(0xad93d23594c935a9)[::-1], 2)
_TABLE = []
for _b in range(256):
    _c = _b
    for _ in range(8):
        _c = (_c >> 1) ^ _POLY if _c & 1 else _c >> 1
    _TABLE.append(_c)


def crc64(data, crc=0):
    for b in data:
        crc = _TABLE[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc


def payload(body, version=10):
    """type byte + value (body) -> the full DUMP payload with its footer."""
    head = body + struct.pack("<H", version)
    return head + struct.pack("<Q", crc64(head))


def length(n):
    if n < 64:
        return bytes([n])
    if n < 16384:
        return bytes([0x40 | (n >> 8), n & 0xFF])
    if n <= 0xFFFFFFFF:
        return b"\x80" + struct.pack(">I", n)
    return b"\x81" + struct.pack(">Q", n)


def string(s):
    if isinstance(s, str):
        s = s.encode()
    return length(len(s)) + s


def int_string(v):
    """The INT8/16/32 special encodings."""
    if -128 <= v <= 127:
        return b"\xc0" + struct.pack("<b", v)
    if -32768 <= v <= 32767:
        return b"\xc1" + struct.pack("<h", v)
    return b"\xc2" + struct.pack("<i", v)


def old_double(d):
    """The text score of RDB_TYPE_ZSET."""
    if d != d:
        return b"\xfd"
    if d == float("inf"):
        return b"\xfe"
    if d == float("-inf"):
        return b"\xff"
    t = repr(d).encode()
    return bytes([len(t)]) + t


def intset(values, width):
    fmt = {2: "h", 4: "i", 8: "q"}[width]
    return struct.pack("<II", width, len(values)) + b"".join(
        struct.pack("<" + fmt, v) for v in values)


def _zl_entry(prevlen, value):
    pl = bytes([prevlen]) if prevlen < 254 else b"\xfe" + struct.pack("<I", prevlen)
    if isinstance(value, int):
        if 0 <= value <= 12:
            enc = bytes([0xF1 + value])
        elif -128 <= value <= 127:
            enc = b"\xfe" + struct.pack("<b", value)
        elif -32768 <= value <= 32767:
            enc = b"\xc0" + struct.pack("<h", value)
        elif -(1 << 23) <= value < (1 << 23):
            enc = b"\xf0" + struct.pack("<i", value)[:3]
        elif -(1 << 31) <= value < (1 << 31):
            enc = b"\xd0" + struct.pack("<i", value)
        else:
            enc = b"\xe0" + struct.pack("<q", value)
    else:
        if isinstance(value, str):
            value = value.encode()
        if len(value) < 64:
            enc = bytes([len(value)]) + value
        elif len(value) < 16384:
            enc = bytes([0x40 | (len(value) >> 8), len(value) & 0xFF]) + value
        else:
            enc = b"\x80" + struct.pack(">I", len(value)) + value
    return pl + enc


def ziplist(values):
    body, prev, tail = b"", 0, 10
    for v in values:
        tail = 10 + len(body)
        e = _zl_entry(prev, v)
        body += e
        prev = len(e)
    return struct.pack("<IIH", 10 + len(body) + 1, tail, min(len(values), 0xFFFF)) + body + b"\xff"


def zipmap(pairs):
    out = bytes([min(len(pairs), 254)])
    for f, v in pairs:
        f = f.encode() if isinstance(f, str) else f
        v = v.encode() if isinstance(v, str) else v
        out += bytes([len(f)]) + f + bytes([len(v)]) + b"\x00" + v
    return out + b"\xff"


def _lp_entry(value):
    if isinstance(value, int) and 0 <= value <= 127:
        enc = bytes([value])
    elif isinstance(value, int):
        enc = b"\xf4" + struct.pack("<q", value)
    else:
        if isinstance(value, str):
            value = value.encode()
        if len(value) < 64:
            enc = bytes([0x80 | len(value)]) + value
        elif len(value) < 4096:
            enc = bytes([0xE0 | (len(value) >> 8), len(value) & 0xFF]) + value
        else:
            enc = b"\xf0" + struct.pack("<I", len(value)) + value
    n = len(enc)
    if n <= 127:
        back = bytes([n])
    else:
        parts = []
        while n:
            parts.append(n & 127)
            n >>= 7
        # leftmost byte: the highest bits; every other byte has bit 7 set
        back = bytes([parts[-1]] + [p | 128 for p in reversed(parts[:-1])])
    return enc + back


def listpack(values):
    body = b"".join(_lp_entry(v) for v in values)
    return struct.pack("<IH", 6 + len(body) + 1, min(len(values), 65535)) + body + b"\xff"
