"""Server configuration: the `Config` object holding current values, with
CONFIG GET / SET / REWRITE, and directive lookup.

The work is split over a few modules, all re-exported from here so
`pyredis.config` stays the one import for callers:
  pyredis.configvalues -- lexical helpers, flags, value kinds (parse / show /
                          rewrite) and the special directives' functions;
  pyredis.directives   -- the `DIRECTIVES` table of `Directive` rows;
  pyredis.conffile     -- loading redis.conf, stdin and `--directive value`
                          command-line options the way redis-server 7.0 does
                          (`parse_argv`, `load`, `load_string`).

Typed values (what `Config.typed()` returns):
  bool kinds -> bool; numeric kinds -> int (maxmemory-clients stores a
  percentage as a negative number, as Redis does); enums and strings -> str
  ("" when unset); save -> list of (seconds, changes); bind -> list of
  addresses; client-output-buffer-limit -> {"normal"|"slave"|"pubsub":
  (hard, soft, seconds)}; notify-keyspace-events -> int bit mask (NOTIFY_*);
  replicaof -> None or (host, port); oom-score-adj-values -> [int, int, int];
  latency-tracking-info-percentiles -> [float...]; dir -> absolute path.

Error texts are Redis 7.0.15's, byte for byte; they were checked against a
running redis-server.
"""
import errno as _errno
import os
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from .configvalues import *  # noqa: F401,F403  (re-exported)
from .configvalues import (
    DENY_LOADING, HIDDEN, IMMUTABLE, MULTI_ARG, PROTECTED, SENSITIVE, _Invalid,
    _RewriteState, glob_match)
from .configvalues import __all__ as _values_all
from .directives import DIRECTIVES, Directive
from .directives import __all__ as _directives_all

REDIS_VERSION = "7.0.15"
LOADING_ERROR = "LOADING Redis is loading the dataset in memory"


class ConfigError(Exception):
    """A CONFIG command failure; str() is the error reply without '-'."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class FatalConfigError(Exception):
    """Start-up configuration failure.  str() is the exact text redis-server
    writes before exiting with status 1.  When `as_log` is false the text is
    the FATAL CONFIG FILE ERROR block, to be written verbatim to stderr; when
    true it is a warning-level log message (e.g. an unreadable config file)
    that the caller should emit through its logger, then exit 1."""

    def __init__(self, text: str, as_log: bool = False):
        super().__init__(text)
        self.text = text
        self.as_log = as_log

    def __str__(self):
        return self.text


# Name (or alias) -> directive.
_BY_NAME: Dict[str, Directive] = {}
for _d in DIRECTIVES:
    _BY_NAME[_d.name] = _d
    if _d.alias:
        _BY_NAME[_d.alias] = _d
del _d


def lookup(name: str) -> Optional[Directive]:
    return _BY_NAME.get(name.lower())


def _copy(value):
    if isinstance(value, list):
        return list(value)
    if isinstance(value, dict):
        return dict(value)
    return value


# ---------------------------------------------------------------------------
# Config: current values, CONFIG GET / SET / REWRITE.
# ---------------------------------------------------------------------------

class Config:
    def __init__(self):
        self._values: Dict[str, object] = {}
        for d in DIRECTIVES:
            self._values[d.name] = _copy(d.default)
        self._values["dir"] = os.getcwd()
        self._watchers: Dict[str, List[Callable]] = {}
        self.path: Optional[str] = None      # absolute config file path
        self.from_stdin = False
        self.renames: List[Tuple[str, str]] = []   # rename-command, in order
        self.users: List[List[str]] = []          # "user" lines' arguments
        self.modules: List[List[str]] = []        # loadmodule path + args
        self.module_configs: Dict[str, str] = {}  # "mod.name value" lines
        # option -> callable returning the lines REWRITE should write for a
        # directive the table does not own (e.g. "user" from the ACL code).
        self.rewrite_providers: Dict[str, Callable[[], List[str]]] = {}

    # -- access -------------------------------------------------------------

    def typed(self, name: str):
        d = lookup(name)
        if d is None:
            raise KeyError(name)
        return _copy(self._values[d.name])

    def show(self, name: str) -> str:
        d = lookup(name)
        if d is None:
            raise KeyError(name)
        return d.show(self._values[d.name])

    def is_sensitive(self, name: str) -> bool:
        d = lookup(name)
        return bool(d and d.flags & SENSITIVE)

    def watch(self, name: str, fn: Callable[[object], None]):
        """Call fn(new typed value) after CONFIG SET changes `name`.  If fn
        raises, the whole CONFIG SET is rolled back (every watcher of the
        changed directives is called again with the old value) and the
        error reply carries str(exception) as the reason."""
        d = lookup(name)
        if d is None:
            raise KeyError(name)
        self._watchers.setdefault(d.name, []).append(fn)

    # -- CONFIG GET ---------------------------------------------------------

    def get(self, patterns: Sequence[str]) -> List[Tuple[str, str]]:
        seen, out = set(), []
        for pat in patterns:
            if not any(c in pat for c in "[*?"):
                d = lookup(pat)
                if d is not None and pat.lower() not in seen:
                    seen.add(pat.lower())
                    out.append((pat, d.show(self._values[d.name])))
                continue
            for name, d in _BY_NAME.items():
                if d.flags & HIDDEN:
                    continue
                if name not in seen and glob_match(pat, name):
                    seen.add(name)
                    out.append((name, d.show(self._values[d.name])))
        return out

    # -- CONFIG SET ---------------------------------------------------------

    def set(self, pairs: Sequence[Tuple[str, str]], *,
            local_client: bool = False, loading: bool = False):
        """Apply all pairs or none.  `local_client`: the caller connects
        over loopback or a unix socket (for enable-protected-configs local);
        `loading`: the dataset is being loaded."""
        chosen: List[Tuple[str, Directive]] = []
        invalid_name = err_name = errstr = None
        invalid = deny_loading = False
        protected_ok = self._values["enable-protected-configs"] == "yes" or (
            self._values["enable-protected-configs"] == "local"
            and local_client)
        for name, _ in pairs:
            d = lookup(name)
            if d is None:
                if not invalid:
                    invalid_name, invalid = name, True
                continue
            if invalid:
                continue
            if d.flags & IMMUTABLE or (d.flags & PROTECTED and not protected_ok):
                errstr = ("can't set immutable config" if d.flags & IMMUTABLE
                          else "can't set protected config")
                err_name, invalid = name, True
                continue
            if loading and d.flags & DENY_LOADING:
                deny_loading = invalid = True
                continue
            # Redis compares the looked-up entries: a name and its alias are
            # distinct entries, so "hz 1 HZ 2" is a duplicate but
            # "lua-time-limit 1 busy-reply-threshold 2" is not.
            if any(n.lower() == name.lower() for n, _ in chosen):
                errstr, err_name, invalid = "duplicate parameter", name, True
                continue
            chosen.append((name, d))
        if deny_loading:
            raise ConfigError(LOADING_ERROR)
        if invalid_name is not None:
            raise ConfigError("ERR Unknown option or number of arguments for "
                              "CONFIG SET - '%s'" % invalid_name)
        if invalid:
            raise ConfigError(_set_failed(err_name, errstr))

        old = dict(self._values)
        changed: List[str] = []
        for (name, d), (_, value) in zip(chosen, pairs):
            args = value.split(" ") if value else []
            if not d.flags & MULTI_ARG:
                args = [value]
            try:
                new = d.parse(args)
            except _Invalid as e:
                self._values = old
                raise ConfigError(_set_failed(name.lower(), str(e)))
            if d.name == "client-output-buffer-limit":
                new = dict(self._values[d.name], **new)
            if new != self._values[d.name]:
                changed.append(d.name)
            self._values[d.name] = new

        done = []
        for dname in changed:
            try:
                for fn in self._watchers.get(dname, ()):
                    fn(_copy(self._values[dname]))
            except Exception as e:  # noqa: BLE001 - any hook failure rolls back
                done.append(dname)
                self._values = old
                for back in done:
                    for fn in self._watchers.get(back, ()):
                        try:
                            fn(_copy(old[back]))
                        except Exception:  # noqa: BLE001
                            pass
                shown = next(n for n, d in chosen if d.name == dname).lower()
                raise ConfigError(_set_failed(shown, str(e) or None))
            done.append(dname)

    # -- CONFIG REWRITE -----------------------------------------------------

    def rewrite(self, path: Optional[str] = None):
        path = path or self.path
        if path is None:
            raise ConfigError("ERR The server is running without a config "
                              "file")
        try:
            state = _RewriteState.read(path, lookup)
        except OSError as e:
            raise ConfigError("ERR Rewriting config file: %s"
                              % os.strerror(e.errno or _errno.EIO))
        for d in DIRECTIVES:
            d.kind.rewrite(d, self._values[d.name], state)
        for option, provider in self.rewrite_providers.items():
            for line in provider():
                state.put(option, line, True)
            state.mark(option)
        try:
            _overwrite(path, state.content())
        except OSError as e:
            raise ConfigError("ERR Rewriting config file: %s"
                              % os.strerror(e.errno or _errno.EIO))


def _set_failed(name, errstr):
    if errstr:
        return ("ERR CONFIG SET failed (possibly related to argument '%s') - %s"
                % (name, errstr))
    return "ERR CONFIG SET failed (possibly related to argument '%s')" % name


def _overwrite(path: str, content: str):
    """Replace the file atomically: temp file, fsync, chmod, rename."""
    import tempfile
    d = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=os.path.basename(path) + ".", dir=d)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(content.encode("utf-8", "surrogateescape"))
            f.flush()
            os.fsync(f.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o644 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def defaults() -> Config:
    """A Config holding every directive's default."""
    return Config()


# Loading lives in pyredis.conffile, which imports this module; its public
# names are fetched on first use so `config.load` etc. keep working without
# an import cycle.
_CONFFILE_NAMES = ("Invocation", "parse_argv", "load", "load_string")


def __getattr__(name: str):
    if name in _CONFFILE_NAMES:
        from . import conffile
        return getattr(conffile, name)
    raise AttributeError("module %r has no attribute %r" % (__name__, name))


def __dir__():
    return sorted(set(globals()) | set(_CONFFILE_NAMES))


__all__ = sorted(
    set(_values_all) | set(_directives_all) | set(_CONFFILE_NAMES)
    | {"REDIS_VERSION", "LOADING_ERROR", "ConfigError", "FatalConfigError",
       "lookup", "Config", "defaults"})
