# Constants shared by the compiled core.

cdef enum:
    LRU_CLOCK_MAX = (1 << 24) - 1     # the robj lru field is 24 bits
    LFU_INIT_VAL = 5                  # LFU counter of a new key

cdef enum:
    # command flags (bit per Redis command flag name, see CMD_FLAG_NAMES)
    CMD_WRITE = 1 << 0
    CMD_READONLY = 1 << 1
    CMD_DENYOOM = 1 << 2
    CMD_MODULE = 1 << 3
    CMD_ADMIN = 1 << 4
    CMD_PUBSUB = 1 << 5
    CMD_NOSCRIPT = 1 << 6
    CMD_BLOCKING = 1 << 7
    CMD_LOADING = 1 << 8
    CMD_STALE = 1 << 9
    CMD_SKIP_MONITOR = 1 << 10
    CMD_SKIP_SLOWLOG = 1 << 11
    CMD_ASKING = 1 << 12
    CMD_FAST = 1 << 13
    CMD_NO_AUTH = 1 << 14
    CMD_MAY_REPLICATE = 1 << 15
    CMD_SENTINEL = 1 << 16
    CMD_ONLY_SENTINEL = 1 << 17
    CMD_NO_MANDATORY_KEYS = 1 << 18
    CMD_PROTECTED = 1 << 19
    CMD_NO_ASYNC_LOADING = 1 << 20
    CMD_NO_MULTI = 1 << 21
    CMD_MOVABLE_KEYS = 1 << 22
    CMD_ALLOW_BUSY = 1 << 23
    CMD_QUEUED_NOT_STALE = 1 << 40    # only in Client.mstate_flags: a queued command lacks STALE

cdef enum:
    # client flags
    CLIENT_CLOSE_AFTER_REPLY = 1 << 0
    CLIENT_REPLY_OFF = 1 << 1
    CLIENT_REPLY_SKIP = 1 << 2        # suppress the reply of this command
    CLIENT_REPLY_SKIP_NEXT = 1 << 3   # set by CLIENT REPLY SKIP
    CLIENT_NO_EVICT = 1 << 4
    CLIENT_CLOSED = 1 << 5
    CLIENT_UNIX_SOCKET = 1 << 6
    CLIENT_BLOCKED = 1 << 7           # parked on keys by a blocking command
    CLIENT_REPROCESSING = 1 << 8      # its blocked command is being run again
    CLIENT_DENY_BLOCKING = 1 << 9     # MULTI/EXEC or script: blocking commands must not block
    CLIENT_PENDING_WRITE = 1 << 10    # in g_pending_writes: its replies leave in before_sleep
    CLIENT_MULTI = 1 << 16            # between MULTI and EXEC/DISCARD: commands are queued
    CLIENT_DIRTY_CAS = 1 << 17        # a WATCHed key changed: EXEC fails
    CLIENT_DIRTY_EXEC = 1 << 18       # a command was refused while queueing: EXECABORT
    CLIENT_PUBSUB = 1 << 20           # subscribed to a channel, pattern or shard channel
    CLIENT_SLAVE = 1 << 21            # a replica fed the replication stream (repl.pyx)
    CLIENT_MASTER = 1 << 22           # our master's link: applied, never answered
    CLIENT_MONITOR = 1 << 23          # sent MONITOR: fed every command run (slowlog.pyx)
    CLIENT_AOF_LOADER = 1 << 11       # replays the AOF: trims exactly as written (t_stream.pyx)
    CLIENT_TRACKING = 1 << 24         # client-side caching on (tracking.pyx)
    CLIENT_TRACKING_BCAST = 1 << 25
    CLIENT_TRACKING_OPTIN = 1 << 26
    CLIENT_TRACKING_OPTOUT = 1 << 27
    CLIENT_TRACKING_CACHING = 1 << 28  # CLIENT CACHING YES/NO, for the next command
    CLIENT_TRACKING_NOLOOP = 1 << 29
    CLIENT_TRACKING_BROKEN_REDIR = 1 << 30

cdef enum:
    # a replica's progress through a full sync (Redis's numbers)
    SLAVE_STATE_WAIT_BGSAVE_START = 6   # asked for a full sync; no snapshot serves it yet
    SLAVE_STATE_WAIT_BGSAVE_END = 7     # +FULLRESYNC sent; the stream is held for it
    SLAVE_STATE_SEND_BULK = 8           # the RDB file is being sent
    SLAVE_STATE_ONLINE = 9              # fed the stream
    REPL_CAPA_EOF = 1                   # can read an EOF-marked (diskless) RDB
    REPL_CAPA_PSYNC2 = 2
    REPL_PRE_PSYNC = 4                  # came with SYNC: no +FULLRESYNC line

cdef enum:
    MAX_KEYLEN_LOOKUP = 64            # longest command name looked up

from libc.limits cimport LLONG_MAX, LLONG_MIN

cdef extern from "math.h" nogil:
    # the type-generic macros, so long double values are not narrowed
    bint isnan_ld "isnan"(long double x)
    bint isinf_ld "isinf"(long double x)
