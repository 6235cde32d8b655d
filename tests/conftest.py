"""Root test configuration: makes `tests/support` importable and decides
which server plays "ours".

PYREDIS_COMPAT_SELFTEST=1 runs a second real redis-server in place of
pyredis, which proves the differential harness itself (every compat test must
pass real-vs-real)."""
import os
import sys

import pytest

TESTS_DIR = os.path.dirname(os.path.abspath(__file__))
if TESTS_DIR not in sys.path:
    sys.path.insert(0, TESTS_DIR)

from support.servers import ours_kind  # noqa: E402


@pytest.fixture(scope="session")
def ours_server_kind():
    return ours_kind()
