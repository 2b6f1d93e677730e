"""The entity-set quota of a :class:`~restquery.Policy` (``max_entity_sets``): how many entity
sets one client may hold at once, as 4D 21 R4 counts them, answered 429 with ``Retry-After``.

A quota is the server's count, not a property of the URL: only the middlewares and the proxy
keep one (``validate``, ``check``, ``lint`` and the builder have nothing to count). Each
request that creates an entity set (``$method=entityset``) holds one until its ``$timeout``
(4D's default, 7 200 s) runs out; ``$method=release`` on an entity set gives one back, and
``$entityset/$release`` (whose body lists the sets, which the middleware does not read) gives
back all the client's sets. Clients are told apart by their address; at most ``clients`` of
them are remembered, the least recently seen forgotten first.

>>> quota = EntitySetQuota(2, clock=lambda: 0.0)
>>> quota.take("10.0.0.1", 60), quota.take("10.0.0.1", 60), quota.take("10.0.0.1", 60)
(None, None, 60)
>>> quota.take("10.0.0.2", 60) is None
True
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

__all__ = ["DEFAULT_ENTITY_SET_TIMEOUT", "EntitySetQuota"]

#: How long 4D keeps an entity set with no ``$timeout`` (spec §3.14: two hours).
DEFAULT_ENTITY_SET_TIMEOUT = 7200


class EntitySetQuota:
    """At most ``limit`` live entity sets per client. Safe to use from many threads."""

    def __init__(self, limit: int, *, clients: int = 10_000, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.clients = clients
        self.clock = clock
        self._held: OrderedDict[str, list[float]] = OrderedDict()
        self._lock = threading.Lock()

    def _live(self, client: str, now: float) -> list[float]:
        held = [t for t in self._held.pop(client, []) if t > now]
        self._held[client] = held  # most recently seen last
        while len(self._held) > self.clients:
            self._held.popitem(last=False)
        return held

    def take(self, client: str, lifetime: float) -> int | None:
        """Count one more entity set for ``client``, living ``lifetime`` seconds: ``None`` when
        the quota allows it, else the whole seconds until one of its sets expires."""
        with self._lock:
            now = self.clock()
            held = self._live(client, now)
            if len(held) >= self.limit:
                return max(1, math.ceil(min(held) - now)) if held else 1
            held.append(now + max(lifetime, 0))
            return None

    def held(self, client: str) -> int:
        """How many live entity sets ``client`` holds."""
        with self._lock:
            return len(self._live(client, self.clock()))

    def give_back(self, client: str, count: int | None = 1) -> None:
        """``client`` released ``count`` entity sets (``None``: all), the oldest first."""
        with self._lock:
            held = self._live(client, self.clock())
            held.sort()
            del held[: len(held) if count is None else count]
