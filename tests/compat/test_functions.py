"""Differential tests for Functions (functions.pyx, pyredis/functions.py):
FUNCTION LOAD's metadata and registration errors, FCALL/FCALL_RO, LIST,
DELETE, FLUSH, STATS, KILL when idle."""
import pytest


@pytest.fixture
def fpair(pair):
    pair.check("FUNCTION", "FLUSH")
    yield pair
    pair.check("FUNCTION", "FLUSH")


def load(pair, body, *opts):
    return pair.check("FUNCTION", "LOAD", *(opts + (body,)))


LIB = ("#!lua name=mylib\n"
       "redis.register_function('echo', function(keys, args) return {keys[1], args[1], #keys, #args} end)\n"
       "redis.register_function{function_name='ro_get', callback=function(keys) "
       "return redis.call('get', keys[1]) end, flags={'no-writes'}, description='read one key'}\n"
       "redis.register_function{function_name='ro_set', callback=function(keys) "
       "return redis.call('set', keys[1], 'v') end, flags={'no-writes'}}\n"
       "redis.register_function('incr', function(keys, args) return redis.call('incrby', keys[1], args[1]) end)\n"
       "redis.register_function('g_missing', function() return x end)\n"
       "redis.register_function('g_keys', function() return KEYS end)\n"
       "redis.register_function('g_register', function() redis.register_function('z', function() end) end)\n"
       "redis.register_function('g_unknown', function() return redis.call('nosuch') end)\n")


@pytest.mark.parametrize("body", [
    "return 1", "#!lua\nreturn 1", "#!lua name=x foo=bar\nreturn 1", "#!lua name=x name=y\nreturn 1",
    "#!lua name=a-b\nreturn 1", "#!lua name=\nreturn 1", "#!luajit name=ab\nreturn 1", "#!lua name=ab",
    "#!lua name=ab\nreturn 1", "#!lua name=ab\nreturn (", "#!lua name=ab\nerror('x')",
    "#!lua name=ab\nredis.call('ping')", "#!lua name=ab\nlocal a = 1", "#!lua name=ab\nx = 1",
    "#!lua name=ab\nreturn y", "#!LUA NAME=ab\nredis.register_function('f', function() return 1 end)",
    "#!lua name=ef\nredis.register_function{function_name='f3', callback=function() return 1 end, flags={'bogus'}}",
    "#!lua name=ef\nredis.register_function{function_name='f3', callback=1}",
    "#!lua name=ef\nredis.register_function{function_name=3, callback=function() end}",
    "#!lua name=ef\nredis.register_function{callback=function() end}",
    "#!lua name=ef\nredis.register_function{function_name='x'}",
    "#!lua name=ef\nredis.register_function{function_name='x', callback=function() end, foo=1}",
    "#!lua name=ef\nredis.register_function{function_name='x', callback=function() end, flags=1}",
    "#!lua name=ef\nredis.register_function{function_name='x', callback=function() end, description=1}",
    "#!lua name=ef\nredis.register_function('x')", "#!lua name=ef\nredis.register_function(1, function() end)",
    "#!lua name=ef\nredis.register_function('x', 1)",
    "#!lua name=ef\nredis.register_function('a-b', function() end)",
    "#!lua name=ef\nredis.register_function('x', function() end) redis.register_function('x', function() end)",
    "#!lua name=ef\nredis.register_function('x', function() end, 3)",
    "#!lua name=ef\nredis.register_function(1)", "#!lua name=ef\nredis.register_function()",
    "#!lua name=ef\nredis.log(redis.LOG_NOTICE, 'loading') redis.register_function('f', function() return 1 end)",
    "#!lua name=ef\nreturn redis.REDIS_VERSION .. redis.REDIS_VERSION_NUM",
])
def test_function_load(fpair, body):
    load(fpair, body)
    fpair.check_unordered("FUNCTION", "LIST")


def test_load_replace_and_duplicates(fpair):
    load(fpair, LIB)
    load(fpair, LIB)
    load(fpair, LIB, "REPLACE")
    load(fpair, LIB, "replace")
    load(fpair, "#!lua name=other\nredis.register_function('echo', function() return 1 end)")
    load(fpair, "#!lua name=other\nredis.register_function('echo2', function() return 1 end)")
    fpair.check("FUNCTION", "LOAD", "foo", LIB)
    fpair.check("FUNCTION", "LOAD", "REPLACE", "x", LIB)


@pytest.mark.parametrize("cmd", [
    ("FCALL", "echo", "1", "k", "a"), ("FCALL", "ECHO", "2", "k1", "k2", "a"), ("FCALL", "echo", "0"),
    ("FCALL_RO", "ro_get", "1", "k"), ("FCALL", "ro_set", "1", "k"), ("FCALL_RO", "ro_set", "1", "k"),
    ("FCALL_RO", "echo", "0"), ("FCALL", "nope", "0"), ("FCALL", "echo", "x"), ("FCALL", "echo", "-1"),
    ("FCALL", "echo", "3", "a"), ("FCALL", "incr", "1", "n", "5"), ("FCALL", "incr", "1", "n", "x"),
    ("FCALL", "g_missing", "0"), ("FCALL", "g_keys", "0"), ("FCALL", "g_register", "0"),
    ("FCALL", "g_unknown", "0"), ("FCALL",), ("FCALL", "echo"),
])
def test_fcall(fpair, cmd):
    load(fpair, LIB)
    fpair.check("SET", "k", "v")
    fpair.check(*cmd)
    fpair.check("GET", "n")


@pytest.mark.parametrize("args", [
    (), ("LIBRARYNAME", "mylib"), ("LIBRARYNAME", "my*"), ("LIBRARYNAME", "MYLIB"), ("LIBRARYNAME", "x*"),
    ("WITHCODE",), ("WITHCODE", "LIBRARYNAME", "mylib"), ("LIBRARYNAME", "mylib", "WITHCODE"),
    ("foo",), ("LIBRARYNAME",), ("WITHCODE", "WITHCODE"), ("LIBRARYNAME", "a", "LIBRARYNAME", "b"),
])
def test_function_list(fpair, args):
    load(fpair, LIB)
    fpair.check_unordered("FUNCTION", "LIST", *args)


def test_function_list_resp3(fpair):
    load(fpair, LIB)
    fpair.both("HELLO", "3")  # client ids differ between the servers
    fpair.check_unordered("FUNCTION", "LIST", "WITHCODE")
    fpair.check("FUNCTION", "STATS")


def test_delete_flush_stats(fpair):
    load(fpair, LIB)
    load(fpair, "#!lua name=second\nredis.register_function('s1', function() return 1 end)")
    fpair.check("FUNCTION", "STATS")
    fpair.check("FUNCTION", "DELETE", "nope")
    fpair.check("FUNCTION", "DELETE", "second")
    fpair.check("FCALL", "s1", "0")
    fpair.check("FUNCTION", "STATS")
    fpair.check("FUNCTION", "FLUSH", "foo")
    fpair.check("FUNCTION", "FLUSH", "ASYNC", "x")
    fpair.check("FUNCTION", "FLUSH", "SYNC")
    fpair.check("FCALL", "echo", "0")
    fpair.check("FUNCTION", "STATS")
    fpair.check("FUNCTION", "LIST")


@pytest.mark.parametrize("cmd", [
    ("FUNCTION", "KILL"), ("FUNCTION", "HELP"), ("FUNCTION", "FOO"), ("FUNCTION",),
    ("FUNCTION", "DELETE"), ("FUNCTION", "LOAD"), ("FUNCTION", "STATS", "x"),
])
def test_function_subcommands(fpair, cmd):
    fpair.check(*cmd)


def test_functions_survive_flushall_and_script_flush(fpair):
    load(fpair, LIB)
    fpair.check("FLUSHALL")
    fpair.check("SCRIPT", "FLUSH")
    fpair.check("FCALL", "echo", "1", "k", "a")


def test_function_cannot_be_called_from_a_script(fpair):
    load(fpair, LIB)
    fpair.check("EVAL", "return redis.call('fcall', 'echo', 0)", "0")
    fpair.check("FCALL", "g_unknown", "0")


def test_function_dump_is_byte_identical(fpair):
    load(fpair, LIB)
    fpair.check("FUNCTION", "DUMP")
    fpair.check("FUNCTION", "FLUSH")
    fpair.check("FUNCTION", "DUMP")


def test_function_restore_policies(fpair):
    load(fpair, LIB)
    dump = fpair.check_parsed("FUNCTION", "DUMP")
    fpair.check("FUNCTION", "RESTORE", dump)
    fpair.check("FUNCTION", "RESTORE", dump, "APPEND")
    fpair.check("FUNCTION", "RESTORE", dump, "REPLACE")
    fpair.check("FUNCTION", "RESTORE", dump, "FLUSH")
    fpair.check("FUNCTION", "RESTORE", dump, "bogus")
    fpair.check("FUNCTION", "RESTORE", dump, "FLUSH", "x")
    fpair.check("FUNCTION", "RESTORE", "garbage")
    fpair.check("FUNCTION", "RESTORE", dump[:-1] + b"x")
    fpair.check("FUNCTION", "FLUSH")
    fpair.check("FUNCTION", "RESTORE", dump)
    fpair.check("FCALL", "echo", "1", "k", "a")
    fpair.check_unordered("FUNCTION", "LIST", "WITHCODE")


def test_function_restore_of_a_key_dump_is_refused(fpair):
    fpair.check("SET", "k", "v")
    dump = fpair.check_parsed("DUMP", "k")
    fpair.check("FUNCTION", "RESTORE", dump)


def test_function_restore_conflicting_function_keeps_state(fpair):
    load(fpair, "#!lua name=a\nredis.register_function('echo', function() return 'a' end)")
    dump = fpair.check_parsed("FUNCTION", "DUMP")
    fpair.check("FUNCTION", "FLUSH")
    load(fpair, "#!lua name=b\nredis.register_function('echo', function() return 'b' end)")
    fpair.check("FUNCTION", "RESTORE", dump)
    fpair.check("FUNCTION", "RESTORE", dump, "REPLACE")
    fpair.check("FCALL", "echo", "0")
    fpair.check("FUNCTION", "RESTORE", dump, "FLUSH")
    fpair.check("FCALL", "echo", "0")


def _memory_field(raw, name):
    for line in raw.split(b"\r\n"):
        if line.startswith(name + b":"):
            return line
    raise AssertionError(name)


def test_info_memory_counts_scripts_functions_libraries(fpair):
    fpair.check("SCRIPT", "FLUSH")
    load(fpair, LIB)
    load(fpair, "#!lua name=second\nredis.register_function('s1', function() return 1 end)")
    fpair.check("SCRIPT", "LOAD", "return 'counted'")
    fpair.check("EVAL", "return 'counted too'", "0")
    real, ours = fpair.both("INFO", "memory")
    for name in (b"number_of_cached_scripts", b"number_of_functions", b"number_of_libraries"):
        assert _memory_field(ours, name) == _memory_field(real, name)


@pytest.mark.parametrize("numkeys", ["x", "-1", "5", "1.5"])
def test_numkeys_errors_of_eval_and_fcall(pair, numkeys):
    pair.check("FUNCTION", "LOAD", "REPLACE",
               "#!lua name=nk\nredis.register_function('nk', function(k, a) return #k end)")
    pair.check("EVAL", "return 1", numkeys, "a")
    pair.check("EVALSHA", "0" * 40, numkeys, "a")
    pair.check("FCALL", "nk", numkeys, "a")
    pair.check("FCALL", "nosuch", numkeys, "a")
    pair.check("FUNCTION", "FLUSH")
