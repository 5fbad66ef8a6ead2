"""Storage adapters. The in-memory one ships with the core; others need an extra.

:class:`GuardedUnitOfWork` wraps any unit of work so that no status or acceptance
change is committed without the status machine's events.
"""

from clientcore.adapters.guarded import GuardedUnitOfWork
from clientcore.adapters.memory import InMemoryStore, InMemoryUnitOfWork

__all__ = ["GuardedUnitOfWork", "InMemoryStore", "InMemoryUnitOfWork"]
