"""Differential helper: one connection to each of two servers, the same
command sent to both, replies compared as raw bytes."""
from collections import Counter

from .resp import Error, RespClient, parse


def _canonical(value):
    """A hashable, order-free form of a parsed reply."""
    if isinstance(value, dict):
        return ("map", frozenset(Counter((_canonical(k), _canonical(v))
                                         for k, v in value.items()).items()))
    if isinstance(value, (list, tuple)):
        return ("multiset", frozenset(Counter(_canonical(v) for v in value).items()))
    return value


def _show(cmd):
    return " ".join(repr(c) if not isinstance(c, str) else c for c in cmd)


class Pair(object):
    def __init__(self, real, ours):
        self.real_server = real
        self.ours_server = ours
        self.real = RespClient(port=real.port)
        self.ours = RespClient(port=ours.port)

    def close(self):
        self.real.close()
        self.ours.close()

    def connect(self):
        """A second Pair of connections to the same two servers."""
        return Pair(self.real_server, self.ours_server)

    def both(self, *cmd):
        """Send to both; return (real_reply, ours_reply) without comparing."""
        return self.real.call(*cmd), self.ours.call(*cmd)

    def check(self, *cmd):
        """Send to both and require byte-identical replies; returns the reply."""
        a, b = self.both(*cmd)
        if a != b:
            raise AssertionError("%s -> ours %r != real %r" % (_show(cmd), b, a))
        return a

    def check_parsed(self, *cmd):
        return parse(self.check(*cmd))

    def check_unordered(self, *cmd):
        """For replies whose element order is unspecified (KEYS, SMEMBERS...):
        compare as multisets, recursively.  Returns the parsed real reply."""
        a, b = self.both(*cmd)
        pa, pb = parse(a), parse(b)
        if _canonical(pa) != _canonical(pb):
            raise AssertionError("%s -> ours %r != real %r (unordered)" % (_show(cmd), b, a))
        return pa

    def check_raw(self, data, chunks=None, timeout=3.0):
        """Send raw bytes on fresh connections to both servers and compare
        everything received until each server closes the connection (or
        `timeout` passes: then the marker b'<OPEN>' ends the bytes)."""
        ra = RespClient(port=self.real_server.port)
        rb = RespClient(port=self.ours_server.port)
        try:
            for conn in (ra, rb):
                for piece in (chunks or [data]):
                    try:
                        conn.send_raw(piece)
                    except (BrokenPipeError, ConnectionResetError):
                        break  # the server gave up on us; compare what it said
            a = ra.read_until_close(timeout)
            b = rb.read_until_close(timeout)
        finally:
            ra.close()
            rb.close()
        if a != b:
            raise AssertionError("raw %r -> ours %r != real %r" % (data[:80], b[:300], a[:300]))
        return a

    def is_error(self, raw):
        return isinstance(parse(raw), Error)
