# The connection: an asyncio protocol compiled to C.  Per read chunk:
# parse every complete request in it, run each and gather all replies in one
# buffer.  Bytes of an incomplete request are kept in qbuf until the rest
# arrives; the parser resumes where it stopped (csrc/resp.h).
#
# Replies do not leave from the read callback: the client is queued in
# g_pending_writes and before_sleep() writes every queued buffer once the
# event loop has run all the reads it was woken for (Redis's beforeSleep /
# handleClientsWithPendingWrites).  Writing in one burst per loop iteration
# wakes a pipelining peer once instead of once per read, and it is the point
# where the append-only file is written (and fsynced) before any reply of
# the commands it records is sent.
cimport cython
from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_GET_SIZE, PyBytes_FromStringAndSize
from libc.string cimport memcpy, memmove

cdef enum:
    QBUF_KEEP_MAX = 1024 * 1024    # a larger idle query buffer is released

import socket as _socket

cdef long long cfg_tcp_keepalive = 300   # tcp-keepalive seconds, 0: off


cdef void set_keepalive(sock, long long interval) noexcept:
    """tcp-keepalive as Redis sets it: probes after interval seconds idle,
    then every interval/3, dropped after 3 unanswered."""
    try:
        if sock.family not in (_socket.AF_INET, _socket.AF_INET6):
            return
        sock.setsockopt(_socket.SOL_SOCKET, _socket.SO_KEEPALIVE, 1)
        sock.setsockopt(_socket.IPPROTO_TCP, _socket.TCP_KEEPIDLE, interval)
        sock.setsockopt(_socket.IPPROTO_TCP, _socket.TCP_KEEPINTVL, max(1, interval // 3))
        sock.setsockopt(_socket.IPPROTO_TCP, _socket.TCP_KEEPCNT, 3)
    except (OSError, AttributeError):
        pass


cdef bint cfg_protected_mode = True
cdef bytes MSG_DENIED = (
    b"-DENIED Redis is running in protected mode because protected mode is enabled and no "
    b"password is set for the default user. In this mode connections are only accepted from "
    b"the loopback interface. If you want to connect from external computers to Redis you may "
    b"adopt one of the following solutions: 1) Just disable protected mode sending the command "
    b"'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from "
    b"the same host the server is running, however MAKE SURE Redis is not publicly accessible "
    b"from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) "
    b"Alternatively you can just disable the protected mode by editing the Redis configuration "
    b"file, and setting the protected mode option to 'no', and then restarting the server. 3) "
    b"If you started the server manually just for testing, restart it with the "
    b"'--protected-mode no' option. 4) Setup a an authentication password for the default "
    b"user. NOTE: You only need to do one of the above things in order for the server to start "
    b"accepting connections from the outside.\r\n")


def protected_mode_denies(bint unix_socket, str addr):
    """With protected-mode on: is a new connection from addr ("ip:port")
    refused?  Only while the default user has no password, and never over
    a unix socket or from a loopback address."""
    if unix_socket or g_default_user is None or not g_default_user.nopass:
        return False
    return not addr_is_loopback(addr)


@cython.final
cdef class Client:
    def __cinit__(self):
        global g_next_client_id
        respParserInit(&self.parser)
        replyInit(&self.reply)
        self.qbuf = NULL
        self.qlen = self.qcap = 0
        self.db = &g_dbs[0]
        self.resp = 2
        self.id = g_next_client_id
        g_next_client_id += 1
        self.name = None
        self.flags = 0
        self.fd = -1
        self.ctime = self.last_interaction = mstime() // 1000
        self.user = g_default_user
        self.authenticated = g_default_user is not None and g_default_user.nopass \
            and g_default_user.enabled
        self.parser.unauthenticated = not self.authenticated
        self.parser.max_bulk_len = cfg_proto_max_bulk_len

    def __dealloc__(self):
        respParserFree(&self.parser)
        replyFree(&self.reply)
        zfree(self.qbuf)

    # --- asyncio protocol --------------------------------------------------

    def connection_made(self, transport):
        self.transport = transport
        g_stats.numconnections += 1
        sock = transport.get_extra_info("socket")
        if sock is not None:
            self.fd = sock.fileno()
            if cfg_tcp_keepalive > 0:
                set_keepalive(sock, cfg_tcp_keepalive)
        peer = transport.get_extra_info("peername")
        sockname = transport.get_extra_info("sockname")
        if isinstance(peer, tuple):
            self.addr = "%s:%d" % (peer[0], peer[1])
            self.laddr = "%s:%d" % (sockname[0], sockname[1])
        else:
            self.flags |= CLIENT_UNIX_SOCKET
            self.addr = "%s:0" % (sockname or "")
            self.laddr = self.addr
        if cfg_protected_mode and protected_mode_denies(
                (self.flags & CLIENT_UNIX_SOCKET) != 0, self.addr):
            transport.write(MSG_DENIED)
            transport.close()
            self.flags |= CLIENT_CLOSED
            return
        if len(g_clients) >= cfg_maxclients:
            g_stats.rejected_conn += 1
            transport.write(b"-ERR max number of clients reached\r\n")
            transport.close()
            self.flags |= CLIENT_CLOSED
            return
        g_clients[self.id] = self

    def connection_lost(self, exc):
        self.free_client()

    def data_received(self, bytes data):
        self.process_input(PyBytes_AS_STRING(data), PyBytes_GET_SIZE(data))

    def eof_received(self):
        return False

    def pause_writing(self):
        # the peer does not read its replies: stop reading its requests
        self.reading_paused = self.writing_paused = True
        self.transport.pause_reading()

    def resume_writing(self):
        self.writing_paused = False
        if self.reading_paused and not (self.flags & CLIENT_CLOSED):
            self.reading_paused = False
            self.transport.resume_reading()
        wake_drain_waiter(self)

    # --- request processing ------------------------------------------------

    cdef int process_input(self, const char *buf, size_t n) except -1:
        g_stats.net_input_bytes += n
        g_stats.total_reads_processed += 1
        if self.flags & (CLIENT_CLOSE_AFTER_REPLY | CLIENT_CLOSED):
            return 0
        self.last_interaction = g_cmd_ms // 1000 if g_cmd_ms else mstime() // 1000
        if self.flags & CLIENT_BLOCKED:
            # a blocked client's requests wait, unparsed, until it is unblocked
            qbuf_append(self, buf, n)
            check_qbuf_limit(self)
            if self.flags & CLIENT_CLOSE_AFTER_REPLY:
                self.queue_reply()
            return 0
        if self.qlen:
            qbuf_append(self, buf, n)
            return self.run_requests(self.qbuf, self.qlen, True)
        return self.run_requests(buf, n, False)

    cdef int run_requests(self, const char *buf, size_t n, bint from_qbuf) except -1:
        """Run every complete request in buf, stopping early when the client
        blocks; keep the rest in qbuf and write the replies."""
        cdef size_t pos = 0
        cdef int r
        while pos < n:
            r = respParse(&self.parser, buf + pos, n - pos)
            if r == RESP_REQ_OK:
                self.argc = self.parser.argc
                self.argv = self.parser.argv
                self.argvlen = self.parser.argvlen
                pos += self.parser.consumed
                process_command(self)
                if self.flags & (CLIENT_CLOSE_AFTER_REPLY | CLIENT_BLOCKED | CLIENT_MASTER):
                    if self.flags & CLIENT_MASTER:
                        # the offset a replica acknowledges: whole commands applied
                        self.reploff += self.repl_pending + self.parser.consumed
                        self.repl_pending = 0
                        if not (self.flags & (CLIENT_CLOSE_AFTER_REPLY | CLIENT_BLOCKED)):
                            continue
                    break
            elif r == RESP_REQ_INCOMPLETE:
                pos += self.parser.consumed
                if self.flags & CLIENT_MASTER:
                    self.repl_pending += self.parser.consumed
                break
            else:
                protocol_error(self)
                break
        n -= pos
        if self.flags & CLIENT_CLOSE_AFTER_REPLY:
            n = 0
            respParserReset(&self.parser)
        if from_qbuf:
            if n:
                memmove(self.qbuf, self.qbuf + pos, n)
            self.qlen = n
        elif n:
            qbuf_append(self, buf + pos, n)
        check_qbuf_limit(self)
        return self.queue_reply()

    cdef int queue_reply(self) except -1:
        """Have before_sleep() write this client's replies."""
        global g_before_sleep_scheduled
        if self.flags & CLIENT_PENDING_WRITE:
            return 0
        if self.reply.len == 0 and not (self.flags & CLIENT_CLOSE_AFTER_REPLY):
            return 0
        if self.flags & CLIENT_SLAVE and not repl_stream_flows(self):
            return 0
        self.flags |= CLIENT_PENDING_WRITE
        g_pending_writes.append(self)
        if not g_before_sleep_scheduled:
            g_before_sleep_scheduled = True
            event_loop().call_soon(before_sleep)
        return 0

    cdef int resume_input(self) except -1:
        """After an unblock: write the reply it got, then run the requests
        that arrived meanwhile."""
        if self.flags & (CLIENT_CLOSED | CLIENT_BLOCKED):
            return 0
        if self.qlen and not (self.flags & CLIENT_CLOSE_AFTER_REPLY):
            return self.run_requests(self.qbuf, self.qlen, True)
        return self.queue_reply()

    cdef int flush_reply(self) except -1:
        cdef bytes out
        if self.flags & CLIENT_CLOSED:
            self.reply.len = 0
            return 0
        if self.reply.len:
            out = PyBytes_FromStringAndSize(self.reply.buf, self.reply.len)
            g_stats.net_output_bytes += self.reply.len
            g_stats.total_writes_processed += 1
            replyClear(&self.reply)
            self.transport.write(out)
        if self.flags & CLIENT_CLOSE_AFTER_REPLY:
            self.flags |= CLIENT_CLOSED
            self.transport.close()
        return 0

    cdef void free_client(self):
        wake_drain_waiter(self)
        if self.flags & CLIENT_SLAVE:
            repl_forget_replica(self)
        if self.flags & CLIENT_MONITOR:
            monitor_forget(self)
        if self.flags & CLIENT_TRACKING:
            disable_tracking(self)
        if self.flags & CLIENT_BLOCKED:
            unblock_client(self)
        discard_transaction(self)
        pubsub_unsubscribe_all(self)
        self.flags |= CLIENT_CLOSED
        g_clients.pop(self.id, None)
        zfree(self.qbuf)
        self.qbuf = NULL
        self.qlen = self.qcap = 0
        replyClear(&self.reply)

    cpdef close(self):
        """Close after the pending replies are written (CLIENT KILL, QUIT)."""
        self.flags |= CLIENT_CLOSE_AFTER_REPLY
        if self.flags & CLIENT_BLOCKED:
            unblock_client(self)
        if self.transport is not None:
            self.flush_reply()


def before_sleep():
    """Runs once per event-loop iteration that produced replies, after the
    reads: write the AOF buffer, then every queued client's replies."""
    global g_pending_writes, g_before_sleep_scheduled
    g_before_sleep_scheduled = False
    # the AOF holds (with appendfsync always: on disk) every write before
    # any reply acknowledging it leaves
    if g_prop_targets & PROP_TARGET_AOF:
        aof_flush_c(False)
    if g_bcast_pending:
        tracking_broadcast()                       # tracking.pyx
    cdef list pending = g_pending_writes
    cdef Client c
    g_pending_writes = []
    for c in pending:
        c.flags &= ~CLIENT_PENDING_WRITE
        c.flush_reply()


cdef void wake_drain_waiter(Client c) noexcept:
    """A bulk sender (a replica's RDB) waits for the transport to drain
    or the client to go."""
    if c.drain_waiter is not None:
        try:
            if not c.drain_waiter.done():
                c.drain_waiter.set_result(None)
        except Exception:
            pass
        c.drain_waiter = None


def close_idle_clients(long long maxidle):
    """`timeout`: close normal clients silent for more than maxidle
    seconds (not replicas, our master, blocked clients or subscribers)."""
    cdef Client c
    cdef long long now = mstime() // 1000
    for c in list(g_clients.values()):
        if c.flags & (CLIENT_SLAVE | CLIENT_MASTER | CLIENT_BLOCKED | CLIENT_PUBSUB |
                      CLIENT_CLOSED) or c.transport is None:
            continue
        if now - c.last_interaction > maxidle:
            if g_ctl is not None:
                g_ctl.log_verbose("Closing idle client")
            c.free_client()
            c.transport.close()


cdef object event_loop():
    if g_ctl is not None and g_ctl.loop is not None:
        return g_ctl.loop
    import asyncio
    return asyncio.get_event_loop()


cdef int qbuf_append(Client c, const char *p, size_t n) except -1:
    cdef size_t need = c.qlen + n
    cdef size_t cap
    cdef char *nb
    if need > c.qcap:
        cap = c.qcap * 2 if c.qcap else 16384
        while cap < need:
            cap *= 2
        nb = <char *>zrealloc(c.qbuf, cap)
        if nb == NULL:
            raise MemoryError()
        c.qbuf = nb
        c.qcap = cap
    memcpy(c.qbuf + c.qlen, p, n)
    c.qlen = need
    return 0


cdef void check_qbuf_limit(Client c):
    if c.qlen == 0 and c.qcap > QBUF_KEEP_MAX:
        zfree(c.qbuf)
        c.qbuf = NULL
        c.qcap = 0
    elif c.qlen > <size_t>cfg_client_query_buffer_limit:
        g_stats.client_qbuf_limit_disconnections += 1
        if g_ctl is not None:
            g_ctl.log_warning("Closing client that reached max query buffer length: "
                              + client_info_string(c) + " (qbuf initial bytes: "
                              + repr(c.qbuf[:min(c.qlen, 64)])[1:] + ")")
        c.flags |= CLIENT_CLOSE_AFTER_REPLY
        if c.flags & CLIENT_BLOCKED:
            unblock_client(c)


cdef void protocol_error(Client c):
    cdef bytes msg = b"ERR " + <bytes>c.parser.errstr
    replyError(&c.reply, msg, len(msg))
    g_stats.total_error_replies += 1
    c.flags |= CLIENT_CLOSE_AFTER_REPLY
    if g_ctl is not None and g_ctl.verbose:
        g_ctl.log_verbose("Protocol error (%s) from client: %s"
                          % (c.parser.errstr.decode(), client_info_string(c)))


cdef inline void disconnect_all_clients():
    for c in list(g_clients.values()):
        (<Client>c).close()
