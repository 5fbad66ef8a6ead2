"""Storage adapters. The in-memory one ships with the core; others need an extra."""

from clientcore.adapters.memory import InMemoryStore, InMemoryUnitOfWork

__all__ = ["InMemoryStore", "InMemoryUnitOfWork"]
