"""Start and stop server processes for tests.

A server is either the real `redis-server` binary or pyredis run as
`python -m pyredis`; both take the same argv (optional config file, then
`--directive value` pairs).  Each server gets a free port on 127.0.0.1 and its
own temporary directory; its stdout and stderr go to a file there so a
failure to start can be reported with what the server said.
"""
import functools
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REDIS_SERVER = shutil.which("redis-server")

START_TIMEOUT = 10.0
STOP_TIMEOUT = 10.0


class ServerStartError(Exception):
    pass


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_available():
    """Why the real redis-server cannot be started, or None if it can."""
    if REDIS_SERVER is None:
        return "redis-server is not on PATH"
    return None


@functools.lru_cache(maxsize=None)
def pyredis_available():
    """Why pyredis cannot be started, or None if it can.

    Only a missing package or an unbuilt extension counts: a server that
    imports but then fails to start is a test failure, not a skip."""
    if not os.path.exists(os.path.join(REPO_ROOT, "pyredis", "__main__.py")):
        return "pyredis/__main__.py does not exist yet"
    probe = subprocess.run(
        [sys.executable, "-c", "import pyredis._core.core"],
        cwd=REPO_ROOT, env=_pyredis_env(), capture_output=True, text=True,
    )
    if probe.returncode != 0:
        tail = (probe.stderr.strip().splitlines() or ["?"])[-1]
        return "pyredis._core.core is not importable (%s)" % tail
    return None


def ours_kind():
    """The server tested as "ours": pyredis, or a second real redis-server
    when PYREDIS_COMPAT_SELFTEST=1 (to prove the harness against itself)."""
    return "redis" if os.environ.get("PYREDIS_COMPAT_SELFTEST") == "1" else "pyredis"


def require(kind):
    """Skip the calling test when the `kind` server truly cannot start."""
    import pytest
    why = redis_available() if kind == "redis" else pyredis_available()
    if why:
        pytest.skip(why)


def _pyredis_env():
    env = dict(os.environ)
    env["PYTHONPATH"] = REPO_ROOT + os.pathsep + env.get("PYTHONPATH", "")
    return env


def server_argv(kind):
    if kind == "redis":
        return [REDIS_SERVER]
    if kind == "pyredis":
        return [sys.executable, "-m", "pyredis"]
    raise ValueError("unknown server kind %r" % kind)


def run_server_once(kind, args, cwd, timeout=15.0):
    """Run a server that is expected to exit by itself (e.g. on a config
    error); returns the CompletedProcess with text stdout/stderr."""
    return subprocess.run(
        server_argv(kind) + list(args), cwd=cwd, env=_pyredis_env(),
        capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL,
    )


class Server(object):
    """One running server.  Use as a context manager or call stop()."""

    def __init__(self, kind, args=(), config_file=None, port=None, directory=None,
                 default_args=True):
        self.kind = kind
        self.port = port if port is not None else free_port()
        self._own_dir = directory is None
        self.dir = directory or tempfile.mkdtemp(prefix="pyredis-test-%s-" % kind)
        self.log_path = os.path.join(self.dir, "stdout.log")
        argv = server_argv(kind)
        if config_file:
            argv.append(config_file)
        if default_args:
            argv += ["--port", str(self.port), "--bind", "127.0.0.1",
                     "--dir", self.dir, "--save", ""]
        argv += [str(a) for a in args]
        self.argv = argv
        self.proc = None
        self.returncode = None
        self._final_output = None  # kept once stop() removes the directory

    def start(self, wait=True, timeout=START_TIMEOUT):
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            self.argv, cwd=self.dir, env=_pyredis_env(),
            stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
        if wait:
            try:
                self.wait_ready(timeout)
            except BaseException:
                self.stop()
                raise
        return self

    @property
    def pid(self):
        return self.proc.pid

    def output(self):
        if self._final_output is not None:
            return self._final_output
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def wait_ready(self, timeout=START_TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ServerStartError("%s exited with %s before accepting connections:\n%s"
                                       % (self.kind, self.proc.returncode, self.output()))
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                    s.sendall(b"PING\r\n")
                    s.settimeout(2.0)
                    # NOAUTH also proves the server is serving (requirepass set)
                    if s.recv(64).startswith((b"+PONG", b"-NOAUTH")):
                        return
            except OSError:
                pass
            time.sleep(0.05)
        raise ServerStartError("%s did not accept connections on port %d within %.0fs:\n%s"
                               % (self.kind, self.port, timeout, self.output()))

    def wait_log(self, text, timeout=5.0):
        """Wait until `text` appears in the captured output; return whether it did."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.output():
                return True
            time.sleep(0.05)
        return text in self.output()

    def signal(self, signum):
        self.proc.send_signal(signum)

    def wait(self, timeout=STOP_TIMEOUT):
        """Wait for the process to exit by itself; return its exit code."""
        self.returncode = self.proc.wait(timeout)
        return self.returncode

    def stop(self, timeout=STOP_TIMEOUT):
        """SIGTERM, then SIGKILL after `timeout`; always cleans up."""
        try:
            if self.proc is not None and self.proc.poll() is None:
                self.proc.send_signal(signal.SIGTERM)
                try:
                    self.proc.wait(timeout)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(timeout)
            if self.proc is not None:
                self.returncode = self.proc.returncode
        finally:
            log = getattr(self, "_log", None)
            if log is not None:
                log.close()
            if self._own_dir:
                self._final_output = self.output()
                shutil.rmtree(self.dir, ignore_errors=True)
                self._own_dir = False

    def __enter__(self):
        if self.proc is None:
            self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
