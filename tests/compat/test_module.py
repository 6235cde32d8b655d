"""Differential tests for MODULE (module.pyx): the replies that do not
depend on what a module is made of -- refusals, errors, the empty list,
HELP -- are Redis's, byte for byte."""
import pytest

from support.pair import Pair
from support.servers import Server, ours_kind, require


@pytest.fixture(scope="module")
def enabled_pair():
    """Both servers with enable-module-command yes."""
    servers = []
    for kind in ("redis", ours_kind()):
        require(kind)
        s = Server(kind, args=("--enable-module-command", "yes"))
        s.start()
        servers.append(s)
    p = Pair(*servers)
    yield p
    p.close()
    for s in servers:
        s.stop()


def test_module_load_is_refused_by_default(pair):
    pair.check("MODULE", "LOAD", "/nonexistent/module.so")


def test_module_unload_is_refused_by_default(pair):
    pair.check("MODULE", "UNLOAD", "anything")


def test_module_loadex_is_refused_by_default(pair):
    pair.check("MODULE", "LOADEX", "/nonexistent/module.so", "ARGS", "a")


def test_module_list_without_modules(pair):
    pair.check("MODULE", "LIST")


def test_module_help(pair):
    pair.check("MODULE", "HELP")


def test_module_unknown_subcommand(pair):
    pair.check("MODULE", "NOSUCH")


@pytest.mark.parametrize("cmd", [("MODULE",), ("MODULE", "LOAD"), ("MODULE", "UNLOAD"),
                                 ("MODULE", "UNLOAD", "a", "b"), ("MODULE", "LIST", "x")])
def test_module_arity_errors(pair, cmd):
    pair.check(*cmd)


def test_module_load_of_a_missing_file(enabled_pair):
    enabled_pair.check("MODULE", "LOAD", "/nonexistent/module.so")


def test_module_loadex_of_a_missing_file(enabled_pair):
    enabled_pair.check("MODULE", "LOADEX", "/nonexistent/module.so", "ARGS", "x", "y")


def test_module_unload_of_an_unknown_module(enabled_pair):
    enabled_pair.check("MODULE", "UNLOAD", "nosuchmodule")


def test_module_list_stays_empty_after_a_failed_load(enabled_pair):
    enabled_pair.check("MODULE", "LOAD", "/nonexistent/module.so")
    enabled_pair.check("MODULE", "LIST")


# redis-server lists subcommands in its hash table's order, which changes
# from one process to the next: compared as multisets


def test_command_info_of_module(pair):
    pair.check_unordered("COMMAND", "INFO", "MODULE")


def test_command_docs_of_module(pair):
    pair.check_unordered("COMMAND", "DOCS", "MODULE")


def test_command_docs_of_module_in_resp3(pair):
    pair.both("HELLO", "3")
    pair.check_unordered("COMMAND", "DOCS", "MODULE")


def test_command_list_filterby_unknown_module(pair):
    pair.check("COMMAND", "LIST", "FILTERBY", "MODULE", "nosuchmodule")
