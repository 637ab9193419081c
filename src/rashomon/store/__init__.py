"""The store: one SQLite file that keeps every article (and, in corpus mode, stories)."""

from rashomon.store.db import SCHEMA_VERSION, Store, StoreError

__all__ = ["SCHEMA_VERSION", "Store", "StoreError"]
