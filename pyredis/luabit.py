# bit for scripts: LuaBitOp 1.0.2.  Every argument is first normalised to a
# signed 32-bit integer the way the C library does it: add 2^52 + 2^51 to
# the double and keep the low word of the sum (round half to even for small
# values, wrap-around for large ones); results are signed 32-bit numbers.
import struct

_MAGIC = 6755399441055744.0


def tobit32(x):
    low = struct.unpack("<q", struct.pack("<d", float(x) + _MAGIC))[0] & 0xffffffff
    return low - (1 << 32) if low & 0x80000000 else low


def build(libs):
    def arg(args, i, fname):
        return tobit32(libs.check_number(args, i, fname))

    def signed(u):
        u &= 0xffffffff
        return u - (1 << 32) if u & 0x80000000 else u

    def tobit(*a):
        return arg(a, 0, b"tobit")

    def bnot(*a):
        return signed(~arg(a, 0, b"bnot"))

    def fold(name, op):
        def f(*a):
            v = arg(a, 0, name)
            for i in range(1, len(a)):
                v = op(v, arg(a, i, name))
            return signed(v)
        return f

    def shift(name, op):
        def f(*a):
            v = arg(a, 0, name) & 0xffffffff
            n = arg(a, 1, name) & 31
            return signed(op(v, n))
        return f

    def tohex(*a):
        v = arg(a, 0, b"tohex") & 0xffffffff
        n = arg(a, 1, b"tohex") if len(a) > 1 and a[1] is not None else 8
        digits = b"0123456789abcdef"
        if n < 0:
            n = -n
            digits = b"0123456789ABCDEF"
        if n > 8:
            n = 8
        out = bytearray()
        for i in range(n - 1, -1, -1):
            out.append(digits[(v >> (4 * i)) & 15])
        return bytes(out)

    def bswap(*a):
        v = arg(a, 0, b"bswap") & 0xffffffff
        return signed(int.from_bytes(v.to_bytes(4, "little"), "big"))

    def arshift(*a):
        v = arg(a, 0, b"arshift")
        n = arg(a, 1, b"arshift") & 31
        return signed(v >> n)

    funcs = {
        b"tobit": tobit, b"bnot": bnot, b"tohex": tohex, b"bswap": bswap,
        b"band": fold(b"band", lambda x, y: x & y), b"bor": fold(b"bor", lambda x, y: x | y),
        b"bxor": fold(b"bxor", lambda x, y: x ^ y),
        b"lshift": shift(b"lshift", lambda v, n: v << n),
        b"rshift": shift(b"rshift", lambda v, n: v >> n),
        b"arshift": arshift,
        b"rol": shift(b"rol", lambda v, n: (v << n) | (v >> (32 - n)) if n else v),
        b"ror": shift(b"ror", lambda v, n: (v >> n) | (v << (32 - n)) if n else v),
    }
    return b"bit", funcs, {}
