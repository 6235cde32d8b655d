"""pyredis-server [/path/to/redis.conf] [--directive value ...]"""
import os
import sys

from . import REDIS_VERSION, __version__
from . import config
from .log import log

USAGE = """\
Usage: pyredis-server [/path/to/redis.conf] [options] [-]
       pyredis-server - (read config from stdin)
       pyredis-server -v or --version
       pyredis-server -h or --help

Examples:
       pyredis-server (run the server with default conf)
       pyredis-server /etc/redis/6379.conf
       pyredis-server --port 7777
       pyredis-server /etc/myredis.conf --loglevel verbose -
       pyredis-server /etc/myredis.conf --loglevel verbose
"""


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    inv = config.parse_argv(argv)
    if inv.action == "version":
        print("Redis server v=%s sha=00000000:0 malloc=libc bits=64 build=pyredis-%s"
              % (REDIS_VERSION, __version__))
        return 0
    if inv.action == "help":
        sys.stderr.write(USAGE)
        return 1
    if inv.action == "test-memory":
        sys.stderr.write("--test-memory is not supported by pyredis\n")
        return 1
    try:
        from ._core import core
        cfg = config.load(argv, commands=core.command_names())
    except config.FatalConfigError as e:
        if e.as_log:
            log.warning(str(e))
        else:
            sys.stderr.write(str(e))
            sys.stderr.flush()
        return 1
    if cfg.typed("daemonize"):
        _daemonize()
    from .server import start
    return start(cfg, no_args=not argv)


def _daemonize():
    if os.fork() > 0:
        os._exit(0)
    os.setsid()
    fd = os.open(os.devnull, os.O_RDWR)
    for std in (0, 1, 2):
        os.dup2(fd, std)


if __name__ == "__main__":
    sys.exit(main())
