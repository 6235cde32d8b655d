# RDB files: the whole dataset written to or read from one file in Redis
# 7.0's format (version 10), on top of the value codec in rdb.pyx.
#
#   "REDIS0010"  aux fields (redis-ver, redis-bits, ctime, used-mem,
#                [repl-stream-db, repl-id, repl-offset], aof-base)
#   per non-empty db: SELECTDB n, RESIZEDB size expires,
#     per key: [EXPIRETIME_MS t] [IDLE s | FREQ f] type key value
#   EOF, then the CRC64 of everything before (little-endian; 0 when
#   rdbchecksum is off)
#
# Saving walks the keyspace with plain iterators and creates no Python
# objects, so it runs as well in a forked child (BGSAVE, child.pyx) as in
# the server (SAVE, shutdown).  Loading is a resumable RdbLoader: the
# control layer runs it in slices and lets the event loop answer clients
# (-LOADING) and INFO (loading_* progress) in between.
from posix.unistd cimport getpid, fsync, unlink, close as posix_close
from posix.fcntl cimport open as posix_open, O_WRONLY, O_CREAT, O_TRUNC, O_RDONLY
from posix.stat cimport struct_stat, fstat
from libc.stdio cimport snprintf, rename
from libc.string cimport strlen, strerror
from libc.errno cimport errno

cdef enum:
    RDBFLAGS_NONE = 0
    RDBFLAGS_AOF_PREAMBLE = 1      # the base of a multi-part AOF
    RDB_AUTOSYNC_BYTES = 4 * 1024 * 1024
    RDB_LOAD_CHECK_EVERY = 1024    # keys between progress checks

# config mirrors (rdbcompression is rdb.pyx's; the per-key IDLE/FREQ
# opcodes follow cfg_lru_enabled / cfg_lfu_enabled)
cdef bint cfg_rdbchecksum = True
cdef bint cfg_rdb_save_incremental_fsync = True

from pyredis import REDIS_VERSION as _REDIS_VERSION
cdef bytes REDIS_VERSION_B = _REDIS_VERSION.encode()
cdef const char *REDIS_VERSION_C = REDIS_VERSION_B

# replication info saved as aux fields once replication exists (set by the
# control layer; -1 db = not saved)
cdef int g_rsi_stream_db = -1
cdef bytes g_rsi_replid = None
cdef long long g_rsi_offset = 0


def set_rsi(int stream_db, bytes replid, long long offset):
    """What the next saves record of replication (repl-stream-db, repl-id,
    repl-offset aux fields): stream_db -1 records nothing."""
    global g_rsi_stream_db, g_rsi_replid, g_rsi_offset
    g_rsi_stream_db, g_rsi_replid, g_rsi_offset = stream_db, replid, offset


# --- saving ------------------------------------------------------------------

cdef int rdb_save_aux(rio *r, const char *key, const char *val, size_t vlen) noexcept:
    if rdb_save_type(r, RDB_OPCODE_AUX) == -1:
        return -1
    if rdb_save_string(r, key, strlen(key)) == -1:
        return -1
    return rdb_save_string(r, val, vlen)


cdef int rdb_save_aux_int(rio *r, const char *key, long long v) noexcept:
    cdef char buf[32]
    cdef int n = snprintf(buf, sizeof(buf), b"%lld", v)
    return rdb_save_aux(r, key, buf, n)


cdef int rdb_save_aux_fields(rio *r, int rdbflags) noexcept:
    cdef const char *replid
    if rdb_save_aux(r, b"redis-ver", REDIS_VERSION_C, strlen(REDIS_VERSION_C)) == -1:
        return -1
    if rdb_save_aux_int(r, b"redis-bits", 64) == -1:
        return -1
    if rdb_save_aux_int(r, b"ctime", mstime() // 1000) == -1:
        return -1
    if rdb_save_aux_int(r, b"used-mem", zmalloc_used_memory()) == -1:
        return -1
    if g_rsi_stream_db != -1 and g_rsi_replid is not None:
        replid = <const char *>g_rsi_replid
        if rdb_save_aux_int(r, b"repl-stream-db", g_rsi_stream_db) == -1:
            return -1
        if rdb_save_aux(r, b"repl-id", replid, len(g_rsi_replid)) == -1:
            return -1
        if rdb_save_aux_int(r, b"repl-offset", g_rsi_offset) == -1:
            return -1
    return rdb_save_aux_int(r, b"aof-base", 1 if rdbflags & RDBFLAGS_AOF_PREAMBLE else 0)


cdef int rdb_save_key_value(rio *r, const dictEntry *de, long long expire) noexcept:
    cdef robj *o = <robj *>de.v.ptr
    cdef unsigned char freq
    if expire != -1:
        if rdb_save_type(r, RDB_OPCODE_EXPIRETIME_MS) == -1 or rdb_save_millis(r, expire) == -1:
            return -1
    if cfg_lru_enabled:
        if rdb_save_type(r, RDB_OPCODE_IDLE) == -1 or \
                rdb_save_len(r, object_idle_seconds(o)) == -1:
            return -1
    elif cfg_lfu_enabled:
        freq = object_lfu_count(o)
        if rdb_save_type(r, RDB_OPCODE_FREQ) == -1 or rioWrite(r, &freq, 1) == 0:
            return -1
    if rdb_save_object_type(r, o) == -1:
        return -1
    if rdb_save_string(r, <const char *>de.key, de.klen) == -1:
        return -1
    return rdb_save_object(r, o)


cdef int rdb_save_rio(rio *r, int rdbflags, bint in_child, size_t *nkeys) noexcept:
    """Write a whole RDB (magic to checksum) to r; -1 on a write error."""
    cdef char magic[16]
    cdef dictIterator *it
    cdef dictEntry *de
    cdef dictEntry *ede
    cdef redisDb *db
    cdef long long expire
    cdef uint64_t cksum
    cdef unsigned char ck[8]
    cdef int i, j
    cdef size_t keys = 0
    snprintf(magic, sizeof(magic), b"REDIS%04d", <int>RDB_VERSION)
    r.checksum = cfg_rdbchecksum
    r.cksum = 0
    if rioWrite(r, magic, 9) == 0 or rdb_save_aux_fields(r, rdbflags) == -1 \
            or rdb_save_functions(r) == -1:
        return -1
    for i in range(g_ndbs):
        db = &g_dbs[i]
        if dictSize(db.dict) == 0:
            continue
        if rdb_save_type(r, RDB_OPCODE_SELECTDB) == -1 or rdb_save_len(r, i) == -1:
            return -1
        if rdb_save_type(r, RDB_OPCODE_RESIZEDB) == -1 or \
                rdb_save_len(r, dictSize(db.dict)) == -1 or \
                rdb_save_len(r, dictSize(db.expires)) == -1:
            return -1
        it = dictGetIterator(db.dict)
        de = dictNext(it)
        while de != NULL:
            expire = -1
            if dictSize(db.expires):
                ede = dictFind(db.expires, de.key, de.klen)
                if ede != NULL:
                    expire = ede.v.s64
            if rdb_save_key_value(r, de, expire) == -1:
                dictReleaseIterator(it)
                return -1
            keys += 1
            if in_child and (keys & (RDB_LOAD_CHECK_EVERY - 1)) == 0:
                child_send_info(CHILD_INFO_PROGRESS, keys)
            key_save_delay()
            de = dictNext(it)
        dictReleaseIterator(it)
    if rdb_save_type(r, RDB_OPCODE_EOF) == -1:
        return -1
    cksum = r.cksum if cfg_rdbchecksum else 0
    for j in range(8):
        ck[j] = (cksum >> (8 * j)) & 0xff
    r.checksum = False
    if rioWrite(r, ck, 8) == 0:
        return -1
    if nkeys != NULL:
        nkeys[0] = keys
    return 0


cdef int rdb_save_file(const char *filename, int rdbflags, bint in_child,
                       char *err, size_t errlen) noexcept:
    """Write the dataset to a temp file, fsync it and rename it over
    filename.  On failure: -1 and a message in err (the temp file is gone)."""
    cdef char tmpname[256]
    cdef rio r
    cdef int fd
    cdef size_t nkeys = 0
    snprintf(tmpname, sizeof(tmpname), b"temp-%d.rdb", <int>getpid())
    fd = posix_open(tmpname, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    if fd == -1:
        snprintf(err, errlen, b"Failed opening the temp RDB file %s (in server root dir %s) for saving: %s",
                 tmpname, b".", strerror(errno))
        return -1
    rioInitFileWriter(&r, fd, RDB_AUTOSYNC_BYTES if cfg_rdb_save_incremental_fsync else 0)
    if rdb_save_rio(&r, rdbflags, in_child, &nkeys) == -1 or rioFlush(&r) == 0:
        snprintf(err, errlen, b"Write error saving DB on disk: %s", strerror(errno or 5))
        rioFree(&r)
        posix_close(fd)
        unlink(tmpname)
        return -1
    rioFree(&r)
    if fsync(fd) == -1:
        snprintf(err, errlen, b"Write error saving DB on disk: %s", strerror(errno))
        posix_close(fd)
        unlink(tmpname)
        return -1
    posix_close(fd)
    if rename(tmpname, filename) == -1:
        snprintf(err, errlen, b"Error moving temp DB file %s on the final destination %s (in server root dir %s): %s",
                 tmpname, filename, b".", strerror(errno))
        unlink(tmpname)
        return -1
    return 0


def rdb_save(str filename, bint preamble=False):
    """SAVE: write the dataset in this process.  Returns None or an error
    message."""
    cdef char err[512]
    cdef bytes fn = filename.encode("utf-8", "surrogateescape")
    err[0] = 0
    if rdb_save_file(fn, RDBFLAGS_AOF_PREAMBLE if preamble else RDBFLAGS_NONE, False,
                     err, sizeof(err)) == -1:
        return err.decode("utf-8", "replace")
    return None


def rdb_save_to_fd(int fd, bint preamble):
    """Write the dataset as RDB to an open descriptor (an AOF base file);
    True on success (the caller fsyncs and closes)."""
    cdef rio r
    cdef int rc
    rioInitFileWriter(&r, fd, RDB_AUTOSYNC_BYTES if cfg_rdb_save_incremental_fsync else 0)
    rc = rdb_save_rio(&r, RDBFLAGS_AOF_PREAMBLE if preamble else RDBFLAGS_NONE, False, NULL)
    if rc == 0 and rioFlush(&r) == 0:
        rc = -1
    rioFree(&r)
    return rc == 0


def rdb_bgsave(str filename, log_done):
    """BGSAVE: fork a child that writes the dataset.  Returns the child's
    pid, or raises OSError when fork failed.  In the child, log_done(ok,
    message, cow_bytes) is called once before it exits."""
    cdef char err[512]
    cdef bytes fn = filename.encode("utf-8", "surrogateescape")
    cdef int rc
    cdef pid_t pid = fork_child(CHILD_TYPE_RDB)
    if pid == -1:
        raise OSError(errno, strerror(errno).decode())
    if pid > 0:
        return pid
    err[0] = 0
    rc = rdb_save_file(fn, RDBFLAGS_NONE, True, err, sizeof(err))
    child_send_info(CHILD_INFO_DONE, 0)
    try:
        log_done(rc == 0, err.decode("utf-8", "replace"), process_private_dirty())
    except BaseException:
        pass
    exit_from_child(0 if rc == 0 else 1)


def rdb_bgsave_to_pipe(bytes eofmark):
    """A diskless full sync: fork a child that writes "$EOF:<mark>" CRLF,
    the dataset as RDB and the mark again into a pipe, for the parent to
    relay to the replicas.  Returns (pid, read end, non-blocking); raises
    OSError when pipe or fork failed."""
    cdef int fds[2]
    cdef rio r
    cdef int rc
    cdef bytes head = b"$EOF:" + eofmark + b"\r\n"
    if pipe(fds) == -1:
        raise OSError(errno, strerror(errno).decode())
    cdef pid_t pid = fork_child(CHILD_TYPE_RDB)
    if pid == -1:
        posix_close(fds[0])
        posix_close(fds[1])
        raise OSError(errno, strerror(errno).decode())
    if pid > 0:
        posix_close(fds[1])
        fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
        return pid, fds[0]
    posix_close(fds[0])
    rioInitFileWriter(&r, fds[1], 0)
    rc = 0 if rioWrite(&r, <const char *>head, len(head)) else -1
    if rc == 0:
        rc = rdb_save_rio(&r, RDBFLAGS_NONE, True, NULL)
    if rc == 0 and (rioWrite(&r, <const char *>eofmark, len(eofmark)) == 0 or rioFlush(&r) == 0):
        rc = -1
    child_send_info(CHILD_INFO_DONE, 0)
    exit_from_child(0 if rc == 0 else 1)


# --- loading -----------------------------------------------------------------

cdef class RdbLoader:
    """Reads one RDB stream into the databases, a slice of keys per step().
    Keys whose expire time has passed are skipped when loading a snapshot
    (not an AOF preamble), as a master does."""
    cdef rio r
    cdef int fd
    cdef bint own_fd
    cdef int rdbflags
    cdef bint deep_sanitize
    cdef bint merge              # DEBUG RELOAD MERGE: a loaded key replaces an existing one
    cdef redisDb *db
    cdef long long expire
    cdef long long idle          # -1 unless an IDLE opcode preceded the key
    cdef int freq                # -1 unless a FREQ opcode preceded the key
    cdef readonly int rdbver
    cdef readonly long long keys_loaded, keys_expired, keys_empty
    cdef readonly long long total_bytes
    cdef readonly dict aux
    cdef readonly str error
    cdef readonly bint done
    cdef bytes mem               # open_bytes: the payload the reader points into

    def __cinit__(self):
        self.fd = -1
        self.own_fd = False
        self.aux = {}
        self.error = None
        self.done = False
        self.expire = -1
        self.idle = -1
        self.freq = -1

    def __dealloc__(self):
        rioFree(&self.r)
        if self.own_fd and self.fd != -1:
            posix_close(self.fd)

    def open_file(self, str path, int rdbflags=RDBFLAGS_NONE, bint deep_sanitize=False,
                  bint merge=False):
        """Open path and read the header.  Returns None, or an error text
        (errno-style for a missing file: the caller checks os.path first)."""
        cdef struct_stat st
        cdef bytes p = path.encode("utf-8", "surrogateescape")
        self.fd = posix_open(p, O_RDONLY)
        if self.fd == -1:
            return strerror(errno).decode()
        self.own_fd = True
        if fstat(self.fd, &st) == 0:
            self.total_bytes = st.st_size
        rioInitFileReader(&self.r, self.fd)
        self.merge = merge
        return self._start(rdbflags, deep_sanitize)

    def open_fd(self, int fd, int rdbflags=RDBFLAGS_NONE, bint deep_sanitize=False):
        """Read from an already open descriptor (an AOF base file) positioned
        at the magic; the caller keeps ownership of fd."""
        cdef struct_stat st
        self.fd = fd
        if fstat(self.fd, &st) == 0:
            self.total_bytes = st.st_size
        rioInitFileReader(&self.r, self.fd)
        return self._start(rdbflags, deep_sanitize)

    def open_bytes(self, bytes data, int rdbflags=RDBFLAGS_NONE, bint deep_sanitize=False):
        """Read from memory (a diskless load: the RDB as the master sent it)."""
        self.mem = data
        self.total_bytes = len(data)
        rioInitMemReader(&self.r, PyBytes_AS_STRING(data), PyBytes_GET_SIZE(data))
        return self._start(rdbflags, deep_sanitize)

    cdef object _start(self, int rdbflags, bint deep_sanitize):
        cdef char magic[10]
        self.rdbflags = rdbflags
        self.deep_sanitize = deep_sanitize
        self.db = &g_dbs[0]
        self.r.checksum = True
        self.r.cksum = 0
        if rioRead(&self.r, magic, 9) == 0:
            return self._fail("Short read or OOM loading DB. Unrecoverable error, aborting now.")
        magic[9] = 0
        if magic[:5] != b"REDIS":
            return self._fail("Wrong signature trying to load DB from file")
        try:
            self.rdbver = int(magic[5:9])
        except ValueError:
            return self._fail("Wrong signature trying to load DB from file")
        if self.rdbver < 1 or self.rdbver > RDB_VERSION:
            return self._fail("Can't handle RDB format version %d" % self.rdbver)
        return None

    cdef object _fail(self, str msg):
        self.error = msg
        self.done = True
        return msg

    @property
    def loaded_bytes(self):
        return rioTell(&self.r)

    def step(self, long long max_keys):
        """Load up to max_keys keys.  Returns True when the stream is done
        (check .error), False when there is more."""
        cdef long long n = 0
        cdef int t
        if self.done:
            return True
        while n < max_keys:
            t = rdb_load_type(&self.r)
            if t == -1:
                self._fail("Short read or OOM loading DB. Unrecoverable error, aborting now.")
                return True
            if t == RDB_OPCODE_EXPIRETIME:
                if self._load_expire_seconds() == -1:
                    return True
            elif t == RDB_OPCODE_EXPIRETIME_MS:
                if rdb_load_millis(&self.r, &self.expire) == -1:
                    self._fail("Short read or OOM loading DB. Unrecoverable error, aborting now.")
                    return True
            elif t == RDB_OPCODE_IDLE:
                if self._load_idle() == -1:
                    return True
            elif t == RDB_OPCODE_FREQ:
                if self._load_freq() == -1:
                    return True
            elif t == RDB_OPCODE_SELECTDB:
                if self._load_selectdb() == -1:
                    return True
            elif t == RDB_OPCODE_RESIZEDB:
                if self._load_resizedb() == -1:
                    return True
            elif t == RDB_OPCODE_AUX:
                if self._load_aux() == -1:
                    return True
            elif t == RDB_OPCODE_EOF:
                self._finish()
                return True
            elif t == RDB_OPCODE_MODULE_AUX:
                self._fail("The RDB file contains AUX module data I can't load: no matching module")
                return True
            elif t == RDB_OPCODE_FUNCTION2:
                err = rdb_load_function(&self.r)
                if err is not None:
                    self._fail(err)
                    return True
            elif t == RDB_OPCODE_FUNCTION:
                self._fail("Pre-GA function format not supported")
                return True
            elif rdb_is_object_type(t):
                if self._load_key(t) == -1:
                    return True
                n += 1
            else:
                self._fail("Unknown RDB encoding type %d" % t)
                return True
        return False

    cdef int _short_read(self) except -2:
        self._fail("Short read or OOM loading DB. Unrecoverable error, aborting now.")
        return -1

    cdef int _load_expire_seconds(self) except -2:
        cdef int32_t secs
        if rioRead(&self.r, &secs, 4) == 0:
            return self._short_read()
        self.expire = <long long>secs * 1000
        return 0

    cdef int _load_idle(self) except -2:
        cdef uint64_t v
        cdef bint enc
        if rdb_load_len(&self.r, &v, &enc) == -1:
            return self._short_read()
        self.idle = <long long>v
        return 0

    cdef int _load_freq(self) except -2:
        cdef unsigned char f
        if rioRead(&self.r, &f, 1) == 0:
            return self._short_read()
        self.freq = f
        return 0

    cdef int _load_selectdb(self) except -2:
        cdef uint64_t v
        cdef bint enc
        if rdb_load_len(&self.r, &v, &enc) == -1:
            return self._short_read()
        if v >= <uint64_t>g_ndbs:
            self._fail("FATAL: Data file was created with a Redis server configured to handle "
                       "more than %d databases. Exiting\n" % g_ndbs)
            return -1
        self.db = &g_dbs[v]
        return 0

    cdef int _load_resizedb(self) except -2:
        cdef uint64_t size, esize
        cdef bint enc
        if rdb_load_len(&self.r, &size, &enc) == -1 or rdb_load_len(&self.r, &esize, &enc) == -1:
            return self._short_read()
        # a hint: a hostile size must not make us allocate it
        if size <= <uint64_t>self.total_bytes:
            dictExpand(self.db.dict, size)
        if esize <= <uint64_t>self.total_bytes:
            dictExpand(self.db.expires, esize)
        return 0

    cdef int _load_aux(self) except -2:
        cdef size_t kl, vl
        cdef unsigned char *k = rdb_load_string(&self.r, &kl)
        cdef unsigned char *v
        if k == NULL:
            return self._short_read()
        v = rdb_load_string(&self.r, &vl)
        if v == NULL:
            zfree(k)
            return self._short_read()
        self.aux[(<char *>k)[:kl].decode("utf-8", "replace")] = (<char *>v)[:vl]
        zfree(k)
        zfree(v)
        return 0

    cdef int _load_key(self, int t) except -2:
        cdef size_t kl
        cdef unsigned char *k = rdb_load_string(&self.r, &kl)
        cdef robj *o
        cdef int err = 0
        cdef dictEntry *existing = NULL
        cdef dictEntry *de
        cdef long long expire = self.expire
        cdef long long idle = self.idle
        cdef int freq = self.freq
        self.expire = -1
        self.idle = -1
        self.freq = -1
        if k == NULL:
            return self._short_read()
        o = rdb_load_object(t, &self.r, self.deep_sanitize, &err)
        if o == NULL:
            zfree(k)
            if err == RDB_LOAD_ERR_EMPTY_KEY:
                self.keys_empty += 1
                return 0
            if self.r.error:
                return self._short_read()
            self._fail("Internal error in RDB reading offset %d, function at rdb.c:0 -> "
                       "Bad data format" % rioTell(&self.r))
            return -1
        if expire != -1 and not (self.rdbflags & RDBFLAGS_AOF_PREAMBLE) and expire < mstime():
            objFree(o)
            zfree(k)
            self.keys_expired += 1
            return 0
        de = dictAddRaw(self.db.dict, k, kl, &existing)
        if de == NULL and existing != NULL and self.merge:
            objFree(<robj *>existing.v.ptr)
            remove_expire(self.db, <const char *>k, kl)
            de = existing
        elif de == NULL:
            objFree(o)
            if existing != NULL:
                self._fail("RDB has duplicated key '%s' in DB %d"
                           % ((<char *>k)[:kl].decode("utf-8", "replace"), self.db.id))
                zfree(k)
                return -1
            zfree(k)
            raise MemoryError()
        de.v.ptr = o
        if idle != -1 or freq != -1:
            set_lru_or_lfu(o, freq, idle, objLruClock)
        if expire != -1:
            set_expire(self.db, <const char *>k, kl, expire)
        zfree(k)
        self.keys_loaded += 1
        return 0

    cdef void _finish(self) noexcept:
        cdef uint64_t expected = self.r.cksum
        cdef uint64_t got = 0
        self.done = True
        if self.rdbver < 5:
            return
        self.r.checksum = False
        if rdb_load_u64_le(&self.r, &got) < 0:
            self.error = "Short read or OOM loading DB. Unrecoverable error, aborting now."
            return
        if cfg_rdbchecksum and got != 0 and got != expected:
            self.error = ("Wrong RDB checksum expected: (%x) got (%x). Aborting now."
                          % (got, expected))


# --- commands ----------------------------------------------------------------

cdef int cmd_save(Client c) except -1:
    err = g_ctl.persistence.cmd_save()
    if err:
        reply_error_fmt(c, err)
    else:
        replyOk(&c.reply)
    return 0


cdef int cmd_bgsave(Client c) except -1:
    cdef bint schedule = False
    if c.argc > 1:
        if c.argc == 2 and arg_str(c, 1).lower() == "schedule":
            schedule = True
        else:
            replyErrorC(&c.reply, MSG_SYNTAX)
            return 0
    msg = g_ctl.persistence.cmd_bgsave(schedule)
    if msg.startswith("-"):
        reply_error_fmt(c, msg[1:])
    else:
        reply_py(c, Status(msg))
    return 0
