"""Writing pyredis commands in Python.

A module is a Python file loaded with `loadmodule /path/mod.py` (redis.conf
or `--loadmodule`) or `MODULE LOAD /path/mod.py [arg ...]`:

    from pyredis.modules import command

    MODULE_NAME = "demo"          # optional: the file's stem by default
    MODULE_VERSION = 1            # optional

    @command("demo.double", arity=2, flags="write", first_key=1, last_key=1, step=1)
    def double(ctx, key):
        value = int(ctx.get(key) or 0) * 2
        ctx.set(key, value)
        return value

The handler gets a Context and the command's arguments (bytes, without the
command name) and returns the reply: None (null), int, float, bytes or str
(bulk), bool, list/tuple (array), dict (map), set, or Status("OK") for a
simple string.  Raising CommandError("CODE message") answers that error;
any other exception answers -ERR and is logged: the server goes on.

The data is reached through the context: ctx.call("SET", k, v) runs any
command and returns its reply as a Python value (errors raise ReplyError),
and the typed helpers (ctx.get/set/delete, ctx.key(k).as_list()/as_hash()/
as_set()/as_zset()) are built on it.  Every change therefore goes through the
server's command path: keyspace notifications, WATCH, dirty counting,
AOF and replication (the commands a module command ran are propagated,
wrapped in MULTI/EXEC when there are several, never the module command
itself, so replicas and AOF loading do not need the module).

Optional hooks: on_load(args) runs at load with the module arguments (an
exception fails the load), on_unload() at MODULE UNLOAD.
"""
import traceback

__all__ = ["command", "Context", "CommandError", "ReplyError", "Status", "Key"]

# flags: redis.conf-module spellings (RedisModule_CreateCommand's) and the
# command table's own names -> the table's names
_FLAGS = {
    "write": "write", "readonly": "readonly", "admin": "admin", "fast": "fast",
    "pubsub": "pubsub", "deny-oom": "denyoom", "denyoom": "denyoom",
    "deny-script": "noscript", "noscript": "noscript",
    "allow-loading": "loading", "loading": "loading",
    "allow-stale": "stale", "stale": "stale",
    "no-monitor": "skip_monitor", "no-slowlog": "skip_slowlog",
    "no-auth": "no_auth", "may-replicate": "may_replicate",
    "no-mandatory-keys": "no_mandatory_keys", "allow-busy": "allow_busy",
    "no-multi": "no_multi", "random": None,
}
# ACL categories in the order Redis lists them
_CATEGORIES = ("keyspace", "read", "write", "set", "sortedset", "list", "hash", "string",
               "bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow",
               "blocking", "dangerous", "connection", "transaction", "scripting")

_pending = []     # commands declared by the module file being imported


class CommandError(Exception):
    """Raise to answer an error: "CODE message" is sent as is when it
    starts with an upper-case code, else with the ERR code."""

    def reply_text(self):
        text = str(self.args[0]) if self.args else "ERR"
        text = " ".join(text.splitlines()) or "ERR"
        code = text.split(" ", 1)[0]
        return text if code.isupper() and code.isalpha() else "ERR " + text


class ReplyError(CommandError):
    """An error reply of a command run with ctx.call(); uncaught, it
    becomes the module command's reply."""


class CommandSpec:
    __slots__ = ("name", "arity", "flags", "first_key", "last_key", "step", "acl_categories",
                 "summary", "handler")

    def __init__(self, name, arity, flags, first_key, last_key, step, acl_categories, summary,
                 handler):
        self.name = name.lower()
        self.arity = arity
        self.flags = flags
        self.first_key, self.last_key, self.step = first_key, last_key, step
        self.acl_categories = acl_categories
        self.summary = summary
        self.handler = handler

    def table_flags(self):
        out = []
        for f in self.flags.split():
            if f.lower() not in _FLAGS:
                raise ValueError("unknown command flag %r" % f)
            mapped = _FLAGS[f.lower()]
            if mapped and mapped not in out:
                out.append(mapped)
        return out

    def categories(self):
        """Implicit categories from the flags (as Redis's
        setImplicitACLCategories), plus the declared ones."""
        flags = self.table_flags()
        cats = set()
        for c in self.acl_categories.replace(",", " ").split():
            c = c.lower().lstrip("@")
            if c not in _CATEGORIES:
                raise ValueError("unknown ACL category %r" % c)
            cats.add(c)
        if "write" in flags:
            cats.add("write")
        if "readonly" in flags:
            cats.add("read")
        if "admin" in flags:
            cats.update(("admin", "dangerous"))
        if "pubsub" in flags:
            cats.add("pubsub")
        if "fast" in flags:
            cats.add("fast")
        if "fast" not in cats:
            cats.add("slow")
        return " ".join("@" + c for c in _CATEGORIES if c in cats)

    def meta(self, module_name):
        """COMMAND INFO key specs and COMMAND DOCS entries, in commands.json's
        encoding: one full-access range spec from first/last/step, as
        Redis gives a module command."""
        specs = []
        if self.first_key:
            last = self.last_key if self.last_key < 0 else self.last_key - self.first_key
            specs.append({"%": [
                "$flags", {"~": ["+RW", "+access", "+update"]},
                "$begin_search", {"%": ["$type", "$index", "$spec", {"%": ["$index", self.first_key]}]},
                "$find_keys", {"%": ["$type", "$range", "$spec",
                                     {"%": ["$lastkey", last, "$keystep", self.step, "$limit", 0]}]},
            ]})
        docs = ["$summary", "$" + self.summary] if self.summary else []
        docs += ["$group", "$module", "$module", "$" + module_name]
        return {"docs": {"%": docs}, "key_specs": {"~": specs}, "tips": {"~": []}}


def command(name, arity, flags="", first_key=0, last_key=0, step=0, acl_categories="",
            summary=""):
    """Declare a module command.  arity follows Redis's sign convention
    (N exactly, -N at least N, the name included); flags are Redis's module
    command flags ("write", "readonly", "deny-oom", "fast", "admin", ...);
    first_key/last_key/step locate the keys (last_key -1: the last
    argument); acl_categories adds categories to the implicit ones."""
    if not isinstance(arity, int) or arity == 0:
        raise ValueError("arity must be a non-zero integer (N: exactly N, -N: at least N)")
    if first_key < 0 or (first_key == 0 and (last_key or step)) or \
            (first_key > 0 and (step < 1 or 0 <= last_key < first_key)):
        raise ValueError("invalid key positions first_key=%r last_key=%r step=%r"
                         % (first_key, last_key, step))

    def register(fn):
        spec = CommandSpec(name, arity, flags, first_key, last_key, step, acl_categories, summary, fn)
        spec.table_flags()      # unknown flags fail at import, with the module's name
        spec.categories()
        _pending.append(spec)
        fn.pyredis_command = spec
        return fn
    return register


def take_pending():
    """The commands declared since the last call (the loader's side)."""
    out = list(_pending)
    del _pending[:]
    return out


def Status(text):
    """A simple-string reply (+text), e.g. Status("OK")."""
    from ._core.core import Status as _Status
    return _Status(text)


# --- replies of ctx.call(): RESP3 -> Python --------------------------------

def _line(buf, pos):
    end = buf.index(b"\r\n", pos)
    return buf[pos:end], end + 2


def parse_reply(buf, pos=0):
    """One RESP3 value at buf[pos:]: (value, next position).  Errors come
    back as ReplyError instances (not raised), so an error nested in an
    array stays in place."""
    kind = buf[pos:pos + 1]
    text, pos = _line(buf, pos + 1)
    if kind == b"+":
        return text.decode("utf-8", "surrogateescape"), pos
    if kind in (b"-", b"!"):
        if kind == b"!":
            n = int(text)
            text, pos = buf[pos:pos + n], pos + n + 2
        return ReplyError(text.decode("utf-8", "surrogateescape")), pos
    if kind in (b":", b"("):
        return int(text), pos
    if kind in (b"$", b"="):
        n = int(text)
        if n < 0:
            return None, pos
        data = buf[pos:pos + n]
        return (data[4:] if kind == b"=" else data), pos + n + 2
    if kind == b"_":
        return None, pos
    if kind == b",":
        return float(text), pos
    if kind == b"#":
        return text == b"t", pos
    if kind in (b"*", b"~", b">"):
        n = int(text)
        if n < 0:
            return None, pos
        items = []
        for _ in range(n):
            v, pos = parse_reply(buf, pos)
            items.append(v)
        if kind == b"~":
            return set(x if not isinstance(x, list) else tuple(x) for x in items), pos
        return items, pos
    if kind in (b"%", b"|"):
        out = {}
        for _ in range(int(text)):
            k, pos = parse_reply(buf, pos)
            v, pos = parse_reply(buf, pos)
            out[k if not isinstance(k, list) else tuple(k)] = v
        return out, pos
    raise ValueError("unexpected reply type %r" % kind)


def _arg(v):
    if isinstance(v, bytes):
        return v
    if isinstance(v, str):
        return v.encode("utf-8", "surrogateescape")
    if isinstance(v, bool):
        return b"1" if v else b"0"
    if isinstance(v, (int, float)):
        return repr(v).encode() if isinstance(v, float) else str(v).encode()
    if isinstance(v, (bytearray, memoryview)):
        return bytes(v)
    raise TypeError("a command argument must be bytes, str, int or float, not %s"
                    % type(v).__name__)


# --- the context --------------------------------------------------------------

class Context:
    """What a module command's handler works with."""

    def __init__(self, name, argv, db, resp):
        self.name = name        # the command's name, lower case
        self.argv = argv        # the whole request, bytes, name first
        self.db = db            # the client's database number
        self.resp = resp        # the client's protocol (2 or 3)

    def call(self, *args):
        """Run a command (name and arguments: bytes, str, int or float) in
        the client's database; its reply as a Python value (bulk -> bytes,
        status -> str, integer -> int, array -> list, map -> dict, set ->
        set, double -> float, null -> None).  An error reply raises
        ReplyError."""
        from ._core import core
        try:
            raw = core.module_call([_arg(a) for a in args])
        except ValueError as e:
            raise ReplyError(str(e)) from None
        value, _ = parse_reply(raw)
        if isinstance(value, ReplyError):
            raise value
        return value

    def notify(self, event, key, type="module"):
        """Publish a keyspace event (class "module" (d) by default, or a
        notify-keyspace-events letter/name such as "generic", "$", "hash")."""
        from ._core import core
        bit = _NOTIFY_CLASSES.get(type)
        if bit is None:
            raise ValueError("unknown keyspace event class %r" % type)
        core.module_notify(bit, _arg(event), _arg(key))

    def log(self, message, level="notice"):
        """Write to the server log ("debug", "verbose", "notice", "warning")."""
        from .log import log
        if level not in ("debug", "verbose", "notice", "warning"):
            raise ValueError("unknown log level %r" % level)
        getattr(log, level)(str(message))

    # typed access ---------------------------------------------------------

    def key(self, name):
        return Key(self, name)

    def get(self, key):
        """The string at key (bytes), None when missing."""
        return self.call("GET", key)

    def set(self, key, value, px=None, keepttl=False):
        """Set the string at key; px: time to live in ms."""
        args = ["SET", key, value]
        if px is not None:
            args += ["PX", px]
        elif keepttl:
            args.append("KEEPTTL")
        self.call(*args)

    def delete(self, *keys):
        return self.call("DEL", *keys)

    def exists(self, key):
        return self.call("EXISTS", key) == 1

    def type(self, key):
        return self.call("TYPE", key)


_NOTIFY_CLASSES = {
    "generic": 1 << 2, "g": 1 << 2, "string": 1 << 3, "$": 1 << 3, "list": 1 << 4, "l": 1 << 4,
    "set": 1 << 5, "s": 1 << 5, "hash": 1 << 6, "h": 1 << 6, "zset": 1 << 7, "z": 1 << 7,
    "expired": 1 << 8, "x": 1 << 8, "evicted": 1 << 9, "e": 1 << 9,
    "stream": 1 << 10, "t": 1 << 10, "module": 1 << 13, "d": 1 << 13,
}


class Key:
    """A key of the client's database, with views for each type.  A view
    of the wrong type raises ReplyError(WRONGTYPE ...) on use, as the
    commands do."""

    def __init__(self, ctx, name):
        self.ctx = ctx
        self.name = _arg(name)

    @property
    def type(self):
        """"none", "string", "list", "hash", "set", "zset" ..."""
        return self.ctx.call("TYPE", self.name)

    def exists(self):
        return self.ctx.call("EXISTS", self.name) == 1

    def delete(self):
        return self.ctx.call("DEL", self.name) == 1

    def ttl(self):
        """Milliseconds to live; -1 without expiry, -2 when missing."""
        return self.ctx.call("PTTL", self.name)

    def expire(self, ms):
        return self.ctx.call("PEXPIRE", self.name, ms) == 1

    def persist(self):
        return self.ctx.call("PERSIST", self.name) == 1

    def get(self):
        return self.ctx.call("GET", self.name)

    def set(self, value, px=None):
        self.ctx.set(self.name, value, px=px)

    def incr(self, by=1):
        return self.ctx.call("INCRBY", self.name, by)

    def as_list(self):
        return ListValue(self)

    def as_hash(self):
        return HashValue(self)

    def as_set(self):
        return SetValue(self)

    def as_zset(self):
        return ZSetValue(self)


class _Value:
    def __init__(self, key):
        self.ctx = key.ctx
        self.name = key.name

    def _call(self, cmd, *args):
        return self.ctx.call(cmd, self.name, *args)


class ListValue(_Value):
    def __len__(self):
        return self._call("LLEN")

    def __iter__(self):
        return iter(self.range(0, -1))

    def range(self, start, stop):
        return self._call("LRANGE", start, stop)

    def __getitem__(self, index):
        v = self._call("LINDEX", index)
        if v is None:
            raise IndexError(index)
        return v

    def append(self, *values):
        """RPUSH; the new length."""
        return self._call("RPUSH", *values)

    def appendleft(self, *values):
        """LPUSH; the new length."""
        return self._call("LPUSH", *values)

    def pop(self):
        return self._call("RPOP")

    def popleft(self):
        return self._call("LPOP")


class HashValue(_Value):
    def __len__(self):
        return self._call("HLEN")

    def __getitem__(self, field):
        v = self._call("HGET", field)
        if v is None:
            raise KeyError(field)
        return v

    def get(self, field, default=None):
        v = self._call("HGET", field)
        return default if v is None else v

    def __setitem__(self, field, value):
        self._call("HSET", field, value)

    def update(self, mapping):
        args = []
        for f, v in dict(mapping).items():
            args += [f, v]
        return self._call("HSET", *args) if args else 0

    def __delitem__(self, field):
        if not self._call("HDEL", field):
            raise KeyError(field)

    def __contains__(self, field):
        return self._call("HEXISTS", field) == 1

    def incr(self, field, by=1):
        return self._call("HINCRBY", field, by)

    def items(self):
        return self._call("HGETALL")


class SetValue(_Value):
    def __len__(self):
        return self._call("SCARD")

    def __contains__(self, member):
        return self._call("SISMEMBER", member) == 1

    def add(self, *members):
        return self._call("SADD", *members)

    def remove(self, *members):
        return self._call("SREM", *members)

    def members(self):
        return self._call("SMEMBERS")


class ZSetValue(_Value):
    def __len__(self):
        return self._call("ZCARD")

    def add(self, mapping):
        """{member: score}; the number of members added."""
        args = []
        for m, s in dict(mapping).items():
            args += [s, m]
        return self._call("ZADD", *args)

    def score(self, member):
        return self._call("ZSCORE", member)

    def incr(self, member, by):
        return self._call("ZINCRBY", by, member)

    def remove(self, *members):
        return self._call("ZREM", *members)

    def range(self, start=0, stop=-1, withscores=False):
        """Members by rank; with scores: a list of (member, score)."""
        if withscores:
            return [tuple(p) for p in self._call("ZRANGE", start, stop, "WITHSCORES")]
        return self._call("ZRANGE", start, stop)


# --- the runner cmd_module calls (module.pyx) -------------------------------------

def run_command(handler, name, argv, db, resp):
    """Run handler for one call: (True, reply value) or (False, error text)."""
    ctx = Context(name, argv, db, resp)
    try:
        return True, handler(ctx, *argv[1:])
    except CommandError as e:
        return False, e.reply_text()
    except (Exception, SystemExit) as e:
        # SystemExit too: sys.exit() in a handler must not stop the server
        from .log import log
        log.warning("Module command '%s' raised: %s" % (
            name, "".join(traceback.format_exception(e)).rstrip().replace("\n", " | ")))
        text = " ".join(("%s: %s" % (type(e).__name__, e)).splitlines())
        return False, "ERR Error running module command '%s': %s" % (name, text)
