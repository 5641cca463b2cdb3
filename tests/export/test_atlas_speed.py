"""How an atlas draws its pages fast: indicators once, one reused figure, progress as it goes.

Timings belong to benchmarks/run.py ("atlas, 30 parks" against the QGIS peer); these tests pin
the behaviour that makes the atlas fast without changing what its sheets show.
"""

from __future__ import annotations

import gc
from datetime import date

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

import gis_app.export.indicators as sheet_indicators
from gis_app.export import SheetLayout, render_park_sheet
from gis_app.export.atlas import atlas_bytes
from gis_app.export.style import sheet_style

WHEN = date(2026, 12, 1)


def _pixels(figure) -> np.ndarray:  # noqa: ANN001 - a matplotlib Figure
    with sheet_style():
        figure.set_dpi(40)
        canvas = FigureCanvasAgg(figure)
        canvas.draw()
        return np.asarray(canvas.buffer_rgba()).copy()


def _texts(figure) -> list[tuple[str, list[str]]]:  # noqa: ANN001
    return [(ax.get_label(), sorted(t.get_text() for t in ax.texts)) for ax in figure.axes]


def test_a_sheet_drawn_on_a_reused_figure_shows_what_a_new_one_shows(bac_ninh):
    """The atlas draws each page on the previous page's figure: nothing of BG01 may remain
    on BG02, and nothing of BG02 may be missing (legend, labels, panels, page number)."""
    first = render_park_sheet(bac_ninh, "BG01", SheetLayout(), when=WHEN, page_label="Trang 3")
    axes_before = list(first.figure.axes)
    fresh = render_park_sheet(bac_ninh, "BG02", SheetLayout(), when=WHEN, page_label="Trang 4")
    reused = render_park_sheet(bac_ninh, "BG02", SheetLayout(), when=WHEN, page_label="Trang 4",
                               figure=first.figure)
    assert reused.figure is first.figure
    assert reused.figure.axes == axes_before  # the panels were reused, not rebuilt
    assert _texts(reused.figure) == _texts(fresh.figure)
    assert [t.get_text() for t in reused.figure.texts] == ["Trang 4"]
    assert reused.denominator == fresh.denominator and reused.windows == fresh.windows
    assert np.array_equal(_pixels(reused.figure), _pixels(fresh.figure))


def test_an_atlas_computes_the_indicators_once(three_parks, monkeypatch):
    calls = []
    real = sheet_indicators.park_indicators

    def counted(plan):  # noqa: ANN001, ANN202 - the real analytics, counted
        calls.append(plan)
        return real(plan)

    monkeypatch.setattr(sheet_indicators, "park_indicators", counted)
    atlas_bytes(three_parks, workers=1)
    # The index lists every park's occupancy and each sheet prints its park's indicators:
    # one analytics call serves them all (it used to be one per sheet and one for the index).
    assert len(calls) == 1


@pytest.mark.parametrize("workers", [1, 2])
def test_progress_counts_every_page_of_every_process(three_parks, workers):
    seen: list[tuple[int, int]] = []
    atlas_bytes(three_parks, workers=workers, start_method="fork" if workers > 1 else None,
                progress=lambda done, total: seen.append((done, total)))
    assert [done for done, _ in seen] == list(range(1, 6))
    assert {total for _, total in seen} == {5}
    # The heap frozen for the forked worker (copy-on-write) is unfrozen afterwards.
    assert gc.get_freeze_count() == 0


@pytest.mark.parametrize("tty", [True, False])
def test_cli_atlas_shows_progress_on_a_terminal_only(tmp_path, cli_stderr, tty):
    target = tmp_path / "atlas.pdf"
    code, err = cli_stderr(["export", "atlas", "bac_ninh", "--parks", "BG01,BG02",
                            "--workers", "1", "-o", str(target)], tty=tty)
    assert code == 0
    assert target.exists()
    if tty:
        assert f"atlas.pdf [{'#' * 30}] 4/4" in err and err.endswith("\n")
        assert "\r" in err
    else:
        assert err == ""
