"""pyredis/config.py against a real redis-server 7.0.15: every directive of
our table must have the same CONFIG GET default, CONFIG SET must fail with
the same text, and bad start-up configurations must print the same FATAL
block."""
import os
import shutil
import socket
import subprocess
import time

import pytest

from pyredis import config as C

redis = pytest.importorskip("redis")
REDIS_SERVER = shutil.which("redis-server")
pytestmark = pytest.mark.skipif(REDIS_SERVER is None,
                                reason="redis-server is not on PATH")

# Directives the test's command line sets on the real server.
OVERRIDDEN = {"port", "save", "dir", "bind"}


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("real-config")
    port = _free_port()
    proc = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--save", "", "--dir", str(tmp),
         "--bind", "127.0.0.1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=str(tmp))
    client = redis.Redis(port=port, decode_responses=True)
    deadline = time.time() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.time() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("redis-server did not start")
            time.sleep(0.05)
    yield client
    client.close()
    proc.terminate()
    proc.wait(10)


def _reply_error(client, *args):
    try:
        client.execute_command("CONFIG", "SET", *args)
    except redis.ResponseError as e:
        return str(e)
    return None


def _our_error(*args):
    pairs = list(zip(args[::2], args[1::2]))
    try:
        C.Config().set(pairs)
    except C.ConfigError as e:
        # redis-py drops the "ERR " prefix from error replies.
        return e.message[4:] if e.message.startswith("ERR ") else e.message
    return None


def test_config_get_defaults_match(real):
    theirs = real.config_get("*")
    ours = dict(C.Config().get(["*"]))
    # hidden directives answer only when asked for by name, in both
    hidden = [d.name for d in C.DIRECTIVES if d.flags & C.HIDDEN]
    for name in hidden:
        assert name not in theirs and name not in ours, name
        theirs.update(real.config_get(name))
        ours.update(C.Config().get([name]))
    for d in C.DIRECTIVES:
        for name in filter(None, (d.name, d.alias)):
            if d.name in OVERRIDDEN:
                continue
            assert name in theirs, name
            assert ours[name] == theirs[name], name


def test_every_real_directive_is_known_except_tls(real):
    missing = {n for n in real.config_get("*")
               if C.lookup(n) is None and not n.startswith("tls-")}
    assert missing == set()


@pytest.mark.parametrize("args", [
    ("foo", "bar"),
    ("maxmemory", "abc"),
    ("daemonize", "yes"),
    ("hz", "-1"),
    ("hz", "5", "HZ", "6"),
    ("lua-time-limit", "abc"),
    ("maxmemory-policy", "foo"),
    ("save", "1 2 3"),
    ("save", "5 6  7 8"),
    ("slaveof", "a 1"),
    ("maxclients", "0"),
    ("notify-keyspace-events", "Q"),
    ("client-output-buffer-limit", "normal 1 2"),
    ("client-output-buffer-limit", "master 1 2 3"),
    ("client-output-buffer-limit", "normal 1k 2x 3"),
    ("maxmemory-clients", "200%"),
    ("maxmemory-clients", "-5"),
    ("appendonly", "maybe"),
    ("dbfilename", "x"),
    ("timeout", "05"),
    ("proto-max-bulk-len", "99999999999999999999"),
    ("hash-max-listpack-value", "9999999999999999999"),
    ("oom-score-adj-values", "1 2"),
    ("oom-score-adj-values", "1 2 x"),
    ("latency-tracking-info-percentiles", "101"),
    ("proc-title-template", "{foo}"),
    ("cluster-announce-hostname", "a_b"),
    ("activedefrag", "yes"),
    ("daemonize", "yes", "foo", "1"),
    ("hz", "1", "foo", "2"),
])
def test_config_set_errors_match(real, args):
    assert _our_error(*args) == _reply_error(real, *args)


@pytest.mark.parametrize("value", ["1k", "1kb", "1GB", "5B", "", "k",
                                   "99999999999999999999",
                                   "18446744073709551615k"])
def test_memory_units_match(real, value):
    real.config_set("maxmemory", value)
    try:
        cfg = C.Config()
        cfg.set([("maxmemory", value)])
        assert cfg.show("maxmemory") == real.config_get("maxmemory")["maxmemory"]
    finally:
        real.config_set("maxmemory", "0")


@pytest.mark.parametrize("value", ["g$lshzxetd", "En", "AKEmn", "KEA", "dK"])
def test_notify_keyspace_events_format_matches(real, value):
    real.config_set("notify-keyspace-events", value)
    try:
        cfg = C.Config()
        cfg.set([("notify-keyspace-events", value)])
        got = real.config_get("notify-keyspace-events")
        assert cfg.show("notify-keyspace-events") == got["notify-keyspace-events"]
    finally:
        real.config_set("notify-keyspace-events", "")


@pytest.mark.parametrize("text,options", [
    ("port 7392\nfoo bar\n", []),
    ("hz\n", []),
    ("daemonize maybe\n", []),
    ("maxmemory 1x\n", []),
    ("save 1\n", []),
    ("loglevel foo\n", []),
    ('port "abc\n', []),
    ("port 7392\n", ["--foo", "bar"]),
    ("port 7392\n", ["--hz", "abc", "--port", "5"]),
    ("", ["--save", "--hz", "x"]),
])
def test_fatal_errors_match(tmp_path, text, options):
    path = tmp_path / "c.conf"
    path.write_text(text)
    argv = [str(path)] + options
    proc = subprocess.run([REDIS_SERVER] + argv, capture_output=True,
                          text=True, timeout=20, cwd=str(tmp_path))
    assert proc.returncode == 1
    with pytest.raises(C.FatalConfigError) as e:
        C.load(argv)
    assert str(e.value) == proc.stderr
