"""pyredis/config.py: file grammar, start-up errors, CONFIG GET / SET /
REWRITE.  Expected error texts were taken from a running redis-server
7.0.15."""
import io
import os
import re

import pytest

from pyredis import config as C
from pyredis.config import Config, ConfigError, FatalConfigError

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHIPPED = os.path.join(ROOT, "redis.conf")


def fatal(line_no, line, reason):
    return ("\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\n"
            "Reading the configuration file, at line %d\n>>> '%s'\n%s\n"
            % (line_no, line, reason))


def set_error(cfg, *pairs):
    with pytest.raises(ConfigError) as e:
        cfg.set(list(pairs))
    return e.value.message


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    return str(p)


# -- grammar ---------------------------------------------------------------

def test_split_args_plain_words_and_blanks():
    assert C.split_args("  save  900   1 ") == ["save", "900", "1"]


def test_split_args_double_quotes_escapes():
    assert C.split_args(r'x "a\x41\n\t\r\b\a\"\\z"') == \
        ["x", "aA\n\t\r\b\a\"\\z"]


def test_split_args_single_quotes_keep_backslashes():
    assert C.split_args(r"x 'a\n \'b'") == ["x", "a\\n 'b"]


def test_split_args_quote_inside_word_starts_quoting():
    assert C.split_args('a"b c"') == ["ab c"]


def test_split_args_unbalanced_and_glued_quotes_fail():
    assert C.split_args('x "abc') is None
    assert C.split_args('x "a"b') is None


def test_split_args_high_byte_escape_round_trips():
    (arg,) = C.split_args(r'"\xff"')
    assert arg.encode("utf-8", "surrogateescape") == b"\xff"


def test_file_comments_blank_lines_and_case_insensitive_names():
    cfg = C.load_string("# comment\n\n   \n  HZ 20  \r\n")
    assert cfg.typed("hz") == 20


def test_last_repeated_directive_wins():
    assert C.load_string("hz 20\nhz 30\n").typed("hz") == 30


def test_first_save_replaces_defaults_and_later_lines_accumulate():
    cfg = C.load_string("save 10 20\nsave 30 40 50 60\n")
    assert cfg.show("save") == "10 20 30 40 50 60"


def test_save_empty_clears_in_file():
    cfg = C.load_string('save 10 20\nsave ""\nsave 30 40\n')
    assert cfg.show("save") == "30 40"


def test_save_default_kept_without_save_lines():
    assert C.load_string("hz 5\n").show("save") == "3600 1 300 100 60 10000"


def test_quoted_string_values():
    cfg = C.load_string('masterauth "a\\x41\\n"\nmasteruser \'x\\n y\'\n'
                        'dbfilename   "d b.rdb"  \n')
    assert cfg.typed("masterauth") == "aA\n"
    assert cfg.typed("masteruser") == "x\\n y"
    assert cfg.typed("dbfilename") == "d b.rdb"


def test_alias_in_file_sets_main_directive():
    cfg = C.load_string("slave-read-only no\nlua-time-limit 7\n")
    assert cfg.typed("replica-read-only") is False
    assert cfg.typed("busy-reply-threshold") == 7


def test_include_relative_to_cwd(tmp_path, monkeypatch):
    write(tmp_path, "inc.conf", "hz 9\n")
    main = write(tmp_path, "main.conf", "include inc.conf\n")
    monkeypatch.chdir(tmp_path)
    assert C.load([main]).typed("hz") == 9


def test_include_glob_without_matches_is_ignored(tmp_path):
    main = write(tmp_path, "main.conf",
                 "include %s/none/*.conf\nhz 3\n" % tmp_path)
    assert C.load([main]).typed("hz") == 3


def test_multi_arg_directives_in_file():
    cfg = C.load_string("bind 10.0.0.1 -::1\n"
                        "client-output-buffer-limit pubsub 1mb 2kb 3\n"
                        "replicaof example.com 6380\n")
    assert cfg.typed("bind") == ["10.0.0.1", "-::1"]
    assert cfg.typed("client-output-buffer-limit")["pubsub"] == (1 << 20, 2048, 3)
    assert cfg.typed("replicaof") == ("example.com", 6380)


def test_rename_command_recorded_and_checked():
    cfg = C.load_string('rename-command flushall ""\nrename-command get fetch\n')
    assert cfg.renames == [("flushall", ""), ("get", "fetch")]
    with pytest.raises(FatalConfigError) as e:
        C.load_string("rename-command nosuch x\n", commands=["get"])
    assert str(e.value) == fatal(1, "rename-command nosuch x",
                                 "No such command in rename-command")


def test_deprecated_directives_are_ignored():
    C.load_string("list-max-ziplist-entries 5\nlua-replicate-commands yes\n")


# -- command line ------------------------------------------------------------

def test_options_after_file_override_it(tmp_path):
    path = write(tmp_path, "a.conf", "port 7000\nhz 5\n")
    cfg = C.load([path, "--port", "7001", "--save", "1", "2"])
    assert cfg.typed("port") == 7001
    assert cfg.typed("hz") == 5
    assert cfg.typed("save") == [(1, 2)]
    assert cfg.path == path


def test_option_with_several_values_and_single_arg_form():
    cfg = C.load(["--save", "1", "2", "--save", "3", "4", "--hz 7"])
    assert cfg.show("save") == "1 2 3 4"
    assert cfg.typed("hz") == 7


def test_bare_save_option_means_no_snapshots():
    assert C.load(["--save", "--hz", "5"]).typed("save") == []
    assert C.load(["--save"]).typed("save") == []


def test_config_from_stdin():
    cfg = C.load(["-", "--port", "7002"], stdin=io.StringIO("hz 12\n"))
    assert cfg.typed("hz") == 12 and cfg.typed("port") == 7002


def test_version_and_help_actions():
    assert C.parse_argv(["-v"]).action == "version"
    assert C.parse_argv(["--version"]).action == "version"
    assert C.parse_argv(["-h"]).action == "help"
    assert C.parse_argv(["--test-memory", "64"]).test_memory_mb == "64"


# -- fatal errors --------------------------------------------------------------

def test_fatal_bad_directive():
    with pytest.raises(FatalConfigError) as e:
        C.load_string("port 7392\nfoo bar\n")
    assert str(e.value) == fatal(2, "foo bar",
                                 "Bad directive or wrong number of arguments")


def test_fatal_wrong_argument_count():
    with pytest.raises(FatalConfigError) as e:
        C.load_string("port 1\nhz\n")
    assert str(e.value) == fatal(2, "hz", "wrong number of arguments")


def test_fatal_bool_value():
    with pytest.raises(FatalConfigError) as e:
        C.load_string("daemonize maybe\n")
    assert str(e.value) == fatal(1, "daemonize maybe",
                                 "argument must be 'yes' or 'no'")


def test_fatal_enum_value():
    with pytest.raises(FatalConfigError) as e:
        C.load_string("loglevel foo\n")
    assert str(e.value) == fatal(
        1, "loglevel foo", "argument(s) must be one of the following: "
        "debug, verbose, notice, warning")


def test_fatal_unbalanced_quotes_shows_trimmed_line():
    with pytest.raises(FatalConfigError) as e:
        C.load_string('  port "abc  \n')
    assert str(e.value) == fatal(1, 'port "abc',
                                 "Unbalanced quotes in configuration line")


def test_fatal_line_numbers_of_command_line_options():
    # Options come after the (empty) file and a newline: the first one is
    # line 2 and values are re-quoted.
    with pytest.raises(FatalConfigError) as e:
        C.load(["--port", "5", "--hz", "abc"])
    assert str(e.value) == fatal(
        3, 'hz "abc"', "argument couldn't be parsed into an integer")


def test_fatal_option_not_starting_with_dashes():
    with pytest.raises(FatalConfigError) as e:
        C.load(["-x"])
    assert str(e.value) == fatal(2, '"-x"',
                                 "Bad directive or wrong number of arguments")


def test_fatal_missing_config_file_is_a_log_message(tmp_path):
    path = str(tmp_path / "nope.conf")
    with pytest.raises(FatalConfigError) as e:
        C.load([path])
    assert e.value.as_log
    assert str(e.value) == ("Fatal error, can't open config file '%s': "
                            "No such file or directory" % path)


def test_fatal_unopenable_logfile_has_no_line(tmp_path):
    with pytest.raises(FatalConfigError) as e:
        C.load_string("logfile %s/no/such/dir/log\n" % tmp_path)
    assert str(e.value) == ("\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\n"
                            "Can't open the log file: No such file or "
                            "directory\n")


def test_hz_out_of_range_is_clamped_on_load():
    assert C.load_string("hz 0\n").typed("hz") == 1
    assert C.load_string("hz 100000\n").typed("hz") == 500


# -- memory units ------------------------------------------------------------

@pytest.mark.parametrize("text,value", [
    ("0", 0), ("1b", 1), ("5B", 5), ("1k", 1000), ("1kb", 1024),
    ("1Kb", 1024), ("1m", 1000000), ("1mb", 1 << 20), ("1MB", 1 << 20),
    ("1g", 10 ** 9), ("2gb", 2 << 30), ("", 0), ("k", 0),
    ("99999999999999999999", C.ULLONG_MAX),
    ("18446744073709551615k", 18446744073709550616),
])
def test_memtoull_accepts(text, value):
    assert C.memtoull(text) == value


@pytest.mark.parametrize("text", ["-1", "-0", "+5", "1.5k", "1x", " 5",
                                  "5 ", "0x10", "1 k"])
def test_memtoull_rejects(text):
    assert C.memtoull(text) is None


def test_memory_values_printed_as_bytes():
    cfg = Config()
    cfg.set([("maxmemory", "1gb")])
    assert cfg.get(["maxmemory"]) == [("maxmemory", "1073741824")]


# -- CONFIG GET ---------------------------------------------------------------

def test_get_glob_is_case_insensitive_and_includes_aliases():
    names = dict(Config().get(["SLAVE*"]))
    assert names["slaveof"] == ""
    assert names["slave-read-only"] == "yes"
    assert "replica-read-only" not in names


def test_get_several_patterns_without_duplicates():
    got = Config().get(["hz", "HZ", "h?", "maxmemory*"])
    keys = [k for k, _ in got]
    assert keys.count("hz") == 1 and "HZ" not in keys
    assert {"maxmemory", "maxmemory-policy", "maxmemory-samples"} <= set(keys)


def test_get_exact_name_echoes_the_spelling():
    assert Config().get(["SlaveOf"]) == [("SlaveOf", "")]


def test_get_unknown_returns_nothing():
    assert Config().get(["nosuch"]) == []


def test_get_default_formats():
    got = dict(Config().get(["*"]))
    assert got["save"] == "3600 1 300 100 60 10000"
    assert got["client-output-buffer-limit"] == \
        "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"
    assert got["bind"] == "* -::*"
    assert got["appendfsync"] == "everysec"
    assert got["protected-mode"] == "yes"
    assert got["unixsocketperm"] == "0"
    assert got["latency-tracking-info-percentiles"] == "50 99 99.9"


def test_glob_classes_and_escapes():
    assert C.glob_match("h[a-z]", "hz")
    assert not C.glob_match("h[^z]", "hz")
    assert C.glob_match("a\\*", "a*") and not C.glob_match("a\\*", "ab")


# -- CONFIG SET ---------------------------------------------------------------

def test_set_unknown_option():
    assert set_error(Config(), ("foo", "bar")) == \
        "ERR Unknown option or number of arguments for CONFIG SET - 'foo'"


def test_set_unknown_option_wins_over_later_errors():
    assert set_error(Config(), ("hz", "1"), ("foo", "2"), ("daemonize", "no")) \
        == "ERR Unknown option or number of arguments for CONFIG SET - 'foo'"


def test_set_first_problem_before_unknown_option_wins():
    assert set_error(Config(), ("daemonize", "yes"), ("foo", "1")) == \
        ("ERR CONFIG SET failed (possibly related to argument 'daemonize') - "
         "can't set immutable config")


def test_set_immutable_alias_keeps_spelling():
    assert set_error(Config(), ("slaveof", "a 1")) == \
        ("ERR CONFIG SET failed (possibly related to argument 'slaveof') - "
         "can't set immutable config")


def test_set_protected_config():
    assert set_error(Config(), ("dir", "/tmp")) == \
        ("ERR CONFIG SET failed (possibly related to argument 'dir') - "
         "can't set protected config")


def test_set_protected_allowed_for_local_clients_when_local():
    cfg = C.load_string("enable-protected-configs local\n")
    cfg.set([("dbfilename", "x.rdb")], local_client=True)
    assert cfg.typed("dbfilename") == "x.rdb"
    assert "protected" in set_error(cfg, ("dbfilename", "y.rdb"))


def test_set_duplicate_parameter_names_second_spelling():
    assert set_error(Config(), ("hz", "5"), ("HZ", "6")) == \
        ("ERR CONFIG SET failed (possibly related to argument 'HZ') - "
         "duplicate parameter")


def test_set_name_and_alias_are_not_duplicates():
    cfg = Config()
    cfg.set([("lua-time-limit", "5"), ("busy-reply-threshold", "6")])
    assert cfg.typed("busy-reply-threshold") == 6


def test_set_bad_memory_value():
    assert set_error(Config(), ("maxmemory", "abc")) == \
        ("ERR CONFIG SET failed (possibly related to argument 'maxmemory') - "
         "argument must be a memory value")


def test_set_value_error_uses_lowercase_name():
    assert set_error(Config(), ("MAXMEMORY", "1.5k")) == \
        ("ERR CONFIG SET failed (possibly related to argument 'maxmemory') - "
         "argument must be a memory value")


def test_set_integer_bounds_message():
    assert set_error(Config(), ("hz", "-1")) == \
        ("ERR CONFIG SET failed (possibly related to argument 'hz') - "
         "argument must be between 0 and 2147483647 inclusive")
    assert set_error(Config(), ("maxclients", "0")).endswith(
        "argument must be between 1 and 4294967295 inclusive")
    assert set_error(Config(), ("slowlog-log-slower-than", "-2")).endswith(
        "argument must be between -1 and 9223372036854775807 inclusive")


def test_set_huge_memory_wraps_into_bound_error():
    assert set_error(Config(), ("proto-max-bulk-len",
                                "99999999999999999999")).endswith(
        "argument must be between 1048576 and 9223372036854775807 inclusive")


@pytest.mark.parametrize("bad", ["1e3", " 5", "+5", "05", "-0", ""])
def test_set_strict_integers(bad):
    assert set_error(Config(), ("timeout", bad)).endswith(
        "argument couldn't be parsed into an integer")


def test_set_percent_values():
    cfg = Config()
    cfg.set([("maxmemory-clients", "10%")])
    assert cfg.show("maxmemory-clients") == "10%"
    assert cfg.typed("maxmemory-clients") == -10
    assert set_error(cfg, ("maxmemory-clients", "200%")).endswith(
        "percentage argument must be less or equal to 100")
    assert set_error(cfg, ("maxmemory-clients", "-5")).endswith(
        "argument must be a memory or percent value")


def test_set_enum_error_and_case():
    cfg = Config()
    cfg.set([("loglevel", "WARNING")])
    assert cfg.show("loglevel") == "warning"
    assert set_error(cfg, ("repl-diskless-load", "foo")).endswith(
        "argument(s) must be one of the following: disabled, on-empty-db, "
        "swapdb")


def test_set_bool_error():
    assert set_error(Config(), ("appendonly", "maybe")).endswith(
        "argument must be 'yes' or 'no'")


def test_set_save_errors_and_clear():
    cfg = Config()
    for bad in ("1 2 3", "100 a", "0 1", "1 -1", " 1 2", "5 6  7 8"):
        assert set_error(cfg, ("save", bad)).endswith("Invalid save parameters")
    cfg.set([("save", "")])
    assert cfg.show("save") == ""


def test_set_client_output_buffer_limit_merges_classes():
    cfg = Config()
    cfg.set([("client-output-buffer-limit", "slave 1mb 2 3 pubsub 0 0 0")])
    assert cfg.show("client-output-buffer-limit") == \
        "normal 0 0 0 slave 1048576 2 3 pubsub 0 0 0"
    assert set_error(cfg, ("client-output-buffer-limit", "normal 1 2")).endswith(
        "Wrong number of arguments in buffer limit configuration.")
    assert set_error(cfg, ("client-output-buffer-limit",
                           "master 1 2 3")).endswith(
        "Invalid client class specified in buffer limit configuration.")
    assert set_error(cfg, ("client-output-buffer-limit",
                           "normal 1k 2x 3")).endswith(
        "Error in hard, soft or soft_seconds setting in buffer limit "
        "configuration.")


def test_set_notify_keyspace_events_canonical_form():
    cfg = Config()
    for given, shown in (("g$lshzxetd", "A"), ("En", "nE"), ("AKEmn", "AKEm"),
                         ("KEA", "AKE"), ("", "")):
        cfg.set([("notify-keyspace-events", given)])
        assert cfg.show("notify-keyspace-events") == shown
    assert set_error(cfg, ("notify-keyspace-events", "Q")).endswith(
        "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.")


def test_set_hz_is_clamped():
    cfg = Config()
    cfg.set([("hz", "5000")])
    assert cfg.show("hz") == "500"


def test_set_is_all_or_nothing():
    cfg = Config()
    assert "memory value" in set_error(cfg, ("hz", "50"), ("maxmemory", "x"))
    assert cfg.typed("hz") == 10


def test_set_loading_refuses_deny_loading_configs():
    with pytest.raises(ConfigError) as e:
        Config().set([("appendonly", "yes")], loading=True)
    assert e.value.message == "LOADING Redis is loading the dataset in memory"


def test_watchers_receive_typed_values():
    cfg, seen = Config(), []
    cfg.watch("maxmemory", seen.append)
    cfg.watch("save", seen.append)
    cfg.set([("maxmemory", "1kb"), ("save", "10 1")])
    assert seen == [1024, [(10, 1)]]


def test_watcher_failure_rolls_back_everything():
    cfg, seen = Config(), []
    cfg.watch("hz", seen.append)

    def refuse(port):
        raise ConfigError("Unable to listen on this port. Check server logs.")
    cfg.watch("port", refuse)
    assert set_error(cfg, ("hz", "20"), ("port", "7000")) == \
        ("ERR CONFIG SET failed (possibly related to argument 'port') - "
         "Unable to listen on this port. Check server logs.")
    assert cfg.typed("hz") == 10 and cfg.typed("port") == 6379
    assert seen == [20, 10]


def test_sensitive_flags():
    cfg = Config()
    assert cfg.is_sensitive("requirepass") and cfg.is_sensitive("masterauth")
    assert not cfg.is_sensitive("hz")


# -- CONFIG REWRITE ------------------------------------------------------------

def test_rewrite_without_config_file():
    with pytest.raises(ConfigError) as e:
        Config().rewrite()
    assert e.value.message == "ERR The server is running without a config file"


def test_rewrite_keeps_comments_and_updates_in_place(tmp_path):
    path = write(tmp_path, "r.conf",
                 "# top\nport 7000\n\n\n# about hz\nhz 10\nHZ 11\n"
                 "slave-read-only yes\n  # indented\nrename-command GET \"\"\n"
                 "foo bar\n")
    cfg = C.load_string("port 7000\nhz 11\n")
    cfg.set([("hz", "12"), ("replica-read-only", "no"), ("timeout", "7")])
    cfg.rewrite(path)
    assert open(path).read() == (
        "# top\nport 7000\n\n# about hz\nhz 12\n\nreplica-read-only no\n"
        "# indented\nrename-command GET \"\"\n# ??? foo bar\n\n"
        "# Generated by CONFIG REWRITE\n"
        "timeout 7\n"
        "save 3600 1\nsave 300 100\nsave 60 10000\n"
        "dir \"%s\"\n"
        "latency-tracking-info-percentiles 50 99 99.9\n" % os.getcwd())


def test_rewrite_formats_memory_and_quotes_strings(tmp_path):
    path = write(tmp_path, "r.conf", "maxmemory 1\nmasteruser x\n")
    cfg = Config()
    cfg.set([("maxmemory", "2gb"), ("masteruser", 'a b"c'),
             ("client-output-buffer-limit", "pubsub 1mb 3000 5")])
    cfg.rewrite(path)
    text = open(path).read()
    assert "maxmemory 2gb\n" in text
    assert 'masteruser "a b\\"c"\n' in text
    assert "client-output-buffer-limit pubsub 1mb 3000 5\n" in text


def test_rewrite_drops_lines_of_unset_strings_and_default_bind(tmp_path):
    path = write(tmp_path, "r.conf", 'masterauth "x"\nbind * -::*\nslaveof h 1\n')
    C.Config().rewrite(path)
    text = open(path).read()
    assert "masterauth" not in text and "bind" not in text
    assert "slaveof" not in text and "replicaof" not in text


def test_rewrite_uses_alias_lines_for_main_name(tmp_path):
    path = write(tmp_path, "r.conf", "lua-time-limit 100\n")
    cfg = Config()
    cfg.set([("busy-reply-threshold", "9")])
    cfg.rewrite(path)
    assert open(path).read().startswith("busy-reply-threshold 9\n")


def test_rewrite_then_load_round_trips(tmp_path):
    path = write(tmp_path, "r.conf", "port 7000\n")
    cfg = C.load([path])
    cfg.set([("save", ""), ("maxmemory", "3000000"), ("bind", ""),
             ("notify-keyspace-events", "Kx"), ("masterauth", "p\nq")])
    cfg.rewrite()
    again = C.load([path])
    for name in ("save", "maxmemory", "bind", "notify-keyspace-events",
                 "masterauth", "port"):
        assert again.show(name) == cfg.show(name)


# -- table and shipped file -------------------------------------------------------

def test_every_directive_appears_in_redis_conf():
    text = open(SHIPPED).read()
    active = set(re.findall(r"^([a-z_-]+)\s", text, re.M))
    assert {d.name for d in C.DIRECTIVES} <= active


def test_shipped_redis_conf_is_the_defaults_except_bind(monkeypatch):
    monkeypatch.chdir(ROOT)
    loaded, default = C.load([SHIPPED]), Config()
    diff = {d.name for d in C.DIRECTIVES
            if loaded.show(d.name) != default.show(d.name)}
    assert diff == {"bind"}
    assert loaded.show("bind") == "127.0.0.1 -::1"


def test_defaults_survive_their_own_parser():
    # Each default printed by CONFIG GET is accepted back by CONFIG SET.
    cfg = Config()
    for d in C.DIRECTIVES:
        if d.flags & (C.IMMUTABLE | C.PROTECTED) or d.name == "bind":
            continue
        cfg.set([(d.name, cfg.show(d.name))])
    assert cfg.get(["*"]) == Config().get(["*"])
