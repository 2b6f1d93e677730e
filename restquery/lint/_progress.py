"""A one-line progress bar on standard error, for long runs on a terminal only.

It draws nothing during the first ``delay`` seconds (short runs stay silent), redraws at most
ten times a second, and erases itself before other output is written to the same terminal and
when the run ends. Progress is measured in bytes, so one large log moves the bar steadily.
"""

from __future__ import annotations

import time
from typing import TextIO

__all__ = ["Progress"]


class Progress:
    """``advance(nbytes, files)`` after each result; ``clear()`` before writing to the
    terminal; ``close()`` at the end."""

    def __init__(
        self,
        total_bytes: int,
        total_files: int,
        stream: TextIO | None,
        *,
        delay: float = 1.0,
        interval: float = 0.1,
        width: int = 30,
        clock: object = time.monotonic,
    ) -> None:
        self.total = max(total_bytes, 1)
        self.total_files = total_files
        self.stream = stream
        self.delay = delay
        self.interval = interval
        self.width = width
        self._clock = clock
        self._start = self._now()
        self._last_draw = 0.0
        self._shown = False
        self.done = 0
        self.files = 0
        self.urls = 0

    def _now(self) -> float:
        return float(self._clock())  # type: ignore[operator]

    def advance(self, nbytes: int, files: int = 0, urls: int = 0) -> None:
        self.done += nbytes
        self.files += files
        self.urls += urls
        if self.stream is None:
            return
        now = self._now()
        if now - self._start < self.delay or now - self._last_draw < self.interval:
            return
        self._last_draw = now
        self._draw()

    def _draw(self) -> None:
        assert self.stream is not None
        frac = min(self.done / self.total, 1.0)
        filled = int(frac * self.width)
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(
            f"\r[{bar}] {frac * 100:5.1f}%  {self.files}/{self.total_files} files  "
            f"{self.urls} URLs\x1b[K"
        )
        self.stream.flush()
        self._shown = True

    def clear(self) -> None:
        if self._shown and self.stream is not None:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown = False

    def close(self) -> None:
        self.clear()
