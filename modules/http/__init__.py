"""Outside HTTP calls for scenario blocks, guarded against server-side request forgery: only
public addresses (and the operator's allow-list) are reachable, every connection is pinned to
the address that was checked, redirects are checked hop by hop, and every call has a
deadline, a size limit, retries for idempotent methods and a circuit breaker per host."""

from modules.http.client import HttpLimits, HttpResult, SafeHttpClient
from modules.http.exceptions import HttpFailed, HttpRefused
from modules.http.pinning import Resolver, system_resolver
from modules.http.policy import AddressPolicy

__all__ = [
    "AddressPolicy",
    "HttpFailed",
    "HttpLimits",
    "HttpRefused",
    "HttpResult",
    "Resolver",
    "SafeHttpClient",
    "system_resolver",
]
