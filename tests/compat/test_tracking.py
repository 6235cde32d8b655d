"""Differential tests for client-side caching: CLIENT TRACKING in its
modes, CLIENT CACHING / GETREDIR / TRACKINGINFO, and the invalidation
messages themselves (RESP3 pushes, RESP2 redirection through
__redis__:invalidate), byte for byte against a real redis-server.

Each scenario runs on fresh connections to one server and returns every
raw reply and push it read, in order; the two lists must be equal (client
ids, which differ between servers, are masked)."""
import re

import pytest

from support.resp import RespClient


def conn(server, resp3=True):
    c = RespClient(port=server.port)
    if resp3:
        c.call("HELLO", "3")
    return c


def cid(c):
    return int(c.call("CLIENT", "ID")[1:-2])


def nothing_pending(c):
    """PING answers next: no push was queued before it."""
    return c.call("PING")


def run_both(pair, scenario):
    out = []
    for server in (pair.real_server, pair.ours_server):
        pair.real.call("FLUSHALL") if server is pair.real_server else pair.ours.call("FLUSHALL")
        out.append([re.sub(rb":\d{1,6}\r\n", b":<n>\r\n", r) if b"redir" in r else r
                    for r in scenario(server)])
    assert out[0] == out[1]
    return out[1]


@pytest.mark.parametrize("args", [
    (), ("foo",), ("on", "foo"), ("on", "prefix", "a"), ("on", "bcast", "optin"),
    ("on", "optin", "optout"), ("on", "redirect", "999999"), ("on", "redirect", "x"),
    ("on", "bcast", "prefix", "a", "prefix", "ab"), ("on", "bcast", "prefix", "ab", "prefix", "a"),
    ("on", "redirect"), ("on", "prefix"), ("off",), ("off", "bcast"),
])
def test_tracking_arguments(pair, args):
    pair.check("CLIENT", "TRACKING", *args)
    pair.check("CLIENT", "TRACKING", "off")


@pytest.mark.parametrize("args", [("yes",), ("no",), ("x",), ("yes", "x")])
def test_caching_without_tracking(pair, args):
    pair.check("CLIENT", "CACHING", *args)


def test_getredir_and_trackinginfo_when_off(pair):
    pair.check("CLIENT", "GETREDIR")
    pair.check("CLIENT", "TRACKINGINFO")


def test_a_read_key_is_invalidated_once_when_another_client_writes_it(pair):
    def scenario(server):
        t, w = conn(server), conn(server, resp3=False)
        out = [t.call("CLIENT", "TRACKING", "on"), t.call("GET", "k"), t.call("MGET", "a", "b")]
        w.call("SET", "k", "1")
        out.append(t.read_reply())
        w.call("SET", "k", "2")                 # forgotten after the first message
        w.call("MSET", "a", "1", "b", "2")
        out += [t.read_reply(), t.read_reply(), nothing_pending(t)]
        return out
    replies = run_both(pair, scenario)
    assert replies[3] == b">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nk\r\n"


def test_the_clients_own_write_is_invalidated_after_its_reply(pair):
    def scenario(server):
        t = conn(server)
        out = [t.call("CLIENT", "TRACKING", "on"), t.call("GET", "k"), t.call("SET", "k", "v"),
               t.read_reply(), t.call("GET", "k"), t.call("INCR", "n"), nothing_pending(t)]
        return out
    run_both(pair, scenario)


def test_noloop_skips_the_clients_own_writes(pair):
    def scenario(server):
        t, w = conn(server), conn(server)
        out = [t.call("CLIENT", "TRACKING", "on", "noloop"), t.call("GET", "k"),
               t.call("SET", "k", "mine"), nothing_pending(t), t.call("GET", "k")]
        w.call("DEL", "k")
        out += [t.read_reply(), t.call("CLIENT", "TRACKINGINFO")]
        return out
    run_both(pair, scenario)


def test_flush_invalidates_everything_with_null(pair):
    def scenario(server):
        t, w = conn(server), conn(server)
        out = [t.call("CLIENT", "TRACKING", "on"), t.call("GET", "k")]
        w.call("FLUSHDB")
        out += [t.read_reply(), t.call("GET", "k"), t.call("FLUSHALL"), t.read_reply()]
        return out
    run_both(pair, scenario)


def test_optin_tracks_only_after_caching_yes(pair):
    def scenario(server):
        t, w = conn(server), conn(server)
        out = [t.call("CLIENT", "TRACKING", "on", "optin"), t.call("CLIENT", "CACHING", "yes"),
               t.call("GET", "a"), t.call("GET", "b"), t.call("CLIENT", "CACHING", "no"),
               t.call("CLIENT", "TRACKINGINFO")]
        w.call("SET", "b", "1")
        w.call("SET", "a", "1")
        out += [t.read_reply(), nothing_pending(t)]
        return out
    run_both(pair, scenario)


def test_optout_tracks_all_but_after_caching_no(pair):
    def scenario(server):
        t, w = conn(server), conn(server)
        out = [t.call("CLIENT", "TRACKING", "on", "optout"), t.call("CLIENT", "CACHING", "no"),
               t.call("GET", "a"), t.call("GET", "b"), t.call("CLIENT", "TRACKING", "on", "optin")]
        w.call("SET", "a", "1")
        w.call("SET", "b", "1")
        out += [t.read_reply(), nothing_pending(t)]
        return out
    run_both(pair, scenario)


def test_bcast_sends_the_keys_under_its_prefixes(pair):
    def scenario(server):
        t, w = conn(server), conn(server)
        out = [t.call("CLIENT", "TRACKING", "on", "bcast", "prefix", "user:", "prefix", "cfg"),
               t.call("CLIENT", "TRACKING", "on", "bcast", "prefix", "us"),
               t.call("CLIENT", "TRACKING", "on"), t.call("CLIENT", "TRACKINGINFO")]
        w.call("SET", "other", "1")
        w.call("SET", "user:1", "1")
        out.append(t.read_reply())
        w.call("MSET", "cfg1", "x", "cfg2", "y")
        out += [t.read_reply(), nothing_pending(t)]
        return out
    run_both(pair, scenario)


def test_resp2_redirection_through_the_invalidate_channel(pair):
    def scenario(server):
        r, t, w = conn(server, False), conn(server, False), conn(server, False)
        rid = cid(r)
        out = [r.call("SUBSCRIBE", "__redis__:invalidate"),
               t.call("CLIENT", "TRACKING", "on", "redirect", str(rid)),
               t.call("CLIENT", "GETREDIR").replace(b"%d" % rid, b"<rid>"), t.call("GET", "x")]
        w.call("SET", "x", "1")
        out.append(r.read_reply())
        t.call("GET", "x")
        w.call("FLUSHALL")
        out += [r.read_reply(), t.call("CLIENT", "TRACKINGINFO")]
        return out
    run_both(pair, scenario)


def test_a_vanished_redirect_client_is_reported(pair):
    def scenario(server):
        r, t, w = conn(server), conn(server), conn(server)
        out = [t.call("CLIENT", "TRACKING", "on", "redirect", str(cid(r))), t.call("GET", "x")]
        r.call("QUIT")
        r.close()
        w.call("SET", "x", "1")
        out += [t.read_reply(), t.call("CLIENT", "TRACKINGINFO")]
        return out
    run_both(pair, scenario)


def test_tracking_flags_in_client_list(pair):
    def scenario(server):
        t = conn(server, False)
        t.call("CLIENT", "TRACKING", "on", "bcast")
        line = t.call("CLIENT", "INFO")
        return [re.search(rb"flags=\S+", line).group(0), re.search(rb"redir=\S+", line).group(0)]
    run_both(pair, scenario)
