"""Differential tests for maxmemory, the eviction directives, OBJECT
IDLETIME/FREQ under LRU and LFU, and the MEMORY command's deterministic
replies (pyredis/_core/evict.pyx, t_memory.pyx)."""
import pytest

from support.resp import parse

DIRECTIVES = ("maxmemory", "maxmemory-policy", "maxmemory-samples",
              "maxmemory-eviction-tenacity", "lfu-log-factor", "lfu-decay-time",
              "lazyfree-lazy-eviction")


# --- OOM under noeviction ------------------------------------------------------

def test_noeviction_refuses_denyoom_commands(pair, config):
    pair.check("SET", "k", "v")
    config("maxmemory", "1")
    pair.check("SET", "k2", "v")
    pair.check("RPUSH", "l", "a")
    pair.check("APPEND", "k", "x")


def test_noeviction_keeps_reads_and_deletes_working(pair, config):
    pair.check("SET", "k", "v")
    pair.check("SET", "d", "v")
    config("maxmemory", "1")
    pair.check("GET", "k")
    pair.check("STRLEN", "k")
    pair.check("DEL", "d")
    pair.check("EXISTS", "d")


def test_oom_inside_multi_refuses_queued_commands_and_aborts_exec(pair, config):
    pair.check("MULTI")
    config_conn = pair.connect()
    config_conn.check("CONFIG", "SET", "maxmemory", "1")
    try:
        pair.check("GET", "k")
        pair.check("EXEC")
    finally:
        config_conn.check("CONFIG", "SET", "maxmemory", "0")
        config_conn.close()


def test_exec_with_denyoom_command_refused_when_over_limit(pair, config):
    pair.check("MULTI")
    pair.check("SET", "k", "v")
    config_conn = pair.connect()
    config_conn.check("CONFIG", "SET", "maxmemory", "1")
    try:
        pair.check("EXEC")
        pair.check("EXISTS", "k")
    finally:
        config_conn.check("CONFIG", "SET", "maxmemory", "0")
        config_conn.close()


def test_discard_allowed_when_over_limit(pair, config):
    pair.check("MULTI")
    config_conn = pair.connect()
    config_conn.check("CONFIG", "SET", "maxmemory", "1")
    try:
        pair.check("DISCARD")
    finally:
        config_conn.check("CONFIG", "SET", "maxmemory", "0")
        config_conn.close()


def test_allkeys_policy_with_tiny_limit_evicts_everything_then_refuses(pair, config):
    for i in range(20):
        pair.check("SET", "k%d" % i, "v" * 100)
    config("maxmemory-policy", "allkeys-random")
    config("maxmemory", "1")
    pair.check("SET", "new", "v")
    pair.check("DBSIZE")
    pair.check("GET", "k1")


def test_eviction_fails_a_watch_on_the_evicted_key(pair, config):
    pair.check("SET", "k", "v")
    pair.check("WATCH", "k")
    other = pair.connect()
    try:
        other.check("CONFIG", "SET", "maxmemory-policy", "allkeys-random")
        other.check("CONFIG", "SET", "maxmemory", "1")
        other.check("PING")
        other.check("CONFIG", "SET", "maxmemory", "0")
        other.check("CONFIG", "SET", "maxmemory-policy", "noeviction")
    finally:
        other.close()
    pair.check("MULTI")
    pair.check("PING")
    pair.check("EXEC")
    pair.check("EXISTS", "k")


def test_volatile_policy_without_ttl_keys_refuses(pair, config):
    pair.check("SET", "k", "v")
    config("maxmemory-policy", "volatile-lru")
    config("maxmemory", "1")
    pair.check("SET", "k2", "v")
    pair.check("GET", "k")


def test_volatile_policy_evicts_only_keys_with_ttl(pair, config):
    pair.check("SET", "persist", "v")
    for i in range(10):
        pair.check("SET", "t%d" % i, "v", "EX", "1000")
    config("maxmemory-policy", "volatile-ttl")
    config("maxmemory", "1")
    pair.check("SET", "new", "v")
    pair.check("DBSIZE")
    pair.check("EXISTS", "persist")


# --- OBJECT FREQ / IDLETIME ------------------------------------------------------

def test_object_freq_counts_every_access_with_log_factor_zero(pair, config):
    config("maxmemory-policy", "allkeys-lfu")
    config("lfu-log-factor", "0")
    pair.check("SET", "k", "some text")
    pair.check("OBJECT", "FREQ", "k")
    for _ in range(20):
        pair.check("GET", "k")
    pair.check("OBJECT", "FREQ", "k")


def test_object_freq_saturates_at_255(pair, config):
    config("maxmemory-policy", "allkeys-lfu")
    config("lfu-log-factor", "0")
    pair.check("SET", "k", "some text")
    for _ in range(300):
        pair.both("GET", "k")
    pair.check("OBJECT", "FREQ", "k")


def test_object_freq_of_restored_key(pair, config):
    config("maxmemory-policy", "volatile-lfu")
    pair.check("SET", "k", "some text")
    payload = parse(pair.real.call("DUMP", "k"))
    pair.check("DEL", "k")
    pair.check("RESTORE", "k", "0", payload, "FREQ", "100")
    pair.check("OBJECT", "FREQ", "k")


def test_object_freq_survives_debug_reload(pair, config):
    config("maxmemory-policy", "allkeys-lfu")
    pair.check("SET", "k", "some text")
    payload = parse(pair.real.call("DUMP", "k"))
    pair.check("RESTORE", "k", "0", payload, "REPLACE", "FREQ", "77")
    pair.check("DEBUG", "RELOAD")
    pair.check("OBJECT", "FREQ", "k")


def test_object_does_not_count_as_access(pair, config):
    config("maxmemory-policy", "allkeys-lfu")
    config("lfu-log-factor", "0")
    pair.check("SET", "k", "some text")
    for _ in range(5):
        pair.check("OBJECT", "FREQ", "k")
    pair.check("OBJECT", "FREQ", "k")


def test_object_idletime_under_lfu_is_an_error(pair, config):
    config("maxmemory-policy", "allkeys-lfu")
    pair.check("SET", "k", "v")
    pair.check("OBJECT", "IDLETIME", "k")


def test_object_freq_under_lru_is_an_error(pair, config):
    config("maxmemory-policy", "allkeys-lru")
    pair.check("SET", "k", "v")
    pair.check("OBJECT", "FREQ", "k")
    pair.check("OBJECT", "IDLETIME", "k")


# --- config directives -------------------------------------------------------------

@pytest.mark.parametrize("name", DIRECTIVES)
def test_config_get_default(pair, name):
    pair.check("CONFIG", "GET", name)


@pytest.mark.parametrize("name,value", [
    ("maxmemory", "100mb"), ("maxmemory", "1gb"), ("maxmemory", "12345"),
    ("maxmemory", "-1"), ("maxmemory", "abc"),
    ("maxmemory-policy", "allkeys-lru"), ("maxmemory-policy", "volatile-ttl"),
    ("maxmemory-policy", "ALLKEYS-LFU"), ("maxmemory-policy", "lru"),
    ("maxmemory-samples", "10"), ("maxmemory-samples", "0"),
    ("maxmemory-eviction-tenacity", "100"), ("maxmemory-eviction-tenacity", "101"),
    ("lfu-log-factor", "100"), ("lfu-log-factor", "-1"),
    ("lfu-decay-time", "0"), ("lfu-decay-time", "x"),
    ("lazyfree-lazy-eviction", "yes"), ("lazyfree-lazy-eviction", "maybe"),
])
def test_config_set_then_get(pair, config, name, value):
    saved = parse(pair.real.call("CONFIG", "GET", name))[1]
    try:
        pair.check("CONFIG", "SET", name, value)
        pair.check("CONFIG", "GET", name)
    finally:
        pair.check("CONFIG", "SET", name, saved)


# --- MEMORY ------------------------------------------------------------------------

def test_memory_help(pair):
    pair.check("MEMORY", "HELP")


@pytest.mark.parametrize("args", [
    ("USAGE",), ("USAGE", "nokey"), ("USAGE", "k", "SAMPLES"), ("USAGE", "k", "SAMPLES", "x"),
    ("USAGE", "k", "SAMPLES", "-1"), ("USAGE", "k", "BOGUS"), ("USAGE", "k", "SAMPLES", "5", "x"),
    ("USAGE", "nokey", "SAMPLES", "0"), ("STATS", "x"), ("DOCTOR", "x"), ("BOGUS",),
    ("PURGE",),
])
def test_memory_replies_and_errors(pair, args):
    pair.check("SET", "k", "v")
    pair.check("MEMORY", *args)


def test_memory_usage_is_an_integer_for_every_type(pair):
    pair.check("SET", "s", "v")
    pair.check("RPUSH", "l", "a", "b")
    pair.check("SADD", "set", "a", "b")
    pair.check("HSET", "h", "a", "b")
    pair.check("ZADD", "z", "1", "a")
    for key in ("s", "l", "set", "h", "z"):
        real, ours = (parse(x) for x in pair.both("MEMORY", "USAGE", key))
        assert isinstance(real, int) and isinstance(ours, int) and ours > 0


def test_command_info_memory(pair):
    # Redis lists subcommands in its hash table's (seeded) order
    pair.check_unordered("COMMAND", "INFO", "memory")
    pair.check_unordered("COMMAND", "DOCS", "memory")
    pair.check("COMMAND", "INFO", "memory|usage")


# --- scripts over maxmemory ------------------------------------------------------

def test_legacy_script_refuses_denyoom_command_over_the_limit(pair, config):
    pair.check("SET", "k", "v")
    config("maxmemory", "1")
    pair.check("EVAL", "return redis.call('SET', KEYS[1], 'x')", "1", "k")
    pair.check("EVAL", "return redis.pcall('RPUSH', KEYS[1], 'x')", "1", "l")
    # reads and deletes still run
    pair.check("EVAL", "return redis.call('GET', KEYS[1])", "1", "k")
    pair.check("EVAL", "return redis.call('DEL', KEYS[1])", "1", "k")


def test_shebang_script_that_may_write_is_refused_over_the_limit(pair, config):
    config("maxmemory", "1")
    pair.check("EVAL", "#!lua\nreturn redis.call('SET', KEYS[1], 'x')", "1", "k")
    pair.check("EVAL", "#!lua flags=no-writes\nreturn redis.call('GET', KEYS[1])", "1", "k")
    pair.check("EVAL", "#!lua flags=allow-oom\nreturn redis.call('SET', KEYS[1], 'x')", "1", "k")
    pair.check("GET", "k")
