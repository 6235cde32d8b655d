"""INFO: the sections and field names of Redis 7.0.15, filled from the
core's counters and the process.  Slow path: built as text per call."""
import os
import platform
import resource
import sys
import time

from . import REDIS_VERSION
from ._core import core
from .memory import human_bytes, overhead, peak_memory, rss_bytes, used_memory

DEFAULT_SECTIONS = ["server", "clients", "memory", "persistence", "stats",
                    "replication", "cpu", "modules", "errorstats", "cluster",
                    "keyspace"]
ALL_SECTIONS = DEFAULT_SECTIONS + ["commandstats", "latencystats"]


def _fields(title, pairs):
    return "# %s\r\n" % title + "".join("%s:%s\r\n" % kv for kv in pairs)


class Info:
    def __init__(self, ctl):
        self.ctl = ctl
        self.peak = 0

    def render(self, args):
        wanted = [a.lower() for a in args] or ["default"]
        sections = []
        for w in wanted:
            if w == "default":
                sections += DEFAULT_SECTIONS
            elif w in ("all", "everything"):
                sections += ALL_SECTIONS
            else:
                sections.append(w)
        seen, out = set(), []
        for s in sections:
            if s in seen:
                continue
            seen.add(s)
            fn = getattr(self, "sec_" + s, None)
            if fn is not None:
                out.append(fn())
        return "\r\n".join(out)

    def sec_server(self):
        ctl = self.ctl
        now = time.time()
        uname = platform.uname()
        up = int(now - ctl.start_time)
        return _fields("Server", [
            ("redis_version", REDIS_VERSION), ("redis_git_sha1", "00000000"),
            ("redis_git_dirty", 0), ("redis_build_id", "0"),
            ("redis_mode", "standalone"),
            ("os", "%s %s %s" % (uname.system, uname.release, uname.machine)),
            ("arch_bits", 64), ("monotonic_clock", "POSIX clock_gettime"),
            ("multiplexing_api", "epoll"), ("atomicvar_api", "c11-builtin"),
            ("gcc_version", "0.0.0"), ("process_id", os.getpid()),
            ("process_supervised", "no"), ("run_id", ctl.run_id),
            ("tcp_port", ctl.cfg.typed("port")),
            ("server_time_usec", int(now * 1000000)),
            ("uptime_in_seconds", up), ("uptime_in_days", up // 86400),
            ("hz", ctl.cfg.typed("hz")), ("configured_hz", ctl.cfg.typed("hz")),
            ("lru_clock", int(now) & 0xFFFFFF),
            ("executable", ctl.executable), ("config_file", ctl.cfg.path or ""),
            ("io_threads_active", 0),
        ])

    def sec_clients(self):
        return _fields("Clients", [
            ("connected_clients", core.client_count()), ("cluster_connections", 0),
            ("maxclients", self.ctl.cfg.typed("maxclients")),
            ("client_recent_max_input_buffer", 0),
            ("client_recent_max_output_buffer", 0), ("blocked_clients", core.blocked_client_count()),
            ("tracking_clients", core.tracking_info()[0]),
            ("clients_in_timeout_table", core.timeout_table_count()),
        ])

    def sec_memory(self):
        used = used_memory()
        self.peak = peak_memory(used)
        rss = rss_bytes()
        maxmem = self.ctl.cfg.typed("maxmemory")
        start = self.ctl.startup_memory
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
        over = overhead(start, core.db_tables())[0]
        dataset = max(used - over, 0)
        net = max(used - start, 0)
        nscripts, nfunctions, nlibraries = core.scripting_counts()
        return _fields("Memory", [
            ("used_memory", used), ("used_memory_human", human_bytes(used)),
            ("used_memory_rss", rss), ("used_memory_rss_human", human_bytes(rss)),
            ("used_memory_peak", self.peak),
            ("used_memory_peak_human", human_bytes(self.peak)),
            ("used_memory_peak_perc", "%.2f%%" % (used * 100.0 / self.peak if self.peak else 100)),
            ("used_memory_overhead", over), ("used_memory_startup", start),
            ("used_memory_dataset", dataset),
            ("used_memory_dataset_perc", "%.2f%%" % (dataset * 100.0 / net if net else 0)),
            ("allocator_allocated", used), ("allocator_active", used),
            ("allocator_resident", rss),
            ("total_system_memory", total), ("total_system_memory_human", human_bytes(total)),
            ("used_memory_lua", 31744), ("used_memory_vm_eval", 31744),
            ("used_memory_lua_human", "31.00K"), ("used_memory_scripts_eval", 0),
            ("number_of_cached_scripts", nscripts), ("number_of_functions", nfunctions),
            ("number_of_libraries", nlibraries), ("used_memory_vm_functions", 32768),
            ("used_memory_vm_total", 64512), ("used_memory_vm_total_human", "63.00K"),
            ("used_memory_functions", 184), ("used_memory_scripts", 184),
            ("used_memory_scripts_human", "184B"),
            ("maxmemory", maxmem), ("maxmemory_human", human_bytes(maxmem)),
            ("maxmemory_policy", self.ctl.cfg.show("maxmemory-policy")),
            ("allocator_frag_ratio", "1.00"), ("allocator_frag_bytes", 0),
            ("allocator_rss_ratio", "1.00"), ("allocator_rss_bytes", 0),
            ("rss_overhead_ratio", "1.00"), ("rss_overhead_bytes", 0),
            ("mem_fragmentation_ratio", "%.2f" % (rss / used if used else 1)),
            ("mem_fragmentation_bytes", rss - used),
            ("mem_not_counted_for_evict", 0), ("mem_replication_backlog", 0),
            ("mem_total_replication_buffers", 0), ("mem_clients_slaves", 0),
            ("mem_clients_normal", 0), ("mem_cluster_links", 0),
            ("mem_aof_buffer", 0), ("mem_allocator", core.allocator()),
            ("active_defrag_running", 0), ("lazyfree_pending_objects", 0),
            ("lazyfreed_objects", 0),
        ])

    def sec_persistence(self):
        aof_fields, aof_extra = self.ctl.aof.info_fields()
        return _fields("Persistence", self.ctl.persistence.info_fields() + aof_fields + [
            ("module_fork_in_progress", 0), ("module_fork_last_cow_size", 0),
        ] + aof_extra)

    def sec_stats(self):
        s = core.stats()
        evict_total, evict_current = core.eviction_times()
        pubsub = core.pubsub_counts()
        sync = core.repl_info()[5]
        return _fields("Stats", [
            ("total_connections_received", s["numconnections"]),
            ("total_commands_processed", s["numcommands"]),
            ("instantaneous_ops_per_sec", self.ctl.ops_per_sec),
            ("total_net_input_bytes", s["net_input_bytes"]),
            ("total_net_output_bytes", s["net_output_bytes"]),
            ("total_net_repl_input_bytes", 0), ("total_net_repl_output_bytes", 0),
            ("instantaneous_input_kbps", "0.00"), ("instantaneous_output_kbps", "0.00"),
            ("instantaneous_input_repl_kbps", "0.00"),
            ("instantaneous_output_repl_kbps", "0.00"),
            ("rejected_connections", s["rejected_conn"]),
            ("sync_full", sync[0]), ("sync_partial_ok", sync[1]), ("sync_partial_err", sync[2]),
            ("expired_keys", s["expired_keys"]), ("expired_stale_perc", "0.00"),
            ("expired_time_cap_reached_count", 0),
            ("expire_cycle_cpu_milliseconds", s["expire_cycle_time_used"] // 1000),
            ("evicted_keys", s["evicted_keys"]), ("evicted_clients", 0),
            ("total_eviction_exceeded_time", evict_total),
            ("current_eviction_exceeded_time", evict_current),
            ("keyspace_hits", s["keyspace_hits"]), ("keyspace_misses", s["keyspace_misses"]),
            ("pubsub_channels", pubsub[0]), ("pubsub_patterns", pubsub[1]),
            ("pubsubshard_channels", pubsub[2]),
            ("latest_fork_usec", s["fork_usec"]), ("total_forks", s["total_forks"]), ("migrate_cached_sockets", 0),
            ("slave_expires_tracked_keys", 0), ("active_defrag_hits", 0),
            ("active_defrag_misses", 0), ("active_defrag_key_hits", 0),
            ("active_defrag_key_misses", 0), ("total_active_defrag_time", 0),
            ("current_active_defrag_time", 0),
            ("tracking_total_keys", core.tracking_info()[1]),
            ("tracking_total_items", core.tracking_info()[2]),
            ("tracking_total_prefixes", core.tracking_info()[3]),
            ("unexpected_error_replies", s["unexpected_error_replies"]),
            ("total_error_replies", s["total_error_replies"]),
            ("dump_payload_sanitizations", s["dump_payload_sanitizations"]),
            ("total_reads_processed", s["total_reads_processed"]),
            ("total_writes_processed", s["total_writes_processed"]),
            ("io_threaded_reads_processed", 0), ("io_threaded_writes_processed", 0),
            ("reply_buffer_shrinks", 0), ("reply_buffer_expands", 0),
        ])

    def sec_replication(self):
        return _fields("Replication", self.ctl.replication.info_fields())

    def sec_cpu(self):
        me = resource.getrusage(resource.RUSAGE_SELF)
        ch = resource.getrusage(resource.RUSAGE_CHILDREN)
        return _fields("CPU", [
            ("used_cpu_sys", "%.6f" % me.ru_stime), ("used_cpu_user", "%.6f" % me.ru_utime),
            ("used_cpu_sys_children", "%.6f" % ch.ru_stime),
            ("used_cpu_user_children", "%.6f" % ch.ru_utime),
            ("used_cpu_sys_main_thread", "%.6f" % me.ru_stime),
            ("used_cpu_user_main_thread", "%.6f" % me.ru_utime),
        ])

    def sec_modules(self):
        return _fields("Modules", self.ctl.modules.info_fields() if self.ctl.modules else [])

    def sec_errorstats(self):
        return _fields("Errorstats", [
            ("errorstat_%s" % code, "count=%d" % n)
            for code, n in sorted(core.error_stats().items())])

    def sec_cluster(self):
        return _fields("Cluster", [("cluster_enabled", 0)])

    def sec_keyspace(self):
        return _fields("Keyspace", [
            ("db%d" % db, "keys=%d,expires=%d,avg_ttl=%d" % (keys, expires, avg_ttl))
            for db, keys, expires, avg_ttl in core.db_sizes()])

    def sec_commandstats(self):
        return _fields("Commandstats", [
            ("cmdstat_%s" % name,
             "calls=%d,usec=%d,usec_per_call=%.2f,rejected_calls=%d,failed_calls=%d"
             % (calls, usec, usec / calls if calls else 0, rejected, failed))
            for name, calls, usec, rejected, failed in core.command_stats()
            if calls or rejected or failed])

    def sec_latencystats(self):
        percentiles = self.ctl.cfg.typed("latency-tracking-info-percentiles")
        names = ["p" + ("%f" % p).rstrip("0").rstrip(".") for p in percentiles]
        return _fields("Latencystats", [
            ("latency_percentiles_usec_%s" % name,
             ",".join("%s=%.3f" % (n, v) for n, v in zip(names, values)))
            for name, values in core.latency_percentiles(list(percentiles))])
