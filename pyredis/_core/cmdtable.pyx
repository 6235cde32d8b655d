# THE command table: one row per command (name, arity with Redis's sign
# convention, flags, first key, last key, key step, ACL categories,
# handler).  Container commands (CONFIG, CLIENT, ...) list their
# subcommands.  Key specs, tips and argument docs shown by COMMAND INFO /
# DOCS live in commands.json beside this file, keyed by full name.
import json as _json
import os as _os

cdef dict g_commands = {}        # name (str, lower) -> Command, top level
cdef dict_t *g_cmd_lookup = NULL # same, for lookups without Python objects
cdef dictType g_cmd_lookup_type
cdef list g_command_list = []    # top-level Commands in table order
cdef int g_num_commands = 0      # ids given: top level and subcommands

CMD_FLAG_NAMES = {
    "write": CMD_WRITE, "readonly": CMD_READONLY, "denyoom": CMD_DENYOOM,
    "module": CMD_MODULE, "admin": CMD_ADMIN, "pubsub": CMD_PUBSUB,
    "noscript": CMD_NOSCRIPT, "blocking": CMD_BLOCKING, "loading": CMD_LOADING,
    "stale": CMD_STALE, "skip_monitor": CMD_SKIP_MONITOR,
    "skip_slowlog": CMD_SKIP_SLOWLOG, "asking": CMD_ASKING, "fast": CMD_FAST,
    "no_auth": CMD_NO_AUTH, "may_replicate": CMD_MAY_REPLICATE,
    "sentinel": CMD_SENTINEL, "only_sentinel": CMD_ONLY_SENTINEL,
    "no_mandatory_keys": CMD_NO_MANDATORY_KEYS, "protected": CMD_PROTECTED,
    "no_async_loading": CMD_NO_ASYNC_LOADING, "no_multi": CMD_NO_MULTI,
    "movablekeys": CMD_MOVABLE_KEYS, "allow_busy": CMD_ALLOW_BUSY,
}

with open(_os.path.join(_os.path.dirname(__file__), "commands.json")) as _f:
    COMMAND_META = _json.load(_f)


cdef class Command:
    def __repr__(self):
        return f"<Command {self.name} arity={self.arity}>"


cdef Command cmd(str name, int arity, str flags, int first, int last, int step,
                 str categories, cmd_proc proc, list subcommands=None):
    cdef Command c = Command.__new__(Command)
    c.name = name
    c.arity = arity
    c.flag_names = tuple(flags.split())
    c.flags = 0
    for f in c.flag_names:
        c.flags |= CMD_FLAG_NAMES[f]
    c.first_key, c.last_key, c.step = first, last, step
    c.categories = tuple(categories.split())
    c.script_like = "@scripting" in c.categories
    c.proc = proc
    c.subcommands = None
    c.parent = None
    if subcommands is not None:
        c.subcommands = {}
        for s in subcommands:
            (<Command>s).parent = c
            c.subcommands[(<Command>s).name.split("|")[1].encode()] = s
    return c


cdef list command_rows():
    return [
    # strings (t_string.pyx)
    cmd("get", 2, "readonly fast", 1, 1, 1, "@read @string @fast", cmd_get),
    cmd("set", -3, "write denyoom", 1, 1, 1, "@write @string @slow", cmd_set),
    cmd("setnx", 3, "write denyoom fast", 1, 1, 1, "@write @string @fast", cmd_setnx),
    cmd("setex", 4, "write denyoom", 1, 1, 1, "@write @string @slow", cmd_setex),
    cmd("psetex", 4, "write denyoom", 1, 1, 1, "@write @string @slow", cmd_psetex),
    cmd("getset", 3, "write denyoom fast", 1, 1, 1, "@write @string @fast", cmd_getset),
    cmd("getdel", 2, "write fast", 1, 1, 1, "@write @string @fast", cmd_getdel),
    cmd("getex", -2, "write fast", 1, 1, 1, "@write @string @fast", cmd_getex),
    cmd("mget", -2, "readonly fast", 1, -1, 1, "@read @string @fast", cmd_mget),
    cmd("mset", -3, "write denyoom", 1, -1, 2, "@write @string @slow", cmd_mset),
    cmd("msetnx", -3, "write denyoom", 1, -1, 2, "@write @string @slow", cmd_msetnx),
    cmd("incr", 2, "write denyoom fast", 1, 1, 1, "@write @string @fast", cmd_incr),
    cmd("decr", 2, "write denyoom fast", 1, 1, 1, "@write @string @fast", cmd_decr),
    cmd("incrby", 3, "write denyoom fast", 1, 1, 1, "@write @string @fast", cmd_incrby),
    cmd("decrby", 3, "write denyoom fast", 1, 1, 1, "@write @string @fast", cmd_decrby),
    cmd("incrbyfloat", 3, "write denyoom fast", 1, 1, 1, "@write @string @fast", cmd_incrbyfloat),
    cmd("append", 3, "write denyoom fast", 1, 1, 1, "@write @string @fast", cmd_append),
    cmd("strlen", 2, "readonly fast", 1, 1, 1, "@read @string @fast", cmd_strlen),
    cmd("getrange", 4, "readonly", 1, 1, 1, "@read @string @slow", cmd_getrange),
    cmd("substr", 4, "readonly", 1, 1, 1, "@read @string @slow", cmd_getrange),
    cmd("setrange", 4, "write denyoom", 1, 1, 1, "@write @string @slow", cmd_setrange),
    cmd("lcs", -3, "readonly", 1, 2, 1, "@read @string @slow", cmd_lcs),
    # SORT (t_sort.pyx): BY/GET keys come from the data; STORE is found by sort_get_keys
    cmd("sort", -2, "write denyoom movablekeys", 1, 1, 1, "@write @set @sortedset @list @slow @dangerous", cmd_sort),
    cmd("sort_ro", -2, "readonly movablekeys", 1, 1, 1, "@read @set @sortedset @list @slow @dangerous", cmd_sort_ro),
    # bitmaps (t_bitops.pyx)
    cmd("setbit", 4, "write denyoom", 1, 1, 1, "@write @bitmap @slow", cmd_setbit),
    cmd("getbit", 3, "readonly fast", 1, 1, 1, "@read @bitmap @fast", cmd_getbit),
    cmd("bitcount", -2, "readonly", 1, 1, 1, "@read @bitmap @slow", cmd_bitcount),
    cmd("bitpos", -3, "readonly", 1, 1, 1, "@read @bitmap @slow", cmd_bitpos),
    cmd("bitop", -4, "write denyoom", 2, -1, 1, "@write @bitmap @slow", cmd_bitop),
    cmd("bitfield", -2, "write denyoom", 1, 1, 1, "@write @bitmap @slow", cmd_bitfield),
    cmd("bitfield_ro", -2, "readonly fast", 1, 1, 1, "@read @bitmap @fast", cmd_bitfield_ro),
    # HyperLogLog (t_hll.pyx)
    cmd("pfadd", -2, "write denyoom fast", 1, 1, 1, "@write @hyperloglog @fast", cmd_pfadd),
    cmd("pfcount", -2, "readonly", 1, -1, 1, "@read @hyperloglog @slow", cmd_pfcount),
    cmd("pfmerge", -2, "write denyoom", 1, -1, 1, "@write @hyperloglog @slow", cmd_pfmerge),
    cmd("pfdebug", 3, "write denyoom admin", 2, 2, 1, "@write @hyperloglog @admin @slow @dangerous", cmd_pfdebug),
    cmd("pfselftest", 1, "admin", 0, 0, 0, "@hyperloglog @admin @slow @dangerous", cmd_pfselftest),
    # lists (t_list.pyx)
    cmd("lpush", -3, "write denyoom fast", 1, 1, 1, "@write @list @fast", cmd_lpush),
    cmd("rpush", -3, "write denyoom fast", 1, 1, 1, "@write @list @fast", cmd_rpush),
    cmd("lpushx", -3, "write denyoom fast", 1, 1, 1, "@write @list @fast", cmd_lpushx),
    cmd("rpushx", -3, "write denyoom fast", 1, 1, 1, "@write @list @fast", cmd_rpushx),
    cmd("lpop", -2, "write fast", 1, 1, 1, "@write @list @fast", cmd_lpop),
    cmd("rpop", -2, "write fast", 1, 1, 1, "@write @list @fast", cmd_rpop),
    cmd("llen", 2, "readonly fast", 1, 1, 1, "@read @list @fast", cmd_llen),
    cmd("lrange", 4, "readonly", 1, 1, 1, "@read @list @slow", cmd_lrange),
    cmd("lindex", 3, "readonly", 1, 1, 1, "@read @list @slow", cmd_lindex),
    cmd("lset", 4, "write denyoom", 1, 1, 1, "@write @list @slow", cmd_lset),
    cmd("linsert", 5, "write denyoom", 1, 1, 1, "@write @list @slow", cmd_linsert),
    cmd("lrem", 4, "write", 1, 1, 1, "@write @list @slow", cmd_lrem),
    cmd("ltrim", 4, "write", 1, 1, 1, "@write @list @slow", cmd_ltrim),
    cmd("lpos", -3, "readonly", 1, 1, 1, "@read @list @slow", cmd_lpos),
    cmd("rpoplpush", 3, "write denyoom", 1, 2, 1, "@write @list @slow", cmd_rpoplpush),
    cmd("lmove", 5, "write denyoom", 1, 2, 1, "@write @list @slow", cmd_lmove),
    cmd("lmpop", -4, "write movablekeys", 0, 0, 0, "@write @list @slow", cmd_lmpop),
    cmd("blpop", -3, "write noscript blocking", 1, -2, 1, "@write @list @slow @blocking", cmd_blpop),
    cmd("brpop", -3, "write noscript blocking", 1, -2, 1, "@write @list @slow @blocking", cmd_brpop),
    cmd("brpoplpush", 4, "write denyoom noscript blocking", 1, 2, 1, "@write @list @slow @blocking", cmd_brpoplpush),
    cmd("blmove", 6, "write denyoom noscript blocking", 1, 2, 1, "@write @list @slow @blocking", cmd_blmove),
    cmd("blmpop", -5, "write blocking movablekeys", 0, 0, 0, "@write @list @slow @blocking", cmd_blmpop),
    # hashes (t_hash.pyx)
    cmd("hset", -4, "write denyoom fast", 1, 1, 1, "@write @hash @fast", cmd_hset),
    cmd("hsetnx", 4, "write denyoom fast", 1, 1, 1, "@write @hash @fast", cmd_hsetnx),
    cmd("hget", 3, "readonly fast", 1, 1, 1, "@read @hash @fast", cmd_hget),
    cmd("hmget", -3, "readonly fast", 1, 1, 1, "@read @hash @fast", cmd_hmget),
    cmd("hmset", -4, "write denyoom fast", 1, 1, 1, "@write @hash @fast", cmd_hmset),
    cmd("hdel", -3, "write fast", 1, 1, 1, "@write @hash @fast", cmd_hdel),
    cmd("hlen", 2, "readonly fast", 1, 1, 1, "@read @hash @fast", cmd_hlen),
    cmd("hstrlen", 3, "readonly fast", 1, 1, 1, "@read @hash @fast", cmd_hstrlen),
    cmd("hexists", 3, "readonly fast", 1, 1, 1, "@read @hash @fast", cmd_hexists),
    cmd("hkeys", 2, "readonly", 1, 1, 1, "@read @hash @slow", cmd_hkeys),
    cmd("hvals", 2, "readonly", 1, 1, 1, "@read @hash @slow", cmd_hvals),
    cmd("hgetall", 2, "readonly", 1, 1, 1, "@read @hash @slow", cmd_hgetall),
    cmd("hincrby", 4, "write denyoom fast", 1, 1, 1, "@write @hash @fast", cmd_hincrby),
    cmd("hincrbyfloat", 4, "write denyoom fast", 1, 1, 1, "@write @hash @fast", cmd_hincrbyfloat),
    cmd("hrandfield", -2, "readonly", 1, 1, 1, "@read @hash @slow", cmd_hrandfield),
    cmd("hscan", -3, "readonly", 1, 1, 1, "@read @hash @slow", cmd_hscan),
    # sets (t_set.pyx)
    cmd("sadd", -3, "write denyoom fast", 1, 1, 1, "@write @set @fast", cmd_sadd),
    cmd("srem", -3, "write fast", 1, 1, 1, "@write @set @fast", cmd_srem),
    cmd("smembers", 2, "readonly", 1, 1, 1, "@read @set @slow", cmd_smembers),
    cmd("sismember", 3, "readonly fast", 1, 1, 1, "@read @set @fast", cmd_sismember),
    cmd("smismember", -3, "readonly fast", 1, 1, 1, "@read @set @fast", cmd_smismember),
    cmd("scard", 2, "readonly fast", 1, 1, 1, "@read @set @fast", cmd_scard),
    cmd("spop", -2, "write fast", 1, 1, 1, "@write @set @fast", cmd_spop),
    cmd("srandmember", -2, "readonly", 1, 1, 1, "@read @set @slow", cmd_srandmember),
    cmd("smove", 4, "write fast", 1, 2, 1, "@write @set @fast", cmd_smove),
    cmd("sinter", -2, "readonly", 1, -1, 1, "@read @set @slow", cmd_sinter),
    cmd("sintercard", -3, "readonly movablekeys", 0, 0, 0, "@read @set @slow", cmd_sintercard),
    cmd("sinterstore", -3, "write denyoom", 1, -1, 1, "@write @set @slow", cmd_sinterstore),
    cmd("sunion", -2, "readonly", 1, -1, 1, "@read @set @slow", cmd_sunion),
    cmd("sunionstore", -3, "write denyoom", 1, -1, 1, "@write @set @slow", cmd_sunionstore),
    cmd("sdiff", -2, "readonly", 1, -1, 1, "@read @set @slow", cmd_sdiff),
    cmd("sdiffstore", -3, "write denyoom", 1, -1, 1, "@write @set @slow", cmd_sdiffstore),
    cmd("sscan", -3, "readonly", 1, 1, 1, "@read @set @slow", cmd_sscan),
    # sorted sets (t_zset.pyx)
    cmd("zadd", -4, "write denyoom fast", 1, 1, 1, "@write @sortedset @fast", cmd_zadd),
    cmd("zincrby", 4, "write denyoom fast", 1, 1, 1, "@write @sortedset @fast", cmd_zincrby),
    cmd("zrem", -3, "write fast", 1, 1, 1, "@write @sortedset @fast", cmd_zrem),
    cmd("zcard", 2, "readonly fast", 1, 1, 1, "@read @sortedset @fast", cmd_zcard),
    cmd("zscore", 3, "readonly fast", 1, 1, 1, "@read @sortedset @fast", cmd_zscore),
    cmd("zmscore", -3, "readonly fast", 1, 1, 1, "@read @sortedset @fast", cmd_zmscore),
    cmd("zrank", 3, "readonly fast", 1, 1, 1, "@read @sortedset @fast", cmd_zrank),
    cmd("zrevrank", 3, "readonly fast", 1, 1, 1, "@read @sortedset @fast", cmd_zrevrank),
    cmd("zcount", 4, "readonly fast", 1, 1, 1, "@read @sortedset @fast", cmd_zcount),
    cmd("zlexcount", 4, "readonly fast", 1, 1, 1, "@read @sortedset @fast", cmd_zlexcount),
    cmd("zrange", -4, "readonly", 1, 1, 1, "@read @sortedset @slow", cmd_zrange),
    cmd("zrangestore", -5, "write denyoom", 1, 2, 1, "@write @sortedset @slow", cmd_zrangestore),
    cmd("zrangebyscore", -4, "readonly", 1, 1, 1, "@read @sortedset @slow", cmd_zrangebyscore),
    cmd("zrevrangebyscore", -4, "readonly", 1, 1, 1, "@read @sortedset @slow", cmd_zrevrangebyscore),
    cmd("zrangebylex", -4, "readonly", 1, 1, 1, "@read @sortedset @slow", cmd_zrangebylex),
    cmd("zrevrangebylex", -4, "readonly", 1, 1, 1, "@read @sortedset @slow", cmd_zrevrangebylex),
    cmd("zrevrange", -4, "readonly", 1, 1, 1, "@read @sortedset @slow", cmd_zrevrange),
    cmd("zremrangebyrank", 4, "write", 1, 1, 1, "@write @sortedset @slow", cmd_zremrangebyrank),
    cmd("zremrangebyscore", 4, "write", 1, 1, 1, "@write @sortedset @slow", cmd_zremrangebyscore),
    cmd("zremrangebylex", 4, "write", 1, 1, 1, "@write @sortedset @slow", cmd_zremrangebylex),
    cmd("zpopmin", -2, "write fast", 1, 1, 1, "@write @sortedset @fast", cmd_zpopmin),
    cmd("zpopmax", -2, "write fast", 1, 1, 1, "@write @sortedset @fast", cmd_zpopmax),
    cmd("zmpop", -4, "write movablekeys", 0, 0, 0, "@write @sortedset @slow", cmd_zmpop),
    cmd("bzpopmin", -3, "write noscript blocking fast", 1, -2, 1, "@write @sortedset @fast @blocking", cmd_bzpopmin),
    cmd("bzpopmax", -3, "write noscript blocking fast", 1, -2, 1, "@write @sortedset @fast @blocking", cmd_bzpopmax),
    cmd("bzmpop", -5, "write blocking movablekeys", 0, 0, 0, "@write @sortedset @slow @blocking", cmd_bzmpop),
    cmd("zunion", -3, "readonly movablekeys", 0, 0, 0, "@read @sortedset @slow", cmd_zunion),
    cmd("zinter", -3, "readonly movablekeys", 0, 0, 0, "@read @sortedset @slow", cmd_zinter),
    cmd("zdiff", -3, "readonly movablekeys", 0, 0, 0, "@read @sortedset @slow", cmd_zdiff),
    cmd("zunionstore", -4, "write denyoom movablekeys", 1, 1, 1, "@write @sortedset @slow", cmd_zunionstore),
    cmd("zinterstore", -4, "write denyoom movablekeys", 1, 1, 1, "@write @sortedset @slow", cmd_zinterstore),
    cmd("zdiffstore", -4, "write denyoom movablekeys", 1, 1, 1, "@write @sortedset @slow", cmd_zdiffstore),
    cmd("zintercard", -3, "readonly movablekeys", 0, 0, 0, "@read @sortedset @slow", cmd_zintercard),
    cmd("zrandmember", -2, "readonly", 1, 1, 1, "@read @sortedset @slow", cmd_zrandmember),
    cmd("zscan", -3, "readonly", 1, 1, 1, "@read @sortedset @slow", cmd_zscan),
    # geo (t_geo.pyx)
    cmd("geoadd", -5, "write denyoom", 1, 1, 1, "@write @geo @slow", cmd_geoadd),
    cmd("geodist", -4, "readonly", 1, 1, 1, "@read @geo @slow", cmd_geodist),
    cmd("geohash", -2, "readonly", 1, 1, 1, "@read @geo @slow", cmd_geohash),
    cmd("geopos", -2, "readonly", 1, 1, 1, "@read @geo @slow", cmd_geopos),
    cmd("geosearch", -7, "readonly", 1, 1, 1, "@read @geo @slow", cmd_geosearch),
    cmd("geosearchstore", -8, "write denyoom", 1, 2, 1, "@write @geo @slow", cmd_geosearchstore),
    cmd("georadius", -6, "write denyoom movablekeys", 1, 1, 1, "@write @geo @slow", cmd_georadius),
    cmd("georadiusbymember", -5, "write denyoom movablekeys", 1, 1, 1, "@write @geo @slow", cmd_georadiusbymember),
    cmd("georadius_ro", -6, "readonly", 1, 1, 1, "@read @geo @slow", cmd_georadius_ro),
    cmd("georadiusbymember_ro", -5, "readonly", 1, 1, 1, "@read @geo @slow", cmd_georadiusbymember_ro),
    # streams (t_stream.pyx, t_stream_group.pyx)
    cmd("xadd", -5, "write denyoom fast", 1, 1, 1, "@write @stream @fast", cmd_xadd),
    cmd("xrange", -4, "readonly", 1, 1, 1, "@read @stream @slow", cmd_xrange),
    cmd("xrevrange", -4, "readonly", 1, 1, 1, "@read @stream @slow", cmd_xrevrange),
    cmd("xlen", 2, "readonly fast", 1, 1, 1, "@read @stream @fast", cmd_xlen),
    cmd("xdel", -3, "write fast", 1, 1, 1, "@write @stream @fast", cmd_xdel),
    cmd("xtrim", -4, "write", 1, 1, 1, "@write @stream @slow", cmd_xtrim),
    cmd("xsetid", -3, "write denyoom fast", 1, 1, 1, "@write @stream @fast", cmd_xsetid),
    cmd("xread", -4, "readonly blocking movablekeys", 0, 0, 0, "@read @stream @slow @blocking", cmd_xread),
    cmd("xreadgroup", -7, "write blocking movablekeys", 0, 0, 0, "@write @stream @slow @blocking", cmd_xreadgroup),
    cmd("xack", -4, "write fast", 1, 1, 1, "@write @stream @fast", cmd_xack),
    cmd("xpending", -3, "readonly", 1, 1, 1, "@read @stream @slow", cmd_xpending),
    cmd("xclaim", -6, "write fast", 1, 1, 1, "@write @stream @fast", cmd_xclaim),
    cmd("xautoclaim", -6, "write fast", 1, 1, 1, "@write @stream @fast", cmd_xautoclaim),
    cmd("xgroup", -2, "", 0, 0, 0, "@slow", NULL, [
        cmd("xgroup|destroy", 4, "write", 2, 2, 1, "@write @stream @slow", cmd_xgroup),
        cmd("xgroup|createconsumer", 5, "write denyoom", 2, 2, 1, "@write @stream @slow", cmd_xgroup),
        cmd("xgroup|create", -5, "write denyoom", 2, 2, 1, "@write @stream @slow", cmd_xgroup),
        cmd("xgroup|delconsumer", 5, "write", 2, 2, 1, "@write @stream @slow", cmd_xgroup),
        cmd("xgroup|setid", -5, "write", 2, 2, 1, "@write @stream @slow", cmd_xgroup),
        cmd("xgroup|help", 2, "loading stale", 0, 0, 0, "@stream @slow", cmd_xgroup_help),
    ]),
    cmd("xinfo", -2, "", 0, 0, 0, "@slow", NULL, [
        cmd("xinfo|help", 2, "loading stale", 0, 0, 0, "@stream @slow", cmd_xinfo_help),
        cmd("xinfo|stream", -3, "readonly", 2, 2, 1, "@read @stream @slow", cmd_xinfo_stream),
        cmd("xinfo|consumers", 4, "readonly", 2, 2, 1, "@read @stream @slow", cmd_xinfo_consumers),
        cmd("xinfo|groups", 3, "readonly", 2, 2, 1, "@read @stream @slow", cmd_xinfo_groups),
    ]),
    # keys (t_generic.pyx)
    cmd("del", -2, "write", 1, -1, 1, "@keyspace @write @slow", cmd_del),
    cmd("unlink", -2, "write fast", 1, -1, 1, "@keyspace @write @fast", cmd_unlink),
    cmd("exists", -2, "readonly fast", 1, -1, 1, "@keyspace @read @fast", cmd_exists),
    cmd("type", 2, "readonly fast", 1, 1, 1, "@keyspace @read @fast", cmd_type),
    cmd("keys", 2, "readonly", 0, 0, 0, "@keyspace @read @slow @dangerous", cmd_keys),
    cmd("scan", -2, "readonly", 0, 0, 0, "@keyspace @read @slow", cmd_scan),
    cmd("randomkey", 1, "readonly", 0, 0, 0, "@keyspace @read @slow", cmd_randomkey),
    cmd("rename", 3, "write", 1, 2, 1, "@keyspace @write @slow", cmd_rename),
    cmd("renamenx", 3, "write fast", 1, 2, 1, "@keyspace @write @fast", cmd_renamenx),
    cmd("copy", -3, "write denyoom", 1, 2, 1, "@keyspace @write @slow", cmd_copy),
    # DUMP / RESTORE (t_dump.pyx)
    cmd("dump", 2, "readonly", 1, 1, 1, "@keyspace @read @slow", cmd_dump),
    cmd("restore", -4, "write denyoom", 1, 1, 1, "@keyspace @write @slow @dangerous", cmd_restore),
    cmd("move", 3, "write fast", 1, 1, 1, "@keyspace @write @fast", cmd_move),
    cmd("touch", -2, "readonly fast", 1, -1, 1, "@keyspace @read @fast", cmd_touch),
    cmd("dbsize", 1, "readonly fast", 0, 0, 0, "@keyspace @read @fast", cmd_dbsize),
    cmd("object", -2, "", 0, 0, 0, "@slow", NULL, [
        cmd("object|help", 2, "loading stale", 0, 0, 0, "@keyspace @slow", cmd_object_help),
        cmd("object|encoding", 3, "readonly", 2, 2, 1, "@keyspace @read @slow", cmd_object_encoding),
        cmd("object|idletime", 3, "readonly", 2, 2, 1, "@keyspace @read @slow", cmd_object_idletime),
        cmd("object|freq", 3, "readonly", 2, 2, 1, "@keyspace @read @slow", cmd_object_freq),
        cmd("object|refcount", 3, "readonly", 2, 2, 1, "@keyspace @read @slow", cmd_object_refcount),
    ]),
    cmd("memory", -2, "", 0, 0, 0, "@slow", NULL, [
        cmd("memory|stats", 2, "", 0, 0, 0, "@slow", cmd_memory_stats),
        cmd("memory|malloc-stats", 2, "", 0, 0, 0, "@slow", cmd_memory_malloc_stats),
        cmd("memory|purge", 2, "", 0, 0, 0, "@slow", cmd_memory_purge),
        cmd("memory|doctor", 2, "", 0, 0, 0, "@slow", cmd_memory_doctor),
        cmd("memory|help", 2, "loading stale", 0, 0, 0, "@slow", cmd_memory_help),
        cmd("memory|usage", -3, "readonly", 2, 2, 1, "@read @slow", cmd_memory_usage),
    ]),
    cmd("expire", -3, "write fast", 1, 1, 1, "@keyspace @write @fast", cmd_expire),
    cmd("pexpire", -3, "write fast", 1, 1, 1, "@keyspace @write @fast", cmd_pexpire),
    cmd("expireat", -3, "write fast", 1, 1, 1, "@keyspace @write @fast", cmd_expireat),
    cmd("pexpireat", -3, "write fast", 1, 1, 1, "@keyspace @write @fast", cmd_pexpireat),
    cmd("ttl", 2, "readonly fast", 1, 1, 1, "@keyspace @read @fast", cmd_ttl),
    cmd("pttl", 2, "readonly fast", 1, 1, 1, "@keyspace @read @fast", cmd_pttl),
    cmd("expiretime", 2, "readonly fast", 1, 1, 1, "@keyspace @read @fast", cmd_expiretime),
    cmd("pexpiretime", 2, "readonly fast", 1, 1, 1, "@keyspace @read @fast", cmd_pexpiretime),
    cmd("persist", 2, "write fast", 1, 1, 1, "@keyspace @write @fast", cmd_persist),
    # databases (t_generic.pyx)
    cmd("select", 2, "loading stale fast", 0, 0, 0, "@fast @connection", cmd_select),
    cmd("swapdb", 3, "write fast", 0, 0, 0, "@keyspace @write @fast @dangerous", cmd_swapdb),
    cmd("flushdb", -1, "write", 0, 0, 0, "@keyspace @write @slow @dangerous", cmd_flushdb),
    cmd("flushall", -1, "write", 0, 0, 0, "@keyspace @write @slow @dangerous", cmd_flushall),
    # transactions (multi.pyx)
    cmd("multi", 1, "noscript loading stale fast allow_busy", 0, 0, 0, "@fast @transaction", cmd_multi),
    cmd("exec", 1, "noscript loading stale skip_slowlog", 0, 0, 0, "@slow @transaction", cmd_exec),
    cmd("discard", 1, "noscript loading stale fast allow_busy", 0, 0, 0, "@fast @transaction", cmd_discard),
    cmd("watch", -2, "noscript loading stale fast allow_busy", 1, -1, 1, "@fast @transaction", cmd_watch),
    cmd("unwatch", 1, "noscript loading stale fast allow_busy", 0, 0, 0, "@fast @transaction", cmd_unwatch),
    # pub/sub (pubsub.pyx)
    cmd("subscribe", -2, "pubsub noscript loading stale", 0, 0, 0, "@pubsub @slow", cmd_subscribe),
    cmd("unsubscribe", -1, "pubsub noscript loading stale", 0, 0, 0, "@pubsub @slow", cmd_unsubscribe),
    cmd("psubscribe", -2, "pubsub noscript loading stale", 0, 0, 0, "@pubsub @slow", cmd_psubscribe),
    cmd("punsubscribe", -1, "pubsub noscript loading stale", 0, 0, 0, "@pubsub @slow", cmd_punsubscribe),
    cmd("ssubscribe", -2, "pubsub noscript loading stale", 1, -1, 1, "@pubsub @slow", cmd_ssubscribe),
    cmd("sunsubscribe", -1, "pubsub noscript loading stale", 1, -1, 1, "@pubsub @slow", cmd_sunsubscribe),
    cmd("publish", 3, "pubsub loading stale fast", 0, 0, 0, "@pubsub @fast", cmd_publish),
    cmd("spublish", 3, "pubsub loading stale fast", 1, 1, 1, "@pubsub @fast", cmd_spublish),
    cmd("pubsub", -2, "", 0, 0, 0, "@slow", NULL, [
        cmd("pubsub|channels", -2, "pubsub loading stale", 0, 0, 0, "@pubsub @slow", cmd_pubsub_channels),
        cmd("pubsub|numsub", -2, "pubsub loading stale", 0, 0, 0, "@pubsub @slow", cmd_pubsub_numsub),
        cmd("pubsub|numpat", 2, "pubsub loading stale", 0, 0, 0, "@pubsub @slow", cmd_pubsub_numpat),
        cmd("pubsub|shardchannels", -2, "pubsub loading stale", 0, 0, 0, "@pubsub @slow", cmd_pubsub_shardchannels),
        cmd("pubsub|shardnumsub", -2, "pubsub loading stale", 0, 0, 0, "@pubsub @slow", cmd_pubsub_shardnumsub),
        cmd("pubsub|help", 2, "loading stale", 0, 0, 0, "@slow", cmd_pubsub_help),
    ]),
    # connection and server (t_server.pyx)
    cmd("ping", -1, "fast", 0, 0, 0, "@fast @connection", cmd_ping),
    cmd("echo", 2, "loading stale fast", 0, 0, 0, "@fast @connection", cmd_echo),
    cmd("quit", -1, "noscript loading stale fast no_auth allow_busy", 0, 0, 0, "@fast @connection", cmd_quit),
    cmd("reset", 1, "noscript loading stale fast no_auth allow_busy", 0, 0, 0, "@fast @connection", cmd_reset),
    cmd("hello", -1, "noscript loading stale fast no_auth allow_busy", 0, 0, 0, "@fast @connection", cmd_hello),
    cmd("auth", -2, "noscript loading stale fast no_auth allow_busy", 0, 0, 0, "@fast @connection", cmd_auth),
    # slow log, latency monitor, MONITOR (slowlog.pyx)
    cmd("slowlog", -2, "", 0, 0, 0, "@slow", NULL, [
        cmd("slowlog|get", -2, "admin loading stale", 0, 0, 0, "@admin @slow @dangerous", cmd_slowlog_get),
        cmd("slowlog|len", 2, "admin loading stale", 0, 0, 0, "@admin @slow @dangerous", cmd_slowlog_len),
        cmd("slowlog|reset", 2, "admin loading stale", 0, 0, 0, "@admin @slow @dangerous", cmd_slowlog_reset),
        cmd("slowlog|help", 2, "loading stale", 0, 0, 0, "@slow", cmd_slowlog_help),
    ]),
    cmd("latency", -2, "", 0, 0, 0, "@slow", NULL, [
        cmd("latency|latest", 2, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous", cmd_latency_latest),
        cmd("latency|history", 3, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous", cmd_latency_history),
        cmd("latency|histogram", -2, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous", cmd_latency_histogram),
        cmd("latency|reset", -2, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous", cmd_latency_reset),
        cmd("latency|help", 2, "loading stale", 0, 0, 0, "@slow", cmd_latency_help),
    ]),
    cmd("monitor", 1, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous", cmd_monitor),
    cmd("client", -2, "", 0, 0, 0, "@slow", NULL, [
        cmd("client|id", 2, "noscript loading stale", 0, 0, 0, "@slow @connection", cmd_client_id),
        cmd("client|setname", 3, "noscript loading stale", 0, 0, 0, "@slow @connection", cmd_client_setname),
        cmd("client|getname", 2, "noscript loading stale", 0, 0, 0, "@slow @connection", cmd_client_getname),
        cmd("client|list", -2, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous @connection", cmd_client_list),
        cmd("client|info", 2, "noscript loading stale", 0, 0, 0, "@slow @connection", cmd_client_info),
        cmd("client|kill", -3, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous @connection", cmd_client_kill),
        cmd("client|reply", 3, "noscript loading stale", 0, 0, 0, "@slow @connection", cmd_client_reply),
        cmd("client|pause", -3, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous @connection", cmd_client_pause),
        cmd("client|unpause", 2, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous @connection", cmd_client_unpause),
        cmd("client|tracking", -3, "noscript loading stale", 0, 0, 0, "@slow @connection", cmd_client_tracking),
        cmd("client|caching", 3, "noscript loading stale", 0, 0, 0, "@slow @connection", cmd_client_caching),
        cmd("client|getredir", 2, "noscript loading stale", 0, 0, 0, "@slow @connection", cmd_client_getredir),
        cmd("client|trackinginfo", 2, "noscript loading stale", 0, 0, 0, "@slow @connection", cmd_client_trackinginfo),
        cmd("client|unblock", -3, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous @connection", cmd_client_unblock),
        cmd("client|no-evict", 3, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous @connection", cmd_client_no_evict),
        cmd("client|help", 2, "loading stale", 0, 0, 0, "@slow @connection", cmd_client_help),
    ]),
    cmd("info", -1, "loading stale", 0, 0, 0, "@slow @dangerous", cmd_info),
    cmd("time", 1, "loading stale fast", 0, 0, 0, "@fast", cmd_time),
    cmd("save", 1, "admin noscript no_async_loading no_multi", 0, 0, 0, "@admin @slow @dangerous", cmd_save),
    cmd("psync", -3, "admin noscript no_async_loading no_multi", 0, 0, 0, "@admin @slow @dangerous", cmd_psync),
    cmd("sync", 1, "admin noscript no_async_loading no_multi", 0, 0, 0, "@admin @slow @dangerous", cmd_psync),
    cmd("replconf", -1, "admin noscript loading stale allow_busy", 0, 0, 0, "@admin @slow @dangerous", cmd_replconf),
    cmd("replicaof", 3, "admin noscript stale no_async_loading", 0, 0, 0, "@admin @slow @dangerous", cmd_replicaof),
    cmd("slaveof", 3, "admin noscript stale no_async_loading", 0, 0, 0, "@admin @slow @dangerous", cmd_replicaof),
    cmd("wait", 3, "noscript", 0, 0, 0, "@slow @connection", cmd_wait),
    cmd("failover", -1, "admin noscript stale", 0, 0, 0, "@admin @slow @dangerous", cmd_failover),
    cmd("role", 1, "noscript loading stale fast", 0, 0, 0, "@admin @fast @dangerous", cmd_role),
    cmd("bgsave", -1, "admin noscript no_async_loading", 0, 0, 0, "@admin @slow @dangerous", cmd_bgsave),
    cmd("bgrewriteaof", 1, "admin noscript no_async_loading", 0, 0, 0, "@admin @slow @dangerous", cmd_bgrewriteaof),
    cmd("lastsave", 1, "loading stale fast", 0, 0, 0, "@admin @fast @dangerous", cmd_lastsave),
    cmd("shutdown", -1, "admin noscript loading stale no_multi allow_busy", 0, 0, 0, "@admin @slow @dangerous", cmd_shutdown),
    # scripting (script.pyx)
    cmd("eval", -3, "noscript stale skip_monitor no_mandatory_keys movablekeys", 0, 0, 0, "@slow @scripting", cmd_eval),
    cmd("evalsha", -3, "noscript stale skip_monitor no_mandatory_keys movablekeys", 0, 0, 0, "@slow @scripting", cmd_evalsha),
    cmd("eval_ro", -3, "readonly noscript stale skip_monitor no_mandatory_keys movablekeys", 0, 0, 0, "@slow @scripting", cmd_eval_ro),
    cmd("evalsha_ro", -3, "readonly noscript stale skip_monitor no_mandatory_keys movablekeys", 0, 0, 0, "@slow @scripting", cmd_evalsha_ro),
    cmd("script", -2, "", 0, 0, 0, "@slow", NULL, [
        cmd("script|load", 3, "noscript stale", 0, 0, 0, "@slow @scripting", cmd_script_load),
        cmd("script|exists", -3, "noscript", 0, 0, 0, "@slow @scripting", cmd_script_exists),
        cmd("script|flush", -2, "noscript", 0, 0, 0, "@slow @scripting", cmd_script_flush),
        cmd("script|kill", 2, "noscript allow_busy", 0, 0, 0, "@slow @scripting", cmd_script_kill),
        cmd("script|debug", 3, "noscript", 0, 0, 0, "@slow @scripting", cmd_script_debug),
        cmd("script|help", 2, "loading stale", 0, 0, 0, "@slow @scripting", cmd_script_help),
    ]),
    # functions (functions.pyx)
    cmd("fcall", -3, "noscript stale skip_monitor no_mandatory_keys movablekeys", 0, 0, 0, "@slow @scripting", cmd_fcall),
    cmd("fcall_ro", -3, "readonly noscript stale skip_monitor no_mandatory_keys movablekeys", 0, 0, 0, "@slow @scripting", cmd_fcall_ro),
    cmd("function", -2, "", 0, 0, 0, "@slow", NULL, [
        cmd("function|load", -3, "write denyoom noscript", 0, 0, 0, "@write @slow @scripting", cmd_function_load),
        cmd("function|list", -2, "noscript", 0, 0, 0, "@slow @scripting", cmd_function_list),
        cmd("function|delete", 3, "write noscript", 0, 0, 0, "@write @slow @scripting", cmd_function_delete),
        cmd("function|flush", -2, "write noscript", 0, 0, 0, "@write @slow @scripting", cmd_function_flush),
        cmd("function|stats", 2, "noscript allow_busy", 0, 0, 0, "@slow @scripting", cmd_function_stats),
        cmd("function|kill", 2, "noscript allow_busy", 0, 0, 0, "@slow @scripting", cmd_function_kill),
        cmd("function|dump", 2, "noscript", 0, 0, 0, "@slow @scripting", cmd_function_dump),
        cmd("function|restore", -3, "write denyoom noscript", 0, 0, 0, "@write @slow @scripting", cmd_function_restore),
        cmd("function|help", 2, "loading stale", 0, 0, 0, "@slow @scripting", cmd_function_help),
    ]),
    # commands written in Python (module.pyx)
    cmd("module", -2, "", 0, 0, 0, "@slow", NULL, [
        # LOAD, LOADEX and UNLOAD check enable-module-command themselves
        cmd("module|help", 2, "loading stale", 0, 0, 0, "@slow", cmd_module_help),
        cmd("module|loadex", -3, "admin noscript no_async_loading", 0, 0, 0, "@admin @slow @dangerous", cmd_module_loadex),
        cmd("module|load", -3, "admin noscript no_async_loading", 0, 0, 0, "@admin @slow @dangerous", cmd_module_load),
        cmd("module|list", 2, "admin noscript", 0, 0, 0, "@admin @slow @dangerous", cmd_module_list),
        cmd("module|unload", 3, "admin noscript no_async_loading", 0, 0, 0, "@admin @slow @dangerous", cmd_module_unload),
    ]),
    cmd("debug", -2, "admin noscript loading stale protected", 0, 0, 0, "@admin @slow @dangerous", cmd_debug),
    cmd("config", -2, "", 0, 0, 0, "@slow", NULL, [
        cmd("config|get", -3, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous", cmd_config_get),
        cmd("config|set", -4, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous", cmd_config_set),
        cmd("config|resetstat", 2, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous", cmd_config_resetstat),
        cmd("config|rewrite", 2, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous", cmd_config_rewrite),
        cmd("config|help", 2, "loading stale", 0, 0, 0, "@slow", cmd_config_help),
    ]),
    # access control (acl.pyx)
    cmd("acl", -2, "", 0, 0, 0, "@slow", NULL, [
        cmd("acl|cat", -2, "noscript loading stale", 0, 0, 0, "@slow", cmd_acl_cat),
        cmd("acl|deluser", -3, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous", cmd_acl_deluser),
        cmd("acl|dryrun", -4, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous", cmd_acl_dryrun),
        cmd("acl|genpass", -2, "noscript loading stale", 0, 0, 0, "@slow", cmd_acl_genpass),
        cmd("acl|getuser", 3, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous", cmd_acl_getuser),
        cmd("acl|help", 2, "loading stale", 0, 0, 0, "@slow", cmd_acl_help),
        cmd("acl|list", 2, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous", cmd_acl_list),
        cmd("acl|load", 2, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous", cmd_acl_load),
        cmd("acl|log", -2, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous", cmd_acl_log),
        cmd("acl|save", 2, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous", cmd_acl_save),
        cmd("acl|setuser", -3, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous", cmd_acl_setuser),
        cmd("acl|users", 2, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous", cmd_acl_users),
        cmd("acl|whoami", 2, "noscript loading stale", 0, 0, 0, "@slow", cmd_acl_whoami),
    ]),
    cmd("command", -1, "loading stale", 0, 0, 0, "@slow @connection", cmd_command, [
        cmd("command|count", 2, "loading stale", 0, 0, 0, "@slow @connection", cmd_command_count),
        cmd("command|info", -2, "loading stale", 0, 0, 0, "@slow @connection", cmd_command_info),
        cmd("command|docs", -2, "loading stale", 0, 0, 0, "@slow @connection", cmd_command_docs),
        cmd("command|list", -2, "loading stale", 0, 0, 0, "@slow @connection", cmd_command_list),
        cmd("command|getkeys", -4, "loading stale", 0, 0, 0, "@slow @connection", cmd_command_getkeys),
        cmd("command|getkeysandflags", -4, "loading stale", 0, 0, 0, "@slow @connection", cmd_command_getkeysandflags),
        cmd("command|help", 2, "loading stale", 0, 0, 0, "@slow @connection", cmd_command_help),
    ]),
    ]


cdef int init_command_table() except -1:
    global g_cmd_lookup
    cdef Command c
    cdef bytes key
    cdef dictEntry *de
    g_cmd_lookup_type.valDestructor = NULL
    global g_num_commands
    g_num_commands = 0
    g_cmd_lookup = dictCreate(&g_cmd_lookup_type)
    g_commands.clear()
    del g_command_list[:]
    g_category_cmds.clear()
    for cat in ACL_CATEGORIES:
        g_category_cmds[cat] = []
    for c in command_rows():
        g_commands[c.name] = c
        g_command_list.append(c)
        register_command_id(c)
        if c.subcommands is not None:
            for sub in c.subcommands.values():
                register_command_id(<Command>sub)
        key = c.name.encode()
        de = dictAddRaw(g_cmd_lookup, <const char *>key, len(key), NULL)
        de.v.ptr = <void *>c
    return 0


cdef void register_command_id(Command c):
    """Give c its id for ACL bitmaps and file it under its categories."""
    global g_num_commands
    c.id = g_num_commands
    g_num_commands += 1
    for cat in c.categories:
        listed = g_category_cmds.get(cat[1:])
        if listed is not None:
            listed.append(c)


def command_names():
    """Top-level command names (for rename-command checks while the config
    file is read, before the server starts)."""
    if g_num_commands == 0:
        init_command_table()
    return set(g_commands)


def rename_command(str old, str new):
    """rename-command: the command answers to `new` only (nothing if new is
    empty).  Its own name (COMMAND INFO, ACL rules, errors) stays."""
    cdef bytes key = old.lower().encode()
    cdef dictEntry *de = dictFind(g_cmd_lookup, <const char *>key, len(key))
    if de == NULL:
        raise KeyError(old)
    cdef void *c = de.v.ptr
    dictDelete(g_cmd_lookup, <const char *>key, len(key))
    if new:
        key = new.lower().encode()
        de = dictAddRaw(g_cmd_lookup, <const char *>key, len(key), NULL)
        if de == NULL:
            raise KeyError(new)
        de.v.ptr = c


cdef inline Command lookup_command(const char *name, size_t n):
    """Case-insensitive lookup of a top-level command, None if unknown."""
    cdef char low[MAX_KEYLEN_LOOKUP]
    cdef size_t i
    cdef char ch
    if n >= MAX_KEYLEN_LOOKUP:
        return None
    for i in range(n):
        ch = name[i]
        low[i] = ch + 32 if 65 <= ch <= 90 else ch
    cdef dictEntry *de = dictFind(g_cmd_lookup, low, n)
    if de == NULL:
        return None
    return <Command>de.v.ptr


cdef Command lookup_subcommand(Command parent, const char *name, size_t n):
    return parent.subcommands.get(name[:n].lower())
