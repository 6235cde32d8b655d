"""A raw RESP client for tests.

Replies are returned as the exact bytes the server sent, so differential
tests can compare two servers byte for byte.  `reply_end` knows the RESP2 and
RESP3 framing well enough to find where one reply ends; `parse` turns raw
bytes into Python values for tests that compare structure instead of bytes.
"""
import socket

CRLF = b"\r\n"

# Types whose payload is one line after the type byte.
LINE_TYPES = b"+-:_,#("
# Types whose payload is a length-prefixed blob.
BLOB_TYPES = b"$!="
# Aggregates: element count multiplier (maps hold key and value per entry).
AGG_TYPES = {ord("*"): 1, ord("~"): 1, ord(">"): 1, ord("%"): 2, ord("|"): 2}


class ProtocolError(Exception):
    pass


def reply_end(buf, pos=0):
    """Index just past the reply starting at buf[pos], or None if incomplete."""
    if pos >= len(buf):
        return None
    eol = buf.find(CRLF, pos)
    if eol < 0:
        return None
    kind = buf[pos]
    if kind in LINE_TYPES:
        return eol + 2
    if kind in BLOB_TYPES:
        n = int(buf[pos + 1:eol])
        if n < 0:
            return eol + 2
        end = eol + 2 + n + 2
        return end if end <= len(buf) else None
    if kind in AGG_TYPES:
        n = int(buf[pos + 1:eol])
        cur = eol + 2
        for _ in range(max(n, 0) * AGG_TYPES[kind]):
            cur = reply_end(buf, cur)
            if cur is None:
                return None
        if kind == ord("|"):
            # An attribute is metadata that precedes the actual reply.
            return reply_end(buf, cur)
        return cur
    raise ProtocolError("unknown RESP type byte %r in %r" % (bytes([kind]), buf[pos:pos + 40]))


class Error(object):
    """A parsed error reply (kept as a value, not raised)."""

    def __init__(self, message):
        self.message = message

    def __eq__(self, other):
        return isinstance(other, Error) and other.message == self.message

    def __hash__(self):
        return hash(self.message)

    def __repr__(self):
        return "Error(%r)" % (self.message,)


class Map(dict):
    pass


def _parse(buf, pos):
    eol = buf.find(CRLF, pos)
    kind = chr(buf[pos])
    head = buf[pos + 1:eol]
    nxt = eol + 2
    if kind == "+":
        return head, nxt
    if kind == "-":
        return Error(head), nxt
    if kind in ":(":
        return int(head), nxt
    if kind == "_":
        return None, nxt
    if kind == ",":
        return float(head), nxt
    if kind == "#":
        return head == b"t", nxt
    if kind in "$!=":
        n = int(head)
        if n < 0:
            return None, nxt
        data = buf[nxt:nxt + n]
        if kind == "!":
            data = Error(data)
        elif kind == "=":
            data = data[4:]  # drop the "txt:" format prefix
        return data, nxt + n + 2
    if kind in "*~>":
        n = int(head)
        if n < 0:
            return None, nxt
        items = []
        for _ in range(n):
            item, nxt = _parse(buf, nxt)
            items.append(item)
        return items, nxt
    if kind in "%|":
        n = int(head)
        out = Map()
        for _ in range(n):
            k, nxt = _parse(buf, nxt)
            v, nxt = _parse(buf, nxt)
            out[k if not isinstance(k, list) else tuple(k)] = v
        if kind == "|":
            return _parse(buf, nxt)
        return out, nxt
    raise ProtocolError("unknown RESP type %r" % kind)


def parse(raw):
    """Parse one complete raw reply into Python values."""
    value, end = _parse(raw, 0)
    if end != len(raw):
        raise ProtocolError("trailing bytes after reply: %r" % raw[end:])
    return value


def encode_command(args):
    """Encode a command as a RESP multibulk request."""
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        if isinstance(a, str):
            a = a.encode()
        elif isinstance(a, int):
            a = str(a).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


class RespClient(object):
    """One connection; every method works on raw bytes."""

    def __init__(self, host="127.0.0.1", port=6379, timeout=10.0, unix_path=None):
        if unix_path:
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.sock.settimeout(timeout)
            self.sock.connect(unix_path)
        else:
            self.sock = socket.create_connection((host, port), timeout=timeout)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def send(self, *args):
        self.sock.sendall(encode_command(args))

    def send_raw(self, data):
        self.sock.sendall(data)

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("connection closed by server; buffered: %r" % self.buf[:200])
        self.buf += chunk

    def read_reply(self):
        """Read exactly one complete reply and return its raw bytes."""
        while True:
            end = reply_end(self.buf)
            if end is not None:
                raw, self.buf = self.buf[:end], self.buf[end:]
                return raw
            self._fill()

    def call(self, *args):
        self.send(*args)
        return self.read_reply()

    def call_parsed(self, *args):
        return parse(self.call(*args))

    def read_until_close(self, timeout=5.0):
        """All bytes until the server closes the connection (or `timeout`
        seconds pass without it closing, in which case what arrived is
        returned with the marker b'<OPEN>' appended)."""
        self.sock.settimeout(timeout)
        data, self.buf = self.buf, b""
        while True:
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                return data + b"<OPEN>"
            except ConnectionResetError:
                return data
            if not chunk:
                return data
            data += chunk

    def is_closed(self, timeout=2.0):
        """True if the server closed the connection within `timeout`."""
        self.sock.settimeout(timeout)
        try:
            chunk = self.sock.recv(65536)
        except socket.timeout:
            return False
        except ConnectionResetError:
            return True
        self.buf += chunk
        return not chunk
