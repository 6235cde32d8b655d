"""The security switches around ACL, on both servers: rename-command,
enable-debug-command, enable-protected-configs, and protected mode.

Protected mode refuses clients that do not connect from a loopback address
or a unix socket; the tests may only bind 127.0.0.1, so that refusal is
tested on the decision function alone (pyredis's core, in this process),
and end to end only the loopback side of it."""
import os
import subprocess
import sys

import pytest

from support.resp import RespClient, parse
from support.servers import Server

DEBUG_REFUSED = (b"-ERR DEBUG command not allowed. If the enable-debug-command option is set "
                 b"to \"local\", you can run it from a local connection, otherwise you need to "
                 b"set this option in the configuration file, and then restart the server.\r\n")


def test_renamed_command_answers_to_its_new_name(kind):
    with Server(kind, ["--rename-command", "get", "fetch", "--rename-command", "flushall", ""]) as s, \
            RespClient(port=s.port) as c:
        assert c.call("SET", "k", "v") == b"+OK\r\n"
        assert c.call("GET", "k") == (b"-ERR unknown command 'GET', with args beginning with: "
                                      b"'k' \r\n")
        assert c.call("FETCH", "k") == b"$1\r\nv\r\n"
        assert c.call("FLUSHALL").startswith(b"-ERR unknown command 'FLUSHALL'")


def test_rename_command_of_an_unknown_command_is_a_config_error(kind, tmp_path):
    conf = str(tmp_path / "r.conf")
    with open(conf, "w") as f:
        f.write("rename-command nosuch other\n")
    s = Server(kind, config_file=conf)
    with pytest.raises(Exception):
        s.start()
    assert "No such command in rename-command" in s.output()


def test_debug_command_refused_by_default_even_before_auth(kind):
    with Server(kind, ["--requirepass", "pw"]) as s, RespClient(port=s.port) as c:
        assert c.call("DEBUG", "SLEEP", "0") == DEBUG_REFUSED
        assert c.call("AUTH", "pw") == b"+OK\r\n"
        assert c.call("DEBUG", "SLEEP", "0") == DEBUG_REFUSED


@pytest.mark.parametrize("mode", ["yes", "local"])
def test_debug_command_enabled(kind, mode):
    with Server(kind, ["--enable-debug-command", mode]) as s, RespClient(port=s.port) as c:
        assert c.call("DEBUG", "SLEEP", "0") == b"+OK\r\n"


def test_protected_configs_need_enable_protected_configs(kind, tmp_path):
    with Server(kind) as s, RespClient(port=s.port) as c:
        assert c.call("CONFIG", "SET", "dbfilename", "x.rdb") == (
            b"-ERR CONFIG SET failed (possibly related to argument 'dbfilename') - can't set "
            b"protected config\r\n")
    with Server(kind, ["--enable-protected-configs", "local"]) as s, RespClient(port=s.port) as c:
        assert c.call("CONFIG", "SET", "dbfilename", "x.rdb") == b"+OK\r\n"


def test_protected_mode_lets_loopback_clients_in(kind):
    with Server(kind, ["--protected-mode", "yes"]) as s, RespClient(port=s.port) as c:
        assert c.call("PING") == b"+PONG\r\n"
        assert parse(c.call("CONFIG", "GET", "protected-mode")) == [b"protected-mode", b"yes"]


_DECISION = r"""
from pyredis._core import core
core.acl_init(False)
d = core.protected_mode_denies
print(d(False, "10.1.2.3:5000"), d(False, "192.168.0.7:1"), d(False, "::ffff:10.0.0.1:6"),
      d(False, "127.0.0.1:5000"), d(False, "127.5.6.7:1"), d(False, "::1:40000"),
      d(True, "/tmp/redis.sock:0"))
core.acl_update_default_password("secret")
print(d(False, "10.1.2.3:5000"))
core.acl_update_default_password(None)
print(d(False, "10.1.2.3:5000"))
"""


def test_protected_mode_decision():
    """Denied: a non-loopback address while the default user has no
    password; allowed: loopback, unix sockets, or a default password."""
    out = subprocess.run([sys.executable, "-c", _DECISION], capture_output=True, text=True,
                         check=True, cwd=os.path.dirname(os.path.dirname(os.path.dirname(
                             os.path.abspath(__file__))))).stdout.split("\n")
    assert out[0] == "True True True False False False False"
    assert out[1] == "False"
    assert out[2] == "True"
