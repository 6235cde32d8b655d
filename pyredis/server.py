"""The server process: listeners on uvloop, the cron, signals, shutdown,
and the Controller that compiled commands call back into for the slow,
Python-side work (CONFIG, INFO, SHUTDOWN, logging)."""
import asyncio
import errno
import os
import signal
import socket
import sys
import time
import traceback

import uvloop

from . import REDIS_VERSION, __version__
from ._core import core
from .aof import Aof
from .config import ConfigError
from .info import Info
from .log import log
from . import memory
from .memory import refresh_untracked_memory, used_memory
from .moduleloader import Modules
from .persistence import CHILD_TYPE_AOF, CHILD_TYPE_RDB, Persistence
from .replication import Replication
from . import tls

# config directives mirrored into the core's C variables
CORE_CONFIG = ("proto-max-bulk-len", "hll-sparse-max-bytes", "client-query-buffer-limit", "maxclients",
               "requirepass", "hz", "activerehashing", "active-expire-effort",
               "hash-max-listpack-entries", "hash-max-listpack-value",
               "zset-max-listpack-entries", "zset-max-listpack-value",
               "set-max-intset-entries", "list-max-listpack-size", "list-compress-depth",
               "rdbcompression", "sanitize-dump-payload", "maxmemory-policy",
               "lazyfree-lazy-expire", "notify-keyspace-events", "client-output-buffer-limit",
               "maxmemory", "maxmemory-samples", "maxmemory-eviction-tenacity",
               "lfu-log-factor", "lfu-decay-time", "lazyfree-lazy-eviction",
               "replica-ignore-maxmemory", "slowlog-log-slower-than", "slowlog-max-len",
               "latency-monitor-threshold", "tcp-keepalive", "tracking-table-max-keys",
               "latency-tracking", "stream-node-max-bytes", "stream-node-max-entries",
               "acl-pubsub-default", "acllog-max-len", "protected-mode")


class Controller:
    def __init__(self, cfg):
        self.cfg = cfg
        self.start_time = time.time()
        self.run_id = os.urandom(20).hex()
        self.replid = os.urandom(20).hex()
        self.executable = os.path.abspath(sys.argv[0]) if sys.argv and sys.argv[0] else ""
        self.ops_per_sec = 0
        self.startup_memory = 0
        self.info = Info(self)
        self.loop = None
        self.servers = []
        self.stopped = None
        self.shutdown_asap = None     # signal name once a shutdown is requested
        self._ops_sample = (time.monotonic(), 0)
        self.auth_failures = 0
        self.persistence = None       # set once the core is initialised
        self.replication = None
        self.modules = None
        self.aof = Aof(self)

    # --- called by the core -----------------------------------------------

    @property
    def lastsave(self):
        return self.persistence.lastsave

    def after_flushall(self):
        self.persistence.after_flushall()

    @property
    def verbose(self):
        return log.level <= 1

    def memory_stats(self):
        return memory.memory_stats(self.startup_memory, core.db_tables())

    def memory_doctor(self):
        return memory.memory_doctor()

    def malloc_stats(self):
        return memory.malloc_stats()

    def start_eviction_proc(self):
        """The core's eviction stopped at its time limit: go on between
        events until memory is under maxmemory; false before the loop runs."""
        if self.loop is None:
            return False
        self.loop.call_soon(self._eviction_proc)
        return True

    def _eviction_proc(self):
        if core.eviction_step():
            self.loop.call_soon(self._eviction_proc)

    def log_exception(self, cmdname, exc):
        log.warning("Unexpected error running '%s': %s" % (
            cmdname, "".join(traceback.format_exception(exc)).rstrip().replace("\n", " | ")))

    def log_warning(self, msg):
        log.warning(msg)

    def log_notice(self, msg):
        log.notice(msg)

    def log_verbose(self, msg):
        log.verbose(msg)

    def auth_failed(self, client):
        """A failed AUTH/HELLO AUTH (the core logs it in ACL LOG)."""
        self.auth_failures += 1

    # --- ACL users (pyredis/_core/acl.pyx holds them) ------------------------

    def load_users_at_startup(self):
        """`user` lines of the config file (checked when it was read), or
        the aclfile: an error to exit with, or None."""
        aclfile = self.cfg.typed("aclfile")
        if self.cfg.users and aclfile:
            return ("Configuring Redis with users defined in redis.conf and at the same "
                    "setting an ACL file path is invalid. This setup is very likely to lead "
                    "to configuration errors and security holes, please define either an "
                    "ACL file or declare users directly in your redis.conf, but not both.")
        if aclfile:
            err = self.acl_load()
            return "Aborting Redis startup because of ACL errors: " + err if err else None
        for argv in self.cfg.users:
            err = core.acl_load_configured_user(
                argv[0].encode("utf-8", "surrogateescape"),
                [a.encode("utf-8", "surrogateescape") for a in argv[1:]])
            if err:
                log.warning(err)
                return "Critical error while loading ACLs. Exiting."
        return None

    def acl_load(self):
        """ACL LOAD: every user from the aclfile; an error text (nothing
        changed) or None."""
        path = self.cfg.typed("aclfile")
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            return "Error loading ACLs, opening file '%s': %s" % (path, os.strerror(e.errno))
        lines = [(n, line.split()) for n, line in enumerate(data.split(b"\n"), 1)
                 if line.strip()]
        return core.acl_replace_users(path, lines)

    def acl_save(self):
        path = self.cfg.typed("aclfile")
        tmp = "%s.tmp-%d" % (path, os.getpid())
        try:
            with open(tmp, "w", encoding="utf-8", errors="surrogateescape") as f:
                for line in core.acl_list_lines():
                    f.write(line + "\n")
            os.replace(tmp, path)
        except OSError as e:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            return "There was an error trying to save the ACLs. Please check the server logs for more information"
        return None

    def info_text(self, sections):
        return self.info.render(sections)

    def config_get(self, patterns):
        return self.cfg.get(patterns)

    def config_set(self, pairs, local_client=False):
        self.cfg.set(pairs, local_client=local_client)

    def config_rewrite(self):
        self.cfg.rewrite()
        log.notice("CONFIG REWRITE executed with success.")

    def resetstat(self):
        core.reset_stats()
        self.info.peak = 0

    def request_shutdown(self, nosave=False, save=False, now=False, force=False):
        """SHUTDOWN: returns an error text, or None once the exit is under way."""
        log.warning("User requested shutdown...")
        if not self.prepare_shutdown(nosave, save, force):
            log.warning("Errors trying to shut down the server. Check the logs for more information.")
            return "ERR Errors trying to SHUTDOWN. Check logs."
        self.finish_shutdown()
        return None

    def prepare_shutdown(self, nosave, save, force):
        """Children and final saves before an exit: True when it may go on."""
        if not self.aof.prepare_shutdown(force):
            return False
        return self.persistence.shutdown_save(nosave, save) or force

    # --- life cycle ---------------------------------------------------------

    def finish_shutdown(self):
        core.close_all_clients()
        self.aof.shutdown()
        pidfile = self.cfg.typed("pidfile")
        if pidfile:
            log.notice("Removing the pid file.")
            try:
                os.unlink(pidfile)
            except OSError:
                pass
        unixsocket = self.cfg.typed("unixsocket")
        if unixsocket:
            log.notice("Removing the unix socket file.")
            try:
                os.unlink(unixsocket)
            except OSError:
                pass
        for srv in self.servers:
            srv.close()
        log.warning("Redis is now ready to exit, bye bye...")
        if self.stopped is not None and not self.stopped.done():
            self.stopped.set_result(0)

    def on_signal(self, name):
        if self.shutdown_asap:
            log.warning("You insist... exiting now.")
            os._exit(1)
        # redis-server logs this from its signal handler, in this format
        log.raw(3, "%d:signal-handler (%d) Received %s scheduling shutdown...\n"
                % (os.getpid(), int(time.time()), name))
        self.shutdown_asap = name

    def cron(self):
        hz = self.cfg.typed("hz")
        try:
            refresh_untracked_memory()
            core.cron(hz)
            self.aof.cron()
            now = time.monotonic()
            t0, n0 = self._ops_sample
            if now - t0 >= 1.0:
                n = core.stats()["numcommands"]
                self.ops_per_sec = int((n - n0) / (now - t0))
                self._ops_sample = (now, n)
                # once a second: `timeout` closes idle clients
                if self.cfg.typed("timeout"):
                    core.close_idle_clients(self.cfg.typed("timeout"))
            self.persistence.cron()
            self.replication.cron()
            self.aof.auto_rewrite_cron()
            if self.shutdown_asap:
                log.warning("User requested shutdown...")
                flags = self.cfg.show("shutdown-on-" + self.shutdown_asap.lower()).split()
                if self.prepare_shutdown("nosave" in flags, "save" in flags, "force" in flags):
                    self.finish_shutdown()
                    return
                log.warning("SIGTERM received but errors trying to shut down the server, "
                            "check the logs for more information")
                self.shutdown_asap = None
        except Exception as e:  # the cron must survive anything
            log.warning("cron error: %r" % (e,))
        self.loop.call_later(1.0 / hz, self.cron)

    async def _listen_tcp(self, port, ctx, kind):
        """Listen on port at every `bind` address (TLS when ctx is set)."""
        cfg = self.cfg
        backlog = cfg.typed("tcp-backlog")
        for addr in cfg.typed("bind"):
            optional = addr.startswith("-")
            host = addr[1:] if optional else addr
            if host == "*":
                host, family = "0.0.0.0", socket.AF_INET
            elif host == "::*":
                host, family = "::", socket.AF_INET6
            else:
                family = socket.AF_INET6 if ":" in host else socket.AF_INET
            try:
                sock = socket.socket(family, socket.SOCK_STREAM)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                if family == socket.AF_INET6:
                    sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
                sock.bind((host, port))
                sock.listen(backlog)
                sock.setblocking(False)
            except OSError as e:
                sock.close()
                if e.errno in (errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT, errno.EPROTONOSUPPORT,
                               errno.ESOCKTNOSUPPORT, errno.EPROTOTYPE, errno.ENOPROTOOPT) and \
                        (optional or addr in ("*", "::*")):
                    continue
                log.warning("Warning: Could not create server TCP listening socket %s:%d: bind: %s"
                            % (host, port, os.strerror(e.errno)))
                log.warning("Failed listening on port %d (%s), aborting." % (port, kind))
                return False
            srv = await self.loop.create_server(core.protocol_factory, sock=sock, ssl=ctx)
            self.servers.append(srv)
        return True

    async def listen(self):
        cfg = self.cfg
        if cfg.typed("port") and not await self._listen_tcp(cfg.typed("port"), None, "TCP"):
            return False
        if cfg.typed("tls-port"):
            try:
                ctx = tls.server_context(cfg)
            except tls.TlsConfigError as e:
                log.warning(str(e))
                log.warning("Failed to configure TLS. Check logs for more info.")
                return False
            if not await self._listen_tcp(cfg.typed("tls-port"), ctx, "TLS"):
                return False
        backlog = cfg.typed("tcp-backlog")
        path = cfg.typed("unixsocket")
        if path:
            try:
                os.unlink(path)
            except OSError:
                pass
            try:
                srv = await self.loop.create_unix_server(core.protocol_factory, path=path,
                                                         backlog=backlog)
            except OSError as e:
                log.warning("Failed opening Unix socket: %s" % os.strerror(e.errno))
                return False
            perm = cfg.typed("unixsocketperm")
            if perm:
                os.chmod(path, perm)
            self.servers.append(srv)
        return True

    async def main(self):
        self.loop = asyncio.get_running_loop()
        self.stopped = self.loop.create_future()
        for sig, name in ((signal.SIGTERM, "SIGTERM"), (signal.SIGINT, "SIGINT")):
            self.loop.add_signal_handler(sig, self.on_signal, name)
        log.warning("Server initialized")
        if not await self.listen():
            return 1
        self.startup_memory = used_memory()
        self.loop.call_later(1.0 / self.cfg.typed("hz"), self.cron)
        # clients may connect while the dataset loads: they get -LOADING
        if self.cfg.typed("appendonly"):
            self.aof.load_at_startup()
        else:
            # read even with the AOF off: a rewrite builds on it
            self.aof.load_manifest()
            if not await self.persistence.load_at_start():
                self.finish_shutdown()
                return 1
        self.aof.delete_history()
        self.replication.start()
        if any(s.sockets and s.sockets[0].family != socket.AF_UNIX for s in self.servers):
            log.notice("Ready to accept connections tcp")
        if self.cfg.typed("unixsocket"):
            log.notice("Ready to accept connections unix")
        return await self.stopped


BANNER = """\
                 pyredis %(version)s (Redis %(redis)s compatible) %(bits)s bit
   ___  __ __ ____ ___ ____/ (_)__
  / _ \\/ // // __// -_) __  / /(_-<      Running in %(mode)s mode
 / .__/\\_, //_/   \\__/\\_,_/_//___/       Port: %(port)d
/_/   /___/                               PID: %(pid)d

"""


def disable_thp():
    """With transparent huge pages on "always", a write after a fork (BGSAVE,
    AOF rewrite) copies 2 MB instead of 4 KB: opt this process out, as
    redis-server does with disable-thp yes."""
    try:
        with open("/sys/kernel/mm/transparent_hugepage/enabled") as f:
            if "[always]" not in f.read():
                return
        import ctypes
        PR_SET_THP_DISABLE = 41
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def parse_cpulist(text):
    """A CPU list as the *_cpulist directives take it ("0,2,4-7", "0-15:2"):
    the set of CPU numbers, or None when it is empty or malformed (then,
    as redis-server, no binding is made)."""
    cpus = set()
    try:
        for part in (text or "").split(","):
            rng, _, step = part.partition(":")
            lo, _, hi = rng.partition("-")
            lo = int(lo)
            hi = int(hi) if hi else lo
            step = int(step) if step else 1
            if lo < 0 or hi < lo or step < 1:
                return None
            cpus.update(range(lo, hi + 1, step))
    except ValueError:
        return None
    return cpus or None


def apply_cpu_affinity(cfg):
    """server_cpulist binds this process; bgsave_cpulist and
    aof_rewrite_cpulist bind the forked children."""
    cpus = parse_cpulist(cfg.typed("server_cpulist"))
    if cpus:
        try:
            os.sched_setaffinity(0, cpus)
        except OSError as e:
            log.warning("Failed to set the server's CPU affinity: %s" % e.strerror)
    core.set_child_cpus(CHILD_TYPE_RDB, parse_cpulist(cfg.typed("bgsave_cpulist")))
    core.set_child_cpus(CHILD_TYPE_AOF, parse_cpulist(cfg.typed("aof_rewrite_cpulist")))


def start(cfg, no_args=False):
    """Run the server until shutdown; returns the exit status.  no_args:
    started without any argument (redis-server then warns about it)."""
    log.configure(cfg.show("loglevel"), cfg.typed("logfile"))
    log.warning("oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo")
    log.warning("Redis version=%s, bits=64, commit=00000000, modified=0, pid=%d, just started"
                % (REDIS_VERSION, os.getpid()))
    if no_args:
        log.warning("Warning: no config file specified, using the default config. "
                    "In order to specify a config file use %s /path/to/redis.conf"
                    % (sys.argv[0] or "pyredis-server"))
    else:
        log.warning("Configuration loaded")
    log.role = "M"
    log.notice("monotonic clock: POSIX clock_gettime")
    if cfg.typed("always-show-logo") or (not cfg.typed("logfile") and sys.stdout.isatty()):
        log.raw(2, BANNER % {"version": __version__, "redis": REDIS_VERSION, "bits": 64,
                             "mode": "standalone", "port": cfg.typed("port"), "pid": os.getpid()})
    else:
        # what redis-server logs in place of its logo
        log.notice("Running mode=standalone, port=%d." % cfg.typed("port"))
    if cfg.typed("disable-thp"):
        disable_thp()
    apply_cpu_affinity(cfg)
    ctl = Controller(cfg)
    core.init(ctl, cfg.typed("databases"), os.urandom(16))
    ctl.persistence = Persistence(ctl)
    ctl.replication = Replication(ctl)
    for name in CORE_CONFIG:
        core.set_config(name, cfg.typed(name))
        cfg.watch(name, lambda value, name=name: core.set_config(name, value))
    cfg.watch("loglevel", lambda value: log.configure(value, cfg.typed("logfile")))
    for old, new in cfg.renames:
        core.rename_command(old, new)
    cfg.rewrite_providers["user"] = lambda: (
        [] if cfg.typed("aclfile") else core.acl_list_lines())
    # before the dataset loads, as redis-server's loadmodule queue; users
    # after, so their rules may name module commands
    ctl.modules = Modules(ctl)
    if not ctl.modules.load_queue(cfg.modules):
        return 1
    err = ctl.load_users_at_startup()
    if err:
        log.warning(err)
        return 1
    pidfile = cfg.typed("pidfile")
    if pidfile:
        try:
            with open(pidfile, "w") as f:
                f.write("%d\n" % os.getpid())
        except OSError as e:
            log.warning("Failed to write PID file: %s" % e.strerror)
    os.chdir(cfg.typed("dir"))
    cfg.watch("dir", os.chdir)
    try:
        return uvloop.run(ctl.main())
    except KeyboardInterrupt:
        return 0
