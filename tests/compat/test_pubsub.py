"""Differential tests for Pub/Sub (pubsub.pyx): subscription confirmations,
delivered messages (RESP2 arrays and RESP3 pushes), the RESP2 subscriber
mode restrictions and PUBSUB introspection, byte for byte against Redis."""
import time

import pytest

from support.resp import parse

DENIED = (b"-ERR Can't execute '%s': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / "
          b"QUIT / RESET are allowed in this context\r\n")


@pytest.fixture
def sub(pair):
    """A second pair of connections: the subscriber."""
    s = pair.connect()
    yield s
    s.close()


def _pushed(sub):
    """The next message pushed to each subscriber must be the same bytes."""
    a, b = sub.real.read_reply(), sub.ours.read_reply()
    assert a == b, "pushed: ours %r != real %r" % (b, a)
    return a


def _replies(sub, n):
    """n confirmations from each server: Redis walks a client's channels in
    hash order, so the kinds, the channels and the counts are compared each
    as a multiset."""
    a = [parse(sub.real.read_reply()) for _ in range(n)]
    b = [parse(sub.ours.read_reply()) for _ in range(n)]
    for i in range(3):
        assert sorted(r[i] for r in a) == sorted(r[i] for r in b)
    return a


def _send(sub, *cmd):
    sub.real.send(*cmd)
    sub.ours.send(*cmd)


def _wait_numsub(pair, channel, n):
    for _ in range(100):
        if parse(pair.ours.call("PUBSUB", "NUMSUB", channel))[1] == n:
            break
        time.sleep(0.02)
    pair.check("PUBSUB", "NUMSUB", channel)


# --- confirmations -----------------------------------------------------------

def test_subscribe_confirms_each_channel_with_running_count(sub):
    _send(sub, "SUBSCRIBE", "a", "b", "a")
    assert [_pushed(sub) for _ in range(3)][2] == b"*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:2\r\n"


@pytest.mark.parametrize("cmd", ["UNSUBSCRIBE", "PUNSUBSCRIBE", "SUNSUBSCRIBE"])
def test_unsubscribe_without_subscriptions_replies_null_channel(sub, cmd):
    sub.check(cmd)


def test_unsubscribe_without_arguments_drops_every_channel(sub):
    _send(sub, "SUBSCRIBE", "a", "b", "c")
    _replies(sub, 3)
    _send(sub, "UNSUBSCRIBE")
    out = _replies(sub, 3)
    assert sorted(r[2] for r in out) == [0, 1, 2]
    sub.check("UNSUBSCRIBE")


def test_punsubscribe_without_arguments_goes_in_subscription_order(sub):
    _send(sub, "PSUBSCRIBE", "z*", "a*", "m*")
    _replies(sub, 3)
    _send(sub, "PUNSUBSCRIBE")
    for _ in range(3):
        _pushed(sub)


def test_channel_and_pattern_share_a_count_shard_counts_apart(sub):
    _send(sub, "SUBSCRIBE", "a")
    _pushed(sub)
    _send(sub, "PSUBSCRIBE", "p*")
    assert _pushed(sub).endswith(b":2\r\n")
    _send(sub, "SSUBSCRIBE", "s")
    assert _pushed(sub).endswith(b":1\r\n")
    _send(sub, "UNSUBSCRIBE", "a", "nope")
    _pushed(sub)
    _pushed(sub)
    _send(sub, "SUNSUBSCRIBE", "s")
    _pushed(sub)


# --- delivery ----------------------------------------------------------------

def test_publish_delivers_message_and_counts_receivers(pair, sub):
    _send(sub, "SUBSCRIBE", "news")
    _pushed(sub)
    pair.check("PUBLISH", "news", "hello")
    assert _pushed(sub) == b"*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$5\r\nhello\r\n"
    pair.check("PUBLISH", "other", "x")


def test_pattern_subscriber_gets_pmessage(pair, sub):
    _send(sub, "PSUBSCRIBE", "n*s")
    _pushed(sub)
    pair.check("PUBLISH", "news", "hi")
    _pushed(sub)


def test_channel_and_pattern_both_deliver(pair, sub):
    _send(sub, "SUBSCRIBE", "news")
    _pushed(sub)
    _send(sub, "PSUBSCRIBE", "ne*")
    _pushed(sub)
    assert parse(pair.check("PUBLISH", "news", "m")) == 2
    _pushed(sub)
    _pushed(sub)


@pytest.mark.parametrize("pattern", ["h?llo", "h[ae]llo", "h[^e]llo", "h[a-b]llo", "h\\*llo",
                                     "*", "H*", "h*o", "[", "h[", "h[b-a]llo", "hel\\lo"])
def test_pattern_matching_is_redis_glob(pair, sub, pattern):
    _send(sub, "PSUBSCRIBE", pattern)
    _pushed(sub)
    for channel in ["hello", "hallo", "hbllo", "h*llo", "hllo", "H", "["]:
        if pair.check("PUBLISH", channel, "m") != b":0\r\n":
            _pushed(sub)


def test_shard_channels_are_a_separate_name_space(pair, sub):
    _send(sub, "SSUBSCRIBE", "s")
    _pushed(sub)
    pair.check("PUBLISH", "s", "not for shard")
    pair.check("SPUBLISH", "s", "for shard")
    assert _pushed(sub) == b"*3\r\n$8\r\nsmessage\r\n$1\r\ns\r\n$9\r\nfor shard\r\n"


def test_binary_channel_and_message(pair, sub):
    _send(sub, "SUBSCRIBE", b"\x00ch\r\n")
    _pushed(sub)
    pair.check("PUBLISH", b"\x00ch\r\n", b"\xff\x00\r\nmsg")
    _pushed(sub)


# --- subscriber mode -----------------------------------------------------------

def test_resp2_subscriber_may_not_run_other_commands(sub):
    _send(sub, "SUBSCRIBE", "a")
    _pushed(sub)
    assert sub.check("GET", "k") == DENIED % b"get"
    assert sub.check("CLIENT", "INFO") == DENIED % b"client|info"
    sub.check("HELLO", "3")


@pytest.mark.parametrize("args", [(), ("msg",)])
def test_resp2_subscriber_ping_replies_pong_array(sub, args):
    _send(sub, "PSUBSCRIBE", "x*")
    _pushed(sub)
    sub.check("PING", *args)


def test_reset_leaves_subscriber_mode(pair, sub):
    _send(sub, "SUBSCRIBE", "a")
    _pushed(sub)
    sub.check("RESET")
    sub.check("GET", "k")
    pair.check("PUBSUB", "NUMSUB", "a")
    pair.check("PUBLISH", "a", "x")


def test_disconnect_drops_subscriptions(pair):
    s = pair.connect()
    s.both("SUBSCRIBE", "gone")
    s.both("PSUBSCRIBE", "gone*")
    s.close()
    _wait_numsub(pair, "gone", 0)
    pair.check("PUBSUB", "NUMPAT")


def test_resp3_pushes_interleave_with_replies(pair, sub):
    sub.both("HELLO", "3")
    _send(sub, "SUBSCRIBE", "a")
    assert _pushed(sub).startswith(b">3\r\n")
    sub.check("SET", "k", "v")
    sub.check("PING")
    pair.check("PUBLISH", "a", "m1")
    _send(sub, "GET", "k")
    _pushed(sub)
    _pushed(sub)
    sub.check("UNSUBSCRIBE")
    sub.check("UNSUBSCRIBE")


def test_resp3_publisher_subscribed_to_its_own_channel(sub):
    sub.both("HELLO", "3")
    _send(sub, "SUBSCRIBE", "me")
    _pushed(sub)
    _send(sub, "PUBLISH", "me", "hi")
    _pushed(sub)
    _pushed(sub)


# --- introspection ---------------------------------------------------------------

def test_pubsub_channels_numsub_numpat(pair, sub):
    _send(sub, "SUBSCRIBE", "news.a", "news.b", "other")
    _replies(sub, 3)
    _send(sub, "PSUBSCRIBE", "p1", "p2")
    _replies(sub, 2)
    pair.check_unordered("PUBSUB", "CHANNELS")
    pair.check_unordered("PUBSUB", "CHANNELS", "news.*")
    pair.check("PUBSUB", "CHANNELS", "nothing*")
    pair.check("PUBSUB", "NUMSUB", "news.a", "missing", "other")
    pair.check("PUBSUB", "NUMSUB")
    pair.check("PUBSUB", "NUMPAT")


def test_pubsub_shard_introspection(pair, sub):
    _send(sub, "SSUBSCRIBE", "s1", "s2")
    _replies(sub, 2)
    pair.check_unordered("PUBSUB", "SHARDCHANNELS")
    pair.check("PUBSUB", "SHARDCHANNELS", "s1")
    pair.check("PUBSUB", "SHARDNUMSUB", "s1", "x")
    pair.check("PUBSUB", "CHANNELS")


@pytest.mark.parametrize("args", [("HELP",), ("HELP", "x"), ("NUMPAT", "x"), ("nosuch",), ()])
def test_pubsub_help_and_errors(pair, args):
    pair.check("PUBSUB", *args)


@pytest.mark.parametrize("cmd", [("SUBSCRIBE",), ("PSUBSCRIBE",), ("SSUBSCRIBE",),
                                 ("PUBLISH", "a"), ("SPUBLISH", "a", "b", "c")])
def test_arity_errors(pair, cmd):
    pair.check(*cmd)


def test_info_counts_channels_and_patterns(pair, sub):
    _send(sub, "SUBSCRIBE", "a", "b")
    _replies(sub, 2)
    _send(sub, "PSUBSCRIBE", "p*")
    _pushed(sub)
    _send(sub, "SSUBSCRIBE", "s")
    _pushed(sub)

    def fields(raw):
        return [line for line in parse(raw).decode().split("\r\n") if line.startswith("pubsub")]
    a, b = pair.both("INFO", "stats")
    assert fields(a) == fields(b) == ["pubsub_channels:2", "pubsub_patterns:1",
                                      "pubsubshard_channels:1"]


def test_client_list_shows_subscriptions_and_flag(pair, sub):
    sub.both("HELLO", "3")
    _send(sub, "SUBSCRIBE", "a", "b")
    _replies(sub, 2)
    _send(sub, "PSUBSCRIBE", "p*")
    _pushed(sub)

    def fields(raw):
        words = dict(w.split("=", 1) for w in parse(raw).decode().split())
        return {k: words[k] for k in ("flags", "sub", "psub", "ssub")}
    a, b = sub.both("CLIENT", "INFO")
    assert fields(a) == fields(b) == {"flags": "P", "sub": "2", "psub": "1", "ssub": "0"}


def _client_ids(raw):
    return sorted(int(w[3:]) for w in parse(raw).decode().split() if w.startswith("id="))


def test_client_list_type_pubsub_and_normal(pair, sub):
    _send(sub, "SUBSCRIBE", "a")
    _pushed(sub)
    for t in ("pubsub", "normal"):
        a, b = pair.both("CLIENT", "LIST", "TYPE", t)
        assert len(_client_ids(a)) == len(_client_ids(b)) == 1


def test_client_kill_type_pubsub(pair, sub):
    _send(sub, "SUBSCRIBE", "a")
    _pushed(sub)
    pair.check("CLIENT", "KILL", "TYPE", "pubsub")
    assert sub.real.is_closed() and sub.ours.is_closed()
    _wait_numsub(pair, "a", 0)


def test_resp3_introspection_and_unsubscribe_replies(pair, sub):
    pair.both("HELLO", "3")
    sub.both("HELLO", "3")
    _send(sub, "SUBSCRIBE", "a")
    _pushed(sub)
    pair.check("PUBSUB", "NUMSUB", "a", "b")
    pair.check("PUBSUB", "CHANNELS")
    pair.check("PUBSUB", "SHARDNUMSUB", "a")
    pair.check("PUBSUB", "HELP")
    sub.check("PUNSUBSCRIBE")
    sub.check("SUNSUBSCRIBE")
    sub.check("PING")
    sub.check("PING", "x")
