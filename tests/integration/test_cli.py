"""Start-up, configuration and shutdown of the server process (cli.py,
server.py), checked against what the real redis-server does."""
import os
import re
import signal
import socket

import pytest
import redis

from support.servers import Server, free_port, require, run_server_once

LOG_PREFIX = re.compile(r"^\d+:[CMSX] \d+ \w+ \d+ [\d:.]+ [.\-*#] ")


def _fatal_output(kind, tmp_path, config_text, extra_args=()):
    conf = tmp_path / ("%s.conf" % kind)
    conf.write_text(config_text)
    result = run_server_once(kind, [str(conf)] + list(extra_args), cwd=str(tmp_path))
    return result.returncode, (result.stdout + result.stderr).strip()


@pytest.mark.parametrize("config_text,extra_args", [
    ("port 7000\nfoo bar\n", ()),
    ("port abc\n", ()),
    ("save 900\nmaxmemory-policy nope\n", ()),
    ("", ("--nosuchdirective", "1")),
], ids=["bad-directive", "bad-integer", "bad-enum", "bad-command-line-directive"])
def test_config_error_prints_fatal_block_like_redis_and_exits_1(kind, tmp_path, config_text,
                                                                 extra_args):
    require("redis")
    expected_rc, expected = _fatal_output("redis", tmp_path, config_text, extra_args)
    rc, out = _fatal_output(kind, tmp_path, config_text, extra_args)
    assert expected.startswith("*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***")
    assert out == expected
    assert rc == expected_rc == 1


def test_command_line_port_overrides_config_file(kind, tmp_path):
    conf = tmp_path / "redis.conf"
    conf.write_text("port %d\nbind 127.0.0.1\n" % free_port())
    with Server(kind, config_file=str(conf)) as s:
        client = redis.Redis(port=s.port)
        assert client.config_get("port") == {"port": str(s.port)}
        assert client.ping() is True
        client.close()


def test_startup_log_lines(server):
    assert server.wait_log("Ready to accept connections")
    log = server.output()
    assert "Server initialized" in log
    assert "pid=%d" % server.pid in log
    assert "port=%d" % server.port in log
    for line in log.splitlines():
        if line.strip():
            assert line.startswith("%d:" % server.pid), line


def test_startup_logo_shows_pid_and_port(kind):
    with Server(kind, args=["--always-show-logo", "yes"]) as s:
        assert s.wait_log("Ready to accept connections")
        log = s.output()
        assert "PID: %d" % s.pid in log
        assert "Port: %d" % s.port in log


def test_sigterm_logs_and_exits_0(server):
    server.signal(signal.SIGTERM)
    assert server.wait() == 0
    log = server.output()
    assert "Received SIGTERM scheduling shutdown..." in log
    assert "Redis is now ready to exit, bye bye..." in log


def test_pidfile_is_written_and_removed(kind, tmp_path):
    pidfile = tmp_path / "server.pid"
    s = Server(kind, args=["--pidfile", str(pidfile)])
    s.start()
    try:
        assert pidfile.read_text().strip() == str(s.pid)
    finally:
        s.stop()
    assert s.returncode == 0
    assert not pidfile.exists()


def test_logfile_receives_the_log(kind, tmp_path):
    logfile = tmp_path / "server.log"
    with Server(kind, args=["--logfile", str(logfile)]) as s:
        redis.Redis(port=s.port).ping()
        text = logfile.read_text()
        assert "Ready to accept connections" in text
        assert "Ready to accept connections" not in s.output()


def _failed_listen_line(kind, port):
    s = Server(kind, port=port)
    s.start(wait=False)
    try:
        rc = s.wait(timeout=10)
    finally:
        s.stop()
    lines = [LOG_PREFIX.sub("", line) for line in s.output().splitlines()
             if "Failed listening" in line or "Could not create server TCP" in line]
    return rc, lines


def test_port_in_use_fails_like_redis_and_exits_1(kind):
    busy = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    port = busy.getsockname()[1]
    try:
        expected_rc, expected = _failed_listen_line("redis", port)
        rc, lines = _failed_listen_line(kind, port)
    finally:
        busy.close()
    assert "Failed listening on port %d (TCP), aborting." % port in expected
    assert lines == expected
    assert rc == expected_rc == 1


def test_unixsocket_accepts_redis_py_connection(kind, tmp_path):
    path = str(tmp_path / "redis.sock")
    with Server(kind, args=["--unixsocket", path, "--unixsocketperm", "700"]):
        client = redis.Redis(unix_socket_path=path)
        assert client.set("k", "v") is True
        assert client.get("k") == b"v"
        client.close()
        assert os.stat(path).st_mode & 0o777 == 0o700
