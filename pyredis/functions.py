# Redis 7.0 Functions: libraries of named Lua functions loaded with
# FUNCTION LOAD and called with FCALL.  They run on an interpreter of their
# own (a second ScriptEngine, as Redis gives functions their own Lua
# state); a library's body runs once at load time with only the load API
# (redis.register_function, redis.log, versions) visible, and what it
# registers is kept here with its flags and description.
import re

from pyredis.scripting import REDIS_VERSION, REDIS_VERSION_NUM, ScriptEngine, ScriptError, _Raise

FLAG_NAMES = (b"no-writes", b"allow-oom", b"allow-stale", b"no-cluster", b"allow-cross-slot-keys")
_NAME_RE = re.compile(rb"\A[A-Za-z0-9_]+\Z")


class Function(object):
    __slots__ = ("name", "fn", "flags", "description", "library")

    def __init__(self, name, fn, flags, description, library):
        self.name, self.fn, self.flags = name, fn, flags
        self.description, self.library = description, library


class Library(object):
    def __init__(self, name, code):
        self.name, self.code = name, code
        self.functions = {}          # name (bytes) -> Function


def _fail(msg):
    raise ScriptError(b"ERR " + msg)


def parse_metadata(code):
    """(engine, name, body) of a library's `#!<engine> name=<lib>` line."""
    if not code.startswith(b"#!"):
        _fail(b"Missing library metadata")
    end = code.find(b"\n")
    if end < 0:
        _fail(b"Invalid library metadata")
    parts = code[:end].split()
    if not parts:
        _fail(b"Invalid library metadata")
    engine, name = parts[0][2:], None
    for p in parts[1:]:
        if p[:5].lower() == b"name=":
            if name is not None:
                _fail(b"Invalid metadata value, name argument was given multiple times")
            name = p[5:]
            continue
        _fail(b"Invalid metadata value given: " + p)
    if name is None:
        _fail(b"Library name was not given")
    return engine, name, code[end:]


class Functions(object):
    def __init__(self, exec_command, log=None, busy_check=None, command_known=None):
        self.engine = ScriptEngine(exec_command, log, busy_check, command_known)
        self.libraries = {}          # name -> Library
        self.functions = {}          # lower-case name -> Function
        self._loading = None

    # -- FUNCTION LOAD --

    def load(self, code, replace):
        engine, name, body = parse_metadata(code)
        if not _NAME_RE.match(name):
            _fail(b"Library names can only contain letters, numbers, or underscores(_) "
                  b"and must be at least one character long")
        if engine.lower() != b"lua":
            _fail(b"Engine '" + engine + b"' not found")
        old = self.libraries.get(name)
        if old is not None and not replace:
            _fail(b"Library '" + name + b"' already exists")
        lib = Library(name, code)
        self._loading = lib
        try:
            ok, err, compiling = self.engine.api[b"load_library"](
                body, self._register_function, self.engine._log, REDIS_VERSION, REDIS_VERSION_NUM)
        finally:
            self._loading = None
        if compiling:
            _fail(b"Error compiling function: " + err)
        if not ok:
            msg = self.engine.encoder.rawget(err, b"err") if self.engine.encoder.lua_type(err) == b"table" else err
            raise ScriptError(b"ERR Error registering functions: " +
                              (msg if isinstance(msg, bytes) else b""))
        if not lib.functions:
            _fail(b"No functions registered")
        for fname in lib.functions:
            f = self.functions.get(fname.lower())
            if f is not None and f.library is not old:
                _fail(b"Function " + fname + b" already exists")
        if old is not None:
            self._unlink(old)
        self.libraries[name] = lib
        for fname, f in lib.functions.items():
            self.functions[fname.lower()] = f
        return name

    def _unlink(self, lib):
        del self.libraries[lib.name]
        for fname in lib.functions:
            self.functions.pop(fname.lower(), None)

    def _error(self, msg):
        raise _Raise(self.engine.lua.table_from({b"err": b"ERR " + msg}))

    def _register_function(self, *args):
        lib = self._loading
        lua_type = self.engine.encoder.lua_type
        if lib is None:
            self._error(b"redis.register_function can only be called on FUNCTION LOAD command")
        if not 1 <= len(args) <= 2:
            self._error(b"wrong number of arguments to redis.register_function")
        name = fn = desc = None
        flags = []
        if len(args) == 1:
            t = args[0]
            if lua_type(t) != b"table":
                self._error(b"calling redis.register_function with a single argument is only "
                            b"applicable to Lua table (representing named arguments).")
            for k, v in _pairs(self.engine, t):
                if not isinstance(k, (bytes, int, float)) or isinstance(k, bool):
                    self._error(b"named argument key given to redis.register_function is not a string")
                key = _str(k).lower()
                if key == b"function_name":
                    name = _str(v)
                    if name is None:
                        self._error(b"function_name argument given to redis.register_function "
                                    b"must be a string")
                elif key == b"description":
                    desc = _str(v)
                    if desc is None:
                        self._error(b"description argument given to redis.register_function "
                                    b"must be a string")
                elif key == b"callback":
                    if lua_type(v) != b"function":
                        self._error(b"callback argument given to redis.register_function "
                                    b"must be a function")
                    fn = v
                elif key == b"flags":
                    if lua_type(v) != b"table":
                        self._error(b"flags argument to redis.register_function must be a table "
                                    b"representing function flags")
                    for _, flag in _pairs(self.engine, v):
                        if not isinstance(flag, bytes) or flag not in FLAG_NAMES:
                            self._error(b"unknown flag given")
                        flags.append(flag)
                else:
                    self._error(b"unknown argument given to redis.register_function")
            if name is None:
                self._error(b"redis.register_function must get a function name argument")
            if fn is None:
                self._error(b"redis.register_function must get a callback argument")
        else:
            name = _str(args[0])
            if name is None:
                self._error(b"first argument to redis.register_function must be a string")
            if lua_type(args[1]) != b"function":
                self._error(b"second argument to redis.register_function must be a function")
            fn = args[1]
        if not _NAME_RE.match(name):
            # sic: Redis 7.0 says "Library names" for function names too
            self._error(b"Library names can only contain letters, numbers, or underscores(_) "
                        b"and must be at least one character long")
        if name in lib.functions:
            self._error(b"Function already exists in the library")
        lib.functions[name] = Function(name, fn, [f for f in FLAG_NAMES if f in flags], desc, lib)

    # -- the other subcommands --

    def lookup(self, name):
        return self.functions.get(name.lower())

    def delete(self, name):
        lib = self.libraries.get(name)
        if lib is None:
            return False
        self._unlink(lib)
        return True

    def flush(self):
        self.libraries.clear()
        self.functions.clear()

    def restore(self, codes, policy):
        """FUNCTION RESTORE: load every library of a dump, all or none.
        policy: "flush" (drop the current ones first), "append" (a name
        already loaded is an error) or "replace"."""
        saved = dict(self.libraries), dict(self.functions)
        try:
            if policy == "flush":
                self.flush()
            for code in codes:
                if policy == "append":
                    name = parse_metadata(code)[1]
                    if name in self.libraries:
                        _fail(b"Library " + name + b" already exists")
                self.load(code, policy == "replace")
        except ScriptError:
            self.libraries, self.functions = saved
            raise

    def run(self, f, keys, args, resp):
        return self.engine.run_callable(f.fn, f.name, keys, args, resp, True)


def _str(v):
    """lua_isstring: a string, or a number as Lua prints it."""
    if isinstance(v, bytes):
        return v
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return b"%.14g" % v
    return None


def _pairs(engine, t):
    nxt = engine.encoder.next
    out = []
    k = nxt(t)
    while k is not None:
        out.append(k)
        k = nxt(t, k[0])
    return out
