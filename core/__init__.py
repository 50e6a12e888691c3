"""Rozmova kernel: settings, database, cache/lock/rate-limit/pub-sub adapters, errors,
logging, metrics and auth primitives. It imports no service."""
