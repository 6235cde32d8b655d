# The append-only file inside the core: the thin layer over csrc/aof.c the
# control layer (pyredis/aof.py) drives, the loader that replays an AOF
# through the command handlers, and the AOF-format rewrite of the dataset.
#
# Files, the manifest and the rewrite's control (when to start one, what
# to do with its result) are pyredis/aof.py's business; this file sees only
# file descriptors, paths and bytes, and runs the forked rewrite child.
from libc.stdio cimport snprintf
from libc.string cimport strlen
from posix.unistd cimport write as c_write, fdatasync
from libc.errno cimport errno, EINTR, EIO, ENOMEM

cdef enum:
    AOF_OK = 0
    AOF_NOT_EXIST = 1
    AOF_EMPTY = 2
    AOF_OPEN_ERR = 3
    AOF_FAILED = 4
    AOF_TRUNCATED = 5
    AOF_REWRITE_ITEMS_PER_CMD = 64

aofInit()


# --- the writer ------------------------------------------------------------

def aof_enable(int fd, long long incr_size, long long current_size, long long base_size):
    """Start feeding the AOF: commands are appended from now on."""
    global g_prop_targets
    aofSetFd(fd, incr_size)
    aofSetSizes(current_size, base_size)
    g_prop_targets |= PROP_TARGET_AOF


def aof_disable():
    """Stop feeding; write and fsync what is buffered; returns the fd the
    writer used (the caller closes it), or -1."""
    global g_prop_targets
    if not (g_prop_targets & PROP_TARGET_AOF):
        return -1
    aof_flush(True)
    aofWaitFsync()
    aofFsyncNow()
    g_prop_targets &= ~PROP_TARGET_AOF
    aofDiscardBuffer()
    return aofSetFd(-1, 0)


def aof_switch_fd(int fd):
    """Continue in a new incr file (a rewrite started): the buffer is
    written to the old one first; returns the old fd (the caller closes
    it after aof_wait_fsync)."""
    aof_flush(True)
    return aofSetFd(fd, 0)


def aof_set_sizes(long long current_size, long long base_size):
    aofSetSizes(current_size, base_size)


def aof_set_policy(str fsync, bint timestamps, bint no_fsync_on_rewrite=False):
    aofSetPolicy(AOF_FSYNC_ALWAYS if fsync == "always" else
                 AOF_FSYNC_EVERYSEC if fsync == "everysec" else AOF_FSYNC_NO, timestamps,
                 no_fsync_on_rewrite)


def aof_close_in_background(int fd, bint need_fsync=True):
    """Close fd off the event loop (fsynced first if need_fsync): the incr
    file a rewrite left, an unlinked history file."""
    aofCloseInBackground(fd, need_fsync)


def aof_clear_write_error():
    aofClearWriteError()


def aof_wait_fsync():
    with nogil:
        aofWaitFsync()


def aof_fsync():
    """fsync the current file now (shutdown); 0 ok, -1 error."""
    return aofFsyncNow()


def aof_enabled():
    return bool(g_prop_targets & PROP_TARGET_AOF)


cdef long long g_aof_last_error_log = 0


def aof_flush(bint force=False):
    """Write the append buffer (the cron, shutdown)."""
    return aof_flush_c(force)


cdef int aof_flush_c(bint force) except -1:
    """Write the append buffer (before_sleep first of all) and log what
    Redis logs about it."""
    cdef long long now = mstime() // 1000
    cdef int r = aofFlush(force, now)
    if r == AOF_FLUSH_OK or r == AOF_FLUSH_POSTPONED:
        return r
    return aof_flush_report(r, now)


cdef int aof_flush_report(int r, long long now) except -1:
    global g_aof_last_error_log
    cdef aofInfo info
    if g_ctl is None:
        return r
    if r == AOF_FLUSH_DELAYED:
        g_ctl.log_notice("Asynchronous AOF fsync is taking too long (disk is busy?). "
                         "Writing the AOF buffer without waiting for fsync to complete, "
                         "this may slow down Redis.")
    elif r == AOF_FLUSH_RECOVERED:
        g_ctl.log_warning("AOF write error looks solved, Redis can write again.")
    else:
        aofGetInfo(&info)
        import os as _os
        if r == AOF_FLUSH_FATAL:
            if info.last_write_ok:
                g_ctl.log_warning("Can't persist AOF for fsync error when the AOF fsync "
                                  "policy is 'always': %s. Exiting..."
                                  % _os.strerror(info.last_write_errno))
            else:
                g_ctl.log_warning("Error writing to the AOF file: %s"
                                  % _os.strerror(info.last_write_errno))
                g_ctl.log_warning("Can't recover from AOF write error when the AOF "
                                  "fsync policy is 'always'. Exiting...")
            _os._exit(1)
        if now - g_aof_last_error_log > 30:
            g_aof_last_error_log = now
            g_ctl.log_warning("Error writing to the AOF file: %s"
                              % _os.strerror(info.last_write_errno))
    return r


def aof_info():
    cdef aofInfo i
    aofGetInfo(&i)
    return {"current_size": i.current_size, "base_size": i.base_size,
            "buffer_length": i.buffer_length, "pending_fsync": i.pending_fsync,
            "delayed_fsync": i.delayed_fsync, "last_incr_size": i.last_incr_size,
            "last_write_ok": bool(i.last_write_ok), "fd": i.fd}


# --- loading ------------------------------------------------------------------

cdef inline Py_ssize_t _line_end(const char *p, Py_ssize_t pos, Py_ssize_t n) noexcept:
    """Index just past the next '\n' (or n): what fgets would return."""
    while pos < n:
        if p[pos] == b'\n':
            return pos + 1
        pos += 1
    return n


cdef long long _atol(const char *p, Py_ssize_t n) noexcept:
    """atoi/strtol: leading digits with an optional sign, 0 when none."""
    cdef Py_ssize_t i = 0
    cdef long long v = 0
    cdef bint neg = False
    while i < n and (p[i] == b' ' or p[i] == b'\t'):
        i += 1
    if i < n and (p[i] == b'-' or p[i] == b'+'):
        neg = p[i] == b'-'
        i += 1
    while i < n and 48 <= p[i] <= 57 and v < (1 << 56):
        v = v * 10 + (p[i] - 48)
        i += 1
    return -v if neg else v


cdef int _run_loaded(Client c, list queued) except -1:
    """Run one command read from the AOF as Redis's loader does: straight
    into its handler (no call(): no stats, nothing propagated)."""
    global g_cmd_ms
    cdef Command cmd = lookup_command(c.argv[0], c.argvlen[0])
    if cmd.subcommands is not None and c.argc >= 2:
        sub = lookup_subcommand(cmd, c.argv[1], c.argvlen[1])
        if sub is not None:
            cmd = <Command>sub
    g_cmd_ms = mstime()
    c.cmd = cmd
    c.reply_start = 0
    if cmd.proc != NULL:
        cmd.proc(c)
    c.reply.len = 0
    return 0


def aof_load_file(str path, str name, bint load_truncated, log):
    """Replay one AOF file (the part after an RDB preamble, when the caller
    loaded one: see `start`).  Returns one of the AOF_* codes; every
    problem is logged (through log(level, text)) as Redis logs it."""
    cdef bytes data
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError as e:
        log("warning", "The append log file %s doesn't exist: %s" % (name, e.strerror))
        return AOF_NOT_EXIST
    except OSError as e:
        log("warning", "Fatal error: can't open the append log file %s for reading: %s"
            % (name, e.strerror))
        return AOF_OPEN_ERR
    if len(data) == 0:
        return AOF_EMPTY
    return aof_load_bytes(data, path, name, load_truncated, log, 0)


def aof_is_rdb(str path):
    with open(path, "rb") as f:
        return f.read(5) == b"REDIS"


def aof_load_bytes(bytes data, str path, str name, bint load_truncated, log, Py_ssize_t start):
    cdef const char *p = data
    cdef Py_ssize_t n = len(data)
    cdef Py_ssize_t pos = start, e, valid_up_to = 0, valid_before_multi = 0
    cdef long long argc, alen
    cdef int j
    cdef Client c = Client.__new__(Client)
    cdef const char **argv = NULL
    cdef size_t *argvlen = NULL
    cdef list queued = None        # (argv, argvlen, argc) of an open MULTI
    cdef int status = AOF_OK
    cdef bint in_multi = False
    cdef bint fmterr = False
    cdef Command cmd
    c.flags |= CLIENT_DENY_BLOCKING | CLIENT_AOF_LOADER
    c.user = None
    g_clients.pop(c.id, None)
    multi_cmds = []
    try:
        while True:
            if pos >= n:
                break
            e = _line_end(p, pos, n)
            if p[pos] == b'#':
                pos = e
                continue
            if p[pos] != b'*':
                fmterr = True
                break
            if e - pos < 2:
                status = -1          # read error at EOF: a truncated tail
                break
            argc = _atol(p + pos + 1, e - pos - 1)
            if argc < 1:
                fmterr = True
                break
            pos = e
            argv = <const char **>zmalloc(sizeof(char *) * argc)
            argvlen = <size_t *>zmalloc(sizeof(size_t) * argc)
            if argv == NULL or argvlen == NULL:
                raise MemoryError()
            for j in range(argc):
                if pos >= n:
                    status = -1
                    break
                e = _line_end(p, pos, n)
                if p[pos] != b'$':
                    fmterr = True
                    break
                alen = _atol(p + pos + 1, e - pos - 1)
                pos = e
                if alen < 0 or pos + alen + 2 > n:
                    status = -1
                    break
                argv[j] = p + pos
                argvlen[j] = <size_t>alen
                pos += alen + 2
            if fmterr or status == -1:
                break
            # MULTI and EXEC are not commands of ours (yet): the loader
            # itself makes the block atomic
            cmd = lookup_command(argv[0], argvlen[0])
            if cmd is None and not (arg_eq_lower(argv[0], argvlen[0], b"multi")
                                    or arg_eq_lower(argv[0], argvlen[0], b"exec")):
                log("warning", "Unknown command '%s' reading the append only file %s"
                    % (argv[0][:argvlen[0]].decode("utf-8", "surrogateescape"), name))
                status = AOF_FAILED
                break
            if in_multi:
                if argvlen[0] == 4 and arg_eq_lower(argv[0], 4, b"exec"):
                    # the transaction is whole: run it at once
                    for qargv, qargvlen, qargc in multi_cmds:
                        c.argv = <const char **><size_t>qargv
                        c.argvlen = <size_t *><size_t>qargvlen
                        c.argc = qargc
                        _run_loaded(c, None)
                        zfree(<void *><size_t>qargv)
                        zfree(<void *><size_t>qargvlen)
                    multi_cmds = []
                    in_multi = False
                    zfree(argv)
                    zfree(argvlen)
                else:
                    multi_cmds.append((<size_t>argv, <size_t>argvlen, <int>argc))
                argv = NULL
                argvlen = NULL
            elif argvlen[0] == 5 and arg_eq_lower(argv[0], 5, b"multi"):
                valid_before_multi = valid_up_to
                in_multi = True
                zfree(argv)
                zfree(argvlen)
                argv = NULL
                argvlen = NULL
            else:
                c.argv = argv
                c.argvlen = argvlen
                c.argc = <int>argc
                _run_loaded(c, None)
                zfree(argv)
                zfree(argvlen)
                argv = NULL
                argvlen = NULL
            if load_truncated:
                valid_up_to = pos
        if fmterr:
            log("warning", "Bad file format reading the append only file %s: make a backup "
                "of your AOF file, then use ./redis-check-aof --fix <filename.manifest>" % name)
            return AOF_FAILED
        if status == AOF_FAILED:
            return AOF_FAILED
        if status != -1 and in_multi:
            log("warning", "Revert incomplete MULTI/EXEC transaction in AOF file %s" % name)
            valid_up_to = valid_before_multi
            status = -1
        if status == -1:
            if load_truncated:
                log("warning", "!!! Warning: short read while loading the AOF file %s!!!" % name)
                log("warning", "!!! Truncating the AOF %s at offset %d !!!" % (name, valid_up_to))
                try:
                    import os as _os
                    _os.truncate(path, valid_up_to)
                except OSError as ex:
                    log("warning", "Error truncating the AOF file %s: %s" % (name, ex.strerror))
                else:
                    log("warning", "AOF %s loaded anyway because aof-load-truncated is enabled"
                        % name)
                    return AOF_TRUNCATED
            log("warning", "Unexpected end of file reading the append only file %s. You can: "
                "1) Make a backup of your AOF file, then use ./redis-check-aof --fix "
                "<filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' "
                "configuration option to yes and restart the server." % name)
            return AOF_FAILED
        return AOF_OK
    finally:
        zfree(argv)
        zfree(argvlen)
        for qargv, qargvlen, qargc in multi_cmds:
            zfree(<void *><size_t>qargv)
            zfree(<void *><size_t>qargvlen)
        c.argv = NULL
        c.argvlen = NULL
        c.argc = 0


cdef bint arg_eq_lower(const char *a, size_t n, const char *word) noexcept:
    cdef size_t i
    cdef char ch
    if n != strlen(word):
        return False
    for i in range(n):
        ch = a[i]
        if 65 <= ch <= 90:
            ch += 32
        if ch != word[i]:
            return False
    return True


# --- rewrite: the dataset as commands -------------------------------------------

cdef struct RwOut:
    replyBuf buf
    int fd
    long long written
    long long synced
    long long autosync        # fsync every that many bytes (0: never)
    int err


cdef int rw_drain(RwOut *o, bint all_) noexcept nogil:
    cdef ssize_t w
    cdef size_t done = 0
    if not all_ and o.buf.len < 64 * 1024:
        return 0
    while done < o.buf.len:
        w = c_write(o.fd, o.buf.buf + done, o.buf.len - done)
        if w < 0:
            if errno == EINTR:
                continue
            o.err = errno
            return -1
        done += w
    o.written += done
    o.buf.len = 0
    # aof-rewrite-incremental-fsync: no burst of dirty pages at the end
    if o.autosync and o.written - o.synced >= o.autosync:
        fdatasync(o.fd)
        o.synced = o.written
    return 0


cdef inline void rw_header(RwOut *o, const char *name, size_t nlen, dictEntry *de, long items) noexcept:
    replyArrayLen(&o.buf, 2 + items)
    replyBulk(&o.buf, name, nlen)
    replyBulk(&o.buf, de.key, de.klen)


cdef void rw_string(RwOut *o, dictEntry *de, robj *v) noexcept:
    cdef char scratch[32]
    cdef size_t n
    cdef const char *p = objStrPtr(v, scratch, &n)
    rw_header(o, b"SET", 3, de, 1)
    replyBulk(&o.buf, p, n)


cdef void rw_list(RwOut *o, dictEntry *de, robj *v) noexcept:
    cdef quicklistIter it
    cdef quicklistEntry e
    cdef long long items = QL(v).count
    cdef long count = 0
    quicklistIterAt(QL(v), 0, QL_FORWARD, &it)
    while quicklistNext(&it, &e):
        if count == 0:
            rw_header(o, b"RPUSH", 5, de, min(items, AOF_REWRITE_ITEMS_PER_CMD))
        if e.s == NULL:
            replyBulkLongLong(&o.buf, e.lval)
        else:
            replyBulk(&o.buf, e.s, e.sz)
        count += 1
        items -= 1
        if count == AOF_REWRITE_ITEMS_PER_CMD:
            count = 0
            rw_drain(o, False)


cdef int rw_set(RwOut *o, dictEntry *de, robj *v) except -1:
    cdef SetIter it
    cdef const char *p
    cdef size_t n
    cdef long long items = set_size(v)
    cdef long count = 0
    set_iter_init(&it, v)
    p = set_iter_next(&it, &n)
    while p != NULL:
        if count == 0:
            rw_header(o, b"SADD", 4, de, min(items, AOF_REWRITE_ITEMS_PER_CMD))
        replyBulk(&o.buf, p, n)
        count += 1
        items -= 1
        if count == AOF_REWRITE_ITEMS_PER_CMD:
            count = 0
            rw_drain(o, False)
        p = set_iter_next(&it, &n)
    set_iter_release(&it)
    return 0


cdef void rw_zset(RwOut *o, dictEntry *de, robj *v) noexcept:
    cdef ZIter it
    cdef const char *ele
    cdef size_t elen
    cdef double score
    cdef char num[128]
    cdef int nl
    cdef long long items = zset_length(v)
    cdef long count = 0
    zset_iter_init(&it, v, False)
    while zset_iter_next(&it, &ele, &elen, &score):
        if count == 0:
            rw_header(o, b"ZADD", 4, de, 2 * min(items, AOF_REWRITE_ITEMS_PER_CMD))
        nl = fmtDouble(num, score)
        replyBulk(&o.buf, num, nl)
        replyBulk(&o.buf, ele, elen)
        count += 1
        items -= 1
        if count == AOF_REWRITE_ITEMS_PER_CMD:
            count = 0
            rw_drain(o, False)


cdef void rw_hash(RwOut *o, dictEntry *de, robj *v) noexcept:
    cdef HashIter it
    cdef const char *p
    cdef size_t n
    cdef long long items = hash_len(v)
    cdef long count = 0
    hash_iter_init(&it, v)
    while hash_iter_next(&it):
        if count == 0:
            rw_header(o, b"HMSET", 5, de, 2 * min(items, AOF_REWRITE_ITEMS_PER_CMD))
        p = hash_iter_field(&it, &n)
        replyBulk(&o.buf, p, n)
        p = hash_iter_value(&it, &n)
        replyBulk(&o.buf, p, n)
        count += 1
        items -= 1
        if count == AOF_REWRITE_ITEMS_PER_CMD:
            count = 0
            rw_drain(o, False)
    hash_iter_release(&it)


cdef void rw_stream(RwOut *o, dictEntry *de, stream *s) noexcept:
    """Redis's rewriteStreamObject: XADD per entry (or XADD MAXLEN 0 for an
    empty stream), XSETID with the counters, then per group XGROUP CREATE
    ... ENTRIESREAD, XCLAIM ... JUSTID FORCE per pending entry and XGROUP
    CREATECONSUMER for consumers with none."""
    cdef streamIterator si
    cdef streamID id
    cdef int64_t nf
    cdef const unsigned char *f
    cdef const unsigned char *v
    cdef uint32_t fl, vl
    cdef size_t g, k, m
    cdef streamCG *cg
    cdef streamConsumer *cons
    cdef streamNACK *nk
    if s.length:
        streamIteratorStart(&si, s, NULL, NULL, False)
        while streamIteratorGetID(&si, &id, &nf):
            rw_header(o, b"XADD", 4, de, 1 + nf * 2)
            buf_id(&o.buf, &id)
            while nf > 0:
                streamIteratorGetField(&si, &f, &fl, &v, &vl)
                replyBulk(&o.buf, f, fl)
                replyBulk(&o.buf, v, vl)
                nf -= 1
            rw_drain(o, False)
    else:
        rw_header(o, b"XADD", 4, de, 5)
        replyBulk(&o.buf, b"MAXLEN", 6)
        replyBulk(&o.buf, b"0", 1)
        replyBulk(&o.buf, b"0-1", 3)
        replyBulk(&o.buf, b"x", 1)
        replyBulk(&o.buf, b"y", 1)
    rw_header(o, b"XSETID", 6, de, 5)
    buf_id(&o.buf, &s.last_id)
    replyBulk(&o.buf, b"ENTRIESADDED", 12)
    replyBulkLongLong(&o.buf, <long long>s.entries_added)
    replyBulk(&o.buf, b"MAXDELETEDID", 12)
    buf_id(&o.buf, &s.max_deleted_entry_id)
    for g in range(s.ncgroups):
        cg = s.cgroups[g]
        replyArrayLen(&o.buf, 7)
        replyBulk(&o.buf, b"XGROUP", 6)
        replyBulk(&o.buf, b"CREATE", 6)
        replyBulk(&o.buf, de.key, de.klen)
        replyBulk(&o.buf, cg.name, cg.namelen)
        buf_id(&o.buf, &cg.last_id)
        replyBulk(&o.buf, b"ENTRIESREAD", 11)
        replyBulkLongLong(&o.buf, cg.entries_read)
        for k in range(cg.nconsumers):
            cons = cg.consumers[k]
            if cons.pel.len == 0:
                replyArrayLen(&o.buf, 5)
                replyBulk(&o.buf, b"XGROUP", 6)
                replyBulk(&o.buf, b"CREATECONSUMER", 14)
                replyBulk(&o.buf, de.key, de.klen)
                replyBulk(&o.buf, cg.name, cg.namelen)
                replyBulk(&o.buf, cons.name, cons.namelen)
                continue
            for m in range(cons.pel.len):
                nk = cons.pel.items[m]
                rw_header(o, b"XCLAIM", 6, de, 10)
                replyBulk(&o.buf, cg.name, cg.namelen)
                replyBulk(&o.buf, cons.name, cons.namelen)
                replyBulk(&o.buf, b"0", 1)
                buf_id(&o.buf, &nk.id)
                replyBulk(&o.buf, b"TIME", 4)
                replyBulkLongLong(&o.buf, nk.delivery_time)
                replyBulk(&o.buf, b"RETRYCOUNT", 10)
                replyBulkLongLong(&o.buf, <long long>nk.delivery_count)
                replyBulk(&o.buf, b"JUSTID", 6)
                replyBulk(&o.buf, b"FORCE", 5)
                rw_drain(o, False)


cdef int aof_rewrite_out(RwOut *o, bint timestamp, bint in_child) except -1:
    """Write the whole dataset to o as the commands that rebuild it (Redis's
    rewriteAppendOnlyFileRio: SELECT per database, one command per value in
    batches of 64 items, PEXPIREAT for TTLs).  -1 with o.err set on a write
    error; in a child, progress is reported every 1024 keys."""
    cdef int i
    cdef dictIterator *di
    cdef dictEntry *de
    cdef robj *v
    cdef long long when
    cdef char ts[64]
    cdef int tl
    cdef size_t keys = 0
    if timestamp:
        tl = snprintf(ts, sizeof(ts), "#TS:%lld\r\n", mstime() // 1000)
        replyAppend(&o.buf, ts, tl)
    for i in range(g_ndbs):
        if dictSize(g_dbs[i].dict) == 0:
            continue
        replyArrayLen(&o.buf, 2)
        replyBulk(&o.buf, b"SELECT", 6)
        replyBulkLongLong(&o.buf, i)
        di = dictGetSafeIterator(g_dbs[i].dict)
        try:
            de = dictNext(di)
            while de != NULL:
                v = <robj *>de.v.ptr
                if v.type == OBJ_STRING:
                    rw_string(o, de, v)
                elif v.type == OBJ_LIST:
                    rw_list(o, de, v)
                elif v.type == OBJ_SET:
                    rw_set(o, de, v)
                elif v.type == OBJ_ZSET:
                    rw_zset(o, de, v)
                elif v.type == OBJ_HASH:
                    rw_hash(o, de, v)
                elif v.type == OBJ_STREAM:
                    rw_stream(o, de, <stream *>v.v.ptr)
                when = get_expire(&g_dbs[i], <const char *>de.key, de.klen)
                if when != -1:
                    rw_header(o, b"PEXPIREAT", 9, de, 1)
                    replyBulkLongLong(&o.buf, when)
                if o.buf.oom:
                    raise MemoryError()
                if o.err or rw_drain(o, False) < 0:
                    return -1
                keys += 1
                if in_child and (keys & 1023) == 0:
                    child_send_info(CHILD_INFO_PROGRESS, keys)
                key_save_delay()
                de = dictNext(di)
        finally:
            dictReleaseIterator(di)
    if o.err or rw_drain(o, True) < 0:
        return -1
    return 0


cdef void rw_init(RwOut *o, int fd, long long autosync) noexcept:
    replyInit(&o.buf)
    o.fd = fd
    o.written = o.synced = 0
    o.autosync = autosync
    o.err = 0


def aof_rewrite_fd(int fd, bint timestamp):
    """The dataset as AOF commands written to fd; returns the bytes
    written, raises OSError on a write error."""
    cdef RwOut o
    rw_init(&o, fd, 0)
    try:
        if aof_rewrite_out(&o, timestamp, False) == -1:
            import os as _os
            raise OSError(o.err, _os.strerror(o.err))
        return o.written
    finally:
        replyFree(&o.buf)


# --- base files: the rewrite proper ----------------------------------------------

cdef enum:
    AOF_AUTOSYNC_BYTES = 4 * 1024 * 1024


cdef object aof_write_base_file(str tmpname, str final, bint use_rdb, bint timestamps,
                                bint incremental_fsync, bint in_child):
    """Redis's rewriteAppendOnlyFile: the dataset (RDB with an AOF-base
    aux field, or AOF commands) into tmpname, fsynced, then renamed to
    final.  Returns None, or the message Redis logs for the failure (the
    temp file is then gone)."""
    cdef bytes tmp = tmpname.encode("utf-8", "surrogateescape")
    cdef bytes dst = final.encode("utf-8", "surrogateescape")
    cdef long long autosync = AOF_AUTOSYNC_BYTES if incremental_fsync else 0
    cdef rio r
    cdef RwOut o
    cdef int rc, err = 0
    cdef int fd = posix_open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    if fd == -1:
        return ("Opening the temp file for AOF rewrite in rewriteAppendOnlyFile(): %s"
                % strerror(errno).decode())
    if use_rdb:
        rioInitFileWriter(&r, fd, autosync)
        rc = rdb_save_rio(&r, RDBFLAGS_AOF_PREAMBLE, in_child, NULL)
        if rc == 0 and rioFlush(&r) == 0:
            rc = -1
        err = errno
        rioFree(&r)
    else:
        rw_init(&o, fd, autosync)
        try:
            rc = aof_rewrite_out(&o, timestamps, in_child)
            err = o.err
        except MemoryError:
            rc, err = -1, ENOMEM
        finally:
            replyFree(&o.buf)
    if rc == 0 and fsync(fd) == -1:
        rc, err = -1, errno
    posix_close(fd)
    if rc == -1:
        unlink(tmp)
        return "Write error writing append only file on disk: %s" % strerror(err or EIO).decode()
    if rename(tmp, dst) == -1:
        err = errno
        unlink(tmp)
        return ("Error moving temp append only file on the final destination: %s"
                % strerror(err).decode())
    return None


def aof_write_base(str tmpname, str final, bint use_rdb, bint timestamps, bint incremental_fsync):
    """A base file written by this process (start-up with an empty
    directory): None or the error text."""
    return aof_write_base_file(tmpname, final, use_rdb, timestamps, incremental_fsync, False)


def aof_rewrite_background(bint use_rdb, bint timestamps, bint incremental_fsync, log_done):
    """BGREWRITEAOF's fork.  The child writes the dataset to
    temp-rewriteaof-<pid>.aof in the working directory, renames it to
    temp-rewriteaof-bg-<pid>.aof when whole, and exits 0 (1 on failure).
    Returns the child's pid; raises OSError when fork failed.  In the
    child, log_done(ok, text, cow_bytes) runs once before it exits (text:
    the final name, or the error)."""
    cdef pid_t pid = fork_child(CHILD_TYPE_AOF)
    if pid == -1:
        raise OSError(errno, strerror(errno).decode())
    if pid > 0:
        return pid
    me = getpid()
    final = "temp-rewriteaof-bg-%d.aof" % me
    try:
        err = aof_write_base_file("temp-rewriteaof-%d.aof" % me, final, use_rdb, timestamps,
                                  incremental_fsync, True)
    except BaseException as e:
        err = "Write error writing append only file on disk: %r" % (e,)
    child_send_info(CHILD_INFO_DONE, 0)
    try:
        log_done(err is None, err or final, process_private_dirty())
    except BaseException:
        pass
    exit_from_child(0 if err is None else 1)


# --- the command ------------------------------------------------------------------

cdef int cmd_bgrewriteaof(Client c) except -1:
    msg = g_ctl.aof.cmd_bgrewriteaof()
    if msg.startswith("-"):
        reply_error_fmt(c, msg[1:])
    else:
        reply_py(c, Status(msg))
    return 0
