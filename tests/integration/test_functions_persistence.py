"""Function libraries in RDB files (Redis 7.0's FUNCTION2 records) and in
the AOF: a dump.rdb with functions moves between pyredis and redis-server
both ways, and libraries survive restarts with either persistence."""
import os
import shutil

import pytest

from support.resp import RespClient
from support.servers import Server, require

DBFILE = "dump.rdb"
LIB = ("#!lua name=persisted\n"
       "redis.register_function{function_name='hello', callback=function(keys, args) "
       "return 'hello ' .. args[1] end, flags={'no-writes'}, description='greets'}\n"
       "redis.register_function('bump', function(keys) return redis.call('incr', keys[1]) end)\n")


def start(kind, directory, *args):
    require(kind)
    return Server(kind, ["--dbfilename", DBFILE] + list(args), directory=directory).start()


def _load_and_use(s):
    c = RespClient(port=s.port)
    assert c.call("FUNCTION", "LOAD", LIB) == b"$9\r\npersisted\r\n"
    assert c.call("FCALL", "bump", "1", "n") == b":1\r\n"
    return c


def _check(s):
    c = RespClient(port=s.port)
    assert c.call("FCALL_RO", "hello", "0", "world") == b"$11\r\nhello world\r\n"
    assert c.call("FCALL", "bump", "1", "n") == b":2\r\n"
    assert b"greets" in c.call("FUNCTION", "LIST", "WITHCODE")
    assert c.call("FUNCTION", "LIST", "WITHCODE").count(b"persisted") == 2


@pytest.mark.parametrize("writer,reader", [("pyredis", "redis"), ("redis", "pyredis"),
                                           ("pyredis", "pyredis")])
def test_rdb_with_functions_moves_between_servers(tmp_path, writer, reader):
    a, b = str(tmp_path / "a"), str(tmp_path / "b")
    os.mkdir(a)
    os.mkdir(b)
    with start(writer, a) as s:
        c = _load_and_use(s)
        assert c.call("SAVE") == b"+OK\r\n"
    shutil.copy(os.path.join(a, DBFILE), os.path.join(b, DBFILE))
    with start(reader, b) as s:
        _check(s)


def test_rdb_written_by_both_servers_is_identical(tmp_path):
    files = {}
    for kind in ("redis", "pyredis"):
        d = str(tmp_path / kind)
        os.mkdir(d)
        with start(kind, d) as s:
            c = RespClient(port=s.port)
            c.call("FUNCTION", "LOAD", LIB)
            c.call("SAVE")
        with open(os.path.join(d, DBFILE), "rb") as f:
            data = f.read()
        # from the function record after the last aux field (aof-base) to
        # EOF: aux fields hold times and sizes, so the checksums differ, and
        # their bytes may themselves contain the function opcode 0xf5
        files[kind] = data[data.index(b"\xf5", data.index(b"aof-base")):-8]
    assert files["pyredis"] == files["redis"]


@pytest.mark.parametrize("preamble", ["yes", "no"])
def test_functions_survive_an_aof_restart(tmp_path, kind, preamble):
    d = str(tmp_path)
    args = ["--appendonly", "yes", "--aof-use-rdb-preamble", preamble]
    with start(kind, d, *args) as s:
        c = _load_and_use(s)
        if preamble == "yes":
            assert c.call("BGREWRITEAOF").startswith(b"+")
            import time
            deadline = time.time() + 10
            while b"aof_rewrite_in_progress:1" in c.call("INFO", "persistence") and time.time() < deadline:
                time.sleep(0.05)
            time.sleep(0.2)
    with start(kind, d, *args) as s:
        _check(s)


def test_function_delete_and_flush_reach_the_aof(tmp_path, kind):
    d = str(tmp_path)
    args = ["--appendonly", "yes"]
    with start(kind, d, *args) as s:
        c = _load_and_use(s)
        c.call("FUNCTION", "LOAD", "#!lua name=gone\nredis.register_function('g', function() return 1 end)")
        assert c.call("FUNCTION", "DELETE", "gone") == b"+OK\r\n"
    with start(kind, d, *args) as s:
        c = RespClient(port=s.port)
        assert c.call("FCALL", "g", "0") == b"-ERR Function not found\r\n"
        _check(s)
        c.call("FUNCTION", "FLUSH")
    with start(kind, d, *args) as s:
        assert RespClient(port=s.port).call("FUNCTION", "LIST") == b"*0\r\n"
