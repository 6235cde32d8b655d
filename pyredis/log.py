"""Log lines in redis-server's format, since ops scripts grep them:

    <pid>:<role> <dd Mon yyyy HH:MM:SS.mmm> <level char> <message>

level chars: '.' debug, '-' verbose, '*' notice, '#' warning.  Role is C
before the server is set up, M for a master (S replica, X sentinel later).
"""
import os
import sys
import time

LEVELS = {"debug": 0, "verbose": 1, "notice": 2, "warning": 3, "nothing": 4}
CHARS = ".-*#"


class Logger:
    def __init__(self):
        self.level = LEVELS["notice"]
        self.path = ""
        self.role = "C"
        self._stream = sys.stdout

    def configure(self, level: str, path: str):
        self.level = LEVELS.get(level, 2)
        if path != self.path:
            if self._stream not in (sys.stdout, sys.stderr):
                self._stream.close()
            self.path = path
            self._stream = open(path, "a", buffering=1) if path else sys.stdout

    def raw(self, level: int, text: str):
        if level < self.level:
            return
        try:
            self._stream.write(text)
            self._stream.flush()
        except (OSError, ValueError):
            pass

    def log(self, level: int, msg: str):
        if level < self.level:
            return
        now = time.time()
        stamp = time.strftime("%d %b %Y %H:%M:%S", time.localtime(now))
        self.raw(level, "%d:%s %s.%03d %s %s\n" % (
            os.getpid(), self.role, stamp, int(now * 1000) % 1000, CHARS[level], msg))

    def debug(self, msg):
        self.log(0, msg)

    def verbose(self, msg):
        self.log(1, msg)

    def notice(self, msg):
        self.log(2, msg)

    def warning(self, msg):
        self.log(3, msg)


log = Logger()
