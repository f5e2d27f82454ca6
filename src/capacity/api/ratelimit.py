"""A per-token sliding-window rate limit, kept in the app process's memory.

A token is a script's, so a runaway loop is the risk, not a guesser (tokens are 256
random bits): it is enough that each app instance holds one token to `limit` requests in
any `window`. Behind a load balancer with several instances the effective limit is the
per-instance limit times the instances, which still stops a loop from flooding one.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections import deque
from collections.abc import Callable

LIMIT_ENV = "CAPACITY_API_RATE_LIMIT"
DEFAULT_LIMIT = 120  # requests per window: a refresh of every route every second, with room to spare
WINDOW_SECONDS = 60.0


def configured_limit() -> int:
    """CAPACITY_API_RATE_LIMIT (requests per minute and token), else DEFAULT_LIMIT."""
    raw = os.environ.get(LIMIT_ENV, "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else DEFAULT_LIMIT


class RateLimiter:
    """At most `limit` requests per key within any `window` seconds."""

    def __init__(
        self, limit: int, window: float = WINDOW_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit, self.window, self._clock = limit, window, clock
        self._seen: dict[int, deque[float]] = {}
        self._lock = threading.Lock()  # Starlette runs the synchronous views in a thread pool

    def hit(self, key: int) -> int | None:
        """Count one request for `key`; None when allowed, else the whole seconds to wait."""
        now = self._clock()
        with self._lock:
            seen = self._seen.setdefault(key, deque())
            while seen and seen[0] <= now - self.window:
                seen.popleft()
            if len(seen) >= self.limit:
                return max(1, math.ceil(seen[0] + self.window - now))
            seen.append(now)
            return None
