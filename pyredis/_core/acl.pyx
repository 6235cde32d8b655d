# Access control lists: users, their selectors (the root one and those
# given in parentheses), the rule grammar of ACL SETUSER / `user` lines /
# the ACL file, the permission check that resolve_and_call, EXEC and
# scripts run, the ACL LOG, and the ACL command.
#
# A selector holds the commands it allows as one byte per command id (every
# Command and subcommand gets an id in cmdtable.pyx), so the check is an
# index; key and channel patterns are glob patterns matched with
# stringmatchlen, key positions come from the command table's key specs
# (keys_with_flags, shared with COMMAND GETKEYS).
#
# How a selector's commands are written back (ACL LIST / GETUSER) follows
# Redis 7.0: start from +@all or -@all, then the category that best fits the
# remaining difference, again and again, then single commands.
import hashlib as _hashlib
import os as _os3

cdef enum:
    ACL_OK = 0
    ACL_DENIED_CMD = 1
    ACL_DENIED_KEY = 2
    ACL_DENIED_AUTH = 3
    ACL_DENIED_CHANNEL = 4

    KEY_READ = 1
    KEY_WRITE = 2
    KEY_ALL = 3

ACL_CATEGORIES = ("keyspace", "read", "write", "set", "sortedset", "list", "hash",
                  "string", "bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin",
                  "fast", "slow", "blocking", "dangerous", "connection", "transaction",
                  "scripting")

cdef dict g_users = {}            # name (bytes) -> User
cdef User g_default_user = None
cdef list g_acl_log = []          # AclLogEntry, newest first
cdef bint g_acl_pubsub_all = False   # acl-pubsub-default allchannels
cdef long long g_acllog_max_len = 128
cdef dict g_category_cmds = {}    # category -> [Command] (top level and subcommands)


class AclError(Exception):
    pass


cdef str ERR_SYNTAX = "Syntax error"
cdef str ERR_NOENT = "Unknown command or category name in ACL"
cdef str ERR_KEYS_AFTER_ALL = (
    "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not "
    "have any effect. Try 'resetkeys' to start with an empty list of patterns")
cdef str ERR_CHANNELS_AFTER_ALL = (
    "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does "
    "not have any effect. Try 'resetchannels' to start with an empty list of channels")
cdef str ERR_NO_PASS = "The password you are trying to remove from the user does not exist"
cdef str ERR_BAD_HASH = ("The password hash must be exactly 64 characters and contain only "
                         "lowercase hexadecimal characters")


cdef bint glob_bytes(bytes pattern, bytes s):
    return stringmatchlen(<const char *>pattern, len(pattern), <const char *>s, len(s), 0) != 0


cdef void acl_commands_added() noexcept:
    """Commands were added to the table (a module loaded): every selector's
    bitmap grows to cover them, allowed where it allows all commands,
    future ones included (+@all / allcommands), as in Redis."""
    cdef Selector s
    for u in g_users.values():
        for x in (<User>u).selectors:
            s = <Selector>x
            grow = g_num_commands - len(s.allowed)
            if grow > 0:
                s.allowed.extend(b"\x01" * grow if s.future else bytes(grow))


cdef class Selector:
    def __cinit__(self):
        self.allowed = bytearray(g_num_commands)
        self.future = False
        self.allcmds = False
        self.firstargs = {}
        self.patterns = []
        self.allkeys = False
        self.channels = []
        self.allchannels = False

    cdef Selector copy(self):
        cdef Selector s = Selector.__new__(Selector)
        s.allowed = bytearray(self.allowed)
        s.future = self.future
        s.allcmds = self.allcmds
        s.firstargs = {k: list(v) for k, v in self.firstargs.items()}
        s.patterns = [list(p) for p in self.patterns]
        s.allkeys = self.allkeys
        s.channels = list(self.channels)
        s.allchannels = self.allchannels
        return s

    cdef void change_perm(self, Command cmd, bint allow):
        """Allow or deny cmd, with all its subcommands."""
        self.allowed[cmd.id] = allow
        self.firstargs.pop(cmd.id, None)
        if not allow:
            self.allcmds = False
        if cmd.subcommands is not None:
            for sub in cmd.subcommands.values():
                self.allowed[(<Command>sub).id] = allow

    cdef void set_category(self, str cat, bint allow):
        for cmd in g_category_cmds[cat]:
            self.change_perm(<Command>cmd, allow)

    cdef int apply(self, bytes op) except -1:
        """One selector rule; AclError(reason) when it is not valid."""
        cdef Command cmd
        low = op.lower()
        n = len(op)
        if low == b"allkeys" or op == b"~*":
            self.allkeys = True
            self.patterns = []
        elif low == b"resetkeys":
            self.allkeys = False
            self.patterns = []
        elif low == b"allchannels" or op == b"&*":
            self.allchannels = True
            self.channels = []
        elif low == b"resetchannels":
            self.allchannels = False
            self.channels = []
        elif low == b"allcommands" or low == b"+@all":
            self.allowed = bytearray(b"\x01" * g_num_commands)
            self.future = self.allcmds = True
            self.firstargs = {}
        elif low == b"nocommands" or low == b"-@all":
            self.allowed = bytearray(g_num_commands)
            self.future = self.allcmds = False
            self.firstargs = {}
        elif n and (op[0] == 0x7e or op[0] == 0x25):    # ~pattern, %R~pattern
            perms = KEY_ALL
            i = 1
            if op[0] == 0x25:
                perms = 0
                while i < n and op[i] != 0x7e:
                    ch = op[i] | 0x20
                    if ch == 0x72:
                        perms |= KEY_READ
                    elif ch == 0x77:
                        perms |= KEY_WRITE
                    else:
                        raise AclError(ERR_SYNTAX)
                    i += 1
                if perms == 0:
                    raise AclError(ERR_SYNTAX)
                i += 1          # past the ~ (no ~ at all: the empty pattern)
            if self.allkeys:
                raise AclError(ERR_KEYS_AFTER_ALL)
            pat = op[i:]
            if pat == b"*" and perms == KEY_ALL:
                self.allkeys = True
                self.patterns = []
                return 0
            for p in self.patterns:
                if p[0] == pat:
                    p[1] |= perms
                    break
            else:
                self.patterns.append([pat, perms])
        elif n and op[0] == 0x26:                        # &channel
            if self.allchannels:
                raise AclError(ERR_CHANNELS_AFTER_ALL)
            if op[1:] not in self.channels:
                self.channels.append(op[1:])
        elif n > 1 and (op[0] == 0x2b or op[0] == 0x2d) and op[1] == 0x40:   # +@cat -@cat
            cat = low[2:].decode("latin-1")
            if cat not in g_category_cmds:
                raise AclError(ERR_NOENT)
            self.set_category(cat, op[0] == 0x2b)
        elif n > 1 and (op[0] == 0x2b or op[0] == 0x2d):                     # +cmd -cmd
            allow = op[0] == 0x2b
            name = low[1:]
            if b"|" not in name:
                cmd = g_commands.get(name.decode("latin-1"))
                if cmd is None:
                    raise AclError(ERR_NOENT)
                self.change_perm(cmd, allow)
                return 0
            top, sub = name.rsplit(b"|", 1)
            if b"|" in top:
                parent, _, child = top.partition(b"|")
                cmd = g_commands.get(parent.decode("latin-1"))
                if allow and cmd is not None and cmd.subcommands is not None and child in cmd.subcommands:
                    raise AclError("Allowing first-arg of a subcommand is not supported")
                raise AclError(ERR_NOENT)
            cmd = g_commands.get(top.decode("latin-1"))
            if cmd is None:
                raise AclError(ERR_NOENT)
            if cmd.subcommands is not None:
                subcmd = cmd.subcommands.get(sub)
                if subcmd is None:
                    raise AclError(ERR_NOENT)
                self.change_perm(<Command>subcmd, allow)
            elif not allow:
                raise AclError(ERR_NOENT)
            elif not sub:
                raise AclError(ERR_SYNTAX)
            elif not self.allowed[cmd.id]:
                # a first argument allowed alone, such as SELECT 0
                args = self.firstargs.setdefault(cmd.id, [])
                if sub not in args:
                    args.append(sub)
        else:
            raise AclError(ERR_SYNTAX)
        return 0

    # -- describing ---------------------------------------------------------

    cdef str describe_keys(self):
        if self.allkeys:
            return "~*"
        out = []
        for pat, perms in self.patterns:
            prefix = "~" if perms == KEY_ALL else ("%R~" if perms == KEY_READ else "%W~")
            out.append(prefix + (<bytes>pat).decode("utf-8", "surrogateescape"))
        return " ".join(out)

    cdef str describe_channels(self, bint with_reset):
        if self.allchannels:
            return "&*"
        out = ["resetchannels"] if with_reset else []
        for ch in self.channels:
            out.append("&" + (<bytes>ch).decode("utf-8", "surrogateescape"))
        return " ".join(out)

    cdef str describe_commands(self):
        cdef Selector fake = Selector.__new__(Selector)
        cdef Selector temp = self.copy()
        cdef Command cmd
        additive = not self.future
        rules = ["-@all" if additive else "+@all"]
        fake.apply(b"-@all" if additive else b"+@all")
        applied = set()
        while True:
            best = None
            mindiff = 1 << 30
            maxsame = 0
            for cat in ACL_CATEGORIES:
                if cat in applied:
                    continue
                on = off = 0
                for x in g_category_cmds[cat]:
                    if temp.allowed[(<Command>x).id]:
                        on += 1
                    else:
                        off += 1
                diff, same = (off, on) if additive else (on, off)
                if same > diff and (diff < mindiff or (diff == mindiff and same > maxsame)):
                    best, mindiff, maxsame = cat, diff, same
            if best is None:
                break
            fake.set_category(best, additive)
            temp.set_category(best, not additive)
            rules.append(("+@" if additive else "-@") + best)
            applied.add(best)
        for top in g_command_list:
            self.describe_single(fake, <Command>top, rules)
        return " ".join(rules)

    cdef void describe_single(self, Selector fake, Command cmd, list rules):
        userbit = self.allowed[cmd.id]
        if userbit != fake.allowed[cmd.id]:
            rules.append(("+" if userbit else "-") + cmd.name)
            fake.change_perm(cmd, userbit)
        if cmd.subcommands is not None:
            for sub in cmd.subcommands.values():
                self.describe_single(fake, <Command>sub, rules)
        if not userbit:
            for arg in self.firstargs.get(cmd.id, ()):
                rules.append("+%s|%s" % (cmd.name, (<bytes>arg).decode("utf-8", "surrogateescape")))

    cdef str describe(self):
        parts = [self.describe_keys(), self.describe_channels(True), self.describe_commands()]
        return " ".join(p for p in parts if p)

    # -- checking -----------------------------------------------------------

    cdef int check(self, Command cmd, list argv, list keys, int *errpos) except -1:
        """ACL_OK or the ACL_DENIED_* reason; errpos: index of the refused
        key or channel in keys or argv."""
        if not self.allcmds and not (cmd.flags & CMD_NO_AUTH) and not self.allowed[cmd.id]:
            args = self.firstargs.get(cmd.id)
            idx = 2 if cmd.parent is not None else 1
            if args is None or len(argv) <= idx or (<bytes>argv[idx]).lower() not in args:
                return ACL_DENIED_CMD
        if not self.allkeys and keys:
            for i, kf in enumerate(keys):
                if not self.key_allowed(<bytes>kf[0], kf[1]):
                    errpos[0] = i
                    return ACL_DENIED_KEY
        if not self.allchannels:
            kind = CHANNEL_COMMANDS.get(cmd.name)
            if kind is not None:
                last = 2 if kind[0] else len(argv)
                for i in range(1, last):
                    if not self.channel_allowed(<bytes>argv[i], kind[1]):
                        errpos[0] = i
                        return ACL_DENIED_CHANNEL
        return ACL_OK

    cdef bint key_allowed(self, bytes key, tuple flags):
        need = 0
        for f in flags:
            f = f.lower()
            if f == "access":
                need |= KEY_READ
            elif f == "insert" or f == "delete" or f == "update":
                need |= KEY_WRITE
        for pat, perms in self.patterns:
            if (perms & need) == need and glob_bytes(pat, key):
                return True
        return False

    cdef bint channel_allowed(self, bytes channel, bint is_pattern):
        for pat in self.channels:
            if is_pattern:
                if pat == channel:
                    return True
            elif glob_bytes(pat, channel):
                return True
        return False


# command name -> (only the first argument is a channel, channels are patterns)
CHANNEL_COMMANDS = {
    "publish": (True, False), "spublish": (True, False),
    "subscribe": (False, False), "ssubscribe": (False, False),
    "psubscribe": (False, True),
}


cdef class User:
    def __cinit__(self):
        self.name = b""
        self.enabled = False
        self.nopass = False
        self.sanitize = 0
        self.passwords = []
        self.selectors = []

    cdef User copy(self):
        cdef User u = User.__new__(User)
        u.name = self.name
        u.enabled = self.enabled
        u.nopass = self.nopass
        u.sanitize = self.sanitize
        u.passwords = list(self.passwords)
        u.selectors = [(<Selector>s).copy() for s in self.selectors]
        return u

    cdef void take(self, User other):
        """Become other (ACL SETUSER applies its rules to a copy first)."""
        self.enabled = other.enabled
        self.nopass = other.nopass
        self.sanitize = other.sanitize
        self.passwords = other.passwords
        self.selectors = other.selectors

    cdef Selector root(self):
        return <Selector>self.selectors[0]

    cdef int apply(self, bytes op) except -1:
        low = op.lower()
        n = len(op)
        if low == b"on":
            self.enabled = True
        elif low == b"off":
            self.enabled = False
        elif low == b"skip-sanitize-payload":
            self.sanitize = 2
        elif low == b"sanitize-payload":
            self.sanitize = 1
        elif low == b"nopass":
            self.nopass = True
            self.passwords = []
        elif low == b"resetpass":
            self.nopass = False
            self.passwords = []
        elif n and op[0] == 0x3e:                      # >password
            h = _hashlib.sha256(op[1:]).hexdigest()
            if h not in self.passwords:
                self.passwords.append(h)
            self.nopass = False
        elif n and op[0] == 0x23:                      # #hash
            h = valid_hash(op[1:])
            if h not in self.passwords:
                self.passwords.append(h)
            self.nopass = False
        elif n and op[0] == 0x3c:                      # <password
            h = _hashlib.sha256(op[1:]).hexdigest()
            if h not in self.passwords:
                raise AclError(ERR_NO_PASS)
            self.passwords.remove(h)
        elif n and op[0] == 0x21:                      # !hash
            h = valid_hash(op[1:])
            if h not in self.passwords:
                raise AclError(ERR_NO_PASS)
            self.passwords.remove(h)
        elif n and op[0] == 0x28 and op[n - 1] == 0x29:   # (selector)
            s = new_selector()
            for rule in op[1:n - 1].split():
                s.apply(rule)
            self.selectors.append(s)
        elif low == b"clearselectors":
            del self.selectors[1:]
        elif low == b"reset":
            self.nopass = False
            self.passwords = []
            self.enabled = False
            self.sanitize = 1
            del self.selectors[1:]
            r = self.root()
            r.apply(b"resetkeys")
            r.apply(b"resetchannels")
            if g_acl_pubsub_all:
                r.apply(b"allchannels")
            r.apply(b"-@all")
        else:
            self.root().apply(op)
        return 0

    cdef bint can_do_everything(self):
        cdef Selector r = self.root()
        return r.allcmds and r.allkeys and r.allchannels

    cdef list flags(self):
        out = ["on" if self.enabled else "off"]
        if self.nopass:
            out.append("nopass")
        if self.sanitize == 2:
            out.append("skip-sanitize-payload")
        elif self.sanitize == 1:
            out.append("sanitize-payload")
        return out

    cdef str describe(self):
        parts = ["user", self.name.decode("utf-8", "surrogateescape")] + self.flags()
        parts += ["#" + h for h in self.passwords]
        parts.append(self.root().describe())
        for s in self.selectors[1:]:
            parts.append("(" + (<Selector>s).describe() + ")")
        return " ".join(parts)


cdef str valid_hash(bytes h):
    if len(h) != 64 or any(ch not in b"0123456789abcdef" for ch in h):
        raise AclError(ERR_BAD_HASH)
    return h.decode()


cdef Selector new_selector():
    cdef Selector s = Selector.__new__(Selector)
    s.allchannels = g_acl_pubsub_all
    return s


cdef User new_user(bytes name):
    cdef User u = User.__new__(User)
    u.name = name
    u.selectors = [new_selector()]
    return u


cdef list merge_selector_args(list ops):
    """ACL SETUSER arguments with a selector spread over several of them
    ("(+get" "~x)") joined back into one."""
    out = []
    i = 0
    while i < len(ops):
        op = <bytes>ops[i]
        if op.startswith(b"(") and not op.endswith(b")"):
            j = i
            parts = [op]
            while not (<bytes>ops[j]).endswith(b")"):
                j += 1
                if j == len(ops):
                    raise AclError("ERR Unmatched parenthesis in acl selector starting at '%s'."
                                   % op.decode("utf-8", "surrogateescape"))
                parts.append(ops[j])
            out.append(b" ".join(parts))
            i = j + 1
        else:
            out.append(op)
            i += 1
    return out


cdef int acl_set_user_on(User u, list ops, str where) except -1:
    """Apply ops to u; AclError with "ERR Error in <where> modifier ..."
    (where None: the reason alone)."""
    for op in merge_selector_args(ops):
        try:
            u.apply(op)
        except AclError as e:
            if where is None:
                if e.args[0] == ERR_NOENT:      # how the ACL file reports it
                    raise AclError("Error in applying operation '%s': %s"
                                   % ((<bytes>op).decode("utf-8", "surrogateescape"), ERR_NOENT))
                raise
            raise AclError("ERR Error in %s modifier '%s': %s"
                           % (where, (<bytes>op).decode("utf-8", "surrogateescape"), e.args[0]))
    return 0


cdef User acl_set_user(bytes name, list ops, str where):
    """Apply ops to user `name` (created if new), all or none.  Raises
    AclError with the full error text."""
    cdef User cur = g_users.get(name)
    cdef User u = cur.copy() if cur is not None else new_user(name)
    acl_set_user_on(u, ops, where)
    if cur is None:
        g_users[name] = u
        return u
    cur.take(u)
    kill_pubsub_clients_if_needed(cur)
    return cur


cdef bint user_may_subscribe(User u, bytes channel, bint is_pattern):
    cdef Selector s
    for x in u.selectors:
        s = <Selector>x
        if s.allchannels or s.channel_allowed(channel, is_pattern):
            return True
    return False


cdef void kill_pubsub_clients_if_needed(User u):
    """Subscribers of u to a channel (or pattern) its new rules no longer
    allow are disconnected, as Redis does."""
    cdef Client cl
    for x in list(g_clients.values()):
        cl = <Client>x
        if cl.user is not u:
            continue
        bad = any(not user_may_subscribe(u, ch, False) for ch in (cl.sub_channels or ())) or \
            any(not user_may_subscribe(u, ch, False) for ch in (cl.sub_shard or ())) or \
            any(not user_may_subscribe(u, p, True) for p in (cl.sub_patterns or ()))
        if bad:
            cl.close()


def acl_init(bint pubsub_all):
    """The default user: on, nopass, everything allowed."""
    global g_default_user, g_acl_pubsub_all
    g_acl_pubsub_all = pubsub_all
    cdef User u = new_user(b"default")
    for op in (b"+@all", b"~*", b"&*", b"on", b"nopass"):
        u.apply(op)
    g_users.clear()
    g_users[b"default"] = u
    g_default_user = u
    for cl in g_clients.values():
        (<Client>cl).user = u


def acl_set_pubsub_default(bint allchannels):
    global g_acl_pubsub_all
    g_acl_pubsub_all = allchannels


def acl_set_log_max_len(long long n):
    global g_acllog_max_len
    g_acllog_max_len = n
    del g_acl_log[n:]


def acl_update_default_password(password):
    """requirepass: the default user's only password, or nopass."""
    g_default_user.apply(b"resetpass")
    if password:
        g_default_user.apply(b">" + password.encode("utf-8", "surrogateescape"))
    else:
        g_default_user.apply(b"nopass")


def acl_list_lines():
    return [(<User>g_users[k]).describe() for k in sorted(g_users)]


cdef inline bint auth_required(Client c):
    return not c.authenticated and (not g_default_user.nopass or not g_default_user.enabled)


cdef User check_credentials(bytes name, bytes password):
    cdef User u = g_users.get(name)
    if u is None or not u.enabled:
        return None
    if u.nopass:
        return u
    if _hashlib.sha256(password).hexdigest() in u.passwords:
        return u
    return None


cdef bint acl_authenticate(Client c, bytes name, bytes password) except -1:
    """AUTH and HELLO AUTH: log the client in, or count and log the failure."""
    cdef User u = check_credentials(name, password)
    if u is None:
        g_stats.acl_denied_auth += 1
        acl_log_add(c, ACL_DENIED_AUTH, "toplevel", c.argv[0][:c.argvlen[0]], name)
        if g_ctl is not None:
            g_ctl.auth_failed(c)
        return False
    c.user = u
    c.authenticated = True
    c.parser.unauthenticated = False
    return True


# -- the permission check ----------------------------------------------------

cdef list argv_list(Client c):
    return [c.argv[i][:c.argvlen[i]] for i in range(c.argc)]


cdef int acl_check_user(User u, Command cmd, list argv, list obj) except -1:
    """ACL_OK or the most relevant refusal over u's selectors; obj gets the
    refused key or channel."""
    cdef int best = ACL_OK, ret, errpos = 0
    cdef Selector s
    keys = None
    for x in u.selectors:
        s = <Selector>x
        if keys is None and not s.allkeys:
            keys = [kf for kf in keys_with_flags(cmd, argv) if not any(f.lower() == "not_key" for f in kf[1])]
        ret = s.check(cmd, argv, keys, &errpos)
        if ret == ACL_OK:
            return ACL_OK
        if ret > best:
            best = ret
            if ret == ACL_DENIED_KEY:
                obj[:] = [keys[errpos][0]]
            elif ret == ACL_DENIED_CHANNEL:
                obj[:] = [argv[errpos]]
    return best


cdef int acl_check_client(Client c, Command cmd, list obj) except -1:
    """Check c's current request against its user (none: a superuser such
    as the master link)."""
    if c.user is None or c.user.can_do_everything():
        return ACL_OK
    return acl_check_user(c.user, cmd, argv_list(c), obj)


cdef void acl_count_denied(int reason):
    if reason == ACL_DENIED_CMD:
        g_stats.acl_denied_cmd += 1
    elif reason == ACL_DENIED_KEY:
        g_stats.acl_denied_key += 1
    elif reason == ACL_DENIED_CHANNEL:
        g_stats.acl_denied_channel += 1


cdef int acl_deny(Client c, Command cmd, int reason, object obj) except -1:
    """resolve_and_call's refusal: log it and reply NOPERM."""
    c.cmd = c.lastcmd = cmd     # Redis's client-info names the refused command
    acl_count_denied(reason)
    acl_log_add(c, reason, "multi" if c.flags & CLIENT_MULTI else "toplevel",
                cmd.name.encode() if reason == ACL_DENIED_CMD else obj, None)
    if reason == ACL_DENIED_CMD:
        return reject(c, cmd, "NOPERM this user has no permissions to run the '%s' command" % cmd.name)
    if reason == ACL_DENIED_KEY:
        return reject(c, cmd, b"NOPERM this user has no permissions to access one of the keys "
                      b"used as arguments")
    return reject(c, cmd, b"NOPERM this user has no permissions to access one of the channels "
                  b"used as arguments")


cdef bint acl_exec_check(Client c, Command cmd) except -1:
    """EXEC runs a queued command only if the user may still run it."""
    cdef list obj = [None]
    cdef int ret = acl_check_client(c, cmd, obj)
    if ret == ACL_OK:
        return True
    acl_count_denied(ret)
    acl_log_add(c, ret, "multi", cmd.name.encode() if ret == ACL_DENIED_CMD else obj[0], None)
    reason = {ACL_DENIED_CMD: "no permission to execute the command or subcommand",
              ACL_DENIED_KEY: "no permission to touch the specified keys",
              ACL_DENIED_CHANNEL: "no permission to access one of the channels used as arguments"}[ret]
    reply_error_fmt(c, "NOPERM ACLs rules changed between the moment the transaction was "
                    "accumulated and the EXEC call. This command is no longer allowed for the "
                    "following reason: " + reason)
    return False


cdef object acl_script_check(Client caller, User u, Command cmd, list argv):
    """A script's redis.call: None when allowed, else the error text."""
    cdef list obj = [None]
    if u is None or u.can_do_everything():
        return None
    cdef int ret = acl_check_user(u, cmd, argv, obj)
    if ret == ACL_OK:
        return None
    acl_count_denied(ret)
    acl_log_add(caller, ret, "lua", cmd.name.encode() if ret == ACL_DENIED_CMD else obj[0], None)
    if ret == ACL_DENIED_CMD:
        return "The user executing the script can't run this command or subcommand"
    if ret == ACL_DENIED_KEY:
        return ("The user executing the script can't access at least one of the keys "
                "mentioned in the command arguments")
    return "The user executing the script can't publish to the channel mentioned in the command"


# -- ACL LOG -----------------------------------------------------------------

cdef class AclLogEntry:
    cdef public long long count
    cdef public str reason, context
    cdef public bytes obj, username
    cdef public long long ctime
    cdef public str cinfo


cdef void acl_log_add(Client c, int reason, str context, bytes obj, bytes username):
    cdef AclLogEntry e
    if username is None:
        username = c.user.name if c.user is not None else b"default"
    rname = {ACL_DENIED_CMD: "command", ACL_DENIED_KEY: "key", ACL_DENIED_AUTH: "auth",
             ACL_DENIED_CHANNEL: "channel"}[reason]
    now = mstime()
    try:
        cinfo = client_info_string(c)
    except Exception:
        cinfo = ""
    for i, x in enumerate(g_acl_log):
        e = <AclLogEntry>x
        if e.reason == rname and e.context == context and e.obj == obj and \
                e.username == username and now - e.ctime < 60000:
            e.count += 1
            e.ctime = now
            e.cinfo = cinfo
            del g_acl_log[i]
            g_acl_log.insert(0, e)
            return
    e = AclLogEntry()
    e.count = 1
    e.reason, e.context, e.obj, e.username = rname, context, obj, username
    e.ctime = now
    e.cinfo = cinfo
    g_acl_log.insert(0, e)
    del g_acl_log[g_acllog_max_len:]


# -- the ACL command ------------------------------------------------------------

cdef int acl_error(Client c, str msg) except -1:
    reply_error_fmt(c, msg)
    return 0


cdef bint acl_args_ok(Client c, int maxargc) except -1:
    """CAT, GENPASS and LOG take one optional argument."""
    if c.argc <= maxargc:
        return True
    reply_error_fmt(c, "ERR unknown subcommand or wrong number of arguments for '%s'. "
                    "Try ACL HELP." % arg_str(c, 1, 128))
    return False


cdef int cmd_acl_setuser(Client c) except -1:
    try:
        acl_set_user(arg_bytes(c, 2), [arg_bytes(c, i) for i in range(3, c.argc)], "ACL SETUSER")
    except AclError as e:
        return acl_error(c, e.args[0])
    replyOk(&c.reply)
    return 0


cdef int reply_selector_map(Client c, Selector s) except -1:
    replyMapLen(&c.reply, c.resp, 3)
    reply_py(c, "commands"); reply_py(c, s.describe_commands())
    reply_py(c, "keys"); reply_py(c, s.describe_keys())
    reply_py(c, "channels"); reply_py(c, s.describe_channels(False))
    return 0


cdef int cmd_acl_getuser(Client c) except -1:
    cdef User u = g_users.get(arg_bytes(c, 2))
    if u is None:
        replyNull(&c.reply, c.resp)
        return 0
    replyMapLen(&c.reply, c.resp, 6)
    reply_py(c, "flags")
    flags = u.flags()
    replySetLen(&c.reply, c.resp, len(flags))
    for f in flags:
        reply_py(c, f)
    reply_py(c, "passwords"); reply_py(c, list(u.passwords))
    reply_py(c, "commands"); reply_py(c, u.root().describe_commands())
    reply_py(c, "keys"); reply_py(c, u.root().describe_keys())
    reply_py(c, "channels"); reply_py(c, u.root().describe_channels(False))
    reply_py(c, "selectors")
    replyArrayLen(&c.reply, len(u.selectors) - 1)
    for s in u.selectors[1:]:
        reply_selector_map(c, <Selector>s)
    return 0


cdef void kill_clients_of(User u, Client current):
    """A deleted or replaced user: its clients are disconnected."""
    cdef Client cl
    for x in list(g_clients.values()):
        cl = <Client>x
        if cl.user is not u:
            continue
        cl.user = g_default_user
        cl.authenticated = False
        if cl is current:
            cl.flags |= CLIENT_CLOSE_AFTER_REPLY
        else:
            cl.close()


cdef int cmd_acl_deluser(Client c) except -1:
    names = [arg_bytes(c, i) for i in range(2, c.argc)]
    if b"default" in names:
        return acl_error(c, "ERR The 'default' user cannot be removed")
    deleted = 0
    for name in names:
        u = g_users.pop(name, None)
        if u is not None:
            deleted += 1
            kill_clients_of(<User>u, c)
    replyLongLong(&c.reply, deleted)
    return 0


cdef int cmd_acl_list(Client c) except -1:
    reply_py(c, acl_list_lines())
    return 0


cdef int cmd_acl_users(Client c) except -1:
    reply_py(c, sorted(g_users))
    return 0


cdef int cmd_acl_whoami(Client c) except -1:
    reply_py(c, c.user.name if c.user is not None else b"default")
    return 0


cdef int cmd_acl_cat(Client c) except -1:
    if not acl_args_ok(c, 3):
        return 0
    if c.argc == 2:
        reply_py(c, list(ACL_CATEGORIES))
        return 0
    cat = arg_str(c, 2).lower()
    if cat not in g_category_cmds:
        return acl_error(c, "ERR Unknown category '%s'" % arg_str(c, 2))
    reply_py(c, [(<Command>x).name for x in g_category_cmds[cat]])
    return 0


cdef int cmd_acl_genpass(Client c) except -1:
    cdef long long bits = 256
    if not acl_args_ok(c, 3):
        return 0
    if c.argc == 3:
        if not arg_ll(c, 2, &bits):
            return 0
        if bits <= 0 or bits > 4096:
            return acl_error(c, "ERR ACL GENPASS argument must be the number of bits for "
                             "the output password, a positive number up to 4096")
    chars = (bits + 3) // 4
    reply_py(c, _os3.urandom((chars + 1) // 2).hex()[:chars])
    return 0


cdef int cmd_acl_log(Client c) except -1:
    cdef long long count = 10
    cdef AclLogEntry e
    if not acl_args_ok(c, 3):
        return 0
    if c.argc == 3:
        if arg_is(c, 2, "reset"):
            g_acl_log.clear()
            replyOk(&c.reply)
            return 0
        if not arg_ll(c, 2, &count):
            return 0
        if count < 0:
            count = 0
    now = mstime()
    entries = g_acl_log[:count]
    replyArrayLen(&c.reply, len(entries))
    for x in entries:
        e = <AclLogEntry>x
        replyMapLen(&c.reply, c.resp, 7)
        reply_py(c, "count"); replyLongLong(&c.reply, e.count)
        reply_py(c, "reason"); reply_py(c, e.reason)
        reply_py(c, "context"); reply_py(c, e.context)
        reply_py(c, "object"); reply_py(c, e.obj)
        reply_py(c, "username"); reply_py(c, e.username)
        reply_py(c, "age-seconds"); replyDouble(&c.reply, c.resp, (now - e.ctime) / 1000.0)
        reply_py(c, "client-info"); reply_py(c, e.cinfo)
    return 0


cdef int cmd_acl_dryrun(Client c) except -1:
    cdef list obj = [None]
    cdef User u = g_users.get(arg_bytes(c, 2))
    if u is None:
        return acl_error(c, "ERR User '%s' not found" % arg_str(c, 2))
    cdef Command cmd = lookup_command(c.argv[3], c.argvlen[3])
    if cmd is not None and cmd.subcommands is not None and c.argc >= 5:
        sub = lookup_subcommand(cmd, c.argv[4], c.argvlen[4])
        cmd = <Command>sub if sub is not None else None
    if cmd is None:
        return acl_error(c, "ERR Command '%s' not found" % arg_str(c, 3))
    argc = c.argc - 3
    if (cmd.arity > 0 and argc != cmd.arity) or argc < -cmd.arity:
        return acl_error(c, "ERR wrong number of arguments for '%s' command" % cmd.name)
    argv = [arg_bytes(c, i) for i in range(3, c.argc)]
    ret = acl_check_user(u, cmd, argv, obj)
    if ret == ACL_OK:
        replyOk(&c.reply)
    elif ret == ACL_DENIED_CMD:
        reply_py(c, "This user has no permissions to run the '%s' command" % cmd.name)
    elif ret == ACL_DENIED_KEY:
        reply_py(c, "This user has no permissions to access the '%s' key"
                 % (<bytes>obj[0]).decode("utf-8", "surrogateescape"))
    else:
        reply_py(c, "This user has no permissions to access the '%s' channel"
                 % (<bytes>obj[0]).decode("utf-8", "surrogateescape"))
    return 0


cdef str NO_ACLFILE = (
    "ERR This Redis instance is not configured to use an ACL file. You may want to specify "
    "users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a "
    "Redis configuration file set) in order to store users in the Redis configuration.")


cdef int cmd_acl_save(Client c) except -1:
    if not g_ctl.cfg.typed("aclfile"):
        return acl_error(c, NO_ACLFILE)
    err = g_ctl.acl_save()
    if err:
        return acl_error(c, "ERR " + err)
    replyOk(&c.reply)
    return 0


cdef int cmd_acl_load(Client c) except -1:
    if not g_ctl.cfg.typed("aclfile"):
        return acl_error(c, NO_ACLFILE)
    err = g_ctl.acl_load()
    if err:
        return acl_error(c, "ERR " + err)
    replyOk(&c.reply)
    return 0


def acl_replace_users(str path, list lines):
    """ACL LOAD / start-up with an ACL file.  lines: (line number, argv as
    bytes).  All or nothing: returns Redis's error text (and keeps the old
    users) or None.  Clients of the users replaced are disconnected; the
    default user keeps its clients."""
    global g_users
    saved = g_users
    old_default = g_default_user.copy()
    g_users = {b"default": g_default_user}
    g_default_user.take(new_user(b"default"))
    for op in (b"+@all", b"~*", b"&*", b"on", b"nopass"):
        g_default_user.apply(op)
    errors = []
    seen = set()
    for lineno, argv in lines:
        if len(argv) < 2 or argv[0] != b"user":
            errors.append("%s:%d should start with user keyword followed by the username. "
                          % (path, lineno))
            continue
        name = <bytes>argv[1]
        if name in seen:
            errors.append("WARNING: Duplicate user '%s' found on line %d. "
                          % (name.decode("utf-8", "surrogateescape"), lineno))
            continue
        seen.add(name)
        try:
            acl_set_user(name, argv[2:], None)
        except AclError as e:
            if e.args[0].startswith("ERR Unmatched parenthesis"):
                errors.append("%s:%d: Unmatched parenthesis in selector definition." % (path, lineno))
            else:
                errors.append("%s:%d: %s. " % (path, lineno, e.args[0]))
    if errors:
        g_users = saved
        g_default_user.take(old_default)
        return "".join(errors) + ("WARNING: ACL errors detected, no change to the previously "
                                  "active ACL rules was performed")
    for name, x in saved.items():
        if name != b"default":
            kill_clients_of(<User>x, None)
    return None


def acl_validate_rules(list ops):
    """A `user` line of the config file, checked while the file is read
    (before the server starts): raises ValueError with the reason.  As in
    Redis, unknown command and category names are only found at start-up
    (acl_load_configured_user)."""
    if g_num_commands == 0:
        init_command_table()
    cdef User u = new_user(b"")
    try:
        for op in merge_selector_args(ops):
            try:
                u.apply(op)
            except AclError as e:
                if e.args[0] != ERR_NOENT:
                    raise
    except AclError as e:
        msg = e.args[0]
        raise ValueError(msg[4:] if msg.startswith("ERR ") else msg)


def acl_load_configured_user(bytes name, list ops):
    """A `user` line at start-up: the user (default too) is defined by the
    line alone.  Returns Redis's log text for a rule it refuses, or None."""
    cdef User u = new_user(name)
    if name == b"default":
        u.apply(b"reset")           # Redis resets it: sanitize-payload shows
    for op in merge_selector_args(ops):
        try:
            u.apply(op)
        except AclError as e:
            return ("Error loading ACL rule '%s' for the user named '%s': %s"
                    % ((<bytes>op).decode("utf-8", "surrogateescape"),
                       name.decode("utf-8", "surrogateescape"), e.args[0]))
    cur = g_users.get(name)
    if cur is None:
        g_users[name] = u
    else:
        (<User>cur).take(u)
    return None


cdef int cmd_acl_help(Client c) except -1:
    return reply_help(c, "acl")


def acl_denied_stats():
    return (g_stats.acl_denied_auth, g_stats.acl_denied_cmd, g_stats.acl_denied_key,
            g_stats.acl_denied_channel)
