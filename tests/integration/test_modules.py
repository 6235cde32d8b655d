"""Commands written in Python: loadmodule, MODULE LOAD|LIST|UNLOAD, and a
module command as a full member of the command table (MULTI/EXEC, WATCH,
keyspace notifications, AOF, replication, COMMAND INFO/DOCS/LIST, errors)."""
import textwrap
import time

import pytest
import redis

from pyredis import Server, ServerError
from pyredis.examples import DEMO_MODULE
from support.resp import RespClient
from support.servers import pyredis_available

pytestmark = pytest.mark.skipif(pyredis_available() is not None,
                                reason=pyredis_available() or "")

LOAD_ERROR = "Error loading the extension. Please check the server logs."


def wait_for(cond, timeout=10.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return
        time.sleep(0.05)
    raise AssertionError("timed out waiting for " + what)


def client(s, **kwargs):
    """A redis-py client on RESP2 (unless told otherwise)."""
    kwargs.setdefault("protocol", 2)
    return redis.Redis(host=s.host, port=s.port, **kwargs)


def resp3(s, *args):
    """The raw RESP3 reply to one command."""
    with RespClient(port=s.port) as c:
        c.call("HELLO", "3")
        return c.call(*args)


def module_list(r):
    """MODULE LIST in RESP2: one flat name/value list per module."""
    return [dict(zip(m[::2], m[1::2])) for m in r.execute_command("MODULE", "LIST")]


def raw(r):
    """A client that leaves COMMAND replies unparsed."""
    r.set_response_callback("COMMAND", lambda x, **kw: x)
    return r


@pytest.fixture
def server():
    with Server(enable_module_command="yes", loadmodule=DEMO_MODULE) as s:
        yield s


@pytest.fixture
def r(server):
    return client(server)


@pytest.fixture
def write_module(tmp_path):
    def write(source, name="testmod.py"):
        path = tmp_path / name
        path.write_text(textwrap.dedent(source))
        return str(path)
    return write


# --- loading --------------------------------------------------------------------

def test_loadmodule_directive_adds_the_commands(r):
    r.set("n", 21)
    assert r.execute_command("demo.double", "n") == 42
    assert r.get("n") == b"42"


def test_loadmodule_arguments_reach_on_load():
    with Server(loadmodule=[(DEMO_MODULE, "howdy")]) as s:
        r = client(s)
        assert r.execute_command("demo.greet", "ann") == b"howdy ann"


def test_module_list_has_name_version_path_args():
    with Server(loadmodule=[(DEMO_MODULE, "a1", "a2")]) as s:
        r = client(s)
        assert module_list(r) == [
            {b"name": b"demo", b"ver": 1, b"path": DEMO_MODULE.encode(), b"args": [b"a1", b"a2"]}]


def test_module_list_in_resp3_is_a_list_of_maps():
    with Server(loadmodule=DEMO_MODULE) as s:
        path = DEMO_MODULE.encode()
        assert resp3(s, "MODULE", "LIST") == (
            b"*1\r\n%4\r\n$4\r\nname\r\n$4\r\ndemo\r\n$3\r\nver\r\n:1\r\n"
            b"$4\r\npath\r\n$" + str(len(path)).encode() + b"\r\n" + path +
            b"\r\n$4\r\nargs\r\n*0\r\n")


def test_failing_loadmodule_stops_the_server(write_module):
    with pytest.raises(ServerError) as e:
        Server(loadmodule=write_module("raise RuntimeError('nope')\n")).start()
    assert "Can't load module from" in str(e.value)
    assert "nope" in str(e.value)


def test_module_load_and_unload_at_run_time(write_module):
    path = write_module("""
        from pyredis.modules import command
        MODULE_NAME = "rt"
        MODULE_VERSION = 3

        @command("rt.hello", arity=1, flags="readonly fast")
        def hello(ctx):
            return "hi"
    """)
    with Server(enable_module_command="yes") as s:
        r = client(s)
        with pytest.raises(redis.ResponseError, match="unknown command 'rt.hello'"):
            r.execute_command("rt.hello")
        assert r.execute_command("MODULE", "LOAD", path) == b"OK"
        assert r.execute_command("rt.hello") == b"hi"
        assert module_list(r)[0][b"ver"] == 3
        assert r.execute_command("MODULE", "UNLOAD", "rt") == b"OK"
        assert r.execute_command("MODULE", "LIST") == []
        with pytest.raises(redis.ResponseError, match="unknown command 'rt.hello'"):
            r.execute_command("rt.hello")


def test_module_loadex_passes_args(server, r):
    r.execute_command("MODULE", "UNLOAD", "demo")
    assert r.execute_command("MODULE", "LOADEX", DEMO_MODULE, "ARGS", "hey") == b"OK"
    assert r.execute_command("demo.greet", "x") == b"hey x"


def test_module_load_of_a_non_module_answers_redis_error(tmp_path, r):
    notpy = tmp_path / "lib.so"
    notpy.write_bytes(b"\x7fELF not python")
    for path in (str(notpy), str(tmp_path / "missing.py")):
        with pytest.raises(redis.ResponseError) as e:
            r.execute_command("MODULE", "LOAD", path)
        assert str(e.value) == LOAD_ERROR


def test_module_load_of_a_broken_module_leaves_nothing_behind(write_module, r):
    path = write_module("""
        from pyredis.modules import command

        @command("half.one", arity=1)
        def one(ctx):
            return 1

        raise ImportError("broken after one command")
    """)
    with pytest.raises(redis.ResponseError, match=LOAD_ERROR):
        r.execute_command("MODULE", "LOAD", path)
    with pytest.raises(redis.ResponseError, match="unknown command"):
        r.execute_command("half.one")
    assert [m[b"name"] for m in module_list(r)] == [b"demo"]


def test_module_load_of_a_taken_command_name_fails(write_module, r):
    path = write_module("""
        from pyredis.modules import command

        @command("get", arity=2)
        def get(ctx, key):
            return "shadowed"
    """)
    with pytest.raises(redis.ResponseError, match=LOAD_ERROR):
        r.execute_command("MODULE", "LOAD", path)
    r.set("k", "v")
    assert r.get("k") == b"v"


def test_module_with_an_unknown_flag_fails_to_load(write_module, server, r):
    path = write_module("""
        from pyredis.modules import command

        @command("bad.flag", arity=1, flags="write sometimes")
        def f(ctx):
            return 1
    """)
    with pytest.raises(redis.ResponseError, match=LOAD_ERROR):
        r.execute_command("MODULE", "LOAD", path)
    assert "unknown command flag 'sometimes'" in server.log()


@pytest.mark.parametrize("decl,logged", [
    ('arity=0', "arity must be a non-zero integer"),
    ('arity=2, first_key=2, last_key=1, step=1', "invalid key positions"),
    ('arity=2, first_key=1, last_key=1, step=0', "invalid key positions"),
])
def test_module_with_a_bad_declaration_fails_to_load(write_module, server, r, decl, logged):
    path = write_module("""
        from pyredis.modules import command

        @command("bad.decl", %s)
        def f(ctx, *args):
            return 1
    """ % decl)
    with pytest.raises(redis.ResponseError, match=LOAD_ERROR):
        r.execute_command("MODULE", "LOAD", path)
    assert logged in server.log()


def test_module_loadex_with_config_fails_to_load(r):
    r.execute_command("MODULE", "UNLOAD", "demo")
    with pytest.raises(redis.ResponseError, match=LOAD_ERROR):
        r.execute_command("MODULE", "LOADEX", DEMO_MODULE, "CONFIG", "demo.x", "1")
    assert module_list(r) == []


def test_module_load_twice_fails(r):
    with pytest.raises(redis.ResponseError, match=LOAD_ERROR):
        r.execute_command("MODULE", "LOAD", DEMO_MODULE)


def test_module_unload_of_an_unknown_name(r):
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("MODULE", "UNLOAD", "nosuch")
    assert str(e.value) == "Error unloading module: no such module with that name"


def test_module_command_is_refused_by_default():
    with Server() as s:
        r = client(s)
        with pytest.raises(redis.ResponseError) as e:
            r.execute_command("MODULE", "LOAD", DEMO_MODULE)
        assert str(e.value).startswith("MODULE command not allowed. If the enable-module-command "
                                       "option is set to \"local\"")
        assert r.execute_command("MODULE", "LIST") == []


def test_config_rewrite_writes_the_loaded_modules(tmp_path, write_module):
    path = write_module("MODULE_NAME = 'rw'\n")
    conf = tmp_path / "redis.conf"
    conf.write_text("loadmodule %s\nenable-module-command yes\n" % DEMO_MODULE)
    with Server(config_file=str(conf)) as s:
        r = client(s)
        r.execute_command("MODULE", "LOAD", path, "x1")
        r.execute_command("MODULE", "UNLOAD", "demo")
        assert r.config_rewrite()
    lines = [x for x in conf.read_text().splitlines() if x.startswith("loadmodule")]
    assert lines == ["loadmodule %s x1" % path]


def test_module_help(r):
    lines = r.execute_command("MODULE", "HELP")
    assert lines[0] == b"MODULE <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    assert b"UNLOAD <name>" in lines


def test_info_modules_lists_the_module(server):
    assert resp3(server, "INFO", "modules") == (
        b"=85\r\ntxt:# Modules\r\nmodule:name=demo,ver=1,api=1,filters=0,usedby=[],using=[],"
        b"options=[]\r\n\r\n")


# --- replies and errors -----------------------------------------------------------

TYPES_MODULE = """
    from pyredis.modules import CommandError, Status, command

    @command("t.value", arity=2, flags="readonly")
    def value(ctx, kind):
        return {
            b"none": None, b"int": 7, b"bytes": b"raw", b"str": "text", b"float": 1.5,
            b"true": True, b"list": [1, b"a", [None]], b"map": {b"f": 1},
            b"set": {b"only"}, b"status": Status("FINE"), b"object": object(),
        }[kind]

    @command("t.err", arity=2, flags="readonly")
    def err(ctx, text):
        raise CommandError(text.decode())

    @command("t.wrongtype", arity=2, flags="readonly", first_key=1, last_key=1, step=1)
    def wrongtype(ctx, key):
        return ctx.call("LLEN", key)

    @command("t.sneaky", arity=2, flags="readonly", first_key=1, last_key=1, step=1)
    def sneaky(ctx, key):
        ctx.call("SET", key, "x")

    @command("t.noscript", arity=1, flags="write")
    def noscript(ctx):
        ctx.call("MULTI")

    @command("t.exit", arity=1, flags="readonly")
    def exit(ctx):
        import sys
        sys.exit(3)

    @command("t.views", arity=1, flags="write")
    def views(ctx):
        out = []
        out.append(repr(ctx.call("SET", "s", 5)))
        out.append(repr(ctx.get("s")))
        out.append(repr(ctx.key("s").incr(2)))
        out.append(repr(ctx.get("missing")))
        h = ctx.key("h").as_hash()
        h.update({"a": 1, "b": 2})
        h["c"] = "3"
        del h["a"]
        out.append(repr((len(h), sorted(h.items().items()), h.get("zz", "dflt"), "b" in h)))
        st = ctx.key("st").as_set()
        st.add("x", "y", "x")
        out.append(repr((len(st), sorted(st.members()), "x" in st)))
        z = ctx.key("z").as_zset()
        z.add({"m": 1, "n": 2.5})
        out.append(repr((z.score("n"), z.range(withscores=True), len(z))))
        lst = ctx.key("l").as_list()
        lst.append("b", "c")
        lst.appendleft("a")
        out.append(repr((list(lst), lst[1], lst.pop(), lst.popleft(), len(lst))))
        out.append(repr((ctx.key("l").type, ctx.exists("l"), ctx.delete("l", "nope"))))
        try:
            ctx.key("h").as_list().append("x")
        except Exception as e:
            out.append(type(e).__name__ + ": " + str(e).split(" ")[0])
        return out
"""


@pytest.fixture
def types_server(write_module):
    with Server(loadmodule=write_module(TYPES_MODULE)) as s:
        yield s


@pytest.mark.parametrize("kind,resp2", [
    ("none", None), ("int", 7), ("bytes", b"raw"), ("str", b"text"), ("float", b"1.5"),
    ("true", 1), ("list", [1, b"a", [None]]), ("map", [b"f", 1]), ("set", [b"only"]),
    ("status", b"FINE"),
])
def test_return_values_in_resp2(types_server, kind, resp2):
    r = client(types_server)
    assert r.execute_command("t.value", kind) == resp2


@pytest.mark.parametrize("kind,reply", [
    ("none", b"_\r\n"), ("float", b",1.5\r\n"), ("true", b"#t\r\n"),
    ("map", b"%1\r\n$1\r\nf\r\n:1\r\n"), ("set", b"~1\r\n$4\r\nonly\r\n"),
    ("status", b"+FINE\r\n"),
])
def test_return_values_in_resp3(types_server, kind, reply):
    assert resp3(types_server, "t.value", kind) == reply


def test_ctx_call_replies_and_typed_views(types_server):
    r = client(types_server)
    assert [x.decode() for x in r.execute_command("t.views")] == [
        "'OK'", "b'5'", "7", "None",
        "(2, [(b'b', b'2'), (b'c', b'3')], 'dflt', True)",
        "(2, [b'x', b'y'], True)",
        "(2.5, [(b'm', 1.0), (b'n', 2.5)], 2)",
        "([b'a', b'b', b'c'], b'b', b'c', b'a', 1)",
        "('list', True, 1)",
        "ReplyError: WRONGTYPE",
    ]
    assert r.hgetall("h") == {b"b": b"2", b"c": b"3"}
    assert r.zrange("z", 0, -1, withscores=True) == [(b"m", 1.0), (b"n", 2.5)]


def test_unencodable_return_value_is_an_error(types_server):
    r = client(types_server)
    with pytest.raises(redis.ResponseError, match="returned a value of type object"):
        r.execute_command("t.value", "object")
    assert r.ping()


def test_command_error_keeps_its_code(types_server):
    r = client(types_server)
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("t.err", "MYCODE custom failure")
    assert str(e.value) == "MYCODE custom failure"
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("t.err", "lower case text")
    assert str(e.value) == "lower case text"      # sent as "-ERR lower case text"


def test_error_of_a_called_command_becomes_the_reply(types_server):
    r = client(types_server)
    r.set("s", "x")
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("t.wrongtype", "s")
    assert str(e.value).startswith("WRONGTYPE")


def test_readonly_command_cannot_write(types_server):
    r = client(types_server)
    with pytest.raises(redis.ResponseError, match="without the 'write' flag"):
        r.execute_command("t.sneaky", "k")
    assert r.exists("k") == 0


def test_noscript_commands_cannot_be_called(types_server):
    r = client(types_server)
    with pytest.raises(redis.ResponseError, match="'multi' cannot be called from a module command"):
        r.execute_command("t.noscript")
    assert r.set("after", 1)


def test_exception_answers_err_and_the_server_stays_up(server, r):
    errors = r.info("errorstats").get("errorstat_ERR", {"count": 0})["count"]
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("demo.fail")
    assert str(e.value).startswith("Error running module command 'demo.fail': ZeroDivisionError")
    assert r.ping()
    r.set("n", 1)
    assert r.execute_command("demo.double", "n") == 2
    assert "ZeroDivisionError" in server.log()
    assert r.info("errorstats")["errorstat_ERR"]["count"] == errors + 1


def test_sys_exit_in_a_handler_does_not_stop_the_server(types_server):
    r = client(types_server)
    with pytest.raises(redis.ResponseError, match="SystemExit: 3"):
        r.execute_command("t.exit")
    assert r.ping()
    assert types_server.running


def test_relative_module_path_is_the_callers(tmp_path, monkeypatch):
    (tmp_path / "rel.py").write_text(textwrap.dedent("""
        from pyredis.modules import command

        @command("rel.ok", arity=1)
        def ok(ctx):
            return 1
    """))
    monkeypatch.chdir(tmp_path)
    with Server(loadmodule="rel.py") as s:
        assert client(s).execute_command("rel.ok") == 1


def test_arity_is_checked_by_the_table(r):
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("demo.double", "a", "b")
    assert str(e.value) == "wrong number of arguments for 'demo.double' command"


def test_typed_key_access(r):
    r.hset("h", mapping={"b": "2", "a": "1"})
    assert r.execute_command("demo.hgetall", "h") == [b"a", b"1", b"b", b"2"]
    assert r.execute_command("demo.push", "l", *range(12)) == 10
    assert r.lrange("l", 0, -1) == [str(i).encode() for i in range(2, 12)]
    assert r.execute_command("demo.zincr", "z", "m", "2.5") == b"2.5"
    assert r.zscore("z", "m") == 2.5


# --- the command table -------------------------------------------------------------

def test_command_info(r):
    info = raw(r).execute_command("COMMAND", "INFO", "demo.double", "demo.hgetall")
    name, arity, flags, first, last, step, cats = info[0][:7]
    assert (name, arity, first, last, step) == (b"demo.double", 2, 1, 1, 1)
    assert set(flags) == {b"write", b"denyoom", b"module"}
    assert cats == [b"@write", b"@slow"]
    assert info[1][6] == [b"@read", b"@hash", b"@slow"]


def test_command_docs_names_the_module(r):
    docs = raw(r).execute_command("COMMAND", "DOCS", "demo.double")
    entry = dict(zip(docs[1][::2], docs[1][1::2]))
    assert entry[b"group"] == b"module"
    assert entry[b"module"] == b"demo"
    assert entry[b"summary"] == b"Double the integer stored at key"


def test_command_list_filterby_module_and_aclcat(r):
    names = set(raw(r).execute_command("COMMAND", "LIST", "FILTERBY", "MODULE", "demo"))
    assert names == {b"demo.double", b"demo.hgetall", b"demo.push", b"demo.zincr",
                     b"demo.greet", b"demo.fail"}
    hashcmds = raw(r).execute_command("COMMAND", "LIST", "FILTERBY", "ACLCAT", "hash")
    assert b"demo.hgetall" in hashcmds and b"demo.double" not in hashcmds


def test_command_getkeys_uses_the_declared_keys(r):
    assert raw(r).execute_command("COMMAND", "GETKEYS", "demo.push", "mylist", "a", "b") == [b"mylist"]


def test_command_count_grows_and_shrinks(r):
    before = raw(r).execute_command("COMMAND", "COUNT")
    r.execute_command("MODULE", "UNLOAD", "demo")
    assert raw(r).execute_command("COMMAND", "COUNT") == before - 6


def test_module_writes_count_as_changes(r):
    before = r.info("persistence")["rdb_changes_since_last_save"]
    r.execute_command("demo.double", "n")
    r.execute_command("demo.push", "l", *range(12))      # RPUSH, then LTRIM
    r.execute_command("demo.greet", "x")                 # reads only
    assert r.info("persistence")["rdb_changes_since_last_save"] == before + 1 + 12 + 2


def test_commandstats_count_module_commands(r):
    r.execute_command("demo.double", "n")
    r.execute_command("demo.double", "n")
    assert r.info("commandstats")["cmdstat_demo.double"]["calls"] == 2


# --- transactions, notifications, persistence, replication -------------------------------

def test_module_command_in_multi_exec(r):
    r.set("n", 5)
    p = r.pipeline(transaction=True)
    p.execute_command("demo.double", "n")
    p.execute_command("demo.double", "n")
    p.get("n")
    assert p.execute() == [10, 20, b"20"]


def test_module_command_arity_error_aborts_the_transaction(r):
    p = r.pipeline(transaction=True)
    p.set("x", 1)
    p.execute_command("demo.double")
    with pytest.raises(redis.ResponseError):
        p.execute()
    assert r.exists("x") == 0


def test_module_write_fails_a_watching_transaction(server, r):
    r.set("n", 1)
    other = client(server)
    with r.pipeline(transaction=True) as p:
        p.watch("n")
        other.execute_command("demo.double", "n")
        p.multi()
        p.set("n", 100)
        with pytest.raises(redis.WatchError):
            p.execute()
    assert r.get("n") == b"2"


def test_keyspace_notifications_of_module_commands():
    with Server(loadmodule=DEMO_MODULE, notify_keyspace_events="KEA") as s:
        r = client(s)
        sub = r.pubsub()
        sub.psubscribe("__keyspace@0__:n")
        assert sub.get_message(timeout=2)["type"] == "psubscribe"
        r.execute_command("demo.double", "n")
        events = []
        wait_for(lambda: events.append(sub.get_message(timeout=0.2)) or
                 len([e for e in events if e]) >= 2, what="two events")
        assert [e["data"] for e in events if e] == [b"set", b"demo.double"]
        sub.close()


def test_module_events_need_the_module_class():
    with Server(loadmodule=DEMO_MODULE, notify_keyspace_events="K$") as s:
        r = client(s)
        sub = r.pubsub()
        sub.psubscribe("__keyspace@0__:*")
        sub.get_message(timeout=2)
        r.execute_command("demo.double", "n")
        r.set("done", 1)
        got = []
        wait_for(lambda: got.append(sub.get_message(timeout=0.2)) or
                 any(m and m["channel"].endswith(b":done") for m in got), what="done event")
        assert [m["data"] for m in got if m] == [b"set", b"set"]
        sub.close()


def test_effects_reach_the_aof_and_survive_a_restart_without_the_module(tmp_path):
    with Server(dir=str(tmp_path), appendonly=True, loadmodule=DEMO_MODULE) as s:
        r = client(s)
        r.set("n", 4)
        r.execute_command("demo.double", "n")
        r.execute_command("demo.push", "l", "a", "b")
    aof = b"".join(p.read_bytes() for p in (tmp_path / "appendonlydir").glob("*.incr.aof"))
    assert b"demo." not in aof
    assert b"$1\r\n8\r\n" in aof
    with Server(dir=str(tmp_path), appendonly=True) as s:
        r = client(s)
        assert r.get("n") == b"8"
        assert r.lrange("l", 0, -1) == [b"a", b"b"]


def test_several_writes_are_wrapped_in_multi_exec_in_the_aof(tmp_path):
    with Server(dir=str(tmp_path), appendonly=True, loadmodule=DEMO_MODULE) as s:
        # 12 values: the RPUSH, then an LTRIM that removes two
        client(s).execute_command("demo.push", "l", *range(12))
    aof = b"".join(p.read_bytes() for p in (tmp_path / "appendonlydir").glob("*.incr.aof"))
    multi = aof.index(b"MULTI")
    assert multi < aof.index(b"RPUSH") < aof.index(b"LTRIM") < aof.index(b"EXEC")


def test_effects_reach_a_replica_without_the_module():
    with Server(loadmodule=DEMO_MODULE) as master, \
            Server(replicaof=(master.host, master.port)) as replica:
        m = client(master)
        rr = client(replica)
        wait_for(lambda: rr.info("replication")["master_link_status"] == "up", what="link up")
        m.set("n", 3)
        m.execute_command("demo.double", "n")
        m.execute_command("demo.push", "l", "x", "y")
        wait_for(lambda: rr.get("n") == b"6" and rr.llen("l") == 2, what="replicated effects")
        assert rr.lrange("l", 0, -1) == [b"x", b"y"]


def test_write_module_command_is_refused_on_a_read_only_replica():
    with Server() as master, \
            Server(replicaof=(master.host, master.port), loadmodule=DEMO_MODULE) as replica:
        rr = client(replica)
        with pytest.raises(redis.ReadOnlyError):
            rr.execute_command("demo.double", "n")
        assert rr.execute_command("demo.greet", "r") == b"hello r"


def test_deny_oom_module_command_is_refused_over_maxmemory():
    with Server(loadmodule=DEMO_MODULE, maxmemory=1) as s:
        r = client(s)
        with pytest.raises(redis.exceptions.OutOfMemoryError):
            r.execute_command("demo.double", "n")
        assert r.execute_command("demo.greet", "m") == b"hello m"


def test_lua_script_can_call_a_module_command(r):
    r.set("n", 8)
    assert r.eval("return redis.call('demo.double', KEYS[1])", 1, "n") == 16


# --- ACL ------------------------------------------------------------------------

def test_acl_rules_cover_module_commands(server, r):
    r.execute_command("ACL", "SETUSER", "all", "on", ">pw", "~*", "+@all")
    r.execute_command("ACL", "SETUSER", "some", "on", ">pw", "~*", "+get", "+demo.double")
    r.execute_command("ACL", "SETUSER", "none", "on", ">pw", "~*", "+get")
    r.set("n", 21)
    assert client(server, username="all", password="pw").execute_command("demo.double", "n") == 42
    assert client(server, username="some", password="pw").execute_command("demo.double", "n") == 84
    with pytest.raises(redis.exceptions.NoPermissionError, match="demo.double"):
        client(server, username="none", password="pw").execute_command("demo.double", "n")


def test_a_module_loaded_later_is_allowed_by_plus_all_only(write_module, r, server):
    r.execute_command("ACL", "SETUSER", "all", "on", ">pw", "~*", "+@all")
    r.execute_command("ACL", "SETUSER", "reads", "on", ">pw", "~*", "+@read")
    path = write_module("""
        from pyredis.modules import command

        @command("late.echo", arity=2, flags="readonly fast", first_key=0, last_key=0, step=0)
        def echo(ctx, value):
            return value
    """)
    r.execute_command("MODULE", "LOAD", path)
    assert client(server, username="all", password="pw").execute_command("late.echo", "x") == b"x"
    with pytest.raises(redis.exceptions.NoPermissionError):
        client(server, username="reads", password="pw").execute_command("late.echo", "x")
