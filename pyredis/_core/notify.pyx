# Keyspace notifications (notify-keyspace-events): commands, expiry and
# eviction report what they did to a key; when the configured classes
# select the event it is published on __keyspace@<db>__:<key> and/or
# __keyevent@<db>__:<event> (Redis's notify.c).

cdef enum:
    NOTIFY_KEYSPACE = 1 << 0     # K
    NOTIFY_KEYEVENT = 1 << 1     # E
    NOTIFY_GENERIC = 1 << 2      # g
    NOTIFY_STRING = 1 << 3       # $
    NOTIFY_LIST = 1 << 4         # l
    NOTIFY_SET = 1 << 5          # s
    NOTIFY_HASH = 1 << 6         # h
    NOTIFY_ZSET = 1 << 7         # z
    NOTIFY_EXPIRED = 1 << 8      # x
    NOTIFY_EVICTED = 1 << 9      # e
    NOTIFY_STREAM = 1 << 10      # t
    NOTIFY_KEY_MISS = 1 << 11    # m (not part of A)
    NOTIFY_LOADED = 1 << 12      # module only
    NOTIFY_MODULE = 1 << 13      # d
    NOTIFY_NEW = 1 << 14         # n (not part of A)

cdef int cfg_notify_keyspace_events = 0


cdef inline void notify_keyspace_event(int type, const char *event, const char *key,
                                       size_t klen, int dbid) noexcept:
    """Publish `event` on key `key` of database dbid if its class is on:
    one integer test when notifications are off."""
    if cfg_notify_keyspace_events & type:
        publish_keyspace_event(event, key, klen, dbid)


cdef void publish_keyspace_event(const char *event, const char *key, size_t klen,
                                 int dbid) noexcept:
    if not (g_pubsub_channels or g_pubsub_patterns):
        return
    cdef bytes ev = <bytes>event
    cdef bytes chan
    if cfg_notify_keyspace_events & NOTIFY_KEYSPACE:
        chan = b"__keyspace@%d__:" % dbid + key[:klen]
        pubsub_publish(chan, len(chan), event, len(ev), False)
    if cfg_notify_keyspace_events & NOTIFY_KEYEVENT:
        chan = b"__keyevent@%d__:" % dbid + ev
        pubsub_publish(chan, len(chan), key, klen, False)


cdef inline void key_event(Client c, int type, const char *event, const char *k,
                           size_t kl) noexcept:
    """A command changed key k of its database: WATCH and notifications."""
    signal_modified_key(c.db, k, kl)
    notify_keyspace_event(type, event, k, kl, c.db.id)


cdef inline void arg_event(Client c, int type, const char *event, int i) noexcept:
    """key_event for the key in argv[i]."""
    signal_modified_key(c.db, c.argv[i], c.argvlen[i])
    notify_keyspace_event(type, event, c.argv[i], c.argvlen[i], c.db.id)
