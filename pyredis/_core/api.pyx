from libc.string cimport memset

# What the Python control layer (pyredis/server.py) calls: start-up,
# config mirrors, the cron, and the protocol factory for listeners.

cdef int not_implemented(Client c) except -1:
    reply_error_fmt(c, "ERR '%s' is not implemented" % c.cmd.name)
    return 0


def init(ctl, int databases, bytes seed):
    """Create the databases and the command table.  ctl is the control
    layer object that commands call back into (config, INFO, shutdown,
    logging)."""
    global g_ctl
    if len(seed) != 16:
        raise ValueError("seed must be 16 bytes")
    dictSetHashSeed(<const uint8_t *><const char *>seed)
    g_ctl = ctl
    init_dbs(databases)
    init_command_table()
    acl_init(False)
    update_lru_clock()


def set_config(str name, value):
    """Mirror one config value into the core's C variables."""
    if set_eviction_config(name, value):
        return
    global cfg_proto_max_bulk_len, cfg_client_query_buffer_limit, cfg_maxclients
    global g_requirepass, cfg_hz, cfg_activerehashing, cfg_active_expire_effort
    if name == "proto-max-bulk-len":
        cfg_proto_max_bulk_len = value
        for c in g_clients.values():
            (<Client>c).parser.max_bulk_len = value
    elif name == "client-query-buffer-limit":
        cfg_client_query_buffer_limit = value
    elif name == "maxclients":
        cfg_maxclients = value
    elif name == "requirepass":
        g_requirepass = value.encode() if value else None
        acl_update_default_password(value)
    elif name == "acl-pubsub-default":
        acl_set_pubsub_default(value == "allchannels")
    elif name == "protected-mode":
        global cfg_protected_mode
        cfg_protected_mode = value
    elif name == "acllog-max-len":
        acl_set_log_max_len(value)
    elif name == "hll-sparse-max-bytes":
        global cfg_hll_sparse_max_bytes
        cfg_hll_sparse_max_bytes = value
    elif name == "hz":
        cfg_hz = value
    elif name == "activerehashing":
        cfg_activerehashing = value
    elif name == "active-expire-effort":
        cfg_active_expire_effort = value
    elif name == "hash-max-listpack-entries":
        global cfg_hash_max_listpack_entries
        cfg_hash_max_listpack_entries = value
    elif name == "stream-node-max-bytes":
        global cfg_stream_node_max_bytes
        cfg_stream_node_max_bytes = value
    elif name == "stream-node-max-entries":
        global cfg_stream_node_max_entries
        cfg_stream_node_max_entries = value
    elif name == "zset-max-listpack-entries":
        global cfg_zset_max_listpack_entries
        cfg_zset_max_listpack_entries = value
    elif name == "zset-max-listpack-value":
        global cfg_zset_max_listpack_value
        cfg_zset_max_listpack_value = value
    elif name == "hash-max-listpack-value":
        global cfg_hash_max_listpack_value
        cfg_hash_max_listpack_value = value
    elif name == "list-max-listpack-size":
        global cfg_list_max_listpack_size
        cfg_list_max_listpack_size = value
    elif name == "list-compress-depth":
        global cfg_list_compress_depth
        cfg_list_compress_depth = value
    elif name == "rdbcompression":
        global cfg_rdb_compression
        cfg_rdb_compression = value
    elif name == "sanitize-dump-payload":
        global cfg_sanitize_dump_payload
        cfg_sanitize_dump_payload = {"no": SANITIZE_DUMP_NO, "yes": SANITIZE_DUMP_YES,
                                     "clients": SANITIZE_DUMP_CLIENTS}[value]
    elif name == "lazyfree-lazy-expire":
        global cfg_lazyfree_lazy_expire
        cfg_lazyfree_lazy_expire = value
    elif name == "notify-keyspace-events":
        global cfg_notify_keyspace_events
        cfg_notify_keyspace_events = value
    elif name == "latency-tracking":
        global cfg_latency_tracking
        cfg_latency_tracking = value
    elif name == "tracking-table-max-keys":
        global cfg_tracking_table_max_keys
        cfg_tracking_table_max_keys = value
    elif name == "tcp-keepalive":
        global cfg_tcp_keepalive
        cfg_tcp_keepalive = value
    elif name == "slowlog-log-slower-than":
        global cfg_slowlog_slower_than
        cfg_slowlog_slower_than = value
    elif name == "slowlog-max-len":
        global cfg_slowlog_max_len
        cfg_slowlog_max_len = value
        slowlog_trim()
    elif name == "latency-monitor-threshold":
        global cfg_latency_threshold
        cfg_latency_threshold = value
    elif name == "client-output-buffer-limit":
        set_obuf_limits(value)
    elif name == "set-max-intset-entries":
        global cfg_set_max_intset_entries
        cfg_set_max_intset_entries = value


cdef void update_lru_clock() noexcept:
    global objLruClock
    objLruClock = <unsigned int>((mstime() // 1000) & 0xFFFFFF)
    update_new_object_lru()


def cron(int hz):
    """One tick of the server cron (called hz times a second)."""
    global g_cmd_ms
    update_lru_clock()
    g_cmd_ms = mstime()
    if cfg_active_expire and not g_repl_is_replica and not g_pause_active:   # the master sends DELs
        # Redis's slow cycle: 25% of the tick's time
        active_expire_cycle(1000000 * 25 // 100 // hz)
    databases_cron(hz)


def protocol_factory():
    return Client()


def dirty():
    """Changes since the last successful save (INFO rdb_changes_since_last_save)."""
    return g_dirty


def client_count():
    return len(g_clients)


def stats():
    d = dict(<object>g_stats)
    d["dump_payload_sanitizations"] = g_dump_payload_sanitizations
    return d


def pubsub_counts():
    """(channels, patterns, shard channels) with subscribers (INFO stats)."""
    return len(g_pubsub_channels), len(g_pubsub_patterns), len(g_pubsub_shard)


def db_sizes():
    """[(db, keys, expires, avg_ttl)] for non-empty databases."""
    return [(i, dictSize(g_dbs[i].dict), dictSize(g_dbs[i].expires), g_dbs[i].avg_ttl)
            for i in range(g_ndbs) if dictSize(g_dbs[i].dict)]


def close_all_clients():
    disconnect_all_clients()


def reset_stats():
    global g_stats
    cdef Command cmd
    memset(&g_stats, 0, sizeof(g_stats))
    global g_eviction_exceeded_total
    g_eviction_exceeded_total = 0
    global g_dump_payload_sanitizations
    g_dump_payload_sanitizations = 0
    g_errorstats.clear()
    for c in g_commands.values():
        cmd = <Command>c
        cmd.calls = cmd.usec = cmd.rejected_calls = cmd.failed_calls = 0
        if cmd.subcommands:
            for s in cmd.subcommands.values():
                (<Command>s).calls = (<Command>s).usec = 0
                (<Command>s).rejected_calls = (<Command>s).failed_calls = 0


def error_stats():
    return dict(g_errorstats)


def command_stats():
    out = []
    for c in g_commands.values():
        for x in [c] + (list((<Command>c).subcommands.values()) if (<Command>c).subcommands else []):
            cmd = <Command>x
            out.append((cmd.name, cmd.calls, cmd.usec, cmd.rejected_calls, cmd.failed_calls))
    return out


def used_memory():
    """Bytes the C allocator holds for data, buffers and tables, plus the
    libc memory last reported by set_untracked_memory (INFO used_memory)."""
    return used_memory_now()


def set_untracked_memory(long long n):
    global g_mem_untracked
    g_mem_untracked = n


cdef extern from "zmalloc.h" nogil:
    size_t zmalloc_libc_memory()


def libc_memory():
    """The part of used_memory() held in libc malloc blocks."""
    return zmalloc_libc_memory()


def allocator():
    return zmalloc_lib().decode()


# --- persistence (pyredis/persistence.py) -------------------------------------

def set_persistence_config(bint rdbchecksum, bint incremental_fsync, int key_save_delay=0):
    global cfg_rdbchecksum, cfg_rdb_save_incremental_fsync, cfg_rdb_key_save_delay
    cfg_rdbchecksum = rdbchecksum
    cfg_rdb_save_incremental_fsync = incremental_fsync
    cfg_rdb_key_save_delay = key_save_delay


def dirty():
    """Changes since the last successful save."""
    return g_dirty


def add_dirty(long long n):
    global g_dirty
    g_dirty += n


def set_disk_error(bint deny):
    global g_deny_writes_disk_error
    g_deny_writes_disk_error = deny


def set_loading(bint on):
    global g_loading
    g_loading = on


def total_keys():
    return keys_total()


def flush_all_data():
    """Empty every database (DEBUG RELOAD before loading the dump back)."""
    empty_data(-1)
