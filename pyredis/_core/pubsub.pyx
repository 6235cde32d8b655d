# Pub/Sub: SUBSCRIBE/PSUBSCRIBE/SSUBSCRIBE, PUBLISH/SPUBLISH and PUBSUB
# introspection (Redis's pubsub.c, 7.0 semantics).
#
# The server side maps a channel (or pattern) to the subscribed clients in
# insertion order: g_pubsub_channels / g_pubsub_shard / g_pubsub_patterns,
# bytes -> {Client: None}.  A client keeps its own view (Client.sub_channels,
# sub_shard: dicts; sub_patterns: a list, so PUNSUBSCRIBE without arguments
# goes in subscription order as in 7.0); they stay None until its first
# subscription, so a plain client costs nothing.  Shard channels are a
# separate name space with their own subscription count; classic channels
# and patterns share one count.
#
# PUBLISH writes each message into the subscriber's reply buffer and queues
# the subscriber for before_sleep() like any reply.  A subscriber that does
# not read is bounded by client-output-buffer-limit pubsub (obuf.pyx).

cdef dict g_pubsub_channels = {}    # bytes -> {Client: None}
cdef dict g_pubsub_shard = {}
cdef dict g_pubsub_patterns = {}

# --- replies ----------------------------------------------------------------

cdef inline void push_bulk(Client c, object b) noexcept:
    """A channel or pattern name, or None as a null (unsubscribing from
    nothing)."""
    if b is None:
        replyNull(&c.reply, c.resp)
    else:
        replyBulk(&c.reply, <const char *><bytes>b, len(<bytes>b))


cdef void reply_subscription(Client c, const char *kind, object name, long long count) noexcept:
    """The 3-element confirmation of every (un)subscribe variant:
    [kind, channel or pattern (or null), subscriptions left]."""
    replyPushLen(&c.reply, c.resp, 3)
    replyBulkC(&c.reply, kind)
    push_bulk(c, name)
    replyLongLong(&c.reply, count)


cdef inline long long subscription_count(Client c, bint shard) noexcept:
    """What the confirmations report: shard subscriptions for the S
    variants, channels plus patterns for the others."""
    if shard:
        return len(c.sub_shard) if c.sub_shard is not None else 0
    return ((len(c.sub_channels) if c.sub_channels is not None else 0)
            + (len(c.sub_patterns) if c.sub_patterns is not None else 0))


cdef inline long long total_subscriptions(Client c) noexcept:
    return subscription_count(c, False) + subscription_count(c, True)


cdef inline void update_pubsub_flag(Client c) noexcept:
    if total_subscriptions(c):
        c.flags |= CLIENT_PUBSUB
    else:
        c.flags &= ~CLIENT_PUBSUB


# --- subscribing --------------------------------------------------------------

cdef void subscribe_channel(Client c, bytes ch, bint shard):
    cdef dict mine
    cdef dict server = g_pubsub_shard if shard else g_pubsub_channels
    if shard:
        if c.sub_shard is None:
            c.sub_shard = {}
        mine = c.sub_shard
    else:
        if c.sub_channels is None:
            c.sub_channels = {}
        mine = c.sub_channels
    if ch not in mine:
        mine[ch] = None
        subs = server.get(ch)
        if subs is None:
            server[ch] = subs = {}
        (<dict>subs)[c] = None
    reply_subscription(c, "ssubscribe" if shard else "subscribe", ch,
                       subscription_count(c, shard))


cdef void unsubscribe_channel(Client c, bytes ch, bint shard, bint notify):
    cdef dict mine = c.sub_shard if shard else c.sub_channels
    cdef dict server = g_pubsub_shard if shard else g_pubsub_channels
    if mine is not None and ch in mine:
        del mine[ch]
        subs = <dict>server[ch]
        del subs[c]
        if not subs:
            del server[ch]
    if notify:
        reply_subscription(c, "sunsubscribe" if shard else "unsubscribe", ch,
                           subscription_count(c, shard))


cdef void unsubscribe_all_channels(Client c, bint shard, bint notify):
    cdef dict mine = c.sub_shard if shard else c.sub_channels
    if mine:
        for ch in list(mine):
            unsubscribe_channel(c, ch, shard, notify)
    elif notify:
        # subscribed to nothing: still one confirmation
        reply_subscription(c, "sunsubscribe" if shard else "unsubscribe", None,
                           subscription_count(c, shard))


cdef void subscribe_pattern(Client c, bytes pat):
    if c.sub_patterns is None:
        c.sub_patterns = []
    if pat not in c.sub_patterns:
        c.sub_patterns.append(pat)
        subs = g_pubsub_patterns.get(pat)
        if subs is None:
            g_pubsub_patterns[pat] = subs = {}
        (<dict>subs)[c] = None
    reply_subscription(c, "psubscribe", pat, subscription_count(c, False))


cdef void unsubscribe_pattern(Client c, bytes pat, bint notify):
    if c.sub_patterns is not None and pat in c.sub_patterns:
        c.sub_patterns.remove(pat)
        subs = <dict>g_pubsub_patterns[pat]
        del subs[c]
        if not subs:
            del g_pubsub_patterns[pat]
    if notify:
        reply_subscription(c, "punsubscribe", pat, subscription_count(c, False))


cdef void unsubscribe_all_patterns(Client c, bint notify):
    if c.sub_patterns:
        for pat in list(c.sub_patterns):
            unsubscribe_pattern(c, pat, notify)
    elif notify:
        reply_subscription(c, "punsubscribe", None, subscription_count(c, False))


cdef void pubsub_unsubscribe_all(Client c) noexcept:
    """Drop every subscription silently (RESET, disconnection)."""
    if not (c.flags & CLIENT_PUBSUB):
        return
    unsubscribe_all_channels(c, False, False)
    unsubscribe_all_channels(c, True, False)
    unsubscribe_all_patterns(c, False)
    c.flags &= ~CLIENT_PUBSUB


# --- publishing ---------------------------------------------------------------

cdef void deliver(Client s, const char *kind, int n, object pat,
                  const char *ch, size_t chlen, const char *msg, size_t mlen) noexcept:
    """Write one message to subscriber s: [kind, (pattern,) channel, msg]."""
    if s.flags & CLIENT_CLOSED:
        return
    replyPushLen(&s.reply, s.resp, n)
    replyBulkC(&s.reply, kind)
    if n == 4:
        push_bulk(s, pat)
    replyBulk(&s.reply, ch, chlen)
    replyBulk(&s.reply, msg, mlen)
    if s.reading_paused or s.reply.len >= <size_t>g_obuf_check_min[OBUF_PUBSUB]:
        if check_obuf_limit(s, OBUF_PUBSUB):
            return
    try:
        s.queue_reply()
    except Exception:
        pass


cdef long long pubsub_publish(const char *ch, size_t chlen, const char *msg, size_t mlen,
                              bint shard) noexcept:
    """Send msg to the subscribers of ch (and, unless shard, of the patterns
    matching it); the number of deliveries."""
    cdef long long receivers = 0
    cdef dict server = g_pubsub_shard if shard else g_pubsub_channels
    if server:
        subs = server.get(ch[:chlen])
        if subs is not None:
            for s in list(<dict>subs):
                deliver(<Client>s, "smessage" if shard else "message", 3, None,
                        ch, chlen, msg, mlen)
                receivers += 1
    if not shard and g_pubsub_patterns:
        for pat, subs in list(g_pubsub_patterns.items()):
            if not stringmatchlen(<const char *><bytes>pat, len(<bytes>pat), ch, chlen, 0):
                continue
            for s in list(<dict>subs):
                deliver(<Client>s, "pmessage", 4, pat, ch, chlen, msg, mlen)
                receivers += 1
    return receivers


# --- commands -------------------------------------------------------------------

cdef int cmd_subscribe(Client c) except -1:
    for j in range(1, c.argc):
        subscribe_channel(c, arg_bytes(c, j), False)
    c.flags |= CLIENT_PUBSUB
    return 0


cdef int cmd_ssubscribe(Client c) except -1:
    if c.flags & CLIENT_DENY_BLOCKING:
        replyErrorC(&c.reply, "ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client")
        return 0
    for j in range(1, c.argc):
        subscribe_channel(c, arg_bytes(c, j), True)
    c.flags |= CLIENT_PUBSUB
    return 0


cdef int unsubscribe_generic(Client c, bint shard) except -1:
    if c.argc == 1:
        unsubscribe_all_channels(c, shard, True)
    else:
        for j in range(1, c.argc):
            unsubscribe_channel(c, arg_bytes(c, j), shard, True)
    update_pubsub_flag(c)
    return 0


cdef int cmd_unsubscribe(Client c) except -1:
    return unsubscribe_generic(c, False)


cdef int cmd_sunsubscribe(Client c) except -1:
    return unsubscribe_generic(c, True)


cdef int cmd_psubscribe(Client c) except -1:
    for j in range(1, c.argc):
        subscribe_pattern(c, arg_bytes(c, j))
    c.flags |= CLIENT_PUBSUB
    return 0


cdef int cmd_punsubscribe(Client c) except -1:
    if c.argc == 1:
        unsubscribe_all_patterns(c, True)
    else:
        for j in range(1, c.argc):
            unsubscribe_pattern(c, arg_bytes(c, j), True)
    update_pubsub_flag(c)
    return 0


cdef int cmd_publish(Client c) except -1:
    replyLongLong(&c.reply, pubsub_publish(c.argv[1], c.argvlen[1], c.argv[2], c.argvlen[2], False))
    return 0


cdef int cmd_spublish(Client c) except -1:
    replyLongLong(&c.reply, pubsub_publish(c.argv[1], c.argvlen[1], c.argv[2], c.argvlen[2], True))
    return 0


cdef int reply_channels(Client c, dict server) except -1:
    """PUBSUB CHANNELS / SHARDCHANNELS [pattern]: active channels."""
    cdef bytes pat = arg_bytes(c, 2) if c.argc > 2 else None
    names = [ch for ch in server
             if pat is None or stringmatchlen(<const char *>pat, len(pat),
                                              <const char *><bytes>ch, len(<bytes>ch), 0)]
    replyArrayLen(&c.reply, len(names))
    for ch in names:
        push_bulk(c, ch)
    return 0


cdef int reply_numsub(Client c, dict server) except -1:
    """PUBSUB NUMSUB / SHARDNUMSUB channel...: channel, count pairs."""
    replyArrayLen(&c.reply, (c.argc - 2) * 2)
    for j in range(2, c.argc):
        replyBulk(&c.reply, c.argv[j], c.argvlen[j])
        subs = server.get(arg_bytes(c, j))
        replyLongLong(&c.reply, len(<dict>subs) if subs is not None else 0)
    return 0


cdef int cmd_pubsub_channels(Client c) except -1:
    return reply_channels(c, g_pubsub_channels)


cdef int cmd_pubsub_shardchannels(Client c) except -1:
    return reply_channels(c, g_pubsub_shard)


cdef int cmd_pubsub_numsub(Client c) except -1:
    return reply_numsub(c, g_pubsub_channels)


cdef int cmd_pubsub_shardnumsub(Client c) except -1:
    return reply_numsub(c, g_pubsub_shard)


cdef int cmd_pubsub_numpat(Client c) except -1:
    replyLongLong(&c.reply, len(g_pubsub_patterns))
    return 0


cdef int cmd_pubsub_help(Client c) except -1:
    return reply_help(c, "pubsub")


cdef bint pubsub_command_allowed(Command cmd) noexcept:
    """What a RESP2 client in subscriber mode may still run."""
    return (cmd.proc == cmd_ping or cmd.proc == cmd_subscribe or cmd.proc == cmd_ssubscribe
            or cmd.proc == cmd_unsubscribe or cmd.proc == cmd_sunsubscribe
            or cmd.proc == cmd_psubscribe or cmd.proc == cmd_punsubscribe
            or cmd.proc == cmd_quit or cmd.proc == cmd_reset)
