"""Progress of long work: the callback library functions report to, and a terminal bar.

An atlas of a province takes seconds, a national one minutes; so do a national roll-up, the
sample's generation and a big import. A library function that runs that long takes a keyword
``progress`` (a :data:`Progress`: called with ``(done, total)``, ``(total, total)`` last) and
knows nothing of who shows it: the command line draws a :class:`Bar`, the viewer an
``st.progress``. This module imports nothing of the package, so every layer may use it.

A user at a terminal should see the work advance, while a script or a log that captures the
output should not get a line of carriage returns. The bar is written to standard error only
when that stream is a terminal (``isatty``), redrawn at most ten times a second, and finished
with a newline. The bar itself is ASCII (``#`` and ``.``) and its only control code is
``\\r``, so it works in the Windows console too (Python writes the translated label to it
as Unicode, PEP 528).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

#: A progress callback: ``(units done, units in all)``; the last call is ``(total, total)``.
Progress = Callable[[int, int], None]

#: Characters of the bar itself.
WIDTH = 30
#: Seconds between redraws (the last page is always drawn).
INTERVAL_S = 0.1


class Bar:
    """``label [#########.........] 9/24 (3.1 s)``; call it with ``(done, total)``, and use
    it as a context manager (``with Bar(...) as bar``) so a failure ends its line.

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
        self._drawn = False

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
        self._drawn = True

    def close(self) -> None:
        """End a bar left part-way (the work failed) with a newline, so the error message
        that follows starts on its own line."""
        if self._drawn and not self._finished:
            self.stream.write("\n")
            self.stream.flush()
        self._finished = True

    def __enter__(self) -> Bar:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def notify(progress: Progress | None, done: int, total: int) -> None:
    """Call ``progress`` (if any) with ``(done, total)``."""
    if progress is not None:
        progress(done, total)


def offset(progress: Progress | None, before: int, total: int) -> Progress | None:
    """The callback of one part of a longer job: the part's ``(done, of)`` is reported as
    ``(before + done, total)`` (a CAD drawing's entities, then the layer import's steps)."""
    if progress is None:
        return None
    return lambda done, _of: progress(before + done, total)
