"""A real pyredis server for Python programs and tests.

    from pyredis import Server
    with Server(port=0, maxmemory="10mb", maxmemory_policy="allkeys-lru") as s:
        redis.Redis(host=s.host, port=s.port) ...

Each Server is its own process (`python -m pyredis`), not a thread of the
caller: the compiled core keeps its state (databases, command table,
clients) in process globals, so two servers in one process would share
one dataset; the server installs signal handlers, runs its own uvloop and
forks for BGSAVE and AOF rewrites, none of which may happen inside a host
process that has its own loop, threads and signal handling.  A process
per Server keeps servers independent of each other and of the caller, and
a crash of one never takes the caller down.

Keyword arguments are redis.conf directives with `_` for `-`:
`maxmemory_policy="allkeys-lru"` becomes `--maxmemory-policy allkeys-lru`;
True/False become yes/no; a list or tuple gives a directive several
arguments (`replicaof=(host, port)`); `loadmodule` takes a path or a list
of paths (each may be a list: path and module arguments).

Every server also listens on a unix socket in its directory; readiness is
checked and SHUTDOWN sent through it.
"""
import atexit
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

__all__ = ["Server", "ServerError"]

_PACKAGE_PARENT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_RUNNING = set()          # servers to stop if the host exits without doing it


class ServerError(RuntimeError):
    """The server could not start (the message ends with its log)."""


def _free_port(host):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _directive_args(name, value):
    """The argv words of one keyword argument."""
    if isinstance(value, bool):
        words = ["yes" if value else "no"]
    elif isinstance(value, (list, tuple)):
        words = [str(v) for v in value]
    else:
        words = [str(value)]
    return ["--" + name] + words


def _encode_command(*args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        b = a if isinstance(a, bytes) else str(a).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(b), b))
    return b"".join(out)


class Server:
    """One pyredis server process.

    port=0 picks a free TCP port on `host`; dir=None makes a temporary
    directory that stop() removes.  config_file: a redis.conf read first
    (the keyword arguments override it).  python: the interpreter that
    runs the server (the caller's by default)."""

    PORT_RETRIES = 3

    def __init__(self, port=0, host="127.0.0.1", dir=None, config_file=None, python=None,
                 startup_timeout=15.0, shutdown_timeout=10.0, **config):
        self.host = host
        self.config_file = os.path.abspath(config_file) if config_file else None
        self.requested_port = port
        self.port = None
        self.python = python or sys.executable
        self.startup_timeout = startup_timeout
        self.shutdown_timeout = shutdown_timeout
        self._given_dir = dir
        self.dir = None
        self.unix_socket = None
        self.log_path = None
        self.config = {k.replace("_", "-"): v for k, v in config.items()}
        self.process = None
        self._log_file = None
        self._last_log = ""

    # --- the addresses ------------------------------------------------------

    @property
    def password(self):
        return self.config.get("requirepass") or None

    @property
    def url(self):
        auth = ":%s@" % urllib.parse.quote(str(self.password), safe="") if self.password else ""
        host = "[%s]" % self.host if ":" in self.host else self.host
        return "redis://%s%s:%d/0" % (auth, host, self.port)

    @property
    def pid(self):
        return self.process.pid if self.process is not None else None

    @property
    def running(self):
        return self.process is not None and self.process.poll() is None

    def client(self, **kwargs):
        """A redis-py client of this server (redis-py must be installed)."""
        import redis
        kwargs.setdefault("password", self.password)
        return redis.Redis(host=self.host, port=self.port, **kwargs)

    def log(self):
        """What the server has logged so far (its stdout and stderr)."""
        if self.log_path is None:
            return self._last_log
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return self._last_log

    # --- life cycle ---------------------------------------------------------

    def argv(self):
        args = [self.python, "-m", "pyredis"]
        if self.config_file:
            args.append(self.config_file)
        args += ["--port", str(self.port), "--bind", self.host, "--dir", self.dir,
                 "--unixsocket", self.unix_socket]
        for name, value in self.config.items():
            if name in ("port", "bind", "dir", "unixsocket"):
                continue
            if name == "loadmodule":
                mods = [value] if isinstance(value, (str, os.PathLike)) else value
                for m in mods:
                    path, *margs = [m] if isinstance(m, (str, os.PathLike)) else m
                    # the server runs in its own directory: paths are the caller's
                    args += _directive_args(name, [os.path.abspath(os.fspath(path))] + list(margs))
                continue
            args += _directive_args(name, value)
        return args

    def start(self):
        if self.running:
            raise RuntimeError("the server is already running")
        self.dir = self._given_dir or tempfile.mkdtemp(prefix="pyredis-")
        os.makedirs(self.dir, exist_ok=True)
        self.dir = os.path.abspath(self.dir)
        self.unix_socket = self.config.get("unixsocket") or os.path.join(self.dir, "pyredis.sock")
        self.log_path = os.path.join(self.dir, "pyredis.log")
        try:
            for attempt in range(self.PORT_RETRIES):
                self.port = self.requested_port or _free_port(self.host)
                if self._spawn():
                    break
                # another process took the free port between the test and the bind
                if self.requested_port or attempt == self.PORT_RETRIES - 1 or \
                        "Could not create server TCP listening socket" not in self.log():
                    raise ServerError("pyredis did not start (exit status %s); its log:\n%s"
                                      % (self.process.returncode, self.log()))
        except BaseException:
            self._cleanup()
            raise
        _RUNNING.add(self)
        return self

    def _spawn(self):
        """Start the process and wait until it answers PING; False if it
        exited first, ServerError on a timeout."""
        env = dict(os.environ)
        env["PYTHONPATH"] = _PACKAGE_PARENT + (os.pathsep + env["PYTHONPATH"]
                                               if env.get("PYTHONPATH") else "")
        if self._log_file is not None:
            self._log_file.close()
        self._log_file = open(self.log_path, "ab")
        self.process = subprocess.Popen(self.argv(), cwd=self.dir, env=env, stdin=subprocess.DEVNULL,
                                        stdout=self._log_file, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                if self._command(b"PING", timeout=1.0).startswith((b"+PONG", b"-NOAUTH")):
                    return True
            except OSError:
                pass
            time.sleep(0.02)
        self._kill()
        raise ServerError("pyredis did not answer PING within %.0fs; its log:\n%s"
                          % (self.startup_timeout, self.log()))

    def _command(self, *args, timeout=2.0):
        """Send one command on the unix socket (after AUTH when a password is
        set); the first bytes of the reply."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(timeout)
            s.connect(self.unix_socket)
            if self.password and args[0].upper() != b"PING":
                s.sendall(_encode_command(b"AUTH", self.password))
                s.recv(256)
            s.sendall(_encode_command(*args))
            return s.recv(256)

    def stop(self):
        """SHUTDOWN NOSAVE; SIGTERM, then SIGKILL, if the server lingers.
        Removes the temporary directory.  Safe to call twice."""
        _RUNNING.discard(self)
        if self.process is not None and self.process.poll() is None:
            try:
                self._command(b"SHUTDOWN", b"NOSAVE")
            except OSError:
                pass
            try:
                self.process.wait(self.shutdown_timeout)
            except subprocess.TimeoutExpired:
                self._kill()
        self._cleanup()

    def _kill(self):
        for sig in (signal.SIGTERM, signal.SIGKILL):
            if self.process.poll() is not None:
                return
            self.process.send_signal(sig)
            try:
                self.process.wait(self.shutdown_timeout)
            except subprocess.TimeoutExpired:
                pass

    def _cleanup(self):
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None
        if self.dir is not None and self._given_dir is None:
            self._last_log = self.log()
            self.log_path = None
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def __repr__(self):
        state = "running pid=%d" % self.pid if self.running else "stopped"
        return "<pyredis.Server %s:%s %s>" % (self.host, self.port, state)


@atexit.register
def _stop_all():
    for s in list(_RUNNING):
        s.stop()
