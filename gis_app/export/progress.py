"""A progress bar for long exports on a terminal, silent when the output is not a terminal.

An atlas of a province takes seconds, a national one minutes; a user at a terminal should see
it advance, while a script or a log that captures the output should not get a line of
carriage returns. The bar is written to standard error only when that stream is a terminal
(``isatty``), redrawn at most ten times a second, and finished with a newline. It is plain
text (no terminal control codes besides ``\\r``), so it works in the Windows console too.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

#: Characters of the bar itself.
WIDTH = 30
#: Seconds between redraws (the last page is always drawn).
INTERVAL_S = 0.1


class Bar:
    """``label [#########.........] 9/24 (3.1 s)``; call it with ``(done, total)``.

    Parameters
    ----------
    label
        Written before the bar (e.g. ``"atlas"``).
    stream
        Where to write (default: standard error at the time of each call).
    enabled
        Force the bar on or off; by default it is shown only when ``stream`` is a terminal.
    """

    def __init__(self, label: str, *, stream: TextIO | None = None,
                 enabled: bool | None = None) -> None:
        self.label = label
        self._stream = stream
        self._enabled = enabled
        self._start = time.monotonic()
        self._last = -INTERVAL_S
        self._finished = False

    @property
    def stream(self) -> TextIO:
        return self._stream if self._stream is not None else sys.stderr

    @property
    def enabled(self) -> bool:
        if self._enabled is not None:
            return self._enabled
        isatty = getattr(self.stream, "isatty", None)
        return bool(isatty and isatty())

    def line(self, done: int, total: int) -> str:
        """The bar's text for ``done`` of ``total``."""
        share = min(1.0, done / total) if total > 0 else 1.0
        filled = round(WIDTH * share)
        elapsed = time.monotonic() - self._start
        return (f"{self.label} [{'#' * filled}{'.' * (WIDTH - filled)}] {done}/{total} "
                f"({elapsed:.1f} s)")

    def __call__(self, done: int, total: int) -> None:
        if self._finished or not self.enabled:
            return
        now = time.monotonic()
        last = done >= total
        if not last and now - self._last < INTERVAL_S:
            return
        self._last = now
        self.stream.write("\r" + self.line(done, total) + ("\n" if last else ""))
        self.stream.flush()
        self._finished = last
