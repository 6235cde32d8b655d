"""Example command modules: load one with `loadmodule <path>` or
`MODULE LOAD <path>`; `pyredis.examples.DEMO_MODULE` is the path of the
demo module."""
import os

DEMO_MODULE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "demo_module.py")
