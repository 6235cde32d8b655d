"""Differential tests for connection and server commands (t_server)."""
import time

import pytest

from support.resp import Map, RespClient, encode_command, parse

VARIABLE_HELLO_FIELDS = (b"id", b"version")


def _hello_fields(raw):
    value = parse(raw)
    if isinstance(value, list):  # RESP2 HELLO: flat key/value array
        value = dict(zip(value[::2], value[1::2]))
    return {k: v for k, v in value.items() if k not in VARIABLE_HELLO_FIELDS}


def _info_fields(raw):
    text = parse(raw).decode()
    fields = {}
    for line in text.split("\r\n"):
        if line and not line.startswith("#"):
            name, _, value = line.partition(":")
            fields[name] = value
    return fields


# --- PING / ECHO ------------------------------------------------------------

def test_ping_without_argument(pair):
    pair.check("PING")


def test_ping_with_argument_echoes_it(pair):
    pair.check("PING", "hello world")


def test_ping_with_two_arguments_is_error(pair):
    pair.check("PING", "a", "b")


def test_echo_returns_argument(pair):
    pair.check("ECHO", b"bin\x00ary\r\n")


def test_echo_arity_error(pair):
    pair.check("ECHO")
    pair.check("ECHO", "a", "b")


# --- HELLO / RESP3 ----------------------------------------------------------

def test_hello_3_reply_is_a_map_with_same_fields(pair):
    real, ours = pair.both("HELLO", "3")
    assert ours.startswith(b"%"), ours
    assert isinstance(parse(ours), Map)
    assert _hello_fields(ours) == _hello_fields(real)
    for reply in (real, ours):
        assert isinstance(parse(reply)[b"id"], int)
        assert parse(reply)[b"proto"] == 3


def test_hello_2_reply_is_a_flat_array_with_same_fields(pair):
    real, ours = pair.both("HELLO", "2")
    assert ours.startswith(b"*14\r\n"), ours
    assert _hello_fields(ours) == _hello_fields(real)


def test_hello_without_version_keeps_protocol(pair):
    real, ours = pair.both("HELLO")
    assert _hello_fields(ours) == _hello_fields(real)


@pytest.mark.parametrize("version", ["1", "4", "0", "-1", "abc", "3.0"])
def test_hello_bad_protocol_version(pair, version):
    pair.check("HELLO", version)
    pair.check("GET", "nokey")  # still RESP2


def test_hello_setname_sets_client_name(pair):
    real, ours = pair.both("HELLO", "3", "SETNAME", "myname")
    assert _hello_fields(ours) == _hello_fields(real)
    pair.check("CLIENT", "GETNAME")


def test_hello_auth_default_user_without_password_accepts_any_password(pair):
    real, ours = pair.both("HELLO", "3", "AUTH", "default", "secret")
    assert _hello_fields(ours) == _hello_fields(real)


def test_hello_auth_unknown_user_is_error(pair):
    pair.check("HELLO", "3", "AUTH", "nosuchuser", "secret")


def test_hello_bad_option_is_error(pair):
    pair.check("HELLO", "3", "FOO")


def test_resp3_null_for_missing_key(pair):
    pair.both("HELLO", "3")
    pair.check("GET", "nokey")
    pair.check("MGET", "nokey", "nokey2")


def test_resp3_incrbyfloat_is_still_bulk(pair):
    pair.both("HELLO", "3")
    pair.check("INCRBYFLOAT", "f", "1.5")


def test_resp3_config_get_is_a_map(pair):
    pair.both("HELLO", "3")
    pair.check("CONFIG", "GET", "maxmemory")


def test_resp3_object_encoding_and_errors(pair):
    pair.both("HELLO", "3")
    pair.check("SET", "k", "1")
    pair.check("OBJECT", "ENCODING", "k")
    pair.check("INCRBY", "k", "x")
    pair.check("PING")


def test_resp3_back_to_resp2(pair):
    pair.both("HELLO", "3")
    pair.both("HELLO", "2")
    pair.check("GET", "nokey")
    pair.check("CONFIG", "GET", "maxmemory")


# --- CLIENT -----------------------------------------------------------------

def test_client_getname_defaults_to_nil(pair):
    pair.check("CLIENT", "GETNAME")


def test_client_setname_then_getname(pair):
    pair.check("CLIENT", "SETNAME", "worker-1")
    pair.check("CLIENT", "GETNAME")


def test_client_setname_empty_clears_name(pair):
    pair.check("CLIENT", "SETNAME", "x")
    pair.check("CLIENT", "SETNAME", "")
    pair.check("CLIENT", "GETNAME")


@pytest.mark.parametrize("name", ["a b", "a\nb", "tab\there", "caf\xe9"])
def test_client_setname_rejects_invalid_names(pair, name):
    pair.check("CLIENT", "SETNAME", name)
    pair.check("CLIENT", "GETNAME")


def test_client_id_is_a_positive_integer(pair):
    for reply in pair.both("CLIENT", "ID"):
        assert reply.startswith(b":")
        assert parse(reply) > 0


def test_client_id_is_stable_per_connection_and_unique(pair):
    other = pair.connect()
    try:
        for a, b, c in zip(pair.both("CLIENT", "ID"), pair.both("CLIENT", "ID"),
                           other.both("CLIENT", "ID")):
            assert a == b
            assert parse(c) != parse(a)
    finally:
        other.close()


def test_client_unknown_subcommand(pair):
    pair.check("CLIENT", "NOSUCH")


def _client_reply_script(port, script):
    """Send `script` (list of commands) in one pipeline, then PING as a
    sentinel; return every byte received up to and including +PONG."""
    with RespClient(port=port) as c:
        c.send_raw(b"".join(encode_command(cmd) for cmd in script) + encode_command(["PING"]))
        data = b""
        while not data.endswith(b"+PONG\r\n"):
            data += c.read_reply()
        return data


@pytest.mark.parametrize("script", [
    [["CLIENT", "REPLY", "OFF"], ["SET", "a", "1"], ["GET", "a"], ["CLIENT", "REPLY", "ON"],
     ["GET", "a"]],
    [["CLIENT", "REPLY", "SKIP"], ["SET", "a", "2"], ["GET", "a"]],
    [["CLIENT", "REPLY", "SKIP"], ["CLIENT", "REPLY", "SKIP"], ["ECHO", "x"], ["ECHO", "y"]],
    [["CLIENT", "REPLY", "OFF"], ["INCRBY", "a", "x"], ["CLIENT", "REPLY", "ON"]],
    [["CLIENT", "REPLY", "FOO"]],
], ids=["off-on", "skip", "skip-twice", "off-hides-errors", "bad-mode"])
def test_client_reply_modes(pair, script):
    real = _client_reply_script(pair.real_server.port, script)
    ours = _client_reply_script(pair.ours_server.port, script)
    assert ours == real


# --- CONFIG -----------------------------------------------------------------

@pytest.mark.parametrize("param", ["maxmemory", "databases", "timeout", "appendonly",
                                   "maxmemory-policy", "hz", "save", "bind", "loglevel",
                                   "maxclients", "nosuchparam"])
def test_config_get_parameter(pair, param):
    pair.check("CONFIG", "GET", param)


def test_config_get_several_parameters(pair):
    pair.check_unordered("CONFIG", "GET", "maxmemory", "hz", "databases")


def test_config_get_reflects_command_line_port(pair):
    for server, reply in zip((pair.real_server, pair.ours_server), pair.both("CONFIG", "GET", "port")):
        assert parse(reply) == [b"port", str(server.port).encode()]


def test_config_set_then_get(pair):
    try:
        pair.check("CONFIG", "SET", "hz", "25")
        pair.check("CONFIG", "GET", "hz")
    finally:
        pair.both("CONFIG", "SET", "hz", "10")


@pytest.mark.parametrize("args", [
    ("nosuchparam", "1"), ("maxmemory", "abc"), ("hz", "-5"), ("appendonly", "maybe"),
    ("maxmemory-policy", "nope"), ("databases", "32"), ("maxmemory",),
])
def test_config_set_errors(pair, args):
    pair.check("CONFIG", "SET", *args)


def test_config_unknown_subcommand(pair):
    pair.check("CONFIG", "FOO")


# --- COMMAND ----------------------------------------------------------------

def test_command_count_is_the_number_of_commands_listed(pair):
    for conn in (pair.real, pair.ours):
        reply = conn.call("COMMAND", "COUNT")
        assert reply.startswith(b":")
        assert parse(reply) == len(parse(conn.call("COMMAND"))) > 0


@pytest.mark.parametrize("names", [("get",), ("set",), ("get", "set"), ("nosuch",),
                                   ("mset", "incrbyfloat", "lcs")])
def test_command_info(pair, names):
    pair.check("COMMAND", "INFO", *names)


@pytest.mark.parametrize("cmd", [("SET", "a", "b"), ("MSET", "a", "1", "b", "2"),
                                 ("GET",), ("NOSUCH", "a"), ("PING",),
                                 ("RENAME", "x", "y"), ("LCS", "a", "b")])
def test_command_getkeys(pair, cmd):
    pair.check("COMMAND", "GETKEYS", *cmd)


# --- misc server commands -----------------------------------------------------

def test_dbsize_after_writes(pair):
    pair.check("MSET", "a", "1", "b", "2", "c", "3")
    pair.check("DBSIZE")


def test_time_is_seconds_and_microseconds(pair):
    for reply in pair.both("TIME"):
        seconds, micros = parse(reply)
        assert seconds.isdigit() and micros.isdigit()
        assert abs(int(seconds) - time.time()) < 5
        assert 0 <= int(micros) < 1000000


def test_debug_sleep_zero(pair):
    pair.check("DEBUG", "SLEEP", "0")


def test_info_server_section_fields(pair):
    for server, reply in zip((pair.real_server, pair.ours_server), pair.both("INFO", "server")):
        fields = _info_fields(reply)
        for name in ("redis_version", "redis_mode", "os", "arch_bits", "process_id",
                     "run_id", "tcp_port", "uptime_in_seconds", "uptime_in_days", "hz",
                     "executable", "config_file"):
            assert name in fields, name
        assert fields["redis_version"] == "7.0.15"
        assert fields["tcp_port"] == str(server.port)
        assert fields["process_id"] == str(server.pid)


def test_info_clients_section_fields(pair):
    for reply in pair.both("INFO", "clients"):
        fields = _info_fields(reply)
        assert int(fields["connected_clients"]) >= 1
        for name in ("blocked_clients", "maxclients", "tracking_clients"):
            assert name in fields, name


def test_info_keyspace_counts_keys_and_expires(pair):
    pair.check("MSET", "a", "1", "b", "2", "c", "3")
    pair.check("EXPIRE", "a", "1000")
    for reply in pair.both("INFO", "keyspace"):
        fields = _info_fields(reply)
        keys, expires, avg = fields["db0"].split(",")
        assert keys == "keys=3"
        assert expires == "expires=1"
        assert avg.startswith("avg_ttl=")


def test_info_keyspace_omits_empty_dbs(pair):
    for reply in pair.both("INFO", "keyspace"):
        assert parse(reply) == b"# Keyspace\r\n"


def test_info_section_headers(pair):
    for reply in pair.both("INFO"):
        text = parse(reply).decode()
        for header in ("# Server", "# Clients", "# Memory", "# Persistence", "# Stats",
                       "# Replication", "# CPU", "# Keyspace"):
            assert header + "\r\n" in text, header


def test_auth_without_password_configured_is_error(pair):
    pair.check("AUTH", "secret")
    pair.check("AUTH", "default", "secret")


def test_select_valid_and_invalid(pair):
    pair.check("SELECT", "3")
    pair.check("SELECT", "16")
    pair.check("SELECT", "x")


def test_quit_replies_ok_then_closes(pair):
    pair.check_raw(b"*1\r\n$4\r\nQUIT\r\n")


def test_quit_after_pipelined_commands(pair):
    pair.check_raw(b"PING\r\n*1\r\n$4\r\nQUIT\r\nPING\r\n")


def test_reset_restores_connection_defaults(pair):
    pair.both("HELLO", "3")
    pair.check("SELECT", "4")
    pair.check("SET", "in4", "v")
    pair.check("CLIENT", "SETNAME", "x")
    pair.check("RESET")
    pair.check("GET", "nokey")   # RESP2 null again
    pair.check("GET", "in4")     # back in db 0
    pair.check("CLIENT", "GETNAME")


def test_bgrewriteaof_command_info_and_docs(pair):
    pair.check("COMMAND", "INFO", "bgrewriteaof")
    pair.check("COMMAND", "DOCS", "bgrewriteaof")


def test_bgrewriteaof_rejects_arguments(pair):
    pair.check("BGREWRITEAOF", "now")


def test_hidden_config_answers_only_by_name(pair):
    pair.check("CONFIG", "GET", "rdb-key-save-delay")
    pair.check("CONFIG", "GET", "rdb-key-*")
