"""pyredis: a Redis-compatible in-memory data server."""

__version__ = "0.1.0"
REDIS_VERSION = "7.0.15"

from .embed import Server, ServerError  # noqa: E402

__all__ = ["Server", "ServerError", "REDIS_VERSION", "__version__"]
