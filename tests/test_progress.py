"""The terminal progress bar: drawn on a terminal, silent elsewhere, finished with a newline."""

from __future__ import annotations

import io

from gis_app.progress import WIDTH, Bar


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bar_on_a_terminal_ends_full_with_a_newline():
    out = _Terminal()
    bar = Bar("atlas.pdf", stream=out)
    for done in range(1, 25):
        bar(done, 24)
    text = out.getvalue()
    assert text.startswith("\ratlas.pdf [")
    assert text.endswith("\n") and text.count("\n") == 1
    last = text.rsplit("\r", 1)[-1]
    assert last.startswith(f"atlas.pdf [{'#' * WIDTH}] 24/24 (")
    # Redrawn at most ten times a second: a fast run does not write one line per page.
    assert text.count("\r") < 24


def test_half_way():
    out = _Terminal()
    Bar("x", stream=out)(12, 24)
    assert f"[{'#' * (WIDTH // 2)}{'.' * (WIDTH // 2)}] 12/24" in out.getvalue()


def test_silent_when_not_a_terminal():
    out = io.StringIO()
    bar = Bar("atlas.pdf", stream=out)
    for done in range(1, 4):
        bar(done, 3)
    assert out.getvalue() == ""
