# Process-wide state of the compiled core: databases, the command table
# lookup, counters, the control layer's hooks, and config values mirrored
# into C variables for the hot path.

cdef struct Stats:
    long long numcommands
    long long numconnections
    long long rejected_conn
    long long expired_keys
    long long expired_stale_perc_x100
    long long expire_cycle_time_used
    long long keyspace_hits
    long long keyspace_misses
    long long net_input_bytes
    long long net_output_bytes
    long long total_error_replies
    long long unexpected_error_replies
    long long total_reads_processed
    long long total_writes_processed
    long long client_qbuf_limit_disconnections
    long long fork_usec                 # how long the last fork took
    long long total_forks
    long long evicted_keys              # evict.pyx
    long long acl_denied_auth           # acl.pyx
    long long acl_denied_cmd
    long long acl_denied_key
    long long acl_denied_channel

cdef redisDb *g_dbs = NULL
cdef int g_ndbs = 0
cdef Stats g_stats
# changes since the last successful save (Redis's server.dirty): every write
# command adds the number of changes it made; propagation and save points
# read it
cdef long long g_dirty = 0
cdef bint g_loading = False            # a dataset is being loaded: most commands answer -LOADING
cdef bint g_deny_writes_disk_error = False   # stop-writes-on-bgsave-error tripped
cdef long long g_cmd_ms = 0           # time snapshot of the running command (ms)
cdef long long g_next_client_id = 1
cdef dict g_clients = {}              # id -> Client
cdef object g_ctl = None              # pyredis.server.Controller
cdef list g_pending_writes = []       # Clients whose replies before_sleep() writes
cdef bint g_before_sleep_scheduled = False

# config mirrors (kept current by Config watchers)
cdef long long cfg_proto_max_bulk_len = 512 * 1024 * 1024
cdef long long cfg_client_query_buffer_limit = 1024 * 1024 * 1024
cdef long long cfg_maxclients = 10000
cdef bytes g_requirepass = None
cdef bint cfg_active_expire = True
cdef bint cfg_activerehashing = True
cdef int cfg_hz = 10
cdef int cfg_active_expire_effort = 1
cdef int cfg_lfu_enabled = 0          # maxmemory-policy is an LFU one
cdef int cfg_lru_enabled = 0          # maxmemory-policy is an LRU one
cdef long long cfg_hash_max_listpack_entries = 512
cdef long long cfg_stream_node_max_bytes = 4096
cdef long long cfg_stream_node_max_entries = 100
cdef long long cfg_hash_max_listpack_value = 64
cdef long long cfg_set_max_intset_entries = 512
cdef long long cfg_zset_max_listpack_entries = 128
cdef long long cfg_zset_max_listpack_value = 64
# quicklist node size and compression depth for new lists
cdef int cfg_list_max_listpack_size = -2
cdef int cfg_list_compress_depth = 0
cdef bint cfg_lazyfree_lazy_expire = False
