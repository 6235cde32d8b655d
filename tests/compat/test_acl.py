"""Differential tests for ACL: the rule grammar of ACL SETUSER and how users
are written back (ACL LIST / GETUSER), the ACL subcommands, AUTH and HELLO
against users, and the permission check on every path (commands, keys,
channels, MULTI/EXEC, scripts, blocking commands).

Redis writes the single-command part of a user's rules in the order of its
command dict, which is seeded at random per process: where a user would
need more than one single-command rule (other than a command followed by
its own subcommands), the tests compare the rules as a set."""
import time

import pytest

from support.resp import Error, RespClient, parse

DEFAULT_LINE = b"user default on nopass ~* &* +@all"


@pytest.fixture
def acl(pair):
    """ACL state is server-wide: every user but default is deleted, the
    default user is put back as it starts, and the ACL log is emptied."""
    yield pair
    restore_default = ("ACL", "SETUSER", "default", "on", "nopass", "resetkeys", "~*",
                       "resetchannels", "&*", "+@all", "clearselectors")
    # a test may have given the default user a password or turned it off:
    # the test's own connections, logged in before, put it back
    for conn in (pair.real, pair.ours):
        try:
            conn.call(*restore_default)
        except OSError:
            pass
    admin = pair.connect()
    try:
        for conn in (admin.real, admin.ours):
            for user in parse(conn.call("ACL", "USERS")):
                if user != b"default":
                    conn.call("ACL", "DELUSER", user)
            conn.call(*restore_default)
            conn.call("ACL", "LOG", "RESET")
        admin.check("ACL", "LIST")
    finally:
        admin.close()


def _login(pair, user, password):
    pair.check("AUTH", user, password)


def _log_fields(conn, n=10):
    """ACL LOG entries without the fields that differ between two servers
    (age, the client's address and ids)."""
    out = []
    for e in parse(conn.call("ACL", "LOG", str(n))):
        d = dict(zip(e[::2], e[1::2]))
        d.pop(b"age-seconds")
        info = dict(f.split(b"=", 1) for f in d.pop(b"client-info").split(b" "))
        d[b"cmd"], d[b"user"] = info[b"cmd"], info[b"user"]
        out.append(d)
    return out


def _rules_key(text):
    """A rules string with its single-command rules (+cmd, -cmd) as a set:
    Redis writes those in its per-process random dict order."""
    tokens = text.split()
    singles = [t for t in tokens if t[:1] in (b"+", b"-") and not t.startswith((b"+@", b"-@"))]
    return [t for t in tokens if t not in singles], sorted(singles)


def _check_rules(pair, *cmd):
    """cmd's replies compared with _rules_key applied to every string."""
    def norm(v):
        if isinstance(v, list):
            return [norm(x) for x in v]
        if isinstance(v, bytes):
            return _rules_key(v)
        return v
    real, ours = parse(pair.real.call(*cmd)), parse(pair.ours.call(*cmd))
    assert norm(ours) == norm(real), (ours, real)
    return real


def _check_log(pair, n=10):
    """Compare the ACL logs, read by the default user."""
    admin = pair.connect()
    try:
        real, ours = _log_fields(admin.real, n), _log_fields(admin.ours, n)
    finally:
        admin.close()
    assert ours == real
    return real


# --- the default user ---------------------------------------------------------

def test_default_user_is_on_nopass_with_everything(acl):
    assert acl.check("ACL", "LIST") == b"*1\r\n$%d\r\n%s\r\n" % (len(DEFAULT_LINE), DEFAULT_LINE)
    acl.check("ACL", "GETUSER", "default")
    acl.check("ACL", "WHOAMI")


def test_requirepass_sets_the_default_users_password(acl, config):
    config("requirepass", "secret")
    acl.check("ACL", "LIST")
    acl.check("ACL", "GETUSER", "default")
    config("requirepass", "")
    acl.check("ACL", "LIST")


# --- describing users -----------------------------------------------------------

def test_new_user_is_off_with_no_permissions(acl):
    acl.check("ACL", "SETUSER", "u")
    acl.check("ACL", "LIST")
    acl.check("ACL", "GETUSER", "u")


def test_passwords_key_and_channel_patterns_are_written_back(acl):
    acl.check("ACL", "SETUSER", "u", "on", ">p1", ">p2", "#" + "a" * 64, "~k*", "%R~r*",
              "%W~w*", "%RW~x", "&ch", "&news.*", "+@hash", "-hget")
    acl.check("ACL", "LIST")
    acl.check("ACL", "GETUSER", "u")


def test_key_permission_without_pattern_is_the_empty_pattern(acl):
    acl.check("ACL", "SETUSER", "u", "%R")
    acl.check("ACL", "GETUSER", "u")
    acl.check("ACL", "SETUSER", "u", "%W~")
    acl.check("ACL", "LIST")


def test_duplicate_patterns_and_passwords_are_kept_once(acl):
    acl.check("ACL", "SETUSER", "u", ">p", ">p", "~a", "~a", "%R~b", "%W~b", "&c", "&c")
    acl.check("ACL", "GETUSER", "u")


def test_removing_passwords(acl):
    acl.check("ACL", "SETUSER", "u", ">a", ">b", "<a")
    acl.check("ACL", "GETUSER", "u")
    acl.check("ACL", "SETUSER", "u", "!" + "3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d")
    acl.check("ACL", "GETUSER", "u")
    acl.check("ACL", "SETUSER", "u", ">x", "nopass")
    acl.check("ACL", "GETUSER", "u")
    acl.check("ACL", "SETUSER", "u", "resetpass")
    acl.check("ACL", "GETUSER", "u")


@pytest.mark.parametrize("rules", [
    ("+@all", "-@hash", "-get"),
    ("+@all", "-@dangerous"),
    ("+@all", "-@read", "-@write", "+get"),
    ("+@all", "-client", "+client|id"),
    ("+@read", "+@write", "+@keyspace"),
    ("+@slow",),
    ("+@fast", "+@connection", "-ping"),
    ("-@all", "+@admin"),
    ("allcommands", "nocommands", "+@string"),
    ("+get", "+@all"),
    ("+@list", "-@blocking"),
    ("+config|get",),
    ("+select|0", "+select|1"),
    ("+@all", "-@all"),
])
def test_command_rules_are_written_as_redis_does(acl, rules):
    acl.check("ACL", "SETUSER", "u", *rules)
    _check_rules(acl, "ACL", "GETUSER", "u")
    _check_rules(acl, "ACL", "LIST")


def test_several_single_command_rules(acl):
    acl.check("ACL", "SETUSER", "u", "+get", "+@hash", "-hget", "+client|id", "+config")
    real = _check_rules(acl, "ACL", "GETUSER", "u")
    assert _rules_key(real[5]) == ([b"-@all", b"+@hash"],
                                   [b"+client|id", b"+config", b"+get", b"-hget"])


def test_allchannels_and_resetchannels(acl):
    acl.check("ACL", "SETUSER", "u", "allchannels")
    acl.check("ACL", "GETUSER", "u")
    acl.check("ACL", "SETUSER", "u", "resetchannels", "&a")
    acl.check("ACL", "LIST")


def test_reset_clears_everything(acl):
    acl.check("ACL", "SETUSER", "u", "on", ">p", "~*", "&*", "+@all", "(+get ~x)")
    acl.check("ACL", "SETUSER", "u", "reset")
    acl.check("ACL", "GETUSER", "u")
    acl.check("ACL", "LIST")


def test_payload_sanitization_flags(acl):
    acl.check("ACL", "SETUSER", "u", "skip-sanitize-payload")
    acl.check("ACL", "GETUSER", "u")
    acl.check("ACL", "SETUSER", "u", "sanitize-payload")
    acl.check("ACL", "LIST")


def test_selectors_are_written_back(acl):
    acl.check("ACL", "SETUSER", "u", "(+get ~x)", "(+set %W~y &c)")
    acl.check("ACL", "LIST")
    acl.check("ACL", "GETUSER", "u")


def test_selectors_in_resp3(acl):
    acl.both("HELLO", "3")
    acl.check("ACL", "SETUSER", "u", "on", ">p", "~a", "(+get ~x)")
    acl.check("ACL", "GETUSER", "u")
    acl.check("ACL", "GETUSER", "nosuch")


def test_selector_may_span_arguments(acl):
    acl.check("ACL", "SETUSER", "u", "(+get", "~x)")
    acl.check("ACL", "GETUSER", "u")


def test_clearselectors(acl):
    acl.check("ACL", "SETUSER", "u", "(+get ~x)", "(+set ~y)")
    acl.check("ACL", "SETUSER", "u", "clearselectors")
    acl.check("ACL", "LIST")


@pytest.mark.parametrize("rule", [
    "bogus", "+nosuch", "+@nosuch", "-@nosuch", "-select|0", "+config|nosuch",
    "+config|get|x", "-config|get|x", "+get|x|y", "+debug|", "#abc", "!abc", "<nope",
    "!" + "b" * 64, "%X~a", "%~a", "%", "(+get", "(+nosuch)", "(bogus ~x)",
])
def test_invalid_rule_is_refused(acl, rule):
    acl.check("ACL", "SETUSER", "u", rule)
    acl.check("ACL", "USERS")


@pytest.mark.parametrize("rules", [
    ("~*", "~foo"), ("allkeys", "%R~foo"), ("&*", "&foo"), ("allchannels", "&x"),
])
def test_pattern_after_all_is_refused(acl, rules):
    acl.check("ACL", "SETUSER", "u", *rules)


def test_setuser_is_all_or_nothing(acl):
    acl.check("ACL", "SETUSER", "u", "on", ">p", "~a", "+get")
    acl.check("ACL", "SETUSER", "u", "off", "~b", "+set", "bogus")
    acl.check("ACL", "LIST")
    acl.check("ACL", "SETUSER", "v", "on", "bogus")
    acl.check("ACL", "USERS")


def test_default_user_rules_change_like_others(acl):
    acl.check("ACL", "SETUSER", "default", "-@string", "resetkeys", "~a*")
    acl.check("ACL", "LIST")


# --- ACL subcommands --------------------------------------------------------------

def test_deluser_counts_deleted_users_and_keeps_default(acl):
    acl.check("ACL", "SETUSER", "a")
    acl.check("ACL", "SETUSER", "b")
    acl.check("ACL", "DELUSER", "default")
    acl.check("ACL", "DELUSER", "a", "nosuch", "b")
    acl.check("ACL", "USERS")


def test_users_are_listed_sorted(acl):
    for name in ("zed", "alice", "Bob", "default2"):
        acl.check("ACL", "SETUSER", name)
    acl.check("ACL", "USERS")
    acl.check("ACL", "LIST")


def test_cat_lists_categories_and_their_commands(acl):
    acl.check("ACL", "CAT")
    acl.check_unordered("ACL", "CAT", "hash")
    acl.check_unordered("ACL", "CAT", "STRING")
    acl.check("ACL", "CAT", "nosuch")
    acl.check("ACL", "CAT", "a", "b")
    acl.check("ACL", "GENPASS", "1", "2")
    acl.check("ACL", "LOG", "1", "2")
    acl.check("ACL", "USERS", "x")


def test_genpass_lengths_and_errors(acl):
    real, ours = acl.both("ACL", "GENPASS")
    assert len(parse(ours)) == len(parse(real)) == 64
    for bits in ("1", "5", "8", "255", "4096"):
        real, ours = acl.both("ACL", "GENPASS", bits)
        assert len(parse(ours)) == len(parse(real))
        int(parse(ours), 16)
    assert acl.both("ACL", "GENPASS")[1] != acl.both("ACL", "GENPASS")[1]
    for bad in ("0", "-1", "4097", "x"):
        acl.check("ACL", "GENPASS", bad)


def test_save_and_load_need_an_acl_file(acl):
    acl.check("ACL", "SAVE")
    acl.check("ACL", "LOAD")


def test_help_and_unknown_subcommand(acl):
    acl.check("ACL", "HELP")
    acl.check("ACL", "NOSUCH")
    acl.check("ACL")


@pytest.mark.parametrize("cmd", [
    ("get", "k1"), ("get", "x"), ("set", "k1", "v"), ("nosuch",), ("get",),
    ("publish", "ch", "m"), ("publish", "zz", "m"), ("psubscribe", "c*"),
    ("subscribe", "ch", "chx"), ("client", "id"), ("client", "kill", "id", "1"),
    ("config", "get", "x"), ("config", "nosuch"), ("mget", "k1", "x", "k2"),
    ("select", "0"), ("select", "1"), ("eval", "return 1", "1", "x"),
])
def test_dryrun(acl, cmd):
    acl.check("ACL", "SETUSER", "u", "on", ">p", "~k*", "&ch", "&c*", "+get", "+mget",
              "+publish", "+psubscribe", "+subscribe", "+client|id", "+config", "+select|0",
              "+eval")
    acl.check("ACL", "DRYRUN", "u", *cmd)


def test_dryrun_unknown_user(acl):
    acl.check("ACL", "DRYRUN", "nosuch", "get", "x")


# --- authentication --------------------------------------------------------------

def test_auth_with_user_and_password(acl):
    acl.check("ACL", "SETUSER", "u", "on", ">p", "+@all", "~*")
    acl.check("AUTH", "u", "wrong")
    acl.check("AUTH", "nosuch", "p")
    acl.check("AUTH", "u", "p")
    acl.check("ACL", "WHOAMI")


def test_disabled_user_cannot_authenticate(acl):
    acl.check("ACL", "SETUSER", "u", "off", ">p", "+@all")
    acl.check("AUTH", "u", "p")
    acl.check("ACL", "WHOAMI")


def test_nopass_user_accepts_any_password(acl):
    acl.check("ACL", "SETUSER", "u", "on", "nopass", "+acl")
    acl.check("AUTH", "u", "anything")
    acl.check("ACL", "WHOAMI")


def test_auth_password_only_without_a_default_password(acl):
    acl.check("AUTH", "x")
    acl.check("AUTH", "a", "b", "c")


def test_default_user_with_password_requires_auth(acl):
    acl.check("ACL", "SETUSER", "default", "resetpass", ">pw")
    other = acl.connect()
    try:
        other.check("GET", "x")
        other.check("ACL", "WHOAMI")
        other.check("HELLO", "3")
        other.check("AUTH", "bad")
        other.check("AUTH", "pw")
        other.check("GET", "x")
    finally:
        other.close()
    acl.check("GET", "x")      # authenticated when it connected


def test_disabled_default_user_requires_auth(acl):
    acl.check("ACL", "SETUSER", "u", "on", ">p", "+@all", "~*")
    acl.check("ACL", "SETUSER", "default", "off")
    other = acl.connect()
    try:
        other.check("PING")
        other.check("AUTH", "u", "p")
        other.check("PING")
    finally:
        other.close()


def test_hello_auth(acl):
    acl.check("ACL", "SETUSER", "u", "on", ">p", "+@all", "~*")
    acl.check("HELLO", "2", "AUTH", "u", "bad")
    acl.check("HELLO", "2", "AUTH", "nosuch", "p")
    real, ours = acl.both("HELLO", "2", "AUTH", "u", "p", "SETNAME", "n")
    assert parse(ours)[:6] == parse(real)[:6]
    acl.check("ACL", "WHOAMI")
    acl.check("CLIENT", "GETNAME")


def test_failed_auths_are_logged(acl):
    acl.check("ACL", "SETUSER", "u", "on", ">p")
    acl.check("AUTH", "u", "bad")
    acl.check("AUTH", "u", "bad")
    acl.check("auth", "nosuch", "bad")
    acl.check("HELLO", "3", "AUTH", "u", "bad")
    _check_log(acl)


def test_reset_returns_to_the_default_user(acl):
    acl.check("ACL", "SETUSER", "u", "on", ">p", "+@all", "~*")
    acl.check("AUTH", "u", "p")
    acl.check("RESET")
    acl.check("ACL", "WHOAMI")


# --- enforcement --------------------------------------------------------------------

def _restricted(pair, *rules):
    pair.check("ACL", "SETUSER", "u", "on", ">p", *rules)
    _login(pair, "u", "p")


def test_command_not_allowed(acl):
    _restricted(acl, "~*", "+get")
    acl.check("SET", "k", "v")
    acl.check("GET", "k")
    acl.check("CLIENT", "ID")
    acl.check("nosuch")
    acl.check("GET")
    _check_log(acl)


def test_subcommand_rules(acl):
    _restricted(acl, "+client|id", "+config", "-config|set")
    real, ours = acl.both("CLIENT", "ID")
    assert real[:1] == ours[:1] == b":"
    acl.check("CLIENT", "GETNAME")
    acl.check("CONFIG", "SET", "maxmemory", "0")
    acl.check("CONFIG", "GET", "maxmemory")
    _check_log(acl)


def test_first_argument_rule(acl):
    _restricted(acl, "+select|0")
    acl.check("SELECT", "0")
    acl.check("SELECT", "1")


def test_no_auth_commands_are_always_allowed(acl):
    _restricted(acl, "nocommands")
    acl.check("PING")
    acl.check("QUIT")


def test_key_patterns(acl):
    _restricted(acl, "~k*", "+@all")
    acl.check("SET", "k1", "v")
    acl.check("SET", "x", "v")
    acl.check("MSET", "k1", "a", "k2", "b", "x", "c")
    acl.check("MGET", "k1", "x")
    acl.check("EXISTS", "x")
    acl.check("KEYS", "*")
    acl.check("RENAME", "k1", "x")
    acl.check("SORT", "k1", "STORE", "x")
    acl.check("ZUNIONSTORE", "k3", "2", "k1", "x")
    _check_log(acl)


def test_read_and_write_key_permissions(acl):
    acl.check("SET", "r1", "v")
    acl.check("SET", "w1", "v")
    _restricted(acl, "%R~r*", "%W~w*", "+@all")
    acl.check("GET", "r1")
    acl.check("SET", "r1", "v")
    acl.check("GET", "w1")
    acl.check("SET", "w1", "v")
    acl.check("APPEND", "w1", "x")
    acl.check("DEL", "w1")
    acl.check("EXISTS", "w1")
    acl.check("LMOVE", "r1", "w1", "LEFT", "RIGHT")
    acl.check("COPY", "r1", "w2")
    acl.check("COPY", "w1", "r2")
    _check_log(acl)


def test_channel_patterns(acl):
    _restricted(acl, "&news.*", "&chat", "+@all", "~*")
    acl.check("PUBLISH", "news.a", "m")
    acl.check("PUBLISH", "other", "m")
    acl.check("SUBSCRIBE", "chat", "other")
    acl.check("PSUBSCRIBE", "news.*")
    acl.check("PSUBSCRIBE", "news.a*")
    acl.check("UNSUBSCRIBE", "other")
    _check_log(acl)


def test_new_users_get_acl_pubsub_default(acl, config):
    config("acl-pubsub-default", "allchannels")
    acl.check("ACL", "SETUSER", "u", "on", ">p", "+@all", "(+get ~x)")
    acl.check("ACL", "LIST")
    acl.check("ACL", "SETUSER", "u", "reset")
    acl.check("ACL", "LIST")
    config("acl-pubsub-default", "resetchannels")
    acl.check("ACL", "SETUSER", "v")
    acl.check("ACL", "LIST")


def test_selectors_are_tried_in_turn(acl):
    _restricted(acl, "~a*", "+get", "(~b* +set)", "(%R~c* +@read)")
    acl.check("GET", "a1")
    acl.check("SET", "b1", "v")
    acl.check("SET", "a1", "v")
    acl.check("GET", "b1")
    acl.check("GET", "c1")
    acl.check("HGETALL", "c1")
    acl.check("HGETALL", "a1")
    acl.check("LPUSH", "d1", "v")
    _check_log(acl)


def test_queued_command_refused_aborts_the_transaction(acl):
    _restricted(acl, "~k*", "+multi", "+exec", "+get", "+set")
    acl.check("MULTI")
    acl.check("GET", "x")
    acl.check("DEL", "k")
    acl.check("SET", "k", "v")
    acl.check("EXEC")
    acl.check("GET", "k")
    _check_log(acl)


def test_exec_checks_again_commands_whose_rights_were_removed(acl):
    _restricted(acl, "~*", "&*", "+@all")
    acl.check("MULTI")
    acl.check("SET", "k", "v")
    acl.check("GET", "k")
    acl.check("PUBLISH", "c", "m")
    acl.check("GET", "other")
    admin = acl.connect()
    try:
        admin.check("ACL", "SETUSER", "u", "resetkeys", "~other", "-set", "resetchannels")
    finally:
        admin.close()
    acl.check("EXEC")
    _check_log(acl)


def test_scripts_run_commands_as_the_calling_user(acl):
    _restricted(acl, "~k*", "&ch", "+eval", "+get", "+publish")
    acl.check("EVAL", "return redis.call('get','k1')", "0")
    acl.check("EVAL", "return redis.call('get','x')", "0")
    acl.check("EVAL", "return redis.pcall('get','x')", "0")
    acl.check("EVAL", "return redis.call('set','k1','v')", "0")
    acl.check("EVAL", "return redis.pcall('set','k1','v')", "0")
    acl.check("EVAL", "return redis.call('publish','zz','m')", "0")
    acl.check("EVAL", "return redis.call('publish','ch','m')", "0")
    acl.check("EVAL", "return redis.call('get',KEYS[1])", "1", "x")
    _check_log(acl)


def test_script_acl_check_cmd(acl):
    _restricted(acl, "~k*", "+eval", "+get")
    acl.check("EVAL", "return redis.acl_check_cmd('get','k')", "0")
    acl.check("EVAL", "return redis.acl_check_cmd('get','x')", "0")
    acl.check("EVAL", "return redis.acl_check_cmd('set','k','v')", "0")
    acl.check("EVAL", "return redis.acl_check_cmd('nosuch')", "0")


def test_blocking_command_key_is_checked(acl):
    _restricted(acl, "~k*", "+@list")
    acl.check("BLPOP", "x", "0.01")
    acl.check("BLPOP", "k", "x", "0.01")
    acl.check("LPUSH", "k", "a")
    acl.check("BLPOP", "k", "0.01")
    acl.check("BLMOVE", "k", "x", "LEFT", "LEFT", "0.01")


def test_log_groups_repeated_denials_and_can_be_reset(acl):
    _restricted(acl, "+get", "~k*")
    for _ in range(3):
        acl.check("GET", "x")
    acl.check("SET", "k", "v")
    acl.check("GET", "y")
    entries = _check_log(acl)
    assert [e[b"count"] for e in entries] == [1, 1, 3]
    admin = acl.connect()
    try:
        _check_log(admin, 1)
        admin.check("ACL", "LOG", "x")
        admin.check("ACL", "LOG", "-1")
        admin.check("ACL", "LOG", "RESET")
        admin.check("ACL", "LOG")
    finally:
        admin.close()


def test_acllog_max_len_trims_the_log(acl, config):
    config("acllog-max-len", "2")
    _restricted(acl, "+get")
    for k in ("a", "b", "c"):
        acl.check("SET", k, "v")
        acl.check("GET", k)
    _check_log(acl)


# --- clients of users -------------------------------------------------------------

def _client_list_user(conn):
    text = parse(conn.call("CLIENT", "INFO"))
    return dict(f.split(b"=", 1) for f in text.split())[b"user"]


def test_client_list_shows_the_user(acl):
    acl.check("ACL", "SETUSER", "u", "on", ">p", "+@all")
    assert _client_list_user(acl.ours) == _client_list_user(acl.real) == b"default"
    _login(acl, "u", "p")
    assert _client_list_user(acl.ours) == _client_list_user(acl.real) == b"u"


def test_client_kill_user(acl):
    acl.check("ACL", "SETUSER", "u", "on", ">p", "+@all")
    victims = [acl.connect(), acl.connect()]
    try:
        for v in victims:
            _login(v, "u", "p")
        acl.check("CLIENT", "KILL", "USER", "nosuch")
        acl.check("CLIENT", "KILL", "USER", "u")
        for v in victims:
            assert v.real.is_closed() and v.ours.is_closed()
    finally:
        for v in victims:
            v.close()


def test_deleting_a_user_disconnects_its_clients(acl):
    acl.check("ACL", "SETUSER", "u", "on", ">p", "+@all")
    victim = acl.connect()
    try:
        _login(victim, "u", "p")
        acl.check("ACL", "DELUSER", "u")
        assert victim.real.is_closed() and victim.ours.is_closed()
    finally:
        victim.close()
    acl.check("PING")


def test_deleting_your_own_user_closes_after_the_reply(acl):
    acl.check("ACL", "SETUSER", "u", "on", ">p", "+@all")
    _login(acl, "u", "p")
    acl.check("ACL", "DELUSER", "u")
    assert acl.real.is_closed() and acl.ours.is_closed()


def test_removed_channel_rights_disconnect_subscribers(acl):
    acl.check("ACL", "SETUSER", "u", "on", ">p", "+@all", "&a", "&b")
    sub = acl.connect()
    keep = acl.connect()
    try:
        _login(sub, "u", "p")
        sub.check("SUBSCRIBE", "a")
        _login(keep, "u", "p")
        keep.check("SUBSCRIBE", "b")
        acl.check("ACL", "SETUSER", "u", "resetchannels", "&b")
        assert sub.real.is_closed() and sub.ours.is_closed()
        keep.check("PING")
    finally:
        sub.close()
        keep.close()


def test_debug_command_is_refused_by_default(acl):
    acl.check("DEBUG", "SLEEP", "0")


def test_turning_a_user_off_keeps_its_clients(acl):
    acl.check("ACL", "SETUSER", "u", "on", ">p", "+@all")
    _login(acl, "u", "p")
    admin = acl.connect()
    try:
        admin.check("ACL", "SETUSER", "u", "off", "resetpass")
    finally:
        admin.close()
    acl.check("PING")
    acl.check("ACL", "WHOAMI")
