"""Loading the configuration the way redis-server 7.0 does: the command line
(`parse_argv`), then the config file (with `include`), stdin and the
`--directive value` options, all applied to a fresh `Config` (`load`,
`load_string`).  Errors become `FatalConfigError` with Redis's exact text.
"""
import glob as _globmod
import os
import sys
from dataclasses import dataclass
from typing import List, Optional, Sequence

from .config import _BY_NAME, REDIS_VERSION, Config, FatalConfigError
from .configvalues import MULTI_ARG, _Invalid, quote, split_args

# Accepted and ignored by the file loader (name -> (min argc, max argc)).
_DEPRECATED = {"list-max-ziplist-entries": (2, 2),
               "list-max-ziplist-value": (2, 2),
               "lua-replicate-commands": (2, 2)}


@dataclass
class Invocation:
    """What `redis-server <argv>` asks for.  action is "run", "version",
    "help" or "test-memory" (then `test_memory_mb` holds the argument, or
    None when it was missing)."""
    action: str = "run"
    configfile: Optional[str] = None
    from_stdin: bool = False
    options: str = ""
    test_memory_mb: Optional[str] = None


def parse_argv(argv: Sequence[str]) -> Invocation:
    """Interpret argv (without the program name) like redis-server: an
    optional config file first, "-" for stdin (first or last), then
    `--name value...` options turned into config lines."""
    inv = Invocation()
    if not argv:
        return inv
    first = argv[0]
    if first in ("-v", "--version"):
        inv.action = "version"
        return inv
    if first in ("-h", "--help"):
        inv.action = "help"
        return inv
    if first == "--test-memory":
        inv.action = "test-memory"
        inv.test_memory_mb = argv[1] if len(argv) == 2 else None
        return inv
    j = 0
    if not first.startswith("-"):
        inv.configfile = os.path.abspath(first)
        j = 1
    options = ""
    handled_last = True
    n = len(argv)
    while j < n:
        arg = argv[j]
        if arg == "-" and (j == 0 or j == n - 1):
            inv.from_stdin = True
        elif handled_last and arg.startswith("--"):
            if options:
                options += "\n"
            options += arg[2:] + " "
            parts = split_args(arg)
            if parts is not None and len(parts) == 1:
                handled_last = False
                nxt_opt = j != n - 1 and argv[j + 1].startswith("--")
                if arg.lower() == "--save" and (nxt_opt or j == n - 1):
                    # "--save" with no value means save "" (pre-7.0 habit).
                    options += '""'
                    handled_last = nxt_opt
                elif arg.lower() == "--sentinel" and nxt_opt:
                    handled_last = True
            else:
                handled_last = True
        else:
            options += quote(arg) + " "
            handled_last = True
        j += 1
    inv.options = options
    return inv


def load(argv: Sequence[str], stdin=None,
         commands: Optional[Sequence[str]] = None) -> Config:
    """Build the configuration for `redis-server <argv>` (argv without the
    program name).  Raises FatalConfigError on any error.  `stdin` is read
    when argv asks for "-" (defaults to sys.stdin).  `commands`, when given,
    is the set of command names rename-command is checked against.  Callers
    should handle parse_argv()'s non-"run" actions first."""
    inv = parse_argv(argv)
    loader = _Loader(commands)
    cfg = loader.cfg
    cfg.path = inv.configfile
    cfg.from_stdin = inv.from_stdin
    text = ""
    if inv.configfile is not None:
        text = loader.read_file(inv.configfile)
    if inv.from_stdin:
        text += (stdin or sys.stdin).read()
    text += "\n" + inv.options
    loader.load_string(text)
    return cfg


def load_string(text: str, commands=None) -> Config:
    """Load config text (as if it were the file); mainly for tests."""
    loader = _Loader(commands)
    loader.load_string(text)
    return loader.cfg


class _Loader:
    def __init__(self, commands):
        self.cfg = Config()
        self.reading = False
        self.save_loaded = False
        self.commands = None if commands is None else {c.lower() for c in commands}

    def read_file(self, path: str) -> str:
        if any(c in path for c in "*?["):
            out = []
            for p in sorted(_globmod.glob(path)):
                out.append(self._read_one(p))
            return "".join(out)
        return self._read_one(path)

    @staticmethod
    def _read_one(path: str) -> str:
        try:
            with open(path, "rb") as f:
                return f.read().decode("utf-8", "surrogateescape")
        except OSError as e:
            raise FatalConfigError("Fatal error, can't open config file "
                                   "'%s': %s" % (path, os.strerror(e.errno)),
                                   as_log=True)

    def load_string(self, text: str):
        self.reading = True
        lines = text.split("\n") if text else []
        i = -1
        try:
            for i, raw in enumerate(lines):
                line = raw.strip(" \t\r\n")
                if not line or line.startswith("#"):
                    continue
                argv = split_args(line)
                if argv is None:
                    raise _Invalid("Unbalanced quotes in configuration line")
                if not argv:
                    continue
                self.directive(argv)
            self.finish()
        except _Invalid as e:
            if 0 <= i < len(lines):
                where = ("Reading the configuration file, at line %d\n"
                         ">>> '%s'\n" % (i + 1, lines[i].strip(" \t\r\n")))
            else:
                where = ""
            raise FatalConfigError("\n*** FATAL CONFIG FILE ERROR (Redis %s) "
                                   "***\n%s%s\n" % (REDIS_VERSION, where, e))
        finally:
            self.reading = False

    def directive(self, argv: List[str]):
        cfg = self.cfg
        name = argv[0].lower()
        d = _BY_NAME.get(name)
        if d is not None:
            if not d.flags & MULTI_ARG and len(argv) != 2:
                raise _Invalid("wrong number of arguments")
            value = d.parse(argv[1:])
            if d.name == "save":
                if not self.reading:
                    cfg._values["save"] = value
                else:
                    # The first save line replaces the defaults, later ones
                    # add points; save "" clears what was there.
                    if not self.save_loaded or not argv[1:] or argv[1:] == [""]:
                        cfg._values["save"] = []
                        self.save_loaded = True
                    cfg._values["save"] = cfg._values["save"] + value
            elif d.name == "client-output-buffer-limit":
                cfg._values[d.name] = dict(cfg._values[d.name], **value)
            else:
                cfg._values[d.name] = value
            return
        limits = _DEPRECATED.get(name)
        if limits and limits[0] <= len(argv) <= limits[1]:
            return
        if name == "include" and len(argv) == 2:
            self.load_string(self.read_file(argv[1]))
            return
        if name == "rename-command" and len(argv) == 3:
            self.rename(argv[1], argv[2])
            return
        if name == "user" and len(argv) >= 2:
            from pyredis._core import core
            try:
                core.acl_validate_rules([a.encode("utf-8", "surrogateescape") for a in argv[2:]])
            except ValueError as e:
                raise _Invalid("Error in user declaration '%s': %s" % (argv[1], e))
            cfg.users.append(argv[1:])
            return
        if name == "loadmodule" and len(argv) >= 2:
            cfg.modules.append(argv[1:])
            return
        if "." in name:
            if len(argv) != 2:
                raise _Invalid("Module config specified without value")
            cfg.module_configs[name] = argv[1]
            return
        if name == "sentinel":
            if len(argv) != 1:
                raise _Invalid("sentinel directive while not in sentinel mode")
            return
        raise _Invalid("Bad directive or wrong number of arguments")

    def rename(self, old: str, new: str):
        if self.commands is not None:
            if old.lower() not in self.commands:
                raise _Invalid("No such command in rename-command")
            self.commands.discard(old.lower())
            if new:
                if new.lower() in self.commands:
                    raise _Invalid("Target command name already exists")
                self.commands.add(new.lower())
        self.cfg.renames.append((old, new))

    def finish(self):
        values = self.cfg._values
        logfile = values["logfile"]
        if logfile:
            try:
                with open(logfile, "a"):
                    pass
            except OSError as e:
                self.fail_after("Can't open the log file: %s"
                                % os.strerror(e.errno))
        if values["cluster-enabled"] and values["replicaof"] is not None:
            self.fail_after("replicaof directive not allowed in cluster mode")

    @staticmethod
    def fail_after(msg: str):
        raise FatalConfigError("\n*** FATAL CONFIG FILE ERROR (Redis %s) ***"
                               "\n%s\n" % (REDIS_VERSION, msg))
