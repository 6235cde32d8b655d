# Client-side caching (Redis's tracking.c): CLIENT TRACKING, CACHING,
# GETREDIR, TRACKINGINFO and the invalidation messages.
#
# Default mode: a read-only command run by a tracking client records its
# keys in g_tracking_table (key -> {client id: None}; keys of every database
# share one name space, as in Redis).  When a key is modified
# (signal_modified_key, multi.pyx: the one hook every write, expiry and
# eviction passes), each recorded client is told once and the key is
# forgotten.  OPTIN records only after CLIENT CACHING YES, OPTOUT all but
# after CLIENT CACHING NO (for the next command only).
#
# BCAST mode: the client registers prefixes (g_prefixes: prefix -> {id:
# None}, "" matching every key); a modified key matching a prefix is added
# to that prefix's pending keys, and before_sleep sends each client of the
# prefix one message with all of them (NOLOOP: without the keys it changed
# itself).
#
# A message goes to the client itself in RESP3 (push "invalidate"), or to
# its REDIRECT client: RESP3 push, or, for a RESP2 client subscribed to
# __redis__:invalidate, a pub/sub message.  A message for the client whose
# command is running waits until that command's reply is written
# (g_pending_self), so the reply comes first, as in Redis.  FLUSHDB and
# FLUSHALL tell every tracking client with a null key list.
#
# Invariant: with no tracking client (g_tracking_clients == 0) and no
# prefix, the write path pays one integer test.

cdef dict g_tracking_table = {}     # key bytes -> {client id: None}
cdef long long g_tracking_items = 0  # sum of the table's sets
cdef dict g_prefixes = {}            # prefix bytes -> [{client id: None}, {key: Client or None}]
cdef long long g_tracking_clients = 0
cdef long long cfg_tracking_table_max_keys = 1000000
cdef Client g_cur_client = None      # the client whose top-level command runs
cdef list g_pending_self = []        # (Client, keys or None) to send after its reply
cdef bint g_bcast_pending = False
cdef bytes TRACKING_CHANNEL = b"__redis__:invalidate"


cdef inline bint tracking_active() noexcept:
    return g_tracking_clients != 0


# --- sending ----------------------------------------------------------------------

cdef void send_invalidation(Client c, list keys) noexcept:
    """Tell c (or its redirect client) that keys (None: everything) changed."""
    cdef Client target = c
    cdef bint redirected = False
    if c.tracking_redirect:
        target = g_clients.get(c.tracking_redirect)
        if target is None:
            # the redirect client is gone: say so, once, in RESP3
            if not (c.flags & CLIENT_TRACKING_BROKEN_REDIR) and c.resp > 2:
                replyPushLen(&c.reply, 3, 2)
                replyBulkC(&c.reply, "tracking-redir-broken")
                replyLongLong(&c.reply, c.tracking_redirect)
                c.queue_reply()
            c.flags |= CLIENT_TRACKING_BROKEN_REDIR
            return
        redirected = True
    if target.flags & CLIENT_CLOSED:
        return
    if target.resp > 2:
        replyPushLen(&target.reply, 3, 2)
        replyBulkC(&target.reply, "invalidate")
    elif redirected and target.flags & CLIENT_PUBSUB:
        replyArrayLen(&target.reply, 3)
        replyBulkC(&target.reply, "message")
        replyBulk(&target.reply, <const char *>TRACKING_CHANNEL, len(TRACKING_CHANNEL))
    else:
        return              # RESP2 without a redirect: nothing can carry it
    if keys is None:
        replyNull(&target.reply, target.resp)
    else:
        replyArrayLen(&target.reply, len(keys))
        for k in keys:
            replyBulk(&target.reply, <const char *><bytes>k, len(<bytes>k))
    target.queue_reply()


cdef void tell(Client c, list keys) noexcept:
    """send_invalidation, after the reply when c's own command is running."""
    if c is g_cur_client and not c.tracking_redirect:
        g_pending_self.append((c, keys))
    else:
        send_invalidation(c, keys)


cdef void flush_pending_self() noexcept:
    """After a top-level command (call.pyx): its own invalidations."""
    global g_pending_self
    cdef list pending = g_pending_self
    g_pending_self = []
    for c, keys in pending:
        send_invalidation(<Client>c, keys)


# --- recording and invalidating -----------------------------------------------------

cdef void tracking_remember_keys(Client c, Command cmd) noexcept:
    """After a read-only command of a tracking (default mode) client."""
    global g_tracking_items
    cdef unsigned int f = c.flags
    if (f & CLIENT_TRACKING_OPTIN and not (f & CLIENT_TRACKING_CACHING)) or \
            (f & CLIENT_TRACKING_OPTOUT and f & CLIENT_TRACKING_CACHING):
        return
    try:
        argv = [c.argv[i][:c.argvlen[i]] for i in range(c.argc)]
        keys = spec_keys(cmd, argv)
    except Exception:
        return
    for k, _ in keys:
        ids = g_tracking_table.get(k)
        if ids is None:
            ids = g_tracking_table[k] = {}
        if c.id not in ids:
            ids[c.id] = None
            g_tracking_items += 1
    if cfg_tracking_table_max_keys and len(g_tracking_table) > cfg_tracking_table_max_keys:
        limit_tracking_table()


cdef void limit_tracking_table() noexcept:
    """tracking-table-max-keys: forget (and invalidate) keys beyond it."""
    while len(g_tracking_table) > cfg_tracking_table_max_keys:
        k = next(iter(g_tracking_table))
        invalidate_key(<bytes>k, False)


cdef void invalidate_key(bytes key, bint bcast) noexcept:
    global g_tracking_items, g_bcast_pending
    cdef Client t
    ids = g_tracking_table.pop(key, None)
    if ids is not None:
        g_tracking_items -= len(ids)
        for cid in ids:
            t = g_clients.get(cid)
            if t is None or not (t.flags & CLIENT_TRACKING) or t.flags & CLIENT_TRACKING_BCAST:
                continue
            if t.flags & CLIENT_TRACKING_NOLOOP and t is g_cur_client:
                continue
            tell(t, [key])
    if bcast and g_prefixes:
        for prefix, rec in g_prefixes.items():
            if key.startswith(prefix):
                (<dict>rec[1])[key] = g_cur_client
                g_bcast_pending = True


cdef void tracking_key_modified(const char *k, size_t kl) noexcept:
    invalidate_key(k[:kl], True)


cdef void tracking_on_flush(int dbid) noexcept:
    """FLUSHDB / FLUSHALL: every tracking client drops its whole cache."""
    global g_tracking_table, g_tracking_items
    cdef Client c
    for c in list(g_clients.values()):
        if c.flags & CLIENT_TRACKING:
            tell(c, None)
    if dbid == -1:
        g_tracking_table = {}
        g_tracking_items = 0


def tracking_broadcast():
    """before_sleep: BCAST clients get the keys their prefixes saw."""
    global g_bcast_pending
    cdef Client c
    g_bcast_pending = False
    for prefix, rec in g_prefixes.items():
        pending = <dict>rec[1]
        if not pending:
            continue
        rec[1] = {}
        for cid in rec[0]:
            c = g_clients.get(cid)
            if c is None:
                continue
            if c.flags & CLIENT_TRACKING_NOLOOP:
                keys = [k for k, who in pending.items() if who is not c]
            else:
                keys = list(pending)
            if keys:
                send_invalidation(c, keys)


cdef void tracking_before_call(Client c) noexcept:
    global g_cur_client
    g_cur_client = c


cdef void tracking_after_call(Client c, Command cmd) noexcept:
    """A top-level command ran: record what a tracking client read, send
    the invalidations its own writes caused after its reply, and spend a
    CLIENT CACHING (it covers one command; MULTI keeps it for EXEC)."""
    global g_cur_client
    if c.flags & CLIENT_TRACKING and not (c.flags & CLIENT_TRACKING_BCAST) and \
            cmd.flags & CMD_READONLY:
        tracking_remember_keys(c, cmd)
    if g_pending_self:
        flush_pending_self()
    if c.flags & CLIENT_TRACKING_CACHING and cmd.proc != cmd_client_caching and \
            not (c.flags & CLIENT_MULTI):
        c.flags &= ~CLIENT_TRACKING_CACHING
    g_cur_client = None


# --- enabling ---------------------------------------------------------------------

cdef void disable_tracking(Client c) noexcept:
    global g_tracking_clients
    if not (c.flags & CLIENT_TRACKING):
        return
    if c.flags & CLIENT_TRACKING_BCAST and c.tracking_prefixes:
        for p in c.tracking_prefixes:
            rec = g_prefixes.get(p)
            if rec is not None:
                (<dict>rec[0]).pop(c.id, None)
                if not rec[0]:
                    del g_prefixes[p]
    c.tracking_prefixes = None
    c.flags &= ~(CLIENT_TRACKING | CLIENT_TRACKING_BROKEN_REDIR | CLIENT_TRACKING_BCAST |
                 CLIENT_TRACKING_OPTIN | CLIENT_TRACKING_OPTOUT | CLIENT_TRACKING_NOLOOP |
                 CLIENT_TRACKING_CACHING)
    c.tracking_redirect = 0
    g_tracking_clients -= 1


cdef void enable_tracking(Client c, long long redirect, unsigned int options, list prefixes):
    global g_tracking_clients
    if not (c.flags & CLIENT_TRACKING):
        g_tracking_clients += 1
    c.flags |= CLIENT_TRACKING
    c.flags &= ~(CLIENT_TRACKING_BROKEN_REDIR | CLIENT_TRACKING_BCAST | CLIENT_TRACKING_OPTIN |
                 CLIENT_TRACKING_OPTOUT | CLIENT_TRACKING_NOLOOP)
    c.tracking_redirect = redirect
    if options & CLIENT_TRACKING_BCAST:
        c.flags |= CLIENT_TRACKING_BCAST
        if c.tracking_prefixes is None:
            c.tracking_prefixes = []
        for p in (prefixes or [b""]):
            if p in c.tracking_prefixes:
                continue
            rec = g_prefixes.get(p)
            if rec is None:
                rec = g_prefixes[p] = [{}, {}]
            (<dict>rec[0])[c.id] = None
            c.tracking_prefixes.append(p)
    c.flags |= options & (CLIENT_TRACKING_OPTIN | CLIENT_TRACKING_OPTOUT | CLIENT_TRACKING_NOLOOP)


cdef inline bint prefixes_overlap(bytes a, bytes b) noexcept:
    cdef size_t n = min(len(a), len(b))
    return a[:n] == b[:n]


cdef int cmd_client_tracking(Client c) except -1:
    cdef long long redirect = 0
    cdef bint have_redirect = False
    cdef unsigned int options = 0
    cdef int j = 3
    cdef list prefixes = []
    cdef bint on
    if arg_is(c, 2, "on"):
        on = True
    elif arg_is(c, 2, "off"):
        on = False
    else:
        replyErrorC(&c.reply, MSG_SYNTAX)
        return 0
    while j < c.argc:
        more = j + 1 < c.argc
        if arg_is(c, j, "redirect") and more:
            j += 1
            if have_redirect:
                replyErrorC(&c.reply, "ERR A client can only redirect to a single other client")
                return 0
            if not arg_ll(c, j, &redirect):
                return 0
            have_redirect = True
            if redirect != c.id and redirect not in g_clients:
                replyErrorC(&c.reply, "ERR The client ID you want redirect to does not exist")
                return 0
        elif arg_is(c, j, "bcast"):
            options |= CLIENT_TRACKING_BCAST
        elif arg_is(c, j, "optin"):
            options |= CLIENT_TRACKING_OPTIN
        elif arg_is(c, j, "optout"):
            options |= CLIENT_TRACKING_OPTOUT
        elif arg_is(c, j, "noloop"):
            options |= CLIENT_TRACKING_NOLOOP
        elif arg_is(c, j, "prefix") and more:
            j += 1
            prefixes.append(arg_bytes(c, j))
        else:
            replyErrorC(&c.reply, MSG_SYNTAX)
            return 0
        j += 1
    if not on:
        disable_tracking(c)
        replyOk(&c.reply)
        return 0
    if prefixes and not (options & CLIENT_TRACKING_BCAST):
        replyErrorC(&c.reply, "ERR PREFIX option requires BCAST mode to be enabled")
        return 0
    if c.flags & CLIENT_TRACKING and \
            bool(c.flags & CLIENT_TRACKING_BCAST) != bool(options & CLIENT_TRACKING_BCAST):
        replyErrorC(&c.reply, "ERR You can't switch BCAST mode on/off before disabling tracking "
                              "for this client, and then re-enabling it with a different mode.")
        return 0
    if options & CLIENT_TRACKING_BCAST and \
            options & (CLIENT_TRACKING_OPTIN | CLIENT_TRACKING_OPTOUT):
        replyErrorC(&c.reply, "ERR OPTIN and OPTOUT are not compatible with BCAST")
        return 0
    if options & CLIENT_TRACKING_OPTIN and options & CLIENT_TRACKING_OPTOUT:
        replyErrorC(&c.reply, "ERR You can't specify both OPTIN mode and OPTOUT mode")
        return 0
    if (options & CLIENT_TRACKING_OPTIN and c.flags & CLIENT_TRACKING_OPTOUT) or \
            (options & CLIENT_TRACKING_OPTOUT and c.flags & CLIENT_TRACKING_OPTIN):
        replyErrorC(&c.reply, "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking "
                              "for this client, and then re-enabling it with a different mode.")
        return 0
    if options & CLIENT_TRACKING_BCAST:
        for i, p in enumerate(prefixes):
            for old in (c.tracking_prefixes or ()):
                if prefixes_overlap(old, p):
                    reply_error_fmt(c, "ERR Prefix '%s' overlaps with an existing prefix '%s'. "
                                    "Prefixes for a single client must not overlap."
                                    % (p.decode("utf-8", "surrogateescape"),
                                       (<bytes>old).decode("utf-8", "surrogateescape")))
                    return 0
            for other in prefixes[i + 1:]:
                if prefixes_overlap(p, other):
                    reply_error_fmt(c, "ERR Prefix '%s' overlaps with another provided prefix "
                                    "'%s'. Prefixes for a single client must not overlap."
                                    % (p.decode("utf-8", "surrogateescape"),
                                       (<bytes>other).decode("utf-8", "surrogateescape")))
                    return 0
    enable_tracking(c, redirect, options, prefixes)
    replyOk(&c.reply)
    return 0


cdef int cmd_client_caching(Client c) except -1:
    if not (c.flags & CLIENT_TRACKING):
        replyErrorC(&c.reply, "ERR CLIENT CACHING can be called only when the client is in "
                              "tracking mode with OPTIN or OPTOUT mode enabled")
        return 0
    if arg_is(c, 2, "yes"):
        if not (c.flags & CLIENT_TRACKING_OPTIN):
            replyErrorC(&c.reply, "ERR CLIENT CACHING YES is only valid when tracking is "
                                  "enabled in OPTIN mode.")
            return 0
    elif arg_is(c, 2, "no"):
        if not (c.flags & CLIENT_TRACKING_OPTOUT):
            replyErrorC(&c.reply, "ERR CLIENT CACHING NO is only valid when tracking is "
                                  "enabled in OPTOUT mode.")
            return 0
    else:
        replyErrorC(&c.reply, MSG_SYNTAX)
        return 0
    c.flags |= CLIENT_TRACKING_CACHING
    replyOk(&c.reply)
    return 0


cdef int cmd_client_getredir(Client c) except -1:
    replyLongLong(&c.reply, c.tracking_redirect if c.flags & CLIENT_TRACKING else -1)
    return 0


cdef int cmd_client_trackinginfo(Client c) except -1:
    cdef unsigned int f = c.flags
    flags = []
    if not (f & CLIENT_TRACKING):
        flags.append("off")
    else:
        flags.append("on")
        if f & CLIENT_TRACKING_BCAST:
            flags.append("bcast")
        if f & CLIENT_TRACKING_OPTIN:
            flags.append("optin")
            if f & CLIENT_TRACKING_CACHING:
                flags.append("caching-yes")
        if f & CLIENT_TRACKING_OPTOUT:
            flags.append("optout")
            if f & CLIENT_TRACKING_CACHING:
                flags.append("caching-no")
        if f & CLIENT_TRACKING_NOLOOP:
            flags.append("noloop")
        if f & CLIENT_TRACKING_BROKEN_REDIR:
            flags.append("broken_redirect")
    replyMapLen(&c.reply, c.resp, 3)
    replyBulkC(&c.reply, "flags")
    replySetLen(&c.reply, c.resp, len(flags))
    for name in flags:
        b = (<str>name).encode()
        replyBulk(&c.reply, <const char *>b, len(b))
    replyBulkC(&c.reply, "redirect")
    replyLongLong(&c.reply, c.tracking_redirect if f & CLIENT_TRACKING else -1)
    replyBulkC(&c.reply, "prefixes")
    # in Redis's (radix tree) order
    prefixes = sorted(c.tracking_prefixes) if f & CLIENT_TRACKING_BCAST and c.tracking_prefixes \
        else []
    replyArrayLen(&c.reply, len(prefixes))
    for p in prefixes:
        replyBulk(&c.reply, <const char *><bytes>p, len(<bytes>p))
    return 0


def tracking_info():
    """INFO: (tracking_clients, total keys, total items, total prefixes)."""
    return g_tracking_clients, len(g_tracking_table), g_tracking_items, len(g_prefixes)
