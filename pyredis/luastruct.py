# struct for scripts: Roberto Ierusalimschy's struct library as bundled by
# Redis (pack, unpack, size; formats > < = ! x b B h H l L T i I c s f d,
# long and size_t 8 bytes, int 4, alignment off unless '!' sets it).
import struct as _st

MAXINTSIZE = 32
MAXALIGN = 8
_SIZES = {ord("b"): 1, ord("B"): 1, ord("h"): 2, ord("H"): 2, ord("l"): 8, ord("L"): 8,
          ord("T"): 8, ord("f"): 4, ord("d"): 8, ord("x"): 1}


def build(libs):
    class Fmt(object):
        def __init__(self, fname, fmt):
            self.fname, self.fmt, self.i = fname, fmt, 0
            self.little, self.align = True, 1

        def getnum(self, default):
            j = self.i
            while j < len(self.fmt) and 48 <= self.fmt[j] <= 57:
                j += 1
            if j == self.i:
                return default
            n = int(self.fmt[self.i:j])
            self.i = j
            return n

        def options(self):
            while self.i < len(self.fmt):
                opt = self.fmt[self.i]
                self.i += 1
                if opt in (ord("i"), ord("I")):
                    size = self.getnum(4)
                    if size > MAXINTSIZE:
                        libs.fail(b"integral size %d is larger than limit of %d" % (size, MAXINTSIZE))
                elif opt == ord("c"):
                    size = self.getnum(1)
                else:
                    size = _SIZES.get(opt, 0)
                yield opt, size

        def toalign(self, length, opt, size):
            if size == 0 or opt == ord("c"):
                return 0
            size = min(size, self.align)
            return (size - (length & (size - 1))) & (size - 1)

        def control(self, opt):
            if opt == ord(" "):
                return
            if opt == ord(">"):
                self.little = False
            elif opt in (ord("<"), ord("=")):
                self.little = True
            elif opt == ord("!"):
                a = self.getnum(MAXALIGN)
                if a & (a - 1):
                    libs.fail(b"alignment %d is not a power of 2" % a)
                self.align = a
            else:
                libs.argerror(1, self.fname, b"invalid format option '%c'" % opt)

        def order(self, b):
            return b if self.little else b[::-1]

    def pack(*args):
        f = Fmt(b"pack", libs.check_string(args, 0, b"pack"))
        out = bytearray()
        arg = 1
        for opt, size in f.options():
            pad = f.toalign(len(out), opt, size)
            out += b"\0" * pad
            c = chr(opt)
            if c in "bBhHlLTiI":
                n = libs.check_number(args, arg, b"pack")
                arg += 1
                v = int(n) & ((1 << 64) - 1)
                out += f.order(v.to_bytes(8, "little")[:size].ljust(size, b"\0"))
            elif c == "x":
                out += b"\0"
            elif c in "fd":
                n = libs.check_number(args, arg, b"pack")
                arg += 1
                out += f.order(_st.pack("<f" if c == "f" else "<d", n))
            elif c in "cs":
                s = libs.check_string(args, arg, b"pack")
                arg += 1
                if size == 0:
                    size = len(s)
                if len(s) < size:
                    libs.argerror(arg, b"pack", b"string too short")
                out += s[:size]
                if c == "s":
                    out += b"\0"
            else:
                f.control(opt)
        return bytes(out)

    def unpack(*args):
        f = Fmt(b"unpack", libs.check_string(args, 0, b"unpack"))
        data = libs.check_string(args, 1, b"unpack")
        pos = int(libs.check_number(args, 2, b"unpack")) - 1 if len(args) > 2 and args[2] is not None else 0
        if not 0 <= pos <= len(data):
            libs.argerror(3, b"unpack", b"offset must be 1 or greater")
        res = []
        for opt, size in f.options():
            pos += f.toalign(pos, opt, size)
            if size > len(data) - pos:
                libs.argerror(2, b"unpack", b"data string too short")
            c = chr(opt)
            if c in "bBhHlLTiI":
                v = int.from_bytes(f.order(data[pos:pos + size]), "little")
                if c.islower() and size and v & (1 << (size * 8 - 1)):
                    v -= 1 << (size * 8)
                res.append(float(v))
            elif c in "fd":
                res.append(_st.unpack("<f" if c == "f" else "<d", f.order(data[pos:pos + size]))[0])
            elif c == "c":
                if size == 0:
                    if not res or not isinstance(res[-1], float):
                        libs.fail(b"format 'c0' needs a previous size")
                    size = int(res.pop())
                    if size > len(data) - pos:
                        libs.argerror(2, b"unpack", b"data string too short")
                res.append(data[pos:pos + size])
            elif c == "s":
                e = data.find(b"\0", pos)
                if e < 0:
                    libs.fail(b"unfinished string in data")
                size = e - pos + 1
                res.append(data[pos:e])
            elif c != "x":
                f.control(opt)
            pos += size
        res.append(pos + 1)
        return tuple(res)

    def size(*args):
        f = Fmt(b"size", libs.check_string(args, 0, b"size"))
        total = 0
        for opt, sz in f.options():
            total += f.toalign(total, opt, sz)
            if opt == ord("s"):
                libs.argerror(1, b"size", b"option 's' has no fixed size")
            elif opt == ord("c") and sz == 0:
                libs.argerror(1, b"size", b"option 'c0' has no fixed size")
            elif chr(opt) not in "bBhHlLTiIxfdc":
                f.control(opt)
            total += sz
        return total

    return b"struct", {b"pack": pack, b"unpack": unpack, b"size": size}, {}
