"""Differential tests for transactions: MULTI/EXEC/DISCARD and WATCH."""
import time

import pytest

from support.resp import RespClient


def _tx(pair, *cmds):
    """MULTI, the commands (each reply compared), EXEC; returns EXEC's reply."""
    pair.check("MULTI")
    for cmd in cmds:
        pair.check(*cmd)
    return pair.check("EXEC")


def _other(pair, *cmd):
    """Run a command on a second connection to each server."""
    other = pair.connect()
    try:
        return other.check(*cmd)
    finally:
        other.close()


# --- MULTI / EXEC / DISCARD -------------------------------------------------

def test_exec_runs_the_queue_and_replies_with_every_reply(pair):
    reply = _tx(pair, ("SET", "a", "1"), ("INCR", "a"), ("GET", "a"), ("RPUSH", "l", "x", "y"))
    assert reply == b"*4\r\n+OK\r\n:2\r\n$1\r\n2\r\n:2\r\n"


def test_empty_transaction_replies_empty_array(pair):
    assert _tx(pair) == b"*0\r\n"


def test_multi_cannot_be_nested_and_the_transaction_goes_on(pair):
    pair.check("MULTI")
    pair.check("MULTI")
    pair.check("SET", "a", "1")
    pair.check("EXEC")
    pair.check("GET", "a")


def test_exec_and_discard_without_multi(pair):
    pair.check("EXEC")
    pair.check("DISCARD")


def test_discard_drops_the_queue(pair):
    pair.check("MULTI")
    pair.check("SET", "a", "1")
    pair.check("DISCARD")
    pair.check("GET", "a")
    pair.check("EXEC")


def test_runtime_errors_do_not_stop_the_other_commands(pair):
    pair.check("SET", "s", "x")
    reply = _tx(pair, ("LPUSH", "s", "v"), ("INCR", "s"), ("SET", "t", "1"), ("INCR", "t"))
    assert reply.startswith(b"*4\r\n-WRONGTYPE")
    pair.check("GET", "t")


def test_unknown_command_while_queueing_aborts_exec(pair):
    pair.check("MULTI")
    pair.check("SET", "a", "1")
    pair.check("NOSUCHCOMMAND", "x")
    assert pair.check("EXEC").startswith(b"-EXECABORT")
    pair.check("GET", "a")


def test_arity_error_while_queueing_aborts_exec(pair):
    pair.check("MULTI")
    pair.check("GET")
    pair.check("SET", "a", "1")
    pair.check("EXEC")
    pair.check("EXISTS", "a")


def test_unknown_subcommand_while_queueing_aborts_exec(pair):
    pair.check("MULTI")
    pair.check("CONFIG", "NOSUCH")
    pair.check("EXEC")


def test_exec_with_arguments_aborts_the_transaction(pair):
    pair.check("MULTI")
    pair.check("SET", "a", "1")
    pair.check("EXEC", "extra")
    pair.check("EXEC")
    pair.check("EXISTS", "a")


def test_watch_inside_multi_is_an_error_that_does_not_abort(pair):
    pair.check("MULTI")
    pair.check("WATCH", "a")
    pair.check("SET", "a", "1")
    pair.check("EXEC")


def test_no_multi_command_is_refused_and_aborts(pair):
    pair.check("MULTI")
    pair.check("SAVE")
    pair.check("EXEC")


def test_syntax_errors_are_runtime_errors(pair):
    reply = _tx(pair, ("SET", "a", "1", "BADOPT"), ("SET", "b", "2"))
    assert reply.startswith(b"*2\r\n-ERR syntax error")
    pair.check("MGET", "a", "b")


def test_select_inside_exec_switches_the_rest_and_stays(pair):
    _tx(pair, ("SELECT", "2"), ("SET", "in2", "x"))
    pair.check("GET", "in2")
    pair.check("SELECT", "0")
    pair.check("EXISTS", "in2")


def test_blocking_command_inside_exec_does_not_block(pair):
    reply = _tx(pair, ("BLPOP", "nolist", "0"), ("BLMOVE", "nolist", "x", "LEFT", "LEFT", "0"),
                ("BZPOPMIN", "noz", "0"), ("SET", "after", "1"))
    assert reply == b"*4\r\n*-1\r\n$-1\r\n*-1\r\n+OK\r\n"


def test_blocking_command_inside_exec_serves_existing_data(pair):
    pair.check("RPUSH", "l", "a", "b")
    _tx(pair, ("BLPOP", "l", "0"), ("BRPOP", "l", "0"))


def test_reset_ends_the_transaction(pair):
    pair.check("MULTI")
    pair.check("SET", "a", "1")
    pair.check("RESET")
    pair.check("EXEC")
    pair.check("EXISTS", "a")


def test_ping_and_echo_are_queued(pair):
    _tx(pair, ("PING",), ("ECHO", "hi"), ("PING", "x"))


def test_flushall_inside_exec(pair):
    pair.check("SET", "a", "1")
    _tx(pair, ("FLUSHALL",), ("SET", "b", "2"))
    pair.check("KEYS", "*")


def test_resp3_aborted_exec_is_null(pair):
    pair.both("HELLO", "3")        # the reply holds each server's client id
    pair.check("WATCH", "k")
    pair.check("SET", "k", "mine")
    pair.check("MULTI")
    pair.check("GET", "k")
    assert pair.check("EXEC") == b"_\r\n"


def test_errorstats_count_execabort(pair):
    pair.check("CONFIG", "RESETSTAT")
    pair.check("MULTI")
    pair.check("NOSUCH")
    pair.check("EXEC")
    real = pair.real.call("INFO", "errorstats")
    ours = pair.ours.call("INFO", "errorstats")
    assert real.split(b"\r\n")[1:-1] == ours.split(b"\r\n")[1:-1]
    assert b"errorstat_EXECABORT:count=1" in ours


# --- WATCH ---------------------------------------------------------------------

def test_watched_key_changed_by_another_client_fails_exec(pair):
    pair.check("SET", "k", "1")
    pair.check("WATCH", "k")
    _other(pair, "SET", "k", "2")
    assert _tx(pair, ("SET", "k", "3")) == b"*-1\r\n"
    pair.check("GET", "k")


def test_watched_key_changed_by_the_watcher_fails_exec(pair):
    pair.check("WATCH", "k")
    pair.check("SET", "k", "1")
    assert _tx(pair, ("GET", "k")) == b"*-1\r\n"


def test_write_with_the_same_value_still_counts(pair):
    pair.check("SET", "k", "1")
    pair.check("WATCH", "k")
    _other(pair, "SET", "k", "1")
    assert _tx(pair, ("GET", "k")) == b"*-1\r\n"


def test_change_to_another_key_leaves_exec_alone(pair):
    pair.check("WATCH", "k")
    _other(pair, "SET", "other", "1")
    assert _tx(pair, ("SET", "k", "1")) == b"*1\r\n+OK\r\n"


def test_failed_write_does_not_touch(pair):
    pair.check("SET", "k", "1")
    pair.check("WATCH", "k")
    _other(pair, "SET", "k", "2", "NX")
    _other(pair, "LPUSH", "k", "x")
    assert _tx(pair, ("GET", "k")) == b"*1\r\n$1\r\n1\r\n"


def test_watch_is_per_database(pair):
    pair.check("WATCH", "k")
    other = pair.connect()
    try:
        other.check("SELECT", "1")
        other.check("SET", "k", "x")
    finally:
        other.close()
    assert _tx(pair, ("GET", "k")) == b"*1\r\n$-1\r\n"


@pytest.mark.parametrize("cmd", [
    ("DEL", "k"), ("EXPIRE", "k", "100"), ("RENAME", "k", "k2"), ("APPEND", "k", "x"),
    ("INCR", "n"), ("LPUSH", "l", "x"), ("HSET", "h", "f", "v"), ("SADD", "s", "m"),
    ("ZADD", "z", "1", "m"), ("PERSIST", "t"), ("MOVE", "k", "1"), ("COPY", "k", "dst"),
    ("SETRANGE", "k", "0", "z"), ("GETDEL", "k"), ("UNLINK", "k"),
])
def test_writes_of_every_kind_touch(pair, cmd):
    pair.check("MSET", "k", "v", "n", "1")
    pair.check("SET", "t", "v", "EX", "100")
    key = cmd[1] if cmd[0] != "COPY" else "dst"
    pair.check("WATCH", key)
    _other(pair, *cmd)
    pair.check("MULTI")
    pair.check("PING")
    pair.check("EXEC")


def test_restore_touches(pair):
    pair.check("SET", "src", "v")
    payload = pair.real.call("DUMP", "src")
    value = payload.split(b"\r\n", 1)[1][:-2]
    pair.check("WATCH", "k")
    _other(pair, "RESTORE", "k", "0", value)
    assert _tx(pair, ("GET", "k")) == b"*-1\r\n"


def test_flushdb_fails_exec_only_when_the_key_existed(pair):
    pair.check("WATCH", "absent")
    _other(pair, "FLUSHDB")
    assert _tx(pair, ("PING",)) == b"*1\r\n+PONG\r\n"
    pair.check("SET", "k", "1")
    pair.check("WATCH", "k")
    _other(pair, "FLUSHALL")
    assert _tx(pair, ("PING",)) == b"*-1\r\n"


def test_swapdb_fails_exec_when_either_side_has_the_key(pair):
    other = pair.connect()
    try:
        other.check("SELECT", "1")
        other.check("SET", "k", "in1")
        pair.check("WATCH", "k")
        other.check("SWAPDB", "0", "1")
        pair.check("MULTI")
        pair.check("GET", "k")
        assert pair.check("EXEC") == b"*-1\r\n"
        pair.check("WATCH", "nowhere")
        other.check("SWAPDB", "0", "1")
        assert _tx(pair, ("PING",)) == b"*1\r\n+PONG\r\n"
    finally:
        other.close()


def test_unwatch_forgets_the_keys(pair):
    pair.check("WATCH", "k")
    _other(pair, "SET", "k", "1")
    pair.check("UNWATCH")
    assert _tx(pair, ("GET", "k")) == b"*1\r\n$1\r\n1\r\n"


def test_exec_and_discard_end_the_watch(pair):
    pair.check("WATCH", "k")
    _tx(pair, ("PING",))
    _other(pair, "SET", "k", "1")
    assert _tx(pair, ("PING",)) == b"*1\r\n+PONG\r\n"
    pair.check("WATCH", "k")
    pair.check("MULTI")
    pair.check("DISCARD")
    _other(pair, "SET", "k", "2")
    assert _tx(pair, ("PING",)) == b"*1\r\n+PONG\r\n"


def test_watched_key_that_expires_before_exec_fails_it(pair):
    pair.check("SET", "k", "1", "PX", "50")
    pair.check("WATCH", "k")
    time.sleep(0.12)
    assert _tx(pair, ("PING",)) == b"*-1\r\n"


def test_key_already_expired_when_watched_does_not_fail_exec(pair):
    pair.check("DEBUG", "SET-ACTIVE-EXPIRE", "0")
    try:
        pair.check("SET", "k", "1", "PX", "20")
        time.sleep(0.06)
        pair.check("WATCH", "k")
        # its lazy deletion is no logical change
        _other(pair, "EXISTS", "k")
        assert _tx(pair, ("PING",)) == b"*1\r\n+PONG\r\n"
    finally:
        pair.check("DEBUG", "SET-ACTIVE-EXPIRE", "1")


def test_key_expired_when_watched_then_set_fails_exec(pair):
    pair.check("DEBUG", "SET-ACTIVE-EXPIRE", "0")
    try:
        pair.check("SET", "k", "1", "PX", "20")
        time.sleep(0.06)
        pair.check("WATCH", "k")
        _other(pair, "SET", "k", "new")
        assert _tx(pair, ("PING",)) == b"*-1\r\n"
    finally:
        pair.check("DEBUG", "SET-ACTIVE-EXPIRE", "1")


def test_watch_after_a_failed_watch_is_ignored_until_unwatch(pair):
    pair.check("WATCH", "k")
    _other(pair, "SET", "k", "1")
    pair.check("WATCH", "j")
    assert _tx(pair, ("PING",)) == b"*-1\r\n"


def test_closed_watcher_does_not_break_others(pair, ours):
    c = RespClient(port=ours.port)
    c.call("WATCH", "k")
    c.close()
    pair.check("WATCH", "k")
    _other(pair, "SET", "k", "1")
    assert _tx(pair, ("PING",)) == b"*-1\r\n"


def _fields(conn, client_id):
    for line in conn.call("CLIENT", "LIST").split(b"\n"):
        fields = dict(f.split(b"=", 1) for f in line.split() if b"=" in f)
        if fields.get(b"id") == client_id:
            return fields
    raise AssertionError("client %r not listed" % client_id)


def test_client_list_shows_the_queue(pair):
    ids = [c.call("CLIENT", "ID")[1:-2] for c in (pair.real, pair.ours)]
    other = pair.connect()
    try:
        seen = []
        for step in ((), ("MULTI",), ("SET", "a", "1"), ("GET", "a"), ("EXEC",)):
            if step:
                pair.check(*step)
            seen.append([(f[b"flags"], f[b"multi"])
                         for f in (_fields(other.real, ids[0]), _fields(other.ours, ids[1]))])
        for real, ours in seen:
            assert real == ours
        assert seen[3][1] == (b"x", b"2")
    finally:
        other.close()


# --- with scripts ------------------------------------------------------------

def test_eval_inside_multi_is_queued_and_runs_in_exec(pair):
    _tx(pair, ("EVAL", "return redis.call('INCR', KEYS[1])", "1", "k"),
        ("EVAL", "return redis.call('GET', KEYS[1])", "1", "k"))


def test_transaction_commands_are_refused_inside_scripts(pair):
    for cmd in ("multi", "exec", "discard", "watch", "unwatch", "subscribe"):
        pair.check("EVAL", "return redis.pcall('%s', 'k')" % cmd, "0")
        pair.check("EVAL", "return redis.call('%s')" % cmd, "0")


def test_client_list_flags_of_a_subscriber_in_a_transaction(pair):
    ids = [c.call("CLIENT", "ID")[1:-2] for c in (pair.real, pair.ours)]
    pair.both("HELLO", "3")
    pair.check("MULTI")
    pair.check("SUBSCRIBE", "ch")
    pair.check("EXEC")
    pair.check("MULTI")
    other = pair.connect()
    try:
        flags = [_fields(conn, cid)[b"flags"] for conn, cid in zip((other.real, other.ours), ids)]
        assert flags[0] == flags[1] == b"Px"
    finally:
        other.close()
