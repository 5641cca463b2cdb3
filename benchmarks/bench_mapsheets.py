"""Time one map sheet and the whole atlas on the shipped sample data (a script, not a test).

Usage::

    python benchmarks/bench_mapsheets.py [--province bac_ninh] [--repeats 3] [--park BN06]

Prints a table of median wall time (``time.perf_counter``) over the repeats and the peak
resident memory of this process and of its worker processes (``resource.getrusage``, kB on
Linux). The atlas is timed with one process (PdfPages) and with a process pool for each
start method, so the choice of default can be checked on the machine at hand.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gis_app.export import SheetLayout, load_sheet_data, render_park_sheet, save_figure  # noqa: E402
from gis_app.export.atlas import write_atlas  # noqa: E402
from gis_app.settings import PROVINCES  # noqa: E402


def _peak_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
    return own, children


def _time(fn: Callable[[], object], repeats: int) -> tuple[float, float, float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--province", default="bac_ninh", choices=list(PROVINCES))
    parser.add_argument("--park", default="BN06")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    start = time.perf_counter()
    data = load_sheet_data(PROVINCES[args.province].default_path)
    load_s = time.perf_counter() - start
    n_parks = len(data.plan.parks)
    rows: list[tuple[str, float, float, float, float, float]] = []

    def record(name: str, fn: Callable[[], object]) -> None:
        median, low, high = _time(fn, args.repeats)
        own, children = _peak_mb()
        rows.append((name, median, low, high, own, children))

    def sheet_pdf() -> None:
        sheet = render_park_sheet(data, args.park, SheetLayout(scale=10_000))
        save_figure(sheet.figure, io.BytesIO())

    def sheet_png() -> None:
        sheet = render_park_sheet(data, args.park, SheetLayout(scale=10_000))
        save_figure(sheet.figure, io.BytesIO(), fmt="png", dpi=200)

    record(f"one sheet A3 PDF ({args.park}, 1:10 000)", sheet_pdf)
    record(f"one sheet A3 PNG 200 dpi ({args.park})", sheet_png)
    record(f"atlas, {n_parks} parks, 1 process (PdfPages)",
           lambda: write_atlas(data, io.BytesIO(), workers=1))
    for method in ("fork", "forkserver"):
        record(f"atlas, {n_parks} parks, {os.cpu_count()} workers ({method})",
               lambda m=method: write_atlas(data, io.BytesIO(), workers=os.cpu_count(),
                                            start_method=m))

    print(f"# map sheets on {args.province}: {n_parks} parks, {len(data.plan.plots)} plots; "
          f"load {load_s:.2f} s; {os.cpu_count()} cores; median of {args.repeats}")
    print(f"| {'case':<48} | median s | min s | max s | peak MB (self) | peak MB (workers) |")
    print(f"|{'-' * 50}|---------:|------:|------:|---------------:|------------------:|")
    for name, median, low, high, own, children in rows:
        print(f"| {name:<48} | {median:8.2f} | {low:5.2f} | {high:5.2f} | {own:14.0f} | "
              f"{children:17.0f} |")


if __name__ == "__main__":
    main()
