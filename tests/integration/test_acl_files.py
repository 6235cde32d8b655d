"""Users from files, on both servers: the aclfile (loaded at start-up, ACL
LOAD, ACL SAVE), `user` lines of the config file (and CONFIG REWRITE
writing them back), and the start-up errors of both."""
import os

from support.resp import RespClient, parse
from support.servers import Server, free_port, run_server_once

ALICE = "user alice on >pa ~a* +get"


def _write(path, text):
    with open(path, "w") as f:
        f.write(text)


def _acl_list(server):
    with RespClient(port=server.port) as c:
        return parse(c.call("ACL", "LIST"))


def test_aclfile_users_are_loaded_at_start_up(kind, tmp_path):
    acl = str(tmp_path / "users.acl")
    _write(acl, "user default on nopass ~* &* +@all\n%s\n" % ALICE)
    with Server(kind, ["--aclfile", acl]) as s:
        assert _acl_list(s) == [
            b"user alice on #9513229d435978263d82902c59d4e0fb86c941a9bf09b605cd8a6643f40149a8"
            b" ~a* resetchannels -@all +get",
            b"user default on nopass ~* &* +@all"]
        with RespClient(port=s.port) as c:
            assert c.call("AUTH", "alice", "pa") == b"+OK\r\n"
            assert c.call("GET", "b") == (b"-NOPERM this user has no permissions to access "
                                          b"one of the keys used as arguments\r\n")


def test_acl_save_writes_the_users_and_load_reads_them_back(kind, tmp_path):
    acl = str(tmp_path / "users.acl")
    _write(acl, "")
    with Server(kind, ["--aclfile", acl]) as s, RespClient(port=s.port) as c:
        assert c.call("ACL", "SETUSER", "carol", "on", ">pc", "(+set ~x)") == b"+OK\r\n"
        assert c.call("ACL", "SAVE") == b"+OK\r\n"
        with open(acl) as f:
            saved = f.read()
        assert saved == (
            "user carol on #d8463bd3ba4b10e5916f65fa7b0c1f9f91f67ca40cc25b48810fb2f5a3340488"
            " resetchannels -@all (~x resetchannels -@all +set)\n"
            "user default on nopass ~* &* +@all\n")
        c.call("ACL", "SETUSER", "dave")
        assert c.call("ACL", "LOAD") == b"+OK\r\n"
        assert parse(c.call("ACL", "USERS")) == [b"carol", b"default"]


def test_acl_load_disconnects_clients_of_replaced_users(kind, tmp_path):
    acl = str(tmp_path / "users.acl")
    _write(acl, ALICE + "\n")
    with Server(kind, ["--aclfile", acl]) as s, RespClient(port=s.port) as admin, \
            RespClient(port=s.port) as alice:
        assert alice.call("AUTH", "alice", "pa") == b"+OK\r\n"
        assert admin.call("ACL", "LOAD") == b"+OK\r\n"
        assert alice.is_closed()
        assert admin.call("PING") == b"+PONG\r\n"


def test_acl_load_errors_change_nothing(kind, tmp_path):
    acl = str(tmp_path / "users.acl")
    _write(acl, ALICE + "\n")
    with Server(kind, ["--aclfile", acl]) as s, RespClient(port=s.port) as c:
        before = c.call("ACL", "LIST")
        _write(acl, "user default on nopass ~* &* +@all\nuser bob on >pb bogus\nfoo bar\n")
        assert c.call("ACL", "LOAD") == (
            b"-ERR %s:2: Syntax error. %s:3 should start with user keyword followed by the "
            b"username. WARNING: ACL errors detected, no change to the previously active ACL "
            b"rules was performed\r\n" % (acl.encode(), acl.encode()))
        _write(acl, "user bob on\n\nuser bob off\n")
        assert c.call("ACL", "LOAD") == (
            b"-ERR WARNING: Duplicate user 'bob' found on line 3. WARNING: ACL errors detected, "
            b"no change to the previously active ACL rules was performed\r\n")
        _write(acl, "user bob on +nosuch\n")
        assert c.call("ACL", "LOAD") == (
            b"-ERR %s:1: Error in applying operation '+nosuch': Unknown command or category name "
            b"in ACL. WARNING: ACL errors "
            b"detected, no change to the previously active ACL rules was performed\r\n"
            % acl.encode())
        _write(acl, "user bob (+get\n")
        assert c.call("ACL", "LOAD") == (
            b"-ERR %s:1: Unmatched parenthesis in selector definition.WARNING: ACL errors "
            b"detected, no change to the previously active ACL rules was performed\r\n"
            % acl.encode())
        os.unlink(acl)
        assert c.call("ACL", "LOAD") == (
            b"-ERR Error loading ACLs, opening file '%s': No such file or directory\r\n"
            % acl.encode())
        assert c.call("ACL", "LIST") == before


def test_bad_aclfile_aborts_start_up(kind, tmp_path):
    acl = str(tmp_path / "bad.acl")
    _write(acl, "user bob on >pb bogus\n")
    r = run_server_once(kind, ["--port", str(free_port()), "--aclfile", acl], cwd=str(tmp_path))
    assert r.returncode != 0
    assert ("Aborting Redis startup because of ACL errors: %s:1: Syntax error. WARNING: ACL "
            "errors detected, no change to the previously active ACL rules was performed"
            % acl) in r.stdout


def test_user_lines_and_aclfile_together_abort_start_up(kind, tmp_path):
    acl = str(tmp_path / "users.acl")
    _write(acl, "")
    r = run_server_once(kind, ["--port", str(free_port()), "--aclfile", acl, "--user", "alice", "on"],
                        cwd=str(tmp_path))
    assert r.returncode != 0
    assert ("Configuring Redis with users defined in redis.conf and at the same setting an "
            "ACL file path is invalid.") in r.stdout


def test_user_lines_in_the_config_file(kind, tmp_path):
    conf = str(tmp_path / "r.conf")
    _write(conf, "%s\nuser default on >dpw ~* &* +@all\n" % ALICE)
    with Server(kind, config_file=conf) as s, RespClient(port=s.port) as c:
        assert c.call("PING") == b"-NOAUTH Authentication required.\r\n"
        assert c.call("AUTH", "dpw") == b"+OK\r\n"
        assert parse(c.call("ACL", "USERS")) == [b"alice", b"default"]
        assert c.call("ACL", "DRYRUN", "alice", "get", "a1") == b"+OK\r\n"


def test_bad_user_line_is_a_config_error(kind, tmp_path):
    r = run_server_once(kind, ["--port", str(free_port()), "--user", "alice", "on", "bogus"],
                        cwd=str(tmp_path))
    assert r.returncode != 0
    assert ">>> 'user \"alice\" \"on\" \"bogus\"'\nError in user declaration 'alice': Syntax error" \
        in r.stdout + r.stderr


def test_config_rewrite_writes_the_users(kind, tmp_path):
    conf = str(tmp_path / "r.conf")
    _write(conf, ALICE + "\n")
    with Server(kind, config_file=conf) as s, RespClient(port=s.port) as c:
        c.call("ACL", "SETUSER", "bob", "on", ">pb", "+@read", "~*")
        c.call("ACL", "DELUSER", "alice")
        assert c.call("CONFIG", "REWRITE") == b"+OK\r\n"
    with open(conf) as f:
        users = [line for line in f.read().splitlines() if line.startswith("user ")]
    assert users == [
        "user bob on #3315f44da4a7aaaf8d84382c7583233f697787f5871294ed49cd41207f7375a0 ~* "
        "resetchannels -@all +@read",
        "user default on nopass ~* &* +@all"]


def test_default_user_line_defines_the_default_user_alone(kind, tmp_path):
    conf = str(tmp_path / "r.conf")
    _write(conf, "user default on nopass ~* +@string +ping\nuser admin on >pw +@all\n")
    with Server(kind, config_file=conf) as s, RespClient(port=s.port) as c:
        assert c.call("LPUSH", "k", "v") == (b"-NOPERM this user has no permissions to run the "
                                             b"'lpush' command\r\n")
        assert c.call("AUTH", "admin", "pw") == b"+OK\r\n"
        assert parse(c.call("ACL", "LIST")) == [
            b"user admin on #30c952fab122c3f9759f02a6d95c3758b246b4fee239957b2d4fee46e26170c4"
            b" resetchannels +@all",
            b"user default on nopass sanitize-payload ~* resetchannels -@all +@string +ping"]


def test_unknown_command_in_a_user_line_stops_start_up(kind, tmp_path):
    r = run_server_once(kind, ["--port", str(free_port()), "--user", "alice", "on", "+nosuch"],
                        cwd=str(tmp_path))
    assert r.returncode != 0
    assert ("Error loading ACL rule '+nosuch' for the user named 'alice': Unknown command or "
            "category name in ACL") in r.stdout
    assert "Critical error while loading ACLs. Exiting." in r.stdout
