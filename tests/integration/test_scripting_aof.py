"""A script's writes reach the AOF as its effects (Redis 7.0): several
commands wrapped in MULTI/EXEC, one command alone, nothing for a script that
wrote nothing, never the EVAL itself; and they survive a restart."""
import shutil
import tempfile

import pytest

from support.aoffile import last_incr_commands
from support.resp import RespClient
from support.servers import Server

AOF = ["--appendonly", "yes", "--appendfsync", "always"]


def _commands(s):
    return [[a.upper() if i == 0 else a for i, a in enumerate(c)] for c in last_incr_commands(s.dir)]


def _eval(c, body, *args):
    reply = c.call("EVAL", body, str(len(args)), *args)
    assert not reply.startswith(b"-"), reply
    return reply


def test_script_writes_are_wrapped_in_multi_exec(kind):
    with Server(kind, AOF) as s:
        c = RespClient(port=s.port)
        _eval(c, "redis.call('set', KEYS[1], 'v') redis.call('incr', KEYS[2]) "
                 "redis.call('get', KEYS[1]) return 1", "a", "n")
        cmds = _commands(s)
        assert cmds[-4:] == [[b"MULTI"], [b"SET", b"a", b"v"], [b"INCR", b"n"], [b"EXEC"]]
        assert not any(c[0] in (b"EVAL", b"EVALSHA") for c in cmds)


def test_single_write_is_not_wrapped(kind):
    with Server(kind, AOF) as s:
        c = RespClient(port=s.port)
        _eval(c, "return redis.call('set', KEYS[1], 'v')", "a")
        assert _commands(s)[-1] == [b"SET", b"a", b"v"]
        assert [b"MULTI"] not in _commands(s)


def test_read_only_script_writes_nothing(kind):
    with Server(kind, AOF) as s:
        c = RespClient(port=s.port)
        before = _commands(s)
        _eval(c, "return redis.call('get', KEYS[1])", "a")
        assert _commands(s) == before


def test_rewritten_commands_and_select_inside_a_script(kind):
    with Server(kind, AOF) as s:
        c = RespClient(port=s.port)
        _eval(c, "redis.call('select', 2) redis.call('set', 'k', 'v', 'EX', 100) "
                 "redis.call('select', 0) redis.call('rpush', 'l', 'x') return 1")
        cmds = _commands(s)
        assert cmds[-1] == [b"EXEC"]
        assert [b"SELECT", b"2"] in cmds
        assert [b"RPUSH", b"l", b"x"] in cmds
        assert any(c[:3] == [b"SET", b"k", b"v"] and c[3].upper() == b"PXAT" for c in cmds)


def test_script_effects_survive_restart(kind):
    d = tempfile.mkdtemp()
    try:
        with Server(kind, AOF, directory=d) as s:
            c = RespClient(port=s.port)
            _eval(c, "redis.call('hset', KEYS[1], 'f', 'v') redis.call('select', 4) "
                     "redis.call('sadd', KEYS[2], 'm') return 1", "h", "st")
        with Server(kind, AOF, directory=d) as s:
            c = RespClient(port=s.port)
            assert c.call("HGET", "h", "f") == b"$1\r\nv\r\n"
            c.call("SELECT", "4")
            assert c.call("SISMEMBER", "st", "m") == b":1\r\n"
    finally:
        shutil.rmtree(d)
