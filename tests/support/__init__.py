"""Shared test helpers: server launchers and a raw RESP client."""
