"""Build the compiled core: one Cython extension (pyredis._core.core) that
includes the per-concern .pyx files and links the plain C sources of csrc/,
plus pyredis._core.unit, a thin wrapper the unit tests use to drive the C
pieces alone.  Set PYREDIS_DEBUG=1 for -O0 -g and Cython line tracing off
checks on."""
import glob
import os

from Cython.Build import cythonize
from setuptools import Extension, setup

DEBUG = os.environ.get("PYREDIS_DEBUG") == "1"
CSRC = sorted(glob.glob("csrc/*.c"))
CFLAGS = ["-O0", "-g"] if DEBUG else ["-O2"]
CFLAGS += ["-std=gnu11", "-Wno-unused-function", "-fno-strict-aliasing"]


def ext(name, pyx):
    return Extension(
        name,
        sources=[pyx] + CSRC,
        include_dirs=["csrc"],
        extra_compile_args=CFLAGS,
    )


EXTENSIONS = [
    ext("pyredis._core.core", "pyredis/_core/core.pyx"),
    ext("pyredis._core.unit", "pyredis/_core/unit.pyx"),
]
# PYREDIS_ONLY=unit builds just the named extension(s) (development aid).
ONLY = os.environ.get("PYREDIS_ONLY")
if ONLY:
    EXTENSIONS = [e for e in EXTENSIONS if e.name.rsplit(".", 1)[1] in ONLY.split(",")]

setup(
    ext_modules=cythonize(
        EXTENSIONS,
        compiler_directives={
            "language_level": 3,
            "boundscheck": DEBUG,
            "wraparound": False,
            "cdivision": True,
            "initializedcheck": DEBUG,
        },
        include_path=["pyredis/_core"],
    ),
)
