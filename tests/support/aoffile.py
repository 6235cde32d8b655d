"""Reading append-only files in tests: the commands of an AOF file, and
the incr file of a server's appenddirname."""
import glob
import os


def parse_aof(data):
    """The commands of AOF bytes as lists of bytes; annotations ("#TS:...")
    as ("#", line)."""
    out = []
    i = 0
    while i < len(data):
        if data[i:i + 1] == b"#":
            j = data.index(b"\r\n", i)
            out.append(("#", data[i:j]))
            i = j + 2
            continue
        assert data[i:i + 1] == b"*", data[i:i + 40]
        j = data.index(b"\r\n", i)
        n = int(data[i + 1:j])
        i = j + 2
        args = []
        for _ in range(n):
            j = data.index(b"\r\n", i)
            ln = int(data[i + 1:j])
            i = j + 2
            args.append(data[i:i + ln])
            i += ln + 2
        out.append(args)
    return out


def incr_files(server_dir, dirname="appendonlydir"):
    return sorted(glob.glob(os.path.join(server_dir, dirname, "*.incr.aof")),
                  key=lambda p: int(p.rsplit(".", 3)[-3]))


def last_incr_commands(server_dir):
    with open(incr_files(server_dir)[-1], "rb") as f:
        return parse_aof(f.read())
