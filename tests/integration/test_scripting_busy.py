"""Scripts past busy-reply-threshold: other clients get -BUSY, SCRIPT KILL
stops a script that has not written, UNKILLABLE once it has, SHUTDOWN
NOSAVE ends the server; the same test runs against redis-server."""
import threading
import time

import pytest

from support.resp import RespClient
from support.servers import Server

LOOP = "local i = 0 while true do i = i + 1 end"
BUSY = b"-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n"


class Background(object):
    """EVAL on its own connection, in a thread."""

    def __init__(self, port, body):
        self.conn = RespClient(port=port)
        self.reply = None
        self.error = None
        self.thread = threading.Thread(target=self._run, args=(body,))
        self.thread.start()

    def _run(self, body):
        try:
            self.reply = self.conn.call("EVAL", body, "0")
        except Exception as e:  # the server may close the connection
            self.error = e

    def join(self):
        self.thread.join(10)
        assert not self.thread.is_alive()


@pytest.fixture
def busy_server(kind):
    with Server(kind, ["--busy-reply-threshold", "100"]) as s:
        yield s


def _wait_busy(conn):
    deadline = time.time() + 5
    while time.time() < deadline:
        r = conn.call("PING")
        if r == BUSY:
            return
        time.sleep(0.05)
    raise AssertionError("the server never became busy")


def test_script_kill_when_idle_is_notbusy(busy_server):
    c = RespClient(port=busy_server.port)
    assert c.call("SCRIPT", "KILL") == b"-NOTBUSY No scripts in execution right now.\r\n"


def test_busy_script_is_killed(busy_server):
    other = RespClient(port=busy_server.port)
    bg = Background(busy_server.port, LOOP)
    _wait_busy(other)
    assert other.call("GET", "x") == BUSY
    assert other.call("SCRIPT", "KILL") == b"+OK\r\n"
    bg.join()
    assert bg.reply.startswith(b"-ERR Script killed by user with SCRIPT KILL... script: ")
    assert bg.reply.endswith(b", on @user_script:1.\r\n")
    assert other.call("PING") == b"+PONG\r\n"
    assert bg.conn.call("PING") == b"+PONG\r\n"


def test_connections_opened_while_busy_are_served(busy_server):
    other = RespClient(port=busy_server.port)
    bg = Background(busy_server.port, LOOP)
    _wait_busy(other)
    late = RespClient(port=busy_server.port)
    assert late.call("PING") == BUSY
    quitter = RespClient(port=busy_server.port)
    assert quitter.call("QUIT") == b"+OK\r\n"
    assert late.call("SCRIPT", "KILL") == b"+OK\r\n"
    bg.join()
    # after the script the event loop carries on with the same connection
    assert late.call("SET", "k", "v") == b"+OK\r\n"
    assert late.call("GET", "k") == b"$1\r\nv\r\n"
    assert other.call("GET", "k") == b"$1\r\nv\r\n"


def test_shutdown_nosave_from_a_new_connection(busy_server):
    other = RespClient(port=busy_server.port)
    bg = Background(busy_server.port, LOOP)
    _wait_busy(other)
    late = RespClient(port=busy_server.port)
    late.send_raw(b"*2\r\n$8\r\nSHUTDOWN\r\n$6\r\nNOSAVE\r\n")
    assert busy_server.proc.wait(10) == 0
    bg.join()


def test_pcall_cannot_survive_script_kill(busy_server):
    other = RespClient(port=busy_server.port)
    bg = Background(busy_server.port, "while true do pcall(function() %s end) end" % LOOP)
    _wait_busy(other)
    assert other.call("SCRIPT", "KILL") == b"+OK\r\n"
    bg.join()
    assert bg.reply.startswith(b"-ERR Script killed by user with SCRIPT KILL...")


def test_script_that_wrote_is_unkillable_until_shutdown_nosave(busy_server):
    other = RespClient(port=busy_server.port)
    bg = Background(busy_server.port, "redis.call('set', 'x', '1') " + LOOP)
    _wait_busy(other)
    assert other.call("SCRIPT", "KILL").startswith(
        b"-UNKILLABLE Sorry the script already executed write commands against the dataset. "
        b"You can either wait the script termination or kill the server in a hard way using "
        b"the SHUTDOWN NOSAVE command.")
    assert other.call("SHUTDOWN") == BUSY
    other.send_raw(b"*2\r\n$8\r\nSHUTDOWN\r\n$6\r\nNOSAVE\r\n")
    assert busy_server.proc.wait(10) == 0
    bg.join()
    assert bg.reply is None


def test_allow_busy_commands_still_answer(busy_server):
    other = RespClient(port=busy_server.port)
    bg = Background(busy_server.port, LOOP)
    _wait_busy(other)
    assert other.call("HELLO", "2").startswith(b"*14\r\n")
    assert other.call("SCRIPT", "KILL") == b"+OK\r\n"
    bg.join()


BUSY_FUNCTION = (b"-BUSY Redis is busy running a script. You can only call FUNCTION KILL or "
                 b"SHUTDOWN NOSAVE.\r\n")


def test_busy_function_is_killed_with_function_kill(busy_server):
    other = RespClient(port=busy_server.port)
    assert other.call("FUNCTION", "LOAD", "#!lua name=loops\nredis.register_function("
                      "'spin', function() %s end)" % LOOP) == b"$5\r\nloops\r\n"
    conn = RespClient(port=busy_server.port)
    result = {}
    t = threading.Thread(target=lambda: result.setdefault("r", conn.call("FCALL", "spin", "0")))
    t.start()
    deadline = time.time() + 5
    while other.call("PING") != BUSY_FUNCTION and time.time() < deadline:
        time.sleep(0.05)
    assert other.call("GET", "x") == BUSY_FUNCTION
    assert other.call("SCRIPT", "KILL") == BUSY_FUNCTION
    stats = other.call("FUNCTION", "STATS")
    assert b"running_script" in stats and b"spin" in stats and b"FCALL" in stats
    assert other.call("FUNCTION", "KILL") == b"+OK\r\n"
    t.join(10)
    assert result["r"].startswith(b"-ERR Script killed by user with SCRIPT KILL... script: spin, on @user_function:2.")
    assert other.call("PING") == b"+PONG\r\n"


def test_function_kill_while_eval_runs_is_busy(busy_server):
    other = RespClient(port=busy_server.port)
    bg = Background(busy_server.port, LOOP)
    _wait_busy(other)
    assert other.call("FUNCTION", "KILL") == BUSY
    assert other.call("SCRIPT", "KILL") == b"+OK\r\n"
    bg.join()
