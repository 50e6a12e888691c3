"""Prometheus metrics shared by every service."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram

registry = CollectorRegistry(auto_describe=True)

http_requests = Counter(
    "rozmova_http_requests",
    "HTTP requests handled, by route template and status.",
    ["method", "route", "status"],
    registry=registry,
)
http_latency = Histogram(
    "rozmova_http_request_duration_seconds",
    "Time from request start to response end, by route template.",
    ["method", "route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
    registry=registry,
)
conversation_reads = Counter(
    "rozmova_conversation_reads",
    "How each turn found its conversation: `memory` (this instance wrote its last turn and "
    "the lock's stamp says nothing ran since), `database` (read), `stale` (memory that a "
    "write showed to be behind what is stored; the turn ran again from the database).",
    ["source"],
    registry=registry,
)
