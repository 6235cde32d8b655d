# Test wrappers over csrc/resp.c and csrc/reply.c.  Parser keeps the
# pending bytes the way a connection does (one contiguous buffer, dropped
# up to `consumed` after each request), so chunking behaves as on a socket.
cimport csrc as _cr
from csrc cimport (respParser, respParserInit, respParserFree, respParserReset,
                   respParse, respSplitArgs, RESP_REQ_OK, RESP_REQ_ERROR,
                   RESP_INLINE_MAX_SIZE,
                   replyBuf, replyInit, replyFree, replyClear, replyAppend,
                   replyStatus, replyOk, replyError, replyLongLong, replyBulk,
                   replyBulkLongLong, replyDouble, replyHumanLongDouble, replyNull,
                   replyNullArray, replyArrayLen, replyMapLen, replySetLen,
                   replyAttributeLen, replyPushLen, replyBool, replyVerbatim,
                   replyBigNum, fmtLongLong, fmtDouble, fmtHumanLongDouble)

INLINE_MAX_SIZE = RESP_INLINE_MAX_SIZE


cdef class Parser:
    """feed(bytes) -> list of complete requests (each a list of bytes).
    After a protocol error `error` holds the text after "-ERR " and later
    feeds return nothing."""
    cdef respParser p
    cdef bytearray pending
    cdef public object error

    def __cinit__(self, unauthenticated=False, max_bulk_len=None):
        respParserInit(&self.p)
        self.p.unauthenticated = 1 if unauthenticated else 0
        if max_bulk_len is not None:
            self.p.max_bulk_len = max_bulk_len
        self.pending = bytearray()
        self.error = None

    def __dealloc__(self):
        respParserFree(&self.p)

    @property
    def buffered(self):
        """Bytes kept for a request not yet complete."""
        return len(self.pending)

    def reset(self):
        respParserReset(&self.p)
        self.pending = bytearray()
        self.error = None

    def feed(self, data):
        cdef list out = []
        cdef const char *b
        cdef size_t qpos = 0, blen
        cdef int r, j
        self.pending += data
        b = self.pending
        blen = len(self.pending)
        while True:
            r = respParse(&self.p, b + qpos, blen - qpos)
            if r == RESP_REQ_INCOMPLETE:
                qpos += self.p.consumed     # skipped empty requests
            if r != RESP_REQ_OK:
                break
            out.append([self.p.argv[j][:self.p.argvlen[j]] for j in range(self.p.argc)])
            qpos += self.p.consumed
        if r == RESP_REQ_ERROR:
            self.error = (<bytes>self.p.errstr).decode("latin-1")
        if qpos:
            del self.pending[:qpos]
        return out


def split_args(line):
    """sdssplitargs rules: list of bytes, or None for unbalanced quotes."""
    cdef bytes s = bytes(line)
    cdef size_t n = len(s)
    cdef char *out = <char *>zmalloc(n + 1)
    cdef size_t *offs = <size_t *>zmalloc(sizeof(size_t) * (n // 2 + 1))
    cdef size_t *lens = <size_t *>zmalloc(sizeof(size_t) * (n // 2 + 1))
    cdef int argc, j
    try:
        argc = respSplitArgs(s, n, out, offs, lens)
        if argc < 0:
            return None
        return [out[offs[j]:offs[j] + lens[j]] for j in range(argc)]
    finally:
        zfree(out)
        zfree(offs)
        zfree(lens)


cdef bytes _take(replyBuf *r):
    if r.oom:
        replyFree(r)
        raise MemoryError()
    cdef bytes res = r.buf[:r.len] if r.len else b""
    replyFree(r)
    return res


def encode(kind, *args, int resp=2):
    """Bytes of one reply encoder: encode("bulk", b"x"), encode("double",
    1.5, resp=3), encode("map", 2, resp=2) ..."""
    cdef replyBuf r
    cdef bytes s
    replyInit(&r)
    if kind == "status":
        s = args[0]
        replyStatus(&r, s, len(s))
    elif kind == "ok":
        replyOk(&r)
    elif kind == "error":
        s = args[0]
        replyError(&r, s, len(s))
    elif kind == "int":
        replyLongLong(&r, args[0])
    elif kind == "bulk":
        s = args[0]
        replyBulk(&r, <const char *>s, len(s))
    elif kind == "bulk_ll":
        replyBulkLongLong(&r, args[0])
    elif kind == "double":
        replyDouble(&r, resp, args[0])
    elif kind == "human_ld":
        replyHumanLongDouble(&r, _to_long_double(args[0]))
    elif kind == "null":
        replyNull(&r, resp)
    elif kind == "null_array":
        replyNullArray(&r, resp)
    elif kind == "array":
        replyArrayLen(&r, args[0])
    elif kind == "map":
        replyMapLen(&r, resp, args[0])
    elif kind == "set":
        replySetLen(&r, resp, args[0])
    elif kind == "attribute":
        replyAttributeLen(&r, args[0])
    elif kind == "push":
        replyPushLen(&r, resp, args[0])
    elif kind == "bool":
        replyBool(&r, resp, 1 if args[0] else 0)
    elif kind == "verbatim":
        s = args[0]
        fmt = args[1] if len(args) > 1 else b"txt"
        replyVerbatim(&r, resp, s, len(s), fmt)
    elif kind == "bignum":
        s = args[0]
        replyBigNum(&r, resp, s, len(s))
    else:
        replyFree(&r)
        raise ValueError(kind)
    return _take(&r)


cdef class ReplyBuffer:
    """A replyBuf for growth / clear tests."""
    cdef replyBuf r

    def __cinit__(self):
        replyInit(&self.r)

    def __dealloc__(self):
        replyFree(&self.r)

    def append(self, data):
        cdef bytes s = bytes(data)
        replyAppend(&self.r, <const char *>s, len(s))

    def bulk(self, data):
        cdef bytes s = bytes(data)
        replyBulk(&self.r, <const char *>s, len(s))

    def clear(self):
        replyClear(&self.r)

    def getvalue(self):
        return self.r.buf[:self.r.len] if self.r.len else b""

    @property
    def cap(self):
        return self.r.cap


cdef long double _to_long_double(x) except? -1:
    cdef long double ld
    cdef bytes s
    if isinstance(x, (bytes, str)):
        s = x.encode() if isinstance(x, str) else x
        if not _cr.string2ld(s, len(s), &ld):
            raise ValueError("not a long double: %r" % (x,))
        return ld
    return <double>x


def fmt_long_long(long long v):
    cdef char buf[32]
    cdef int n = fmtLongLong(buf, v)
    return buf[:n]


def fmt_double(double d):
    cdef char buf[128]
    cdef int n = fmtDouble(buf, d)
    return buf[:n]


def fmt_human_long_double(x, size_t size=5 * 1024):
    """x: a float, or a decimal string parsed with string2ld (full long
    double precision).  None when the text does not fit in size bytes."""
    cdef long double ld = _to_long_double(x)
    cdef char *buf = <char *>zmalloc(size if size else 1)
    cdef int n
    try:
        n = fmtHumanLongDouble(buf, size, ld)
        if n == 0 and size < 2:
            return None
        if n == 0:
            return None
        return buf[:n]
    finally:
        zfree(buf)
