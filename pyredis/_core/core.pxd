# Declarations shared by the files that core.pyx includes: fields and cdef
# signatures only.
from csrc cimport *


cdef struct redisDb:
    dict_t *dict          # key -> robj*
    dict_t *expires       # key -> int64 unix ms
    int id
    long long avg_ttl
    unsigned long expires_cursor


cdef class Client
cdef class Command


cdef class Selector:
    # acl.pyx: what one selector of a user allows
    cdef bytearray allowed          # command id -> 1 allowed
    cdef bint future                # +@all: Redis's bit for commands added later
    cdef bint allcmds               # +@all and nothing denied since
    cdef dict firstargs             # command id -> [bytes]: SELECT|0 style rules
    cdef list patterns              # [pattern bytes, KEY_READ|KEY_WRITE]
    cdef bint allkeys
    cdef list channels              # bytes patterns
    cdef bint allchannels

    cdef Selector copy(self)
    cdef void change_perm(self, Command cmd, bint allow)
    cdef void set_category(self, str cat, bint allow)
    cdef int apply(self, bytes op) except -1
    cdef str describe_keys(self)
    cdef str describe_channels(self, bint with_reset)
    cdef str describe_commands(self)
    cdef void describe_single(self, Selector fake, Command cmd, list rules)
    cdef str describe(self)
    cdef int check(self, Command cmd, list argv, list keys, int *errpos) except -1
    cdef bint key_allowed(self, bytes key, tuple flags)
    cdef bint channel_allowed(self, bytes channel, bint is_pattern)


cdef class User:
    cdef readonly bytes name
    cdef bint enabled, nopass
    cdef int sanitize               # 0 unset, 1 sanitize-payload, 2 skip-sanitize-payload
    cdef list passwords             # SHA-256 hex (str)
    cdef list selectors             # [root Selector, (selector) ...]

    cdef User copy(self)
    cdef void take(self, User other)
    cdef Selector root(self)
    cdef int apply(self, bytes op) except -1
    cdef bint can_do_everything(self)
    cdef list flags(self)
    cdef str describe(self)

ctypedef int (*cmd_proc)(Client c) except -1


cdef class Command:
    cdef readonly str name          # full name: "get", "config|get"
    cdef readonly int arity
    cdef unsigned long long flags
    cdef readonly tuple flag_names
    cdef readonly int first_key, last_key, step
    cdef readonly tuple categories
    cdef readonly bint script_like  # @scripting: MONITOR shows it before what it runs
    cdef readonly int id            # index in ACL selectors' command bitmaps
    cdef cmd_proc proc
    cdef readonly dict subcommands  # bytes (lower-case) -> Command, or None
    cdef readonly Command parent
    cdef public long long calls, usec, rejected_calls, failed_calls
    cdef latencyHist *latency_hist  # latency-tracking: created on the first call
    # module commands (module.pyx): the Python handler and its module's name
    cdef readonly object handler
    cdef readonly str module


cdef class Client:
    cdef object transport
    cdef respParser parser
    cdef replyBuf reply
    # bytes of the request in progress that did not fit in one read
    cdef char *qbuf
    cdef size_t qlen, qcap
    # the request being run: points into the read buffer or qbuf
    cdef int argc
    cdef const char **argv
    cdef size_t *argvlen
    cdef redisDb *db
    cdef readonly int resp
    cdef readonly long long id
    cdef public object name         # bytes or None
    cdef unsigned int flags
    cdef public long long ctime, last_interaction
    cdef public object addr, laddr
    cdef public int fd
    cdef Command cmd
    cdef public Command lastcmd
    cdef bint authenticated
    cdef User user                  # None: a superuser (master link, AOF loading)
    cdef bint reading_paused, writing_paused
    cdef size_t reply_start         # where the current command's reply begins
    # while CLIENT_BLOCKED (blocking.pyx): the command to run again, with its
    # own copy of the arguments, the keys and db it waits on, its timeout
    cdef Command bcmd
    cdef list bargs                 # bytes; bargv/bargvlen point into them
    cdef const char **bargv
    cdef size_t *bargvlen
    cdef list bkeys
    cdef int bdb
    cdef int btype                  # value type that can serve it (OBJ_LIST ...)
    cdef object btimer              # asyncio TimerHandle or None
    # MULTI (multi.pyx): queued (Command, [bytes args]) pairs, the OR of their
    # flags and their argument bytes; the WatchedKey records of WATCH
    cdef list mstate
    cdef unsigned long long mstate_flags
    cdef long long mstate_argv_len
    cdef list watched_keys
    # pub/sub (pubsub.pyx): None until the first subscription
    cdef dict sub_channels          # bytes -> None
    cdef dict sub_shard             # bytes -> None
    cdef list sub_patterns          # bytes, in subscription order
    cdef long long obuf_soft_since  # ms the soft output limit was first passed, 0: not
    # replication (repl.pyx): a replica's listening port and last ACK; the
    # master link's applied offset and bytes of a request still partial
    cdef public int repl_port
    cdef public long long repl_ack_off, repl_ack_time
    cdef public long long reploff
    cdef long long repl_pending
    # a replica's sync (repl.pyx): SLAVE_STATE_*, REPL_CAPA_* bits, the
    # offset its RDB stands for; the stream is held back until it is online
    # (and, after a diskless transfer, until its first ACK)
    cdef public int repl_state
    cdef public int repl_capa
    cdef public long long psync_initial_offset
    cdef public bint repl_stream_on_ack
    cdef public long long repl_state_since      # ms the current state began
    cdef object drain_waiter             # a future resume_writing() completes
    # WAIT: the stream offset after this client's last propagated write;
    # while blocked in WAIT, the replicas it needs
    cdef public long long woff
    # client-side caching (tracking.pyx): the REDIRECT client id (0: none)
    # and the BCAST prefixes
    cdef long long tracking_redirect
    cdef list tracking_prefixes
    cdef long long wait_numreplicas

    cdef int process_input(self, const char *buf, size_t n) except -1
    cdef int run_requests(self, const char *buf, size_t n, bint from_qbuf) except -1
    cdef int resume_input(self) except -1
    cdef int flush_reply(self) except -1
    cdef int queue_reply(self) except -1
    cdef void free_client(self)
    cpdef close(self)
