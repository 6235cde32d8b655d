"""A small pyredis command module.

    pyredis-server --enable-module-command yes --loadmodule pyredis/examples/demo_module.py
    redis-cli set n 21
    redis-cli demo.double n            # (integer) 42

Each handler gets a context (ctx) and the command's arguments as bytes; what
it returns becomes the reply.  All data access goes through the context, so
the changes reach keyspace notifications, WATCH, the AOF and replicas like
those of any command.
"""
from pyredis.modules import CommandError, Status, command

MODULE_NAME = "demo"
MODULE_VERSION = 1

_prefix = b""


def on_load(args):
    """MODULE LOAD <path> [prefix]: an optional prefix for demo.greet."""
    global _prefix
    _prefix = args[0].encode() if args else b"hello"


@command("demo.double", arity=2, flags="write deny-oom", first_key=1, last_key=1, step=1,
         summary="Double the integer stored at key")
def double(ctx, key):
    """The integer at key, doubled in place (a missing key counts as 0)."""
    try:
        value = int(ctx.get(key) or 0)
    except ValueError:
        raise CommandError("ERR value is not an integer or out of range")
    ctx.set(key, value * 2)
    ctx.notify("demo.double", key)
    return value * 2


@command("demo.hgetall", arity=2, flags="readonly", first_key=1, last_key=1, step=1,
         acl_categories="hash")
def hgetall(ctx, key):
    """A hash as a map (RESP3) or a flat array (RESP2), fields sorted."""
    items = ctx.key(key).as_hash().items()
    return dict(sorted(items.items()))


@command("demo.push", arity=-3, flags="write deny-oom fast", first_key=1, last_key=1, step=1)
def push(ctx, key, *values):
    """RPUSH every value, then trim the list to the 10 newest; the length."""
    lst = ctx.key(key).as_list()
    lst.append(*values)
    ctx.call("LTRIM", key, -10, -1)
    return len(lst)


@command("demo.zincr", arity=4, flags="write deny-oom", first_key=1, last_key=1, step=1)
def zincr(ctx, key, member, by):
    """ZINCRBY with the new score as a double."""
    return ctx.key(key).as_zset().incr(member, float(by))


@command("demo.greet", arity=2, flags="readonly fast")
def greet(ctx, name):
    return Status((_prefix + b" " + name).decode("utf-8", "replace"))


@command("demo.fail", arity=1, flags="readonly")
def fail(ctx):
    """Always raises: the client gets -ERR, the server carries on."""
    return 1 // 0
