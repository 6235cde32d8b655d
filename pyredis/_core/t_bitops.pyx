# Bitmap commands over string values: SETBIT GETBIT BITCOUNT BITPOS BITOP
# BITFIELD BITFIELD_RO.  Argument grammar, range clipping and replies
# follow Redis 7.0's bitops.c; the bit work itself is csrc/bitops.c.
# Writes grow the string through string_for_write (t_string.pyx), the
# path SETRANGE-like growth shares.
from libc.stdlib cimport malloc, free
from libc.string cimport memset
from libc.stdint cimport uint8_t, int64_t, uint64_t

cdef const char *MSG_BIT_OFFSET = "ERR bit offset is not an integer or out of range"
cdef const char *MSG_BF_TYPE = ("ERR Invalid bitfield type. Use something like i16 u8. "
                                "Note that u64 is not supported but i64 is.")

cdef enum:
    BFOP_GET = 0
    BFOP_SET = 1
    BFOP_INCRBY = 2


cdef int parse_bit_offset(Client c, int i, bint hash, int bits, unsigned long long *out) noexcept:
    """Bit offset argument, `#n` meaning n*bits when hash; below
    proto-max-bulk-len bytes.  1 ok, 0 replied."""
    cdef const char *p = c.argv[i]
    cdef size_t n = c.argvlen[i]
    cdef bint usehash = hash and n > 0 and p[0] == b'#' and bits > 0
    cdef long long v
    if not string2ll(p + usehash, n - usehash, &v):
        replyErrorC(&c.reply, MSG_BIT_OFFSET)
        return 0
    if usehash:
        v = <long long>(<unsigned long long>v * <unsigned long long>bits)
    if v < 0 or (v >> 3) >= cfg_proto_max_bulk_len:
        replyErrorC(&c.reply, MSG_BIT_OFFSET)
        return 0
    out[0] = <unsigned long long>v
    return 1


cdef int parse_bitfield_type(Client c, int i, bint *sign, int *bits) noexcept:
    """i1..i64 or u1..u63 (case-sensitive, as Redis).  1 ok, 0 replied."""
    cdef const char *p = c.argv[i]
    cdef size_t n = c.argvlen[i]
    cdef long long v
    if n == 0 or (p[0] != b'i' and p[0] != b'u'):
        replyErrorC(&c.reply, MSG_BF_TYPE)
        return 0
    sign[0] = p[0] == b'i'
    if not string2ll(p + 1, n - 1, &v) or v < 1 or v > (64 if sign[0] else 63):
        replyErrorC(&c.reply, MSG_BF_TYPE)
        return 0
    bits[0] = <int>v
    return 1


cdef int parse_bit_range(Client c, int si, int ei, int unit_i, long long slen,
                         long long *start, long long *end,
                         int *first_mask, int *last_mask) except -1:
    """Shared by BITCOUNT and BITPOS: start/end (end may be absent, ei < 0)
    in bytes or bits, negative from the end, clipped; BIT ranges become
    byte ranges plus masks of the bits outside the range in the first and
    last byte.  1 ok, 0 replied."""
    cdef bint isbit = False
    cdef long long total = slen
    if not arg_ll(c, si, start):
        return 0
    if unit_i > 0:
        if arg_is(c, unit_i, "bit"):
            isbit = True
        elif not arg_is(c, unit_i, "byte"):
            replyErrorC(&c.reply, MSG_SYNTAX)
            return 0
    if ei > 0:
        if not arg_ll(c, ei, end):
            return 0
    else:
        end[0] = (total << 3) + 7 if isbit else total - 1
    if isbit:
        total <<= 3
    if start[0] < 0:
        start[0] += total
    if end[0] < 0:
        end[0] += total
    if start[0] < 0:
        start[0] = 0
    if end[0] < 0:
        end[0] = 0
    if end[0] >= total:
        end[0] = total - 1
    first_mask[0] = last_mask[0] = 0
    if isbit and start[0] <= end[0]:
        first_mask[0] = ~((1 << (8 - (start[0] & 7))) - 1) & 0xff
        last_mask[0] = (1 << (7 - (end[0] & 7))) - 1
        start[0] >>= 3
        end[0] >>= 3
    return 1


cdef int cmd_setbit(Client c) except -1:
    global g_dirty
    cdef unsigned long long offset
    cdef long long on
    cdef bint grown
    if not parse_bit_offset(c, 2, False, 0, &offset):
        return 0
    if not string2ll(c.argv[3], c.argvlen[3], &on) or (on != 0 and on != 1):
        replyErrorC(&c.reply, "ERR bit is not an integer or out of range")
        return 0
    cdef robj *o = string_for_write(c, (offset >> 3) + 1, &grown)
    if o == NULL:
        return 0
    cdef uint8_t *p = <uint8_t *>objRawPtr(o)
    cdef int shift = 7 - <int>(offset & 7)
    cdef int old = (p[offset >> 3] >> shift) & 1
    if grown or old != on:
        p[offset >> 3] = (p[offset >> 3] & ~(1 << shift)) | (<int>on << shift)
        g_dirty += 1
        arg_event(c, NOTIFY_STRING, "setbit", 1)
    replyLongLong(&c.reply, old)
    return 0


cdef int cmd_getbit(Client c) except -1:
    cdef unsigned long long offset
    cdef char scratch[32]
    cdef size_t n
    cdef const uint8_t *p
    if not parse_bit_offset(c, 2, False, 0, &offset):
        return 0
    cdef robj *o = lookup_read(c.db, c.argv[1], c.argvlen[1])
    if o == NULL:
        replyLongLong(&c.reply, 0)
        return 0
    if not check_type(c, o, OBJ_STRING):
        return 0
    p = <const uint8_t *>objStrPtr(o, scratch, &n)
    if (offset >> 3) >= n:
        replyLongLong(&c.reply, 0)
    else:
        replyLongLong(&c.reply, (p[offset >> 3] >> (7 - (offset & 7))) & 1)
    return 0


cdef int cmd_bitcount(Client c) except -1:
    cdef char scratch[32]
    cdef size_t n
    cdef long long start, end
    cdef int fmask = 0, lmask = 0
    cdef const uint8_t *p
    cdef long long count
    cdef robj *o = lookup_read(c.db, c.argv[1], c.argvlen[1])
    if o == NULL:
        replyLongLong(&c.reply, 0)
        return 0
    if not check_type(c, o, OBJ_STRING):
        return 0
    p = <const uint8_t *>objStrPtr(o, scratch, &n)
    if c.argc == 4 or c.argc == 5:
        if not arg_ll(c, 2, &start) or not arg_ll(c, 3, &end):
            return 0
        if start < 0 and end < 0 and start > end:
            replyLongLong(&c.reply, 0)
            return 0
        if not parse_bit_range(c, 2, 3, 4 if c.argc == 5 else 0, n,
                               &start, &end, &fmask, &lmask):
            return 0
    elif c.argc == 2:
        start = 0
        end = <long long>n - 1
    else:
        replyErrorC(&c.reply, MSG_SYNTAX)
        return 0
    if start > end:
        replyLongLong(&c.reply, 0)
        return 0
    count = bitopsPopcount(p + start, end - start + 1)
    if fmask:
        count -= bitopsPopcount_byte(p[start] & fmask)
    if lmask:
        count -= bitopsPopcount_byte(p[end] & lmask)
    replyLongLong(&c.reply, count)
    return 0


cdef inline long long bitopsPopcount_byte(int b) noexcept:
    cdef uint8_t v = <uint8_t>b
    return bitopsPopcount(&v, 1)


cdef int cmd_bitpos(Client c) except -1:
    cdef char scratch[32]
    cdef size_t n
    cdef long long bit, start, end, pos
    cdef int fmask = 0, lmask = 0
    cdef bint end_given = c.argc >= 5
    cdef const uint8_t *p
    if not arg_ll(c, 2, &bit):
        return 0
    if bit != 0 and bit != 1:
        replyErrorC(&c.reply, "ERR The bit argument must be 1 or 0.")
        return 0
    cdef robj *o = lookup_read(c.db, c.argv[1], c.argvlen[1])
    if o == NULL:
        replyLongLong(&c.reply, -1 if bit else 0)
        return 0
    if not check_type(c, o, OBJ_STRING):
        return 0
    p = <const uint8_t *>objStrPtr(o, scratch, &n)
    if 4 <= c.argc <= 6:
        if not parse_bit_range(c, 3, 4 if c.argc >= 5 else -1, 5 if c.argc == 6 else 0,
                               n, &start, &end, &fmask, &lmask):
            return 0
    elif c.argc == 3:
        start = 0
        end = <long long>n - 1
    else:
        replyErrorC(&c.reply, MSG_SYNTAX)
        return 0
    if start > end:
        replyLongLong(&c.reply, -1)
        return 0
    replyLongLong(&c.reply, bitpos_in_range(p, start, end, fmask, lmask, <int>bit, end_given))
    return 0


cdef long long bitpos_in_range(const uint8_t *p, long long start, long long end,
                               int fmask, int lmask, int bit, bint end_given) noexcept:
    """First `bit` in bytes start..end, skipping the masked bits of the
    first and last byte.  Not found: -1, except a search for 0 without an
    explicit end, which answers the first bit past the string."""
    cdef uint8_t edge
    cdef long long pos
    cdef long long last = end
    if fmask:
        edge = (p[start] & ~fmask) if bit else (p[start] | fmask)
        if lmask and start == end:
            edge = (edge & ~lmask) if bit else (edge | lmask)
        pos = bitopsBitpos(&edge, 1, bit)
        if pos != -1 and pos != 8:
            return start * 8 + pos
        if start == end:
            return -1 if (bit or end_given) else (end + 1) * 8
        start += 1
    if lmask:
        last = end - 1
    if last >= start:
        pos = bitopsBitpos(p + start, last - start + 1, bit)
        if pos != -1 and pos != (last - start + 1) * 8:
            return start * 8 + pos
    if lmask:
        edge = (p[end] & ~lmask) if bit else (p[end] | lmask)
        pos = bitopsBitpos(&edge, 1, bit)
        if pos != -1 and pos != 8:
            return end * 8 + pos
    return -1 if (bit or end_given) else (end + 1) * 8


cdef int cmd_bitop(Client c) except -1:
    global g_dirty
    cdef int op
    cdef int nsrc = c.argc - 3
    cdef int j
    cdef size_t maxlen = 0
    cdef robj *o
    if arg_is(c, 1, "and"):
        op = BITOP_AND
    elif arg_is(c, 1, "or"):
        op = BITOP_OR
    elif arg_is(c, 1, "xor"):
        op = BITOP_XOR
    elif arg_is(c, 1, "not"):
        op = BITOP_NOT
    else:
        replyErrorC(&c.reply, MSG_SYNTAX)
        return 0
    if op == BITOP_NOT and c.argc != 4:
        replyErrorC(&c.reply, "ERR BITOP NOT must be called with a single source key.")
        return 0
    # one allocation: source pointers, lengths, then 32-byte scratch
    # buffers for integer-encoded sources
    cdef char *mem = <char *>malloc(nsrc * (sizeof(uint8_t *) + sizeof(size_t) + 32))
    if mem == NULL:
        raise MemoryError()
    cdef const uint8_t **src = <const uint8_t **>mem
    cdef size_t *lens = <size_t *>(mem + nsrc * sizeof(uint8_t *))
    cdef char *scratch = mem + nsrc * (sizeof(uint8_t *) + sizeof(size_t))
    cdef robj *res = NULL
    try:
        for j in range(nsrc):
            o = lookup_read(c.db, c.argv[j + 3], c.argvlen[j + 3])
            if o == NULL:
                src[j] = NULL
                lens[j] = 0
                continue
            if not check_type(c, o, OBJ_STRING):
                return 0
            src[j] = <const uint8_t *>objStrPtr(o, scratch + 32 * j, &lens[j])
            if lens[j] > maxlen:
                maxlen = lens[j]
        if maxlen:
            res = objCreateRawString(NULL, 0, maxlen)
            if res == NULL:
                raise MemoryError()
            bitopsCombine(op, <uint8_t *>objRawPtr(res), src, lens, nsrc, maxlen)
            res.len = <uint32_t>maxlen
            objRawPtr(res)[maxlen] = 0
            db_set(c.db, c.argv[2], c.argvlen[2], res, False)
            g_dirty += 1
            arg_event(c, NOTIFY_STRING, "set", 2)
        elif db_delete(c.db, c.argv[2], c.argvlen[2]):
            g_dirty += 1
            arg_event(c, NOTIFY_GENERIC, "del", 2)
    finally:
        free(mem)
    replyLongLong(&c.reply, maxlen)
    return 0


cdef struct BitfieldOp:
    unsigned long long offset
    long long value
    int opcode
    int owtype
    int bits
    bint sign


cdef int bitfield_generic(Client c, bint ro) except -1:
    global g_dirty
    cdef int j = 2
    cdef int remargs, nops = 0
    cdef int owtype = BFOVERFLOW_WRAP
    cdef bint readonly = True, grown = False
    cdef unsigned long long highest = 0
    cdef BitfieldOp *ops = <BitfieldOp *>malloc(sizeof(BitfieldOp) * (c.argc // 2 + 1))
    cdef BitfieldOp *op
    cdef robj *o = NULL
    cdef long long changes = 0
    if ops == NULL:
        raise MemoryError()
    try:
        while j < c.argc:
            remargs = c.argc - j - 1
            op = &ops[nops]
            if arg_is(c, j, "get") and remargs >= 2:
                op.opcode = BFOP_GET
            elif arg_is(c, j, "set") and remargs >= 3:
                op.opcode = BFOP_SET
            elif arg_is(c, j, "incrby") and remargs >= 3:
                op.opcode = BFOP_INCRBY
            elif arg_is(c, j, "overflow") and remargs >= 1:
                j += 1
                if arg_is(c, j, "wrap"):
                    owtype = BFOVERFLOW_WRAP
                elif arg_is(c, j, "sat"):
                    owtype = BFOVERFLOW_SAT
                elif arg_is(c, j, "fail"):
                    owtype = BFOVERFLOW_FAIL
                else:
                    replyErrorC(&c.reply, "ERR Invalid OVERFLOW type specified")
                    return 0
                j += 1
                continue
            else:
                replyErrorC(&c.reply, MSG_SYNTAX)
                return 0
            if not parse_bitfield_type(c, j + 1, &op.sign, &op.bits):
                return 0
            if not parse_bit_offset(c, j + 2, True, op.bits, &op.offset):
                return 0
            op.value = 0
            if op.opcode != BFOP_GET:
                readonly = False
                if highest < op.offset + op.bits - 1:
                    highest = op.offset + op.bits - 1
                if not arg_ll(c, j + 3, &op.value):
                    return 0
            op.owtype = owtype
            nops += 1
            j += 4 if op.opcode != BFOP_GET else 3
        if readonly:
            o = lookup_read(c.db, c.argv[1], c.argvlen[1])
            if o != NULL and not check_type(c, o, OBJ_STRING):
                return 0
        else:
            if ro:
                replyErrorC(&c.reply, "ERR BITFIELD_RO only supports the GET subcommand")
                return 0
            o = string_for_write(c, (highest >> 3) + 1, &grown)
            if o == NULL:
                return 0
        replyArrayLen(&c.reply, nops)
        for j in range(nops):
            op = &ops[j]
            if op.opcode == BFOP_GET:
                bitfield_get(c, o, op)
            elif op.sign:
                changes += bitfield_write_signed(c, <uint8_t *>objRawPtr(o), op, grown)
            else:
                changes += bitfield_write_unsigned(c, <uint8_t *>objRawPtr(o), op, grown)
    finally:
        free(ops)
    if changes:
        g_dirty += changes
        arg_event(c, NOTIFY_STRING, "setbit", 1)
    return 0


cdef void bitfield_get(Client c, robj *o, BitfieldOp *op) noexcept:
    """Reads through a 9-byte zero-padded copy, so fields past the end of
    the string read as zeros."""
    cdef uint8_t buf[9]
    cdef char scratch[32]
    cdef size_t n = 0, i
    cdef const uint8_t *p = NULL
    cdef unsigned long long byte = op.offset >> 3
    memset(buf, 0, 9)
    if o != NULL:
        p = <const uint8_t *>objStrPtr(o, scratch, &n)
        i = 0
        while i < 9 and byte + i < n:
            buf[i] = p[byte + i]
            i += 1
    if op.sign:
        replyLongLong(&c.reply, bitopsGetSigned(buf, op.offset - byte * 8, op.bits))
    else:
        replyLongLong(&c.reply, <long long>bitopsGetUnsigned(buf, op.offset - byte * 8, op.bits))


cdef int bitfield_write_signed(Client c, uint8_t *p, BitfieldOp *op, bint grown) noexcept:
    """SET or INCRBY of a signed field; 1 when it counts as a change."""
    cdef int64_t old = bitopsGetSigned(p, op.offset, op.bits)
    cdef int64_t new, wrapped = 0, ret
    cdef int overflow
    if op.opcode == BFOP_INCRBY:
        overflow = bitopsSignedOverflow(old, op.value, op.bits, op.owtype, &wrapped)
        new = wrapped if overflow else <int64_t>(<uint64_t>old + <uint64_t>op.value)
        ret = new
    else:
        new = op.value
        overflow = bitopsSignedOverflow(new, 0, op.bits, op.owtype, &wrapped)
        if overflow:
            new = wrapped
        ret = old
    if overflow and op.owtype == BFOVERFLOW_FAIL:
        reply_null(c)
        return 0
    replyLongLong(&c.reply, ret)
    bitopsSetUnsigned(p, op.offset, op.bits, <uint64_t>new)
    return 1 if (grown or old != new) else 0


cdef int bitfield_write_unsigned(Client c, uint8_t *p, BitfieldOp *op, bint grown) noexcept:
    """SET or INCRBY of an unsigned field; 1 when it counts as a change."""
    cdef uint64_t old = bitopsGetUnsigned(p, op.offset, op.bits)
    cdef uint64_t new, wrapped = 0, ret
    cdef int overflow
    if op.opcode == BFOP_INCRBY:
        overflow = bitopsUnsignedOverflow(old, op.value, op.bits, op.owtype, &wrapped)
        new = wrapped if overflow else old + <uint64_t>op.value
        ret = new
    else:
        new = <uint64_t>op.value
        overflow = bitopsUnsignedOverflow(new, 0, op.bits, op.owtype, &wrapped)
        if overflow:
            new = wrapped
        ret = old
    if overflow and op.owtype == BFOVERFLOW_FAIL:
        reply_null(c)
        return 0
    replyLongLong(&c.reply, <long long>ret)
    bitopsSetUnsigned(p, op.offset, op.bits, new)
    return 1 if (grown or old != new) else 0


cdef int cmd_bitfield(Client c) except -1:
    return bitfield_generic(c, False)


cdef int cmd_bitfield_ro(Client c) except -1:
    return bitfield_generic(c, True)
