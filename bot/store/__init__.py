"""Persistence: SQLite by default, PostgreSQL for several instances."""

from bot.store.db import Database

__all__ = ["Database"]
