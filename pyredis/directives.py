"""The directive table: one `Directive` row per config name (kind, typed
default, bounds, flags, alias), in redis.conf order.  `DIRECTIVES` is the
single source of truth the loader, CONFIG GET / SET and REWRITE iterate
over; how each kind of value is parsed and printed is in
`pyredis.configvalues`.
"""
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Tuple

from .configvalues import (
    BOOL, CONFIG_MAX_HZ, CONFIG_MIN_HZ, DEFAULT_BIND, DEFAULT_OBUF,
    DEFAULT_SAVE, DENY_LOADING, EMPTY_IS_NULL, ENUM, HIDDEN, IMMUTABLE, INT_MAX,
    INT_MIN, LLONG_MAX, LONG_MAX, MEMORY, MULTI_ARG, NUMBER, OCTAL,
    PERCENT, PROTECTED, SENSITIVE, SSIZE_MAX, STRING, UINT_MAX, ULLONG_MAX,
    UNSIGNED, keyspace_events_to_string, _CheckedBool, _Kind, _Special,
    _check_activedefrag, _check_basename, _check_hostname,
    _check_proc_title, _parse_bind, _parse_dir, _parse_notify, _parse_obuf,
    _parse_oom_values, _parse_percentiles, _parse_replicaof, _parse_save,
    _rewrite_bind, _rewrite_dir, _rewrite_notify, _rewrite_obuf,
    _rewrite_oom_values, _rewrite_percentiles, _rewrite_replicaof,
    _rewrite_save, _show_obuf, _show_percentiles, _show_replicaof,
    _show_save)

__all__ = ["Directive", "DIRECTIVES"]


@dataclass(frozen=True)
class Directive:
    name: str
    kind: _Kind
    default: object
    flags: int = 0
    alias: Optional[str] = None
    lo: int = 0
    hi: int = 0
    choices: Tuple[str, ...] = ()
    synonyms: Dict[str, str] = field(default_factory=dict)
    check: Optional[Callable[[str], None]] = None
    clamp: Optional[Tuple[int, int]] = None

    def parse(self, args: List[str]):
        return self.kind.parse(self, args)

    def show(self, value) -> str:
        return self.kind.show(self, value)


# ---------------------------------------------------------------------------
# The table.
# ---------------------------------------------------------------------------

def _b(name, default, flags=0, alias=None, check=None):
    kind = _CheckedBool() if check else BOOL
    return Directive(name, kind, default, flags, alias, check=check)


def _i(name, lo, hi, default, flags=0, alias=None, clamp=None):
    return Directive(name, NUMBER, default, flags, alias, lo=lo, hi=hi,
                     clamp=clamp)


def _m(name, lo, hi, default, flags=0, alias=None):
    return Directive(name, NUMBER, default, flags | MEMORY, alias, lo=lo, hi=hi)


def _e(name, choices, default, flags=0, alias=None, synonyms=None):
    return Directive(name, ENUM, default, flags, alias, choices=tuple(choices),
                     synonyms=synonyms or {})


def _s(name, default="", flags=0, alias=None, check=None):
    return Directive(name, STRING, default, flags, alias, check=check)


def _x(name, default, parse, show, rewrite, flags=0, alias=None):
    return Directive(name, _Special(parse, show, rewrite), default, flags,
                     alias)


_YES_NO_LOCAL = ("no", "yes", "local")

DIRECTIVES: Tuple[Directive, ...] = (
    # Network.
    _x("bind", list(DEFAULT_BIND), _parse_bind, " ".join, _rewrite_bind,
       MULTI_ARG),
    _s("bind-source-addr", flags=EMPTY_IS_NULL),
    _i("port", 0, 65535, 6379),
    _b("protected-mode", True),
    _i("tcp-backlog", 0, INT_MAX, 511, IMMUTABLE),
    _s("unixsocket", flags=IMMUTABLE | EMPTY_IS_NULL),
    _i("unixsocketperm", 0, 0o777, 0, IMMUTABLE | OCTAL | UNSIGNED),
    _i("timeout", 0, INT_MAX, 0),
    _i("tcp-keepalive", 0, INT_MAX, 300),
    _i("socket-mark-id", 0, UINT_MAX, 0, IMMUTABLE | UNSIGNED),
    # TLS (pyredis.tls).
    _i("tls-port", 0, 65535, 0),
    _s("tls-cert-file", flags=EMPTY_IS_NULL),
    _s("tls-key-file", flags=EMPTY_IS_NULL),
    _s("tls-key-file-pass", flags=SENSITIVE | EMPTY_IS_NULL),
    _s("tls-client-cert-file", flags=EMPTY_IS_NULL),
    _s("tls-client-key-file", flags=EMPTY_IS_NULL),
    _s("tls-client-key-file-pass", flags=SENSITIVE | EMPTY_IS_NULL),
    _s("tls-dh-params-file", flags=EMPTY_IS_NULL),
    _s("tls-ca-cert-file", flags=EMPTY_IS_NULL),
    _s("tls-ca-cert-dir", flags=EMPTY_IS_NULL),
    _e("tls-auth-clients", ("no", "yes", "optional"), "yes"),
    _b("tls-replication", False),
    _b("tls-cluster", False),
    _s("tls-protocols", flags=EMPTY_IS_NULL),
    _s("tls-ciphers", flags=EMPTY_IS_NULL),
    _s("tls-ciphersuites", flags=EMPTY_IS_NULL),
    _b("tls-prefer-server-ciphers", False),
    _b("tls-session-caching", True),
    _i("tls-session-cache-size", 0, INT_MAX, 20480),
    _i("tls-session-cache-timeout", 0, INT_MAX, 300),
    # General.
    _b("daemonize", False, IMMUTABLE),
    _e("supervised", ("upstart", "systemd", "auto", "no"), "no", IMMUTABLE),
    _s("pidfile", flags=IMMUTABLE | EMPTY_IS_NULL),
    _e("loglevel", ("debug", "verbose", "notice", "warning"), "notice"),
    _s("logfile", "", IMMUTABLE),
    _b("syslog-enabled", False, IMMUTABLE),
    _s("syslog-ident", "redis", IMMUTABLE),
    _e("syslog-facility", ("user", "local0", "local1", "local2", "local3",
                           "local4", "local5", "local6", "local7"),
       "local0", IMMUTABLE),
    _b("crash-log-enabled", True),
    _b("crash-memcheck-enabled", True),
    _i("databases", 1, INT_MAX, 16, IMMUTABLE),
    _b("always-show-logo", False, IMMUTABLE),
    _b("set-proc-title", True, IMMUTABLE),
    _s("proc-title-template", "{title} {listen-addr} {server-mode}",
       check=_check_proc_title),
    _e("enable-protected-configs", _YES_NO_LOCAL, "no", IMMUTABLE),
    _e("enable-debug-command", _YES_NO_LOCAL, "no", IMMUTABLE),
    _e("enable-module-command", _YES_NO_LOCAL, "no", IMMUTABLE),
    _s("ignore-warnings", ""),
    # Snapshotting.
    _x("save", [tuple(p) for p in DEFAULT_SAVE], _parse_save, _show_save,
       _rewrite_save, MULTI_ARG),
    _b("stop-writes-on-bgsave-error", True),
    _b("rdbcompression", True),
    _b("rdbchecksum", True, IMMUTABLE),
    _e("sanitize-dump-payload", ("no", "yes", "clients"), "no"),
    _s("dbfilename", "dump.rdb", PROTECTED,
       check=_check_basename("dbfilename", "filename", True)),
    _b("rdb-del-sync-files", False),
    _x("dir", None, _parse_dir, str, _rewrite_dir,
       PROTECTED | DENY_LOADING),
    _b("rdb-save-incremental-fsync", True),
    _i("rdb-key-save-delay", INT_MIN, INT_MAX, 0, HIDDEN),
    # Replication.
    _x("replicaof", None, _parse_replicaof, _show_replicaof,
       _rewrite_replicaof, IMMUTABLE | MULTI_ARG, alias="slaveof"),
    _s("masterauth", flags=SENSITIVE | EMPTY_IS_NULL),
    _s("masteruser", flags=SENSITIVE | EMPTY_IS_NULL),
    _b("replica-serve-stale-data", True, alias="slave-serve-stale-data"),
    _b("replica-read-only", True, alias="slave-read-only"),
    _b("repl-diskless-sync", True),
    _i("repl-diskless-sync-delay", 0, INT_MAX, 5),
    _i("repl-diskless-sync-max-replicas", 0, INT_MAX, 0),
    _e("repl-diskless-load", ("disabled", "on-empty-db", "swapdb"),
       "disabled", DENY_LOADING),
    _i("repl-ping-replica-period", 1, INT_MAX, 10,
       alias="repl-ping-slave-period"),
    _i("repl-timeout", 1, INT_MAX, 60),
    _b("repl-disable-tcp-nodelay", False),
    _m("repl-backlog-size", 1, LLONG_MAX, 1 << 20),
    _i("repl-backlog-ttl", 0, LONG_MAX, 3600),
    _i("replica-priority", 0, INT_MAX, 100, alias="slave-priority"),
    _b("replica-announced", True),
    _i("min-replicas-to-write", 0, INT_MAX, 0, alias="min-slaves-to-write"),
    _i("min-replicas-max-lag", 0, INT_MAX, 10, alias="min-slaves-max-lag"),
    _s("replica-announce-ip", flags=EMPTY_IS_NULL, alias="slave-announce-ip"),
    _i("replica-announce-port", 0, 65535, 0, alias="slave-announce-port"),
    _b("replica-ignore-maxmemory", True, alias="slave-ignore-maxmemory"),
    _b("replica-lazy-flush", False, alias="slave-lazy-flush"),
    _b("replica-ignore-disk-write-errors", False),
    _e("propagation-error-behavior",
       ("ignore", "panic", "panic-on-replicas"), "ignore"),
    # Keys tracking.
    _i("tracking-table-max-keys", 0, LONG_MAX, 1000000, UNSIGNED),
    # Security.
    _s("requirepass", flags=SENSITIVE | EMPTY_IS_NULL),
    _i("acllog-max-len", 0, LONG_MAX, 128),
    _s("aclfile", "", IMMUTABLE),
    _e("acl-pubsub-default", ("allchannels", "resetchannels"),
       "resetchannels"),
    # Clients and memory.
    _i("maxclients", 1, UINT_MAX, 10000, UNSIGNED),
    _m("maxmemory", 0, ULLONG_MAX, 0, UNSIGNED),
    _e("maxmemory-policy", ("volatile-lru", "volatile-lfu", "volatile-random",
                            "volatile-ttl", "allkeys-lru", "allkeys-lfu",
                            "allkeys-random", "noeviction"), "noeviction"),
    _i("maxmemory-samples", 1, INT_MAX, 5),
    _i("maxmemory-eviction-tenacity", 0, 100, 10),
    _m("maxmemory-clients", -100, SSIZE_MAX, 0, PERCENT),
    # Lazy freeing.
    _b("lazyfree-lazy-eviction", False),
    _b("lazyfree-lazy-expire", False),
    _b("lazyfree-lazy-server-del", False),
    _b("lazyfree-lazy-user-del", False),
    _b("lazyfree-lazy-user-flush", False),
    # Threads and kernel.
    _i("io-threads", 1, 128, 1, IMMUTABLE),
    _b("io-threads-do-reads", False, IMMUTABLE),
    _e("oom-score-adj", ("no", "yes", "relative", "absolute"), "no",
       synonyms={"relative": "yes"}),
    _x("oom-score-adj-values", [0, 200, 800], _parse_oom_values,
       lambda v: " ".join(map(str, v)), _rewrite_oom_values, MULTI_ARG),
    _b("disable-thp", True, IMMUTABLE),
    _s("server_cpulist", flags=IMMUTABLE | EMPTY_IS_NULL),
    _s("bio_cpulist", flags=IMMUTABLE | EMPTY_IS_NULL),
    _s("aof_rewrite_cpulist", flags=IMMUTABLE | EMPTY_IS_NULL),
    _s("bgsave_cpulist", flags=IMMUTABLE | EMPTY_IS_NULL),
    # Append only file.
    _b("appendonly", False, DENY_LOADING),
    _s("appendfilename", "appendonly.aof", IMMUTABLE,
       check=_check_basename("appendfilename", "filename", False)),
    _s("appenddirname", "appendonlydir", IMMUTABLE,
       check=_check_basename("appenddirname", "dirname", False)),
    _e("appendfsync", ("everysec", "always", "no"), "everysec"),
    _b("no-appendfsync-on-rewrite", False),
    _i("auto-aof-rewrite-percentage", 0, INT_MAX, 100),
    _m("auto-aof-rewrite-min-size", 0, LLONG_MAX, 64 << 20),
    _b("aof-load-truncated", True),
    _b("aof-use-rdb-preamble", True),
    _b("aof-timestamp-enabled", False),
    _b("aof-rewrite-incremental-fsync", True),
    _b("aof-disable-auto-gc", False),
    # Shutdown.
    _i("shutdown-timeout", 0, INT_MAX, 10),
    _e("shutdown-on-sigint", ("default", "save", "nosave", "now", "force"),
       "default"),
    _e("shutdown-on-sigterm", ("default", "save", "nosave", "now", "force"),
       "default"),
    # Scripting.
    _i("busy-reply-threshold", 0, LONG_MAX, 5000, alias="lua-time-limit"),
    # Cluster.
    _b("cluster-enabled", False, IMMUTABLE),
    _s("cluster-config-file", "nodes.conf", IMMUTABLE),
    _i("cluster-node-timeout", 0, LLONG_MAX, 15000),
    _i("cluster-port", 0, 65535, 0, IMMUTABLE),
    _i("cluster-replica-validity-factor", 0, INT_MAX, 10,
       alias="cluster-slave-validity-factor"),
    _i("cluster-migration-barrier", 0, INT_MAX, 1),
    _b("cluster-allow-replica-migration", True),
    _b("cluster-require-full-coverage", True),
    _b("cluster-replica-no-failover", False,
       alias="cluster-slave-no-failover"),
    _b("cluster-allow-reads-when-down", False),
    _b("cluster-allow-pubsubshard-when-down", True),
    _m("cluster-link-sendbuf-limit", 0, ULLONG_MAX, 0, UNSIGNED),
    _s("cluster-announce-ip", flags=EMPTY_IS_NULL),
    _s("cluster-announce-hostname", flags=EMPTY_IS_NULL,
       check=_check_hostname),
    _e("cluster-preferred-endpoint-type", ("ip", "hostname",
                                           "unknown-endpoint"), "ip"),
    _i("cluster-announce-port", 0, 65535, 0),
    _i("cluster-announce-bus-port", 0, 65535, 0),
    _i("cluster-announce-tls-port", 0, 65535, 0),
    # Slow log and latency.
    _i("slowlog-log-slower-than", -1, LLONG_MAX, 10000),
    _i("slowlog-max-len", 0, LONG_MAX, 128),
    _i("latency-monitor-threshold", 0, LLONG_MAX, 0),
    _b("latency-tracking", True),
    _x("latency-tracking-info-percentiles", [50.0, 99.0, 99.9],
       _parse_percentiles, _show_percentiles, _rewrite_percentiles, MULTI_ARG),
    # Events.
    _x("notify-keyspace-events", 0, _parse_notify, keyspace_events_to_string,
       _rewrite_notify),
    # Data structure encodings.
    _i("hash-max-listpack-entries", 0, LONG_MAX, 512, UNSIGNED,
       alias="hash-max-ziplist-entries"),
    _m("hash-max-listpack-value", 0, LONG_MAX, 64, UNSIGNED,
       alias="hash-max-ziplist-value"),
    _i("list-max-listpack-size", INT_MIN, INT_MAX, -2,
       alias="list-max-ziplist-size"),
    _i("list-compress-depth", 0, INT_MAX, 0),
    _i("set-max-intset-entries", 0, LONG_MAX, 512, UNSIGNED),
    _i("zset-max-listpack-entries", 0, LONG_MAX, 128, UNSIGNED,
       alias="zset-max-ziplist-entries"),
    _m("zset-max-listpack-value", 0, LONG_MAX, 64, UNSIGNED,
       alias="zset-max-ziplist-value"),
    _m("hll-sparse-max-bytes", 0, LONG_MAX, 3000, UNSIGNED),
    _m("stream-node-max-bytes", 0, LONG_MAX, 4096, UNSIGNED),
    _i("stream-node-max-entries", 0, LLONG_MAX, 100),
    _b("activerehashing", True),
    # Client limits.
    _x("client-output-buffer-limit", dict(DEFAULT_OBUF), _parse_obuf,
       _show_obuf, _rewrite_obuf, MULTI_ARG),
    _m("client-query-buffer-limit", 1 << 20, LONG_MAX, 1 << 30, UNSIGNED),
    _m("proto-max-bulk-len", 1 << 20, LONG_MAX, 512 << 20),
    # Server cron.
    _i("hz", 0, INT_MAX, 10, clamp=(CONFIG_MIN_HZ, CONFIG_MAX_HZ)),
    _b("dynamic-hz", True),
    _i("active-expire-effort", 1, 10, 1),
    # Active defragmentation (accepted, but "yes" is refused as by a Redis
    # built without its bundled jemalloc).
    _b("activedefrag", False, check=_check_activedefrag),
    _m("active-defrag-ignore-bytes", 1, LLONG_MAX, 100 << 20, UNSIGNED),
    _i("active-defrag-threshold-lower", 0, 1000, 10),
    _i("active-defrag-threshold-upper", 0, 1000, 100),
    _i("active-defrag-cycle-min", 1, 99, 1),
    _i("active-defrag-cycle-max", 1, 99, 25),
    _i("active-defrag-max-scan-fields", 1, LONG_MAX, 1000),
    _b("jemalloc-bg-thread", True),
    # LFU.
    _i("lfu-log-factor", 0, INT_MAX, 10),
    _i("lfu-decay-time", 0, INT_MAX, 1),
)
DIRECTIVES = tuple(d for d in DIRECTIVES if d is not None)
