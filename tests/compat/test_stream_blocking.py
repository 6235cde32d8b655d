"""Blocking XREAD / XREADGROUP on both servers: a client parks, another
writes (or deletes, or destroys the group), and the parked client's reply
must be the same as Redis's."""
import time

import pytest

from support.resp import parse

from test_stream import masked


class Blocked(object):
    """A second pair of connections whose commands are sent without waiting."""

    def __init__(self, pair):
        self.p = pair.connect()

    def send(self, *cmd):
        self.p.real.send(*cmd)
        self.p.ours.send(*cmd)
        time.sleep(0.1)

    def replies(self):
        return self.p.real.read_reply(), self.p.ours.read_reply()

    def close(self):
        self.p.close()


@pytest.fixture
def blocked(pair):
    b = Blocked(pair)
    yield b
    b.close()


def same_reply(blocked):
    a, b = blocked.replies()
    assert masked(a) == masked(b), "ours %r != real %r" % (b, a)
    return parse(a)


def test_xread_dollar_waits_for_new_entry(pair, blocked):
    pair.check("XADD", "s", "1-1", "a", "1")
    blocked.send("XREAD", "BLOCK", "0", "STREAMS", "s", "$")
    pair.check("XADD", "s", "2-1", "b", "2")
    assert same_reply(blocked) == [[b"s", [[b"2-1", [b"b", b"2"]]]]]


def test_xread_on_missing_key_served_when_created(pair, blocked):
    blocked.send("XREAD", "BLOCK", "0", "STREAMS", "other", "s", "$", "0")
    pair.check("XADD", "s", "1-1", "a", "1")
    same_reply(blocked)


def test_xread_block_timeout_replies_null(pair, blocked):
    blocked.send("XREAD", "BLOCK", "100", "STREAMS", "s", "$")
    time.sleep(0.2)
    assert same_reply(blocked) is None


def test_xread_waits_past_an_entry_below_its_id(pair, blocked):
    pair.check("XADD", "s", "5-1", "a", "1")
    blocked.send("XREAD", "BLOCK", "0", "STREAMS", "s", "10-0")
    pair.check("XADD", "s", "6-1", "a", "2")
    pair.check("XADD", "s", "11-1", "a", "3")
    same_reply(blocked)


def test_xreadgroup_waits_and_fills_pel(pair, blocked):
    pair.check("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
    blocked.send("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">")
    pair.check("XADD", "s", "1-1", "a", "1")
    pair.check("XADD", "s", "2-1", "a", "2")
    same_reply(blocked)
    a, b = pair.both("XPENDING", "s", "g")
    assert a == b


def test_two_group_readers_get_different_entries(pair, blocked):
    pair.check("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
    other = Blocked(pair)
    try:
        blocked.send("XREADGROUP", "GROUP", "g", "c1", "COUNT", "1", "BLOCK", "0", "STREAMS", "s", ">")
        other.send("XREADGROUP", "GROUP", "g", "c2", "COUNT", "1", "BLOCK", "0", "STREAMS", "s", ">")
        pair.check("MULTI")
        pair.check("XADD", "s", "1-1", "a", "1")
        pair.check("XADD", "s", "2-1", "a", "2")
        pair.check("EXEC")
        same_reply(blocked)
        same_reply(other)
    finally:
        other.close()


def test_xreadgroup_unblocked_by_group_destroy_gets_nogroup(pair, blocked):
    pair.check("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
    blocked.send("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">")
    pair.check("XGROUP", "DESTROY", "s", "g")
    same_reply(blocked)


def test_xreadgroup_noack_blocked(pair, blocked):
    pair.check("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
    blocked.send("XREADGROUP", "GROUP", "g", "c", "NOACK", "BLOCK", "0", "STREAMS", "s", ">")
    pair.check("XADD", "s", "1-1", "a", "1")
    same_reply(blocked)
    pair.check("XPENDING", "s", "g")


def test_blocked_xread_on_key_replaced_by_other_type(pair, blocked):
    pair.check("XADD", "s", "1-1", "a", "1")
    blocked.send("XREAD", "BLOCK", "300", "STREAMS", "s", "$")
    pair.check("DEL", "s")
    pair.check("LPUSH", "s", "x")
    time.sleep(0.4)
    same_reply(blocked)


def test_client_unblock_of_blocked_xread(pair, blocked):
    blocked.send("XREAD", "BLOCK", "0", "STREAMS", "s", "$")
    a = parse(pair.real.call("CLIENT", "LIST", "TYPE", "normal"))
    b = parse(pair.ours.call("CLIENT", "LIST", "TYPE", "normal"))

    def blocked_id(text):
        for line in text.decode().splitlines():
            if "cmd=xread" in line:
                return line.split()[0].split("=")[1]
    pair.real.call("CLIENT", "UNBLOCK", blocked_id(a), "ERROR")
    pair.ours.call("CLIENT", "UNBLOCK", blocked_id(b), "ERROR")
    same_reply(blocked)


def test_blocked_xreadgroup_when_key_deleted_and_recreated(pair, blocked):
    pair.check("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
    blocked.send("XREADGROUP", "GROUP", "g", "c", "BLOCK", "300", "STREAMS", "s", ">")
    pair.check("DEL", "s")
    pair.check("XADD", "s", "1-1", "a", "1")
    time.sleep(0.4)
    same_reply(blocked)


def test_blocked_xreadgroup_when_key_overwritten_or_renamed(pair, blocked):
    pair.check("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
    blocked.send("XREADGROUP", "GROUP", "g", "c", "BLOCK", "300", "STREAMS", "s", ">")
    pair.check("SET", "s", "x")
    time.sleep(0.4)
    same_reply(blocked)
    pair.check("XGROUP", "CREATE", "t", "g", "$", "MKSTREAM")
    blocked.send("XREADGROUP", "GROUP", "g", "c", "BLOCK", "300", "STREAMS", "t", ">")
    pair.check("RENAME", "t", "u")
    time.sleep(0.4)
    same_reply(blocked)


def test_blocked_xread_is_not_woken_by_delete(pair, blocked):
    pair.check("XADD", "s", "1-1", "a", "1")
    blocked.send("XREAD", "BLOCK", "300", "STREAMS", "s", "$")
    pair.check("DEL", "s")
    time.sleep(0.4)
    assert same_reply(blocked) is None


def test_killed_blocked_reader_leaves_others_served(pair, blocked):
    pair.check("XADD", "s", "1-1", "a", "1")
    gone = Blocked(pair)
    gone.send("XREAD", "BLOCK", "0", "STREAMS", "s", "$")
    gone.close()
    time.sleep(0.1)
    blocked.send("XREAD", "BLOCK", "0", "STREAMS", "s", "$")
    pair.check("XADD", "s", "2-1", "b", "2")
    same_reply(blocked)
    a, b = pair.both("INFO", "clients")
    assert b"blocked_clients:0" in a and b"blocked_clients:0" in b


@pytest.mark.parametrize("how", [("FLUSHALL",), ("FLUSHDB",), ("SWAPDB", "0", "1"),
                                 ("PEXPIRE", "s", "1")])
def test_blocked_xreadgroup_when_stream_flushed_swapped_or_expired(pair, blocked, how):
    pair.check("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
    blocked.send("XREADGROUP", "GROUP", "g", "c", "BLOCK", "500", "STREAMS", "s", ">")
    pair.check(*how)
    time.sleep(0.1)
    pair.check("EXISTS", "s")
    time.sleep(0.6)
    same_reply(blocked)


def test_blocked_multi_key_xread_is_served_from_the_first_ready_key(pair, blocked):
    pair.check("XADD", "a", "1-1", "x", "1")
    pair.check("XADD", "b", "1-1", "x", "1")
    blocked.send("XREAD", "BLOCK", "0", "STREAMS", "a", "b", "$", "$")
    pair.check("MULTI")
    pair.check("XADD", "b", "2-1", "y", "2")
    pair.check("XADD", "a", "2-1", "y", "2")
    pair.check("EXEC")
    assert same_reply(blocked) == [[b"b", [[b"2-1", [b"y", b"2"]]]]]


def test_blocked_multi_key_xreadgroup_is_served_from_the_first_ready_key(pair, blocked):
    for k in ("a", "b"):
        pair.check("XGROUP", "CREATE", k, "g", "$", "MKSTREAM")
    blocked.send("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "a", "b", ">", ">")
    pair.check("MULTI")
    pair.check("XADD", "b", "2-1", "y", "2")
    pair.check("XADD", "a", "2-1", "y", "2")
    pair.check("EXEC")
    same_reply(blocked)
    check = pair.check
    check("XPENDING", "a", "g")
    check("XPENDING", "b", "g")


def test_blocked_reader_served_when_new_entry_was_already_deleted(pair, blocked):
    pair.check("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
    pair.check("XADD", "s", "1-1", "x", "1")
    other = Blocked(pair)
    try:
        blocked.send("XREAD", "BLOCK", "0", "STREAMS", "s", "$")
        other.send("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">")
        pair.check("MULTI")
        pair.check("XADD", "s", "2-1", "y", "2")
        pair.check("XDEL", "s", "2-1")
        pair.check("EXEC")
        same_reply(blocked)
        same_reply(other)
        check_info = pair.check
        check_info("XINFO", "GROUPS", "s")
    finally:
        other.close()
