# Stream reads and consumer groups: XREAD XREADGROUP (with blocking),
# XGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM.
#
# Propagation follows Redis 7.0: a read through a group is never sent as
# itself; each entry it hands out goes as an idempotent XCLAIM ... FORCE
# JUSTID LASTID, a NOACK read as XGROUP SETID ... ENTRIESREAD, and the same
# for XCLAIM/XAUTOCLAIM, so replicas and the AOF rebuild PELs exactly.
from libc.stdint cimport uint64_t, int64_t, uint32_t, UINT64_MAX

cdef enum:
    RWR_NOACK = 1
    RWR_HISTORY = 2



cdef void prop_xclaim(Client c, const char *k, size_t kl, streamCG *group,
                      const char *g, size_t gl, const streamID *id, streamNACK *nack) noexcept:
    """XCLAIM <key> <group> <consumer> 0 <id> TIME <ms> RETRYCOUNT <n> FORCE
    JUSTID LASTID <group last id> (Redis's streamPropagateXCLAIM)."""
    cdef replyBuf *b = prop_also(c.db.id, 14)
    replyBulk(b, b"XCLAIM", 6)
    replyBulk(b, k, kl)
    replyBulk(b, g, gl)
    replyBulk(b, nack.consumer.name, nack.consumer.namelen)
    replyBulk(b, b"0", 1)
    buf_id(b, id)
    replyBulk(b, b"TIME", 4)
    replyBulkLongLong(b, nack.delivery_time)
    replyBulk(b, b"RETRYCOUNT", 10)
    replyBulkLongLong(b, <long long>nack.delivery_count)
    replyBulk(b, b"FORCE", 5)
    replyBulk(b, b"JUSTID", 6)
    replyBulk(b, b"LASTID", 6)
    buf_id(b, &group.last_id)


cdef void prop_group_id(Client c, const char *k, size_t kl, streamCG *group,
                        const char *g, size_t gl) noexcept:
    cdef replyBuf *b = prop_also(c.db.id, 7)
    replyBulk(b, b"XGROUP", 6)
    replyBulk(b, b"SETID", 5)
    replyBulk(b, k, kl)
    replyBulk(b, g, gl)
    buf_id(b, &group.last_id)
    replyBulk(b, b"ENTRIESREAD", 11)
    replyBulkLongLong(b, group.entries_read)


cdef void prop_consumer_creation(Client c, const char *k, size_t kl, const char *g, size_t gl,
                                 streamConsumer *cons) noexcept:
    cdef replyBuf *b = prop_also(c.db.id, 5)
    replyBulk(b, b"XGROUP", 6)
    replyBulk(b, b"CREATECONSUMER", 14)
    replyBulk(b, k, kl)
    replyBulk(b, g, gl)
    replyBulk(b, cons.name, cons.namelen)


cdef streamConsumer *create_consumer(Client c, streamCG *cg, const char *name, size_t nl,
                                     const char *k, size_t kl) except? NULL:
    """A new consumer (dirty, notified as Redis's streamCreateConsumer)."""
    global g_dirty
    cdef streamConsumer *cons = streamCreateConsumer(cg, <const unsigned char *>name, nl, g_cmd_ms)
    if cons == NULL:
        return NULL
    g_dirty += 1
    notify_keyspace_event(NOTIFY_STREAM, "xgroup-createconsumer", k, kl, c.db.id)
    return cons


cdef streamConsumer *lookup_or_create_consumer(Client c, streamCG *cg, const char *name,
                                               size_t nl, const char *k, size_t kl,
                                               bint *created) except NULL:
    cdef streamConsumer *cons = streamLookupConsumer(cg, <const unsigned char *>name, nl)
    created[0] = False
    if cons != NULL:
        cons.seen_time = g_cmd_ms
        return cons
    cons = create_consumer(c, cg, name, nl, k, kl)
    if cons == NULL:
        raise MemoryError()
    created[0] = True
    return cons


cdef bint reply_one_entry(Client c, stream *s, const streamID *id) noexcept:
    """The entry [id, [fields]] if it exists (no array around it)."""
    cdef streamIterator si
    cdef streamID got
    cdef int64_t nf
    streamIteratorStart(&si, s, id, id, False)
    if streamIteratorGetID(&si, &got, &nf):
        reply_stream_entry(c, &si, &got, nf)
        return True
    return False


cdef long reply_range_group(Client c, stream *s, const streamID *start, long long count,
                            streamCG *group, streamConsumer *cons, int flags,
                            const char *k, size_t kl, const char *g, size_t gl) except -1:
    """Redis's streamReplyWithRange for a group read of new entries (and
    its history variant): moves the group's last ID, fills the PELs and
    queues the XCLAIMs."""
    cdef streamIterator si
    cdef streamID id
    cdef int64_t nf
    cdef long n = 0
    cdef size_t at, i
    cdef bint propagate_last_id = False
    cdef bint noack = flags & RWR_NOACK
    cdef streamNACK *nack
    cdef streamNACK *old
    at = c.reply.len
    replyAppend(&c.reply, b"*00000000000000000000\r\n", 23)
    if flags & RWR_HISTORY:
        i = streamPELSeek(&cons.pel, start)
        while i < cons.pel.len and (not count or n < count):
            nack = cons.pel.items[i]
            if not reply_one_entry(c, s, &nack.id):
                replyArrayLen(&c.reply, 2)
                reply_id(c, &nack.id)
                replyNullArray(&c.reply, c.resp)
            else:
                nack.delivery_time = g_cmd_ms
                nack.delivery_count += 1
            n += 1
            i += 1
        patch_array_len(c, at, n)
        return n
    streamIteratorStart(&si, s, start, NULL, False)
    while streamIteratorGetID(&si, &id, &nf):
        if streamCompareID(&id, &group.last_id) > 0:
            if group.entries_read != SCG_INVALID_ENTRIES_READ and \
                    not streamRangeHasTombstones(s, &id, NULL):
                group.entries_read += 1
            elif s.entries_added:
                group.entries_read = streamEstimateDistanceFromFirstEverEntry(s, &id)
            group.last_id = id
            if noack:
                propagate_last_id = True
        reply_stream_entry(c, &si, &id, nf)
        if not noack:
            old = streamPELFind(&group.pel, &id)
            if old == NULL:
                nack = streamCreateNACK(cons, &id, g_cmd_ms)
                if nack == NULL or streamPELInsert(&group.pel, nack) < 0:
                    raise MemoryError()
                if streamPELInsert(&cons.pel, nack) < 0:
                    streamPELRemove(&group.pel, &id)
                    raise MemoryError()
            else:
                nack = old
                streamPELRemove(&nack.consumer.pel, &id)
                nack.consumer = cons
                nack.delivery_time = g_cmd_ms
                nack.delivery_count = 1
                if streamPELInsert(&cons.pel, nack) < 0:
                    raise MemoryError()
            if g_prop_targets:
                prop_xclaim(c, k, kl, group, g, gl, &id, nack)
        n += 1
        if count and n == count:
            break
    if propagate_last_id and g_prop_targets:
        prop_group_id(c, k, kl, group, g, gl)
    patch_array_len(c, at, n)
    return n


# --- XREAD / XREADGROUP -------------------------------------------------------------

cdef int parse_timeout_ms(Client c, int i, long long *out) noexcept:
    """BLOCK <ms>: an absolute unix ms deadline, 0 = forever."""
    cdef long long t
    if not string2ll(c.argv[i], c.argvlen[i], &t):
        replyErrorC(&c.reply, "ERR timeout is not an integer or out of range")
        return 0
    if t < 0:
        replyErrorC(&c.reply, "ERR timeout is negative")
        return 0
    if t > 0:
        t += g_cmd_ms
    out[0] = t
    return 1


cdef int xread_generic(Client c, bint xreadgroup) except -1:
    cdef long long timeout = -1
    cdef long long count = 0
    cdef int streams_arg = 0, streams_count = 0
    cdef bint noack = False
    cdef int gi = 0, ci = 0
    cdef int i, j, moreargs
    cdef robj *o
    cdef streamID *ids = NULL
    cdef streamCG **groups = NULL
    cdef stream *s
    cdef streamID maxid, start
    cdef bint serve, history, created
    cdef long arraylen = 0
    cdef size_t at = 0
    cdef streamConsumer *cons
    cdef list saved
    global g_dirty
    i = 1
    while i < c.argc:
        moreargs = c.argc - i - 1
        if arg_is(c, i, "block") and moreargs:
            if c is g_script_client:
                reply_error_fmt(c, "ERR %s command is not allowed with BLOCK option from scripts"
                                % arg_str(c, 0))
                return 0
            i += 1
            if not parse_timeout_ms(c, i, &timeout):
                return 0
        elif arg_is(c, i, "count") and moreargs:
            i += 1
            if not arg_ll(c, i, &count):
                return 0
            if count < 0:
                count = 0
        elif arg_is(c, i, "streams") and moreargs:
            streams_arg = i + 1
            streams_count = c.argc - streams_arg
            if streams_count % 2 != 0:
                replyErrorC(&c.reply, "ERR Unbalanced XREAD list of streams: for each stream key an "
                            "ID or '$' must be specified.")
                return 0
            streams_count //= 2
            break
        elif arg_is(c, i, "group") and moreargs >= 2:
            if not xreadgroup:
                replyErrorC(&c.reply, "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.")
                return 0
            gi = i + 1
            ci = i + 2
            i += 2
        elif arg_is(c, i, "noack"):
            if not xreadgroup:
                replyErrorC(&c.reply, "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.")
                return 0
            noack = True
        else:
            replyErrorC(&c.reply, MSG_SYNTAX)
            return 0
        i += 1
    if streams_arg == 0:
        replyErrorC(&c.reply, MSG_SYNTAX)
        return 0
    if xreadgroup and gi == 0:
        replyErrorC(&c.reply, "ERR Missing GROUP option for XREADGROUP")
        return 0
    ids = <streamID *>zmalloc(sizeof(streamID) * streams_count)
    groups = <streamCG **>zmalloc(sizeof(streamCG *) * streams_count)
    if ids == NULL or groups == NULL:
        zfree(ids)
        zfree(groups)
        raise MemoryError()
    saved = g_xread_block_ids.get(c) if c.flags & CLIENT_REPROCESSING else None
    try:
        for i in range(streams_arg + streams_count, c.argc):
            j = i - streams_arg - streams_count
            o = lookup_read(c.db, c.argv[i - streams_count], c.argvlen[i - streams_count])
            if o != NULL and not check_type(c, o, OBJ_STREAM):
                return 0
            groups[j] = NULL
            if gi:
                if o != NULL:
                    groups[j] = streamLookupCG(SP(o), <const unsigned char *>c.argv[gi], c.argvlen[gi])
                if groups[j] == NULL:
                    if c.flags & CLIENT_REPROCESSING:
                        replyErrorC(&c.reply, "NOGROUP the consumer group this client was blocked on no longer exists")
                    else:
                        reply_error_fmt(c, "NOGROUP No such key '%s' or consumer group '%s' in "
                                        "XREADGROUP with GROUP option"
                                        % (arg_str(c, i - streams_count), arg_str(c, gi)))
                    return 0
            if c.argvlen[i] == 1 and c.argv[i][0] == b'$':
                if xreadgroup:
                    replyErrorC(&c.reply, "ERR The $ ID is meaningless in the context of XREADGROUP: "
                                "you want to read the history of this consumer by specifying a "
                                "proper ID, or use the > ID to get new messages. The $ ID would "
                                "just return an empty result set.")
                    return 0
                if saved is not None:
                    ids[j].ms = (<tuple>saved[j])[0]
                    ids[j].seq = (<tuple>saved[j])[1]
                elif o != NULL:
                    ids[j] = SP(o).last_id
                else:
                    ids[j].ms = ids[j].seq = 0
                continue
            elif c.argvlen[i] == 1 and c.argv[i][0] == b'>':
                if not xreadgroup:
                    replyErrorC(&c.reply, "ERR The > ID can be specified only when calling XREADGROUP "
                                "using the GROUP <group> <consumer> option.")
                    return 0
                ids[j].ms = UINT64_MAX
                ids[j].seq = UINT64_MAX
                continue
            if not parse_strict_id(c, i, &ids[j], 0):
                return 0
        if (c.flags & CLIENT_REPROCESSING) and count == 0:
            count = XREAD_BLOCKED_DEFAULT_COUNT
        for i in range(streams_count):
            if c.flags & CLIENT_REPROCESSING and g_serving_key is not None and \
                    c.argv[streams_arg + i][:c.argvlen[streams_arg + i]] != g_serving_key:
                continue
            o = lookup_read(c.db, c.argv[streams_arg + i], c.argvlen[streams_arg + i])
            if o == NULL:
                continue
            s = SP(o)
            serve = history = False
            if c.flags & CLIENT_REPROCESSING:
                # a served waiter: Redis compares with the stream's last ID,
                # live entry or not (serveClientsBlockedOnStreamKey)
                if gi:
                    ids[i] = groups[i].last_id
                if streamCompareID(&s.last_id, &ids[i]) > 0:
                    serve = True
            elif gi:
                if ids[i].ms != UINT64_MAX or ids[i].seq != UINT64_MAX:
                    serve = history = True
                elif s.length:
                    streamGetEdgeID(s, 0, 1, &maxid)
                    if streamCompareID(&maxid, &groups[i].last_id) > 0:
                        serve = True
                        ids[i] = groups[i].last_id
            elif s.length:
                streamGetEdgeID(s, 0, 1, &maxid)
                if streamCompareID(&maxid, &ids[i]) > 0:
                    serve = True
            if not serve:
                continue
            arraylen += 1
            if arraylen == 1:
                at = c.reply.len
                replyAppend(&c.reply, b"*00000000000000000000\r\n", 23)
            start = ids[i]
            streamIncrID(&start)
            if c.resp == 2:
                replyArrayLen(&c.reply, 2)
            replyBulk(&c.reply, c.argv[streams_arg + i], c.argvlen[streams_arg + i])
            if gi:
                cons = lookup_or_create_consumer(c, groups[i], c.argv[ci], c.argvlen[ci],
                                                 c.argv[streams_arg + i], c.argvlen[streams_arg + i],
                                                 &created)
                if created and noack and g_prop_targets:
                    prop_consumer_creation(c, c.argv[streams_arg + i], c.argvlen[streams_arg + i],
                                           c.argv[gi], c.argvlen[gi], cons)
                reply_range_group(c, s, &start, count, groups[i], cons,
                                  (RWR_NOACK if noack else 0) | (RWR_HISTORY if history else 0),
                                  c.argv[streams_arg + i], c.argvlen[streams_arg + i],
                                  c.argv[gi], c.argvlen[gi])
                g_dirty += 1
            else:
                reply_range_plain(c, s, &start, NULL, count, False)
        if arraylen:
            if c.resp == 2:
                patch_array_len(c, at, arraylen)
            else:
                patch_map_len(c, at, arraylen)
            if xreadgroup:
                prop_prevent()
            g_xread_block_ids.pop(c, None)
            return 0
        if timeout != -1:
            if not can_block(c):
                replyNullArray(&c.reply, c.resp)
                return 0
            if not (c.flags & CLIENT_REPROCESSING) and not xreadgroup:
                g_xread_block_ids[c] = [(ids[j].ms, ids[j].seq) for j in range(streams_count)]
            block_client(c, [c.argv[streams_arg + j][:c.argvlen[streams_arg + j]]
                             for j in range(streams_count)], timeout)
            return 0
        replyNullArray(&c.reply, c.resp)
        return 0
    finally:
        zfree(ids)
        zfree(groups)
        if xreadgroup:
            prop_prevent()


cdef int cmd_xread(Client c) except -1:
    return xread_generic(c, False)


cdef int cmd_xreadgroup(Client c) except -1:
    return xread_generic(c, True)


# --- XGROUP -----------------------------------------------------------------------------

cdef int cmd_xgroup(Client c) except -1:
    cdef robj *o = NULL
    cdef stream *s = NULL
    cdef streamCG *cg = NULL
    cdef bint mkstream = False
    cdef long long entries_read = SCG_INVALID_ENTRIES_READ
    cdef int i, oom
    cdef streamID id
    cdef bint create = arg_is(c, 1, "create")
    cdef bint setid = arg_is(c, 1, "setid")
    cdef streamConsumer *cons
    cdef long long pending
    global g_dirty
    if c.argc >= 4:
        if create or setid:
            i = 5
            while i < c.argc:
                if create and arg_is(c, i, "mkstream"):
                    mkstream = True
                    i += 1
                elif arg_is(c, i, "entriesread") and i + 1 < c.argc:
                    if not arg_ll(c, i + 1, &entries_read):
                        return 0
                    if entries_read < 0 and entries_read != SCG_INVALID_ENTRIES_READ:
                        replyErrorC(&c.reply, "ERR value for ENTRIESREAD must be positive or -1")
                        return 0
                    i += 2
                else:
                    return subcommand_syntax_error(c)
        o = lookup_write(c.db, c.argv[2], c.argvlen[2])
        if o != NULL:
            if not check_type(c, o, OBJ_STREAM):
                return 0
            s = SP(o)
    if c.argc >= 4 and not mkstream:
        if s == NULL:
            replyErrorC(&c.reply, "ERR The XGROUP subcommand requires the key to exist. Note that "
                        "for CREATE you may want to use the MKSTREAM option to create an empty "
                        "stream automatically.")
            return 0
        cg = streamLookupCG(s, <const unsigned char *>c.argv[3], c.argvlen[3])
        if cg == NULL and (setid or arg_is(c, 1, "createconsumer") or arg_is(c, 1, "delconsumer")):
            reply_error_fmt(c, "NOGROUP No such consumer group '%s' for key name '%s'"
                            % (arg_str(c, 3), arg_str(c, 2)))
            return 0
    if create and 5 <= c.argc <= 8:
        if c.argvlen[4] == 1 and c.argv[4][0] == b'$':
            if s != NULL:
                id = s.last_id
            else:
                id.ms = id.seq = 0
        elif not parse_strict_id(c, 4, &id, 0):
            return 0
        if s == NULL:
            o = stream_create()
            db_add(c.db, c.argv[2], c.argvlen[2], o)
            s = SP(o)
            signal_modified_key(c.db, c.argv[2], c.argvlen[2])
        cg = streamCreateCG(s, <const unsigned char *>c.argv[3], c.argvlen[3], &id, entries_read, &oom)
        if cg != NULL:
            replyOk(&c.reply)
            g_dirty += 1
            notify_keyspace_event(NOTIFY_STREAM, "xgroup-create", c.argv[2], c.argvlen[2], c.db.id)
        elif oom:
            raise MemoryError()
        else:
            replyErrorC(&c.reply, "BUSYGROUP Consumer Group name already exists")
    elif setid and (c.argc == 5 or c.argc == 7):
        if c.argvlen[4] == 1 and c.argv[4][0] == b'$':
            id = s.last_id
        elif not parse_id_arg(c, 4, &id, 0, False, NULL):
            return 0
        cg.last_id = id
        cg.entries_read = entries_read
        replyOk(&c.reply)
        g_dirty += 1
        notify_keyspace_event(NOTIFY_STREAM, "xgroup-setid", c.argv[2], c.argvlen[2], c.db.id)
    elif arg_is(c, 1, "destroy") and c.argc == 4:
        if cg != NULL:
            streamDestroyCG(s, <const unsigned char *>c.argv[3], c.argvlen[3])
            replyLongLong(&c.reply, 1)
            g_dirty += 1
            notify_keyspace_event(NOTIFY_STREAM, "xgroup-destroy", c.argv[2], c.argvlen[2], c.db.id)
            signal_key_as_ready(c.db, c.argv[2], c.argvlen[2])
        else:
            replyLongLong(&c.reply, 0)
    elif arg_is(c, 1, "createconsumer") and c.argc == 5:
        cons = create_consumer(c, cg, c.argv[4], c.argvlen[4], c.argv[2], c.argvlen[2])
        replyLongLong(&c.reply, 1 if cons != NULL else 0)
    elif arg_is(c, 1, "delconsumer") and c.argc == 5:
        pending = 0
        cons = streamLookupConsumer(cg, <const unsigned char *>c.argv[4], c.argvlen[4])
        if cons != NULL:
            pending = streamDelConsumer(cg, cons)
            g_dirty += 1
            notify_keyspace_event(NOTIFY_STREAM, "xgroup-delconsumer", c.argv[2], c.argvlen[2], c.db.id)
        replyLongLong(&c.reply, pending)
    else:
        return subcommand_syntax_error(c)
    return 0


cdef int subcommand_syntax_error(Client c) except -1:
    reply_error_fmt(c, "ERR unknown subcommand or wrong number of arguments for '%s'. Try %s HELP."
                    % (arg_str(c, 1, 128), arg_str(c, 0).upper()))
    return 0


cdef int cmd_xgroup_help(Client c) except -1:
    return reply_help(c, "xgroup")


# --- XACK ----------------------------------------------------------------------------------

cdef int cmd_xack(Client c) except -1:
    cdef robj *o = lookup_read(c.db, c.argv[1], c.argvlen[1])
    cdef streamCG *group = NULL
    cdef streamID *ids
    cdef streamNACK *nack
    cdef long long acked = 0
    cdef int j
    global g_dirty
    if o != NULL:
        if not check_type(c, o, OBJ_STREAM):
            return 0
        group = streamLookupCG(SP(o), <const unsigned char *>c.argv[2], c.argvlen[2])
    if o == NULL or group == NULL:
        replyLongLong(&c.reply, 0)
        return 0
    ids = <streamID *>zmalloc(sizeof(streamID) * (c.argc - 3))
    if ids == NULL:
        raise MemoryError()
    try:
        for j in range(3, c.argc):
            if not parse_strict_id(c, j, &ids[j - 3], 0):
                return 0
        for j in range(c.argc - 3):
            nack = streamPELFind(&group.pel, &ids[j])
            if nack != NULL:
                streamFreeNACKFromGroup(group, nack)
                acked += 1
                g_dirty += 1
    finally:
        zfree(ids)
    replyLongLong(&c.reply, acked)
    return 0


# --- XPENDING ------------------------------------------------------------------------------

cdef int cmd_xpending(Client c) except -1:
    cdef bint justinfo = c.argc == 3
    cdef streamID startid, endid
    cdef bint startex = False, endex = False
    cdef long long count = 0, minidle = 0, elapsed
    cdef int startidx = 3, consi = 0
    cdef robj *o
    cdef streamCG *group
    cdef streamConsumer *cons = NULL
    cdef streamPEL *pel
    cdef streamNACK *nack
    cdef size_t i, at
    cdef long n
    if c.argc != 3 and (c.argc < 6 or c.argc > 9):
        replyErrorC(&c.reply, MSG_SYNTAX)
        return 0
    if c.argc >= 6:
        if arg_is(c, 3, "idle"):
            if not arg_ll(c, 4, &minidle):
                return 0
            if c.argc < 8:
                replyErrorC(&c.reply, MSG_SYNTAX)
                return 0
            startidx += 2
        if not arg_ll(c, startidx + 2, &count):
            return 0
        if count < 0:
            count = 0
        if not parse_interval_id(c, startidx, &startid, &startex, 0):
            return 0
        if startex and streamIncrID(&startid) != 0:
            replyErrorC(&c.reply, "ERR invalid start ID for the interval")
            return 0
        if not parse_interval_id(c, startidx + 1, &endid, &endex, UINT64_MAX):
            return 0
        if endex and streamDecrID(&endid) != 0:
            replyErrorC(&c.reply, "ERR invalid end ID for the interval")
            return 0
        if startidx + 3 < c.argc:
            consi = startidx + 3
    o = lookup_read(c.db, c.argv[1], c.argvlen[1])
    if o != NULL and not check_type(c, o, OBJ_STREAM):
        return 0
    group = streamLookupCG(SP(o), <const unsigned char *>c.argv[2], c.argvlen[2]) if o != NULL else NULL
    if group == NULL:
        reply_error_fmt(c, "NOGROUP No such key '%s' or consumer group '%s'"
                        % (arg_str(c, 1), arg_str(c, 2)))
        return 0
    if justinfo:
        replyArrayLen(&c.reply, 4)
        replyLongLong(&c.reply, <long long>group.pel.len)
        if group.pel.len == 0:
            replyNull(&c.reply, c.resp)
            replyNull(&c.reply, c.resp)
            replyNullArray(&c.reply, c.resp)
            return 0
        reply_id(c, &group.pel.items[0].id)
        reply_id(c, &group.pel.items[group.pel.len - 1].id)
        n = 0
        for i in range(group.nconsumers):
            if group.consumers[i].pel.len:
                n += 1
        replyArrayLen(&c.reply, n)
        for i in range(group.nconsumers):
            cons = group.consumers[i]
            if cons.pel.len == 0:
                continue
            replyArrayLen(&c.reply, 2)
            replyBulk(&c.reply, cons.name, cons.namelen)
            replyBulkLongLong(&c.reply, <long long>cons.pel.len)
        return 0
    if consi:
        cons = streamLookupConsumer(group, <const unsigned char *>c.argv[consi], c.argvlen[consi])
        if cons == NULL:
            replyArrayLen(&c.reply, 0)
            return 0
    pel = &cons.pel if cons != NULL else &group.pel
    at = c.reply.len
    replyAppend(&c.reply, b"*00000000000000000000\r\n", 23)
    n = 0
    i = streamPELSeek(pel, &startid)
    while count and i < pel.len and streamCompareID(&pel.items[i].id, &endid) <= 0:
        nack = pel.items[i]
        i += 1
        if minidle and g_cmd_ms - nack.delivery_time < minidle:
            continue
        n += 1
        count -= 1
        replyArrayLen(&c.reply, 4)
        reply_id(c, &nack.id)
        replyBulk(&c.reply, nack.consumer.name, nack.consumer.namelen)
        elapsed = g_cmd_ms - nack.delivery_time
        replyLongLong(&c.reply, elapsed if elapsed > 0 else 0)
        replyLongLong(&c.reply, <long long>nack.delivery_count)
    patch_array_len(c, at, n)
    return 0


# --- XCLAIM / XAUTOCLAIM ----------------------------------------------------------------------

cdef void claim_nack(streamNACK *nack, streamConsumer *cons) noexcept:
    """Move nack into cons's PEL."""
    if nack.consumer != cons:
        if nack.consumer != NULL:
            streamPELRemove(&nack.consumer.pel, &nack.id)
        streamPELInsert(&cons.pel, nack)
        nack.consumer = cons


cdef int cmd_xclaim(Client c) except -1:
    cdef robj *o = lookup_read(c.db, c.argv[1], c.argvlen[1])
    cdef streamCG *group = NULL
    cdef long long minidle, retrycount = -1, deliverytime = -1
    cdef bint force = False, justid = False, propagate_last_id = False
    cdef int j, last_id_arg, moreargs
    cdef streamID *ids
    cdef streamID last_id, tmp
    cdef long long now = g_cmd_ms
    cdef streamConsumer *cons = NULL
    cdef streamNACK *nack
    cdef size_t at
    cdef long n = 0
    cdef bint created
    global g_dirty
    if o != NULL:
        if not check_type(c, o, OBJ_STREAM):
            return 0
        group = streamLookupCG(SP(o), <const unsigned char *>c.argv[2], c.argvlen[2])
    if o == NULL or group == NULL:
        reply_error_fmt(c, "NOGROUP No such key '%s' or consumer group '%s'"
                        % (arg_str(c, 1), arg_str(c, 2)))
        return 0
    if not arg_ll_msg(c, 4, &minidle, "ERR Invalid min-idle-time argument for XCLAIM"):
        return 0
    if minidle < 0:
        minidle = 0
    ids = <streamID *>zmalloc(sizeof(streamID) * (c.argc - 5 + 1))
    if ids == NULL:
        raise MemoryError()
    try:
        j = 5
        while j < c.argc:
            if not parse_id(c.argv[j], c.argvlen[j], &ids[j - 5], 0, True, NULL):
                break
            j += 1
        last_id_arg = j - 1
        last_id.ms = last_id.seq = 0
        while j < c.argc:
            moreargs = c.argc - 1 - j
            if arg_is(c, j, "force"):
                force = True
            elif arg_is(c, j, "justid"):
                justid = True
            elif arg_is(c, j, "idle") and moreargs:
                j += 1
                if not arg_ll_msg(c, j, &deliverytime, "ERR Invalid IDLE option argument for XCLAIM"):
                    return 0
                deliverytime = now - deliverytime
            elif arg_is(c, j, "time") and moreargs:
                j += 1
                if not arg_ll_msg(c, j, &deliverytime, "ERR Invalid TIME option argument for XCLAIM"):
                    return 0
            elif arg_is(c, j, "retrycount") and moreargs:
                j += 1
                if not arg_ll_msg(c, j, &retrycount, "ERR Invalid RETRYCOUNT option argument for XCLAIM"):
                    return 0
            elif arg_is(c, j, "lastid") and moreargs:
                j += 1
                if not parse_strict_id(c, j, &last_id, 0):
                    return 0
            else:
                reply_error_fmt(c, "ERR Unrecognized XCLAIM option '%s'" % arg_str(c, j))
                return 0
            j += 1
        if streamCompareID(&last_id, &group.last_id) > 0:
            group.last_id = last_id
            propagate_last_id = True
        if deliverytime != -1:
            if deliverytime < 0 or deliverytime > now:
                deliverytime = now
        else:
            deliverytime = now
        at = c.reply.len
        replyAppend(&c.reply, b"*00000000000000000000\r\n", 23)
        for j in range(5, last_id_arg + 1):
            tmp = ids[j - 5]
            nack = streamPELFind(&group.pel, &tmp)
            if not streamEntryExists(SP(o), &tmp):
                if nack != NULL:
                    if g_prop_targets:
                        prop_xclaim(c, c.argv[1], c.argvlen[1], group, c.argv[2], c.argvlen[2],
                                    &tmp, nack)
                    propagate_last_id = False
                    g_dirty += 1
                    streamFreeNACKFromGroup(group, nack)
                continue
            if force and nack == NULL:
                nack = streamCreateNACK(NULL, &tmp, now)
                if nack == NULL or streamPELInsert(&group.pel, nack) < 0:
                    raise MemoryError()
            if nack == NULL:
                continue
            if nack.consumer != NULL and minidle and now - nack.delivery_time < minidle:
                continue
            if cons == NULL:
                cons = lookup_or_create_consumer(c, group, c.argv[3], c.argvlen[3],
                                                 c.argv[1], c.argvlen[1], &created)
            claim_nack(nack, cons)
            nack.delivery_time = deliverytime
            if retrycount >= 0:
                nack.delivery_count = <uint64_t>retrycount
            elif not justid:
                nack.delivery_count += 1
            if justid:
                reply_id(c, &tmp)
            elif not reply_one_entry(c, SP(o), &tmp):
                replyNull(&c.reply, c.resp)
            n += 1
            if g_prop_targets:
                prop_xclaim(c, c.argv[1], c.argvlen[1], group, c.argv[2], c.argvlen[2], &tmp, nack)
            propagate_last_id = False
            g_dirty += 1
        if propagate_last_id:
            if g_prop_targets:
                prop_group_id(c, c.argv[1], c.argvlen[1], group, c.argv[2], c.argvlen[2])
            g_dirty += 1
        patch_array_len(c, at, n)
        prop_prevent()
    finally:
        zfree(ids)
    return 0


cdef int cmd_xautoclaim(Client c) except -1:
    cdef robj *o = lookup_read(c.db, c.argv[1], c.argvlen[1])
    cdef streamCG *group = NULL
    cdef long long minidle, count = 100, attempts
    cdef streamID startid, endid, id
    cdef bint startex, justid = False, created
    cdef int j, moreargs
    cdef streamConsumer *cons = NULL
    cdef streamNACK *nack
    cdef size_t i, at
    cdef long n = 0
    cdef list deleted = []
    cdef size_t start_len
    cdef long long now = g_cmd_ms
    global g_dirty
    if not arg_ll_msg(c, 4, &minidle, "ERR Invalid min-idle-time argument for XAUTOCLAIM"):
        return 0
    if minidle < 0:
        minidle = 0
    if not parse_interval_id(c, 5, &startid, &startex, 0):
        return 0
    if startex and streamIncrID(&startid) != 0:
        replyErrorC(&c.reply, "ERR invalid start ID for the interval")
        return 0
    j = 6
    while j < c.argc:
        moreargs = c.argc - 1 - j
        if arg_is(c, j, "count") and moreargs:
            if not string2ll(c.argv[j + 1], c.argvlen[j + 1], &count) or count < 1:
                replyErrorC(&c.reply, "ERR COUNT must be > 0")
                return 0
            j += 1
        elif arg_is(c, j, "justid"):
            justid = True
        else:
            replyErrorC(&c.reply, MSG_SYNTAX)
            return 0
        j += 1
    if o != NULL:
        if not check_type(c, o, OBJ_STREAM):
            return 0
        group = streamLookupCG(SP(o), <const unsigned char *>c.argv[2], c.argvlen[2])
    if o == NULL or group == NULL:
        reply_error_fmt(c, "NOGROUP No such key '%s' or consumer group '%s'"
                        % (arg_str(c, 1), arg_str(c, 2)))
        return 0
    if count > LLONG_MAX // 10:
        replyErrorC(&c.reply, "ERR COUNT must be > 0")
        return 0
    attempts = count * 10
    replyArrayLen(&c.reply, 3)
    # the cursor goes first but is known last: move it in front at the end
    start_len = c.reply.len
    i = streamPELSeek(&group.pel, &startid)
    at = c.reply.len
    replyAppend(&c.reply, b"*00000000000000000000\r\n", 23)
    while attempts and count and i < group.pel.len:
        attempts -= 1
        nack = group.pel.items[i]
        id = nack.id
        if not streamEntryExists(SP(o), &id):
            if g_prop_targets:
                prop_xclaim(c, c.argv[1], c.argvlen[1], group, c.argv[2], c.argvlen[2], &id, nack)
            g_dirty += 1
            streamFreeNACKFromGroup(group, nack)
            deleted.append((id.ms, id.seq))
            count -= 1
            continue
        i += 1
        if minidle and now - nack.delivery_time < minidle:
            continue
        if cons == NULL:
            cons = lookup_or_create_consumer(c, group, c.argv[3], c.argvlen[3],
                                             c.argv[1], c.argvlen[1], &created)
        claim_nack(nack, cons)
        nack.delivery_time = now
        if not justid:
            nack.delivery_count += 1
        if justid:
            reply_id(c, &id)
        elif not reply_one_entry(c, SP(o), &id):
            replyNull(&c.reply, c.resp)
        n += 1
        count -= 1
        if g_prop_targets:
            prop_xclaim(c, c.argv[1], c.argvlen[1], group, c.argv[2], c.argvlen[2], &id, nack)
        g_dirty += 1
    patch_array_len(c, at, n)
    if i < group.pel.len:
        endid = group.pel.items[i].id
    else:
        endid.ms = endid.seq = 0
    # insert the cursor before the entries
    entries = c.reply.buf[start_len:c.reply.len]
    c.reply.len = start_len
    reply_id(c, &endid)
    replyAppend(&c.reply, <const char *><bytes>entries, len(<bytes>entries))
    replyArrayLen(&c.reply, len(deleted))
    for ms, seq in deleted:
        id.ms = ms
        id.seq = seq
        reply_id(c, &id)
    prop_prevent()
    return 0
