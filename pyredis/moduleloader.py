"""Loading and unloading Python command modules (`loadmodule`, MODULE
LOAD|LOADEX|UNLOAD|LIST, INFO modules).  What a module file may declare
is in pyredis/modules.py; how its commands run is in _core/module.pyx."""
import importlib.machinery
import importlib.util
import itertools
import os
import sys
import traceback

from ._core import core
from .log import log
from .modules import run_command, take_pending

_serial = itertools.count(1)


def _one_line(exc):
    return "".join(traceback.format_exception(exc)).rstrip().replace("\n", " | ")


class LoadedModule:
    def __init__(self, name, version, path, args, pymodule, commands):
        self.name = name
        self.version = version
        self.path = path
        self.args = args
        self.pymodule = pymodule
        self.commands = commands      # command names


class Modules:
    def __init__(self, ctl):
        self.ctl = ctl
        self.loaded = {}              # module name -> LoadedModule
        core.module_set_runner(run_command)
        # CONFIG REWRITE writes the modules loaded now, as redis-server
        ctl.cfg.rewrite_providers["loadmodule"] = self.config_lines

    def load_queue(self, queue):
        """The `loadmodule` directives, at start-up: False (after logging
        why) when one fails, and the server must not start."""
        for path, *args in queue:
            if not self.load(path, args):
                log.warning("Can't load module from %s: server aborting" % path)
                return False
        return True

    def load(self, path, args, configs=()):
        """Import the module at path and add its commands; False after
        logging why it failed (nothing is left behind then)."""
        if configs:
            log.warning("Module Configuration detected without loadmodule directive or no "
                        "ApplyConfig call: aborting")
            return False
        fullpath = os.path.abspath(path)
        modname = "pyredis_module_%d_%s" % (
            next(_serial), "".join(ch if ch.isalnum() else "_" for ch in
                                   os.path.splitext(os.path.basename(path))[0]))
        if not os.path.isfile(fullpath):
            log.warning("Module %s failed to load: no such file" % path)
            return False
        # whatever its name, the file is read as Python source: a shared
        # library (a C module for redis-server) fails to compile, not to dlopen
        loader = importlib.machinery.SourceFileLoader(modname, fullpath)
        spec = importlib.util.spec_from_loader(modname, loader)
        pymod = importlib.util.module_from_spec(spec)
        take_pending()
        sys.modules[modname] = pymod
        added = []
        try:
            try:
                spec.loader.exec_module(pymod)
            finally:
                specs = take_pending()
            name = str(getattr(pymod, "MODULE_NAME", os.path.splitext(os.path.basename(path))[0]))
            version = int(getattr(pymod, "MODULE_VERSION", 1))
            if name in self.loaded:
                raise ValueError("a module named '%s' is already loaded" % name)
            on_load = getattr(pymod, "on_load", None)
            if on_load is not None:
                on_load(list(args))
            for s in specs:
                core.module_add_command(s.name, s.arity, " ".join(s.table_flags()), s.first_key,
                                        s.last_key, s.step, s.categories(), s.handler, name,
                                        s.meta(name))
                added.append(s.name)
        except BaseException as e:
            for c in added:
                core.module_remove_command(c)
            sys.modules.pop(modname, None)
            log.warning("Module %s failed to load: %s" % (path, _one_line(e)))
            if not isinstance(e, Exception):
                raise
            return False
        self.loaded[name] = LoadedModule(name, version, path, list(args), pymod, added)
        log.notice("Module '%s' loaded from %s" % (name, path))
        return True

    def unload(self, name):
        """Remove a module and its commands: None, or the reason it cannot."""
        mod = self.loaded.get(name)
        if mod is None:
            return "no such module with that name"
        on_unload = getattr(mod.pymodule, "on_unload", None)
        if on_unload is not None:
            try:
                on_unload()
            except Exception as e:
                log.warning("Module %s on_unload failed: %s" % (name, _one_line(e)))
                return "operation not possible."
        for c in mod.commands:
            core.module_remove_command(c)
        sys.modules.pop(mod.pymodule.__name__, None)
        del self.loaded[name]
        log.notice("Module %s unloaded" % name)
        return None

    def list(self):
        return list(self.loaded.values())

    def config_lines(self):
        return [" ".join(["loadmodule", m.path] + m.args) for m in self.loaded.values()]

    def info_fields(self):
        return [("module", "name=%s,ver=%d,api=1,filters=0,usedby=[],using=[],options=[]"
                 % (m.name, m.version)) for m in self.loaded.values()]
