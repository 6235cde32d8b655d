# Reply shortcuts and argument parsing shared by the command handlers.
# Functions returning int follow one convention: 1 = ok, 0 = an error
# reply was written and the handler should return.

cdef const char *MSG_WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value"
cdef const char *MSG_NOT_INT = "ERR value is not an integer or out of range"
cdef const char *MSG_NOT_FLOAT = "ERR value is not a valid float"
cdef const char *MSG_SYNTAX = "ERR syntax error"


cdef inline void reply_obj(Client c, robj *o) noexcept:
    """A string object as a bulk reply."""
    if o.encoding == OBJ_ENCODING_INT:
        replyBulkLongLong(&c.reply, o.v.ll)
    elif o.encoding == OBJ_ENCODING_EMBSTR:
        replyBulk(&c.reply, (<char *>o) + 8, o.len)
    else:
        replyBulk(&c.reply, o.v.ptr, o.len)


cdef inline void reply_null(Client c) noexcept:
    replyNull(&c.reply, c.resp)


cdef inline bint arg_is(Client c, int i, const char *lower_word) noexcept:
    """Case-insensitive compare of argv[i] with a lower-case word."""
    cdef size_t n = c.argvlen[i]
    cdef size_t j
    cdef char ch
    for j in range(n):
        ch = c.argv[i][j]
        if 65 <= ch <= 90:
            ch += 32
        if lower_word[j] == 0 or ch != lower_word[j]:
            return False
    return lower_word[n] == 0


cdef inline int arg_ll(Client c, int i, long long *v) noexcept:
    if string2ll(c.argv[i], c.argvlen[i], v):
        return 1
    replyErrorC(&c.reply, MSG_NOT_INT)
    return 0


cdef inline int arg_ll_msg(Client c, int i, long long *v, const char *msg) noexcept:
    if string2ll(c.argv[i], c.argvlen[i], v):
        return 1
    replyErrorC(&c.reply, msg)
    return 0


cdef inline int arg_ld(Client c, int i, long double *v) noexcept:
    if c.argvlen[i] <= 5000 and string2ld(c.argv[i], c.argvlen[i], v):
        return 1
    replyErrorC(&c.reply, MSG_NOT_FLOAT)
    return 0


cdef inline int check_type(Client c, robj *o, int otype) noexcept:
    """1 when o holds a value of type otype; 0 after a WRONGTYPE reply."""
    if o.type == otype:
        return 1
    replyErrorC(&c.reply, MSG_WRONGTYPE)
    return 0


cdef inline bytes arg_bytes(Client c, int i):
    return c.argv[i][:c.argvlen[i]]


cdef void reply_py(Client c, object v):
    """Encode a Python value (for the slow commands): None -> null,
    int -> integer, bytes/str -> bulk, list/tuple -> array, dict -> map,
    bool -> RESP3 boolean, float -> double, Status/Error wrappers."""
    cdef bytes b
    if v is None:
        replyNull(&c.reply, c.resp)
    elif v is True or v is False:
        replyBool(&c.reply, c.resp, v)
    elif isinstance(v, int):
        replyLongLong(&c.reply, v)
    elif isinstance(v, bytes):
        replyBulk(&c.reply, <const char *>v, len(<bytes>v))
    elif isinstance(v, str):
        b = (<str>v).encode("utf-8", "surrogateescape")
        replyBulk(&c.reply, <const char *>b, len(b))
    elif isinstance(v, float):
        replyDouble(&c.reply, c.resp, v)
    elif isinstance(v, Status):
        b = (<Status>v).text.encode()
        replyStatus(&c.reply, <const char *>b, len(b))
    elif isinstance(v, dict):
        replyMapLen(&c.reply, c.resp, len(v))
        for k, x in (<dict>v).items():
            reply_py(c, k)
            reply_py(c, x)
    elif isinstance(v, (set, frozenset)):
        replySetLen(&c.reply, c.resp, len(v))
        for x in v:
            reply_py(c, x)
    else:
        replyArrayLen(&c.reply, len(v))
        for x in v:
            reply_py(c, x)


cdef class Status:
    """A simple-string reply inside a reply_py structure."""
    cdef readonly str text

    def __init__(self, str text):
        self.text = text
