"""Windows of one presentation in step: the presenter's and the audience's.

A presenter window and its audience windows share a code (``sync`` in their URLs). Whichever
window moves to another slide records it here; the others look every second and follow. The
positions live in the app process (one per worker; `make serve` keeps a browser on one worker,
so all windows of one browser meet here). Nothing is stored on disk.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Position:
    deck: str
    slide: int
    at: float  # when it was set (monotonic seconds)


class SlidePositions:
    """The current slide per sync code (thread-safe; old codes are forgotten after a day)."""

    MAX_AGE = 24 * 3600.0
    MAX_CODES = 1000

    def __init__(self) -> None:
        self._positions: dict[str, Position] = {}
        self._lock = threading.Lock()

    def get(self, code: str, deck: str) -> int | None:
        """The slide the windows of `code` are at in `deck`, or None when none moved yet."""
        with self._lock:
            position = self._positions.get(code)
        return position.slide if position and position.deck == deck else None

    def set(self, code: str, deck: str, slide: int) -> None:
        now = time.monotonic()
        with self._lock:
            self._positions[code] = Position(deck, slide, now)
            if len(self._positions) > self.MAX_CODES:
                self._forget(now)

    def _forget(self, now: float) -> None:
        fresh = {c: p for c, p in self._positions.items() if now - p.at < self.MAX_AGE}
        newest = sorted(fresh.items(), key=lambda item: item[1].at)[-self.MAX_CODES :]
        self._positions = dict(newest)


def new_code() -> str:
    """A fresh sync code (8 lowercase hex characters; the URL accepts 6 to 16 of a-z0-9)."""
    return secrets.token_hex(4)
