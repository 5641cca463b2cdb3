"""A writer process for the concurrency tests: read, change its own plot, save, repeat."""

from __future__ import annotations

import time
from typing import Any

#: A save stores this counter in the plot's ``area_ha`` as 0.5 + n * STEP (n below 250 keeps
#: it within the 0.5 % area tolerance of the validation rules).
STEP = 1e-5


def counter(area_ha: float) -> int:
    """The save counter a plot's ``area_ha`` holds."""
    return round((area_ha - 0.5) / STEP)


def save_own_plot(path: str, plot_code: str, seconds: float, start: Any, results: Any,
                  versioned: bool = True) -> None:
    """Save changes of ``plot_code`` for ``seconds`` after ``start`` (a barrier) lets all go.

    Each round reads the plan with its versions, stores the round's number in the plot and
    saves; a refused save (someone else saved since the read) is retried on a fresh read.
    Puts (plot_code, last acknowledged number, acknowledged, refused) on ``results``.
    ``versioned=False`` saves blindly, as every save did before versions were checked.
    """
    from gis_app.errors import EditConflictError
    from gis_app.storage import gpkg

    start.wait()
    deadline = time.monotonic() + seconds
    last, acknowledged, refused, n = None, 0, 0, 0
    # At least one acknowledged save each, however slow the machine.
    while time.monotonic() < deadline or last is None:
        plan, versions = gpkg.read_plan_versioned(path)
        n += 1
        plots = plan.plots.copy()
        plots.loc[plots["plot_code"] == plot_code, "area_ha"] = 0.5 + n * STEP
        try:
            gpkg.write_plan(path, plan.replace(plots=plots),
                            expected_versions=versions if versioned else None)
        except EditConflictError:
            refused += 1
            continue
        last, acknowledged = n, acknowledged + 1
    results.put((plot_code, last, acknowledged, refused))
