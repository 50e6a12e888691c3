"""Viber's REST Bot API, spoken with httpx.

Not through viberbot's `Api`: it is synchronous (`requests`, so every call would need a
thread of its own), it sets no timeout on its calls (a stalled Viber would hold that thread
for good), and its signature check compares with `==`. The protocol is small: a JSON POST per
method with the token in `X-Viber-Auth-Token`, answered 200 with `status` 0 or an error
status. The tests check the bodies sent here against viberbot's message classes."""

from __future__ import annotations

from typing import Any

import httpx
import orjson

# Viber's error statuses, by what the channel does about them.
TOKEN_REFUSED = {2: "invalidAuthToken", 7: "publicAccountBlocked", 8: "publicAccountNotFound",
                 9: "publicAccountSuspended"}
UNREACHABLE = {5: "receiverNotRegistered", 6: "receiverNotSubscribed",
               11: "receiverNoSuitableDevice"}
TOO_MANY = 12


class ViberError(Exception):
    """Viber answered with an error status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"{message} (status {status})")
        self.status, self.message = status, message


class ViberUnavailable(Exception):
    """No answer from Viber (network, timeout, 5xx, 429): worth trying again later."""


class ViberClient:
    def __init__(self, base_url: str, token: str, *, timeout: float = 10.0) -> None:
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/") + "/", headers={"X-Viber-Auth-Token": token},
            timeout=httpx.Timeout(timeout, connect=5.0),
            limits=httpx.Limits(max_connections=20, max_keepalive_connections=10))

    async def call(self, method: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        try:
            response = await self._http.post(method, content=orjson.dumps(body or {}),
                                             headers={"Content-Type": "application/json"})
        except httpx.HTTPError as exc:
            raise ViberUnavailable(f"{method}: {type(exc).__name__}") from None
        if response.status_code >= 500 or response.status_code == 429:
            raise ViberUnavailable(f"{method}: HTTP {response.status_code}")
        if response.status_code != 200:
            raise ViberError(-1, f"{method}: HTTP {response.status_code}")
        try:
            data = orjson.loads(response.content)  # 64-bit ints exact: tokens pass 2^53
        except orjson.JSONDecodeError:
            raise ViberUnavailable(f"{method}: the answer is not JSON") from None
        if not isinstance(data, dict):
            raise ViberUnavailable(f"{method}: the answer is not an object")
        status = data.get("status")
        if status != 0:
            raise ViberError(status if isinstance(status, int) else -1,
                             str(data.get("status_message") or "error")[:200])
        return data

    async def shutdown(self) -> None:  # (named as python-telegram-bot's Bot names it)
        await self._http.aclose()
