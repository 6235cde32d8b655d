"""The pytest plugin (pyredis/pytest_plugin.py), run as a user would: a
separate pytest process on a test file of its own, with no redis-server
on PATH -- once against this checkout, once in a fresh virtual environment
where pyredis is pip-installed and the plugin comes in through its
`pytest11` entry point."""
import os
import shutil
import subprocess
import sys
import textwrap
import venv

import pytest

from support.servers import REPO_ROOT, pyredis_available

pytestmark = pytest.mark.skipif(pyredis_available() is not None,
                                reason=pyredis_available() or "")

USER_TESTS = '''
import os
import shutil
import sys
import time

import pyredis
import redis

SEEN = []


def test_no_redis_server_binary_is_needed():
    assert shutil.which("redis-server") is None


def test_pyredis_comes_from_the_expected_place():
    expected = os.environ["EXPECT_PYREDIS_UNDER"]
    assert os.path.realpath(pyredis.__file__).startswith(os.path.realpath(expected))


def test_session_server_serves(pyredis_server):
    SEEN.append((pyredis_server.pid, pyredis_server.dir))
    with open(os.environ["SEEN_FILE"], "a") as f:
        f.write("%d %s\\n" % (pyredis_server.pid, pyredis_server.dir))
    assert redis.Redis(host=pyredis_server.host, port=pyredis_server.port).ping()


def test_session_server_is_shared(pyredis_server):
    assert SEEN == [(pyredis_server.pid, pyredis_server.dir)]


def test_ini_config_reaches_the_session_server(pyredis_server):
    r = redis.Redis(host=pyredis_server.host, port=pyredis_server.port, decode_responses=True)
    assert r.config_get("maxmemory-policy") == {"maxmemory-policy": "allkeys-lru"}


def test_client_leaves_a_key(pyredis_client):
    assert pyredis_client.dbsize() == 0
    pyredis_client.set("leftover", 1)
    pyredis_client.execute_command("SELECT", 3)
    pyredis_client.set("leftover-db3", 1)


def test_client_gets_a_flushed_server(pyredis_client):
    assert pyredis_client.dbsize() == 0
    pyredis_client.execute_command("SELECT", 3)
    assert pyredis_client.dbsize() == 0


def test_factory_master_and_replica(pyredis_server_factory):
    master = pyredis_server_factory()
    replica = pyredis_server_factory(replicaof=(master.host, master.port))
    with open(os.environ["SEEN_FILE"], "a") as f:
        f.write("%d %s\\n%d %s\\n" % (master.pid, master.dir, replica.pid, replica.dir))
    m = redis.Redis(host=master.host, port=master.port)
    r = redis.Redis(host=replica.host, port=replica.port)
    m.set("k", "from-master")
    deadline = time.monotonic() + 10
    while r.get("k") != b"from-master":
        assert time.monotonic() < deadline, "the replica never got the key"
        time.sleep(0.05)
    assert r.info("replication")["role"] == "slave"


def test_factory_custom_config(pyredis_server_factory):
    s = pyredis_server_factory(maxmemory="5mb", appendonly=True)
    r = redis.Redis(host=s.host, port=s.port, decode_responses=True)
    assert r.config_get("maxmemory")["maxmemory"] == str(5 * 1024 * 1024)
    assert r.config_get("appendonly")["appendonly"] == "yes"
'''

PYTEST_INI = """\
[pytest]
pyredis_server_config =
    maxmemory-policy allkeys-lru
"""

N_USER_TESTS = USER_TESTS.count("\ndef test_")


def pid_alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def write_project(path):
    path.mkdir(exist_ok=True)
    (path / "test_user.py").write_text(USER_TESTS)
    (path / "pytest.ini").write_text(PYTEST_INI)
    return path


def run_user_tests(python, project, env, extra_args=()):
    env = dict(env)
    env["SEEN_FILE"] = str(project / "seen.txt")
    proc = subprocess.run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider", *extra_args,
                           "test_user.py"], cwd=project, env=env, capture_output=True,
                          text=True, timeout=300)
    return proc


def assert_all_passed_and_cleaned_up(proc, project):
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "%d passed" % N_USER_TESTS in proc.stdout, proc.stdout
    seen = [line.split(" ", 1) for line in (project / "seen.txt").read_text().splitlines()]
    assert len(seen) == 3
    for pid, directory in seen:
        assert not pid_alive(int(pid))
        assert not os.path.exists(directory)


def test_plugin_fixtures_in_a_pytest_run(tmp_path):
    project = write_project(tmp_path / "project")
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(sys.executable)       # no redis-server there
    env["PYTHONPATH"] = REPO_ROOT
    env["EXPECT_PYREDIS_UNDER"] = REPO_ROOT
    # -p no:pyredis: the entry point's copy, when this checkout is installed,
    # gives way to the one loaded by module name
    proc = run_user_tests(sys.executable, project, env,
                          ("-p", "no:pyredis", "-p", "pyredis.pytest_plugin"))
    assert_all_passed_and_cleaned_up(proc, project)


def copy_source(dest):
    """The files a source distribution of pyredis holds (no build output:
    the extension is compiled by the install)."""
    dest.mkdir()
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy(os.path.join(REPO_ROOT, name), dest / name)
    shutil.copytree(os.path.join(REPO_ROOT, "pyredis"), dest / "pyredis",
                    ignore=shutil.ignore_patterns("*.so", "*.c", "*.html", "__pycache__"))
    shutil.copytree(os.path.join(REPO_ROOT, "csrc"), dest / "csrc",
                    ignore=shutil.ignore_patterns("*.o", "*.so"))


NETWORK_TROUBLE = ("Could not find a version that satisfies", "No matching distribution found",
                   "Failed to establish a new connection", "Temporary failure in name resolution",
                   "Network is unreachable")


def test_plugin_in_a_fresh_virtualenv(tmp_path):
    """pip install pyredis (building its extension) into a virtualenv that
    sees nothing of this interpreter's packages; its pytest must find the
    plugin by the entry point alone."""
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, system_site_packages=False, clear=True).create(env_dir)
    python = str(env_dir / "bin" / "python")
    probe = subprocess.run([python, "-c", "import sys; print(sys.prefix != sys.base_prefix); "
                            "import importlib.util as u; print(u.find_spec('redis') is None)"],
                           capture_output=True, text=True, timeout=60)
    assert probe.stdout.split() == ["True", "True"], "the virtualenv is not isolated"
    src = tmp_path / "src"
    copy_source(src)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["PYREDIS_ONLY"] = "core"        # the unit-test wrapper is not installed for users
    install = subprocess.run([python, "-m", "pip", "install", "-q", str(src), "pytest", "redis"],
                             cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
    if install.returncode != 0:
        out = install.stdout + install.stderr
        if any(t in out for t in NETWORK_TROUBLE):
            pytest.skip("the virtualenv's packages cannot be installed here: %s"
                        % out.strip().splitlines()[-1])
        raise AssertionError("pip install failed:\n" + out)
    project = write_project(tmp_path / "project")
    env["PATH"] = str(env_dir / "bin")
    env["EXPECT_PYREDIS_UNDER"] = str(env_dir)
    proc = run_user_tests(python, project, env)
    assert_all_passed_and_cleaned_up(proc, project)
