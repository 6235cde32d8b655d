"""Compiled core of pyredis."""
