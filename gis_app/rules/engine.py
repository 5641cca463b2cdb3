"""How the validation rules are run: the one place that knows about threads, the garbage
collector and the order the rules are started in.

The rules themselves (:mod:`.layer`, :mod:`.links`, :mod:`._spatial`) are plain functions of
the layers they judge. This module runs them for a whole plan, as fast as two cores allow:

- :func:`check_layers` checks layers already read; :func:`read_and_check` checks each layer
  as soon as a reader hands it over, while the next one is read.
- The spatial layers' own checks (the zones' validity is the costly one) and the spatial rules
  joining layers run on a helper thread while the caller's thread checks the rest; GEOS and
  numpy release the GIL. The overlap rule's candidate pairs are queried as soon as the plots
  arrive, and the spatial rules start as soon as the plots prove sound.
- Each layer's geometries are one :class:`~.fast.Shapes`, shared by the rules that judge them,
  so the fast paths (:mod:`.fast`) work each answer out once.

A :class:`Schedule` chooses threads or not, fast paths or not: every schedule gives the same
report, row for row, in the rules' order whichever thread found them.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

import geopandas as gpd
import pandas as pd

from ..model.schema import PARKS, PLOTS, SCHEMAS
from ._checks import _rows
from ._spatial import check_overlaps, check_plot_areas, check_plots_in_parks
from .fast import Shapes
from .layer import check_layer
from .links import check_leased_plots, check_park_codes, check_tenant_links
from .report import ValidationReport, make_report

__all__ = ["SERIAL", "Schedule", "check_layers", "no_gc_pauses", "read_and_check",
           "read_layers"]


@dataclass(frozen=True)
class Schedule:
    """How the rules run; the report is the same for every schedule.

    ``parallel``: on a helper thread beside the caller's, costly predicates on two threads
    (False: everything on the caller's thread, one task after the other). ``fast``: the fast
    paths of :mod:`.fast` (False: GEOS decides every geometry and every candidate pair).
    """

    parallel: bool = True
    fast: bool = True


#: Everything on the caller's thread, fast paths included.
SERIAL = Schedule(parallel=False)

T = TypeVar("T")

#: Reads a layer by name.
Reader = Callable[[str], pd.DataFrame]


def check_layers(layers: Mapping[str, pd.DataFrame], file: str, crs: str | None, *,
                 positions: bool = False, schedule: Schedule = Schedule()) -> ValidationReport:
    """Validate a whole province: each layer on its own, then the rules that join layers.

    ``positions``: keep each problem's ``_row`` (see :func:`.report.make_report`)."""
    with _pool(schedule, 1) as pool:
        check = _PlanCheck(file, crs, pool, schedule, positions=positions)
        for name in SCHEMAS:
            if name in layers:
                check.add(name, layers[name])
        return check.report()


def read_and_check(names: list[str], read: Reader, file: str, crs: str | None, *,
                   schedule: Schedule = Schedule()
                   ) -> tuple[dict[str, pd.DataFrame], ValidationReport]:
    """The layers ``names``, each read with ``read(name)``, and their validation report: each
    layer is checked as soon as it is read, while the next one is read (the plots, most of a
    file, on the helper thread), with the garbage collector held (see :func:`no_gc_pauses`).

    ``read`` must be safe to call from two threads at once (e.g. a dataset handle per call).
    """
    with no_gc_pauses(), _pool(schedule, 2) as pool:
        check = _PlanCheck(file, crs, pool, schedule)
        layers = _read_each(names, read, pool, check.add)
        return layers, check.report()


def read_layers(names: list[str], read: Reader) -> dict[str, pd.DataFrame]:
    """The layers ``names``, each read with ``read(name)``, unchecked; the plots on a helper
    thread while this one reads the rest."""
    with ThreadPoolExecutor(1) as pool:
        return _read_each(names, read, pool, lambda name, frame: None)


@contextlib.contextmanager
def no_gc_pauses() -> Iterator[None]:
    """Hold Python's cyclic garbage collector while a file is read and checked.

    Shapely geometries are tracked by the collector, so the 250,000 plots a national file
    holds set off hundreds of collections, a few of them full ones that walk every object
    and stop every thread: 0.1 to 0.15 s of a 1 s read and check, for objects that cannot
    form cycles. Reference counting still frees everything as usual meanwhile; the
    collector resumes (if it was on) when the block ends, also after an error.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _Inline(Executor):
    """An executor that runs each task at once on the caller's thread (the serial schedule)."""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        future: Future[T] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # handed to whoever asks for the result, as a pool does
            future.set_exception(exc)
        return future


def _pool(schedule: Schedule, workers: int) -> Executor:
    return ThreadPoolExecutor(workers) if schedule.parallel else _Inline()


def _read_each(names: list[str], read: Reader, pool: Executor,
               arrived: Callable[[str, pd.DataFrame], None]) -> dict[str, pd.DataFrame]:
    """Read the layers ``names``, calling ``arrived(name, frame)`` as each one is read.

    The plots (most of the file) are read on ``pool`` while this thread reads the rest, so
    whatever ``arrived`` starts on the others (their checks) overlaps the plots' reading.
    """
    plots = pool.submit(read, "plots") if "plots" in names else None
    layers: dict[str, pd.DataFrame] = {}
    for name in names:
        if name != "plots":
            layers[name] = read(name)
            arrived(name, layers[name])
        if plots is not None and plots.done() and "plots" not in layers:
            # Handed on as soon as they are in, so that their checks start early.
            layers["plots"] = plots.result()
            arrived("plots", layers["plots"])
    if plots is not None and "plots" not in layers:
        layers["plots"] = plots.result()
        arrived("plots", layers["plots"])
    return {name: layers[name] for name in names}  # the schema's order


class _PlanCheck:
    """The rules of a plan fed one layer at a time (see :func:`read_and_check`).

    The report's rows come in the rules' order whichever thread found them.
    """

    def __init__(self, file: str, crs: str | None, pool: Executor, schedule: Schedule, *,
                 positions: bool = False) -> None:
        self.file, self.crs, self.pool, self.positions = file, crs, pool, positions
        self.schedule = schedule
        self.layers: dict[str, pd.DataFrame] = {}
        self.shapes: dict[str, Shapes] = {}
        self._basic: dict[str, list[dict] | Future[list[dict]]] = {}
        self._overlaps: Future[list[dict]] | None = None
        self._park_rules: Future[tuple[list[dict], list[dict]]] | None = None

    def add(self, name: str, frame: pd.DataFrame) -> None:
        """Start the checks of one planning layer on its own."""
        schema = SCHEMAS[name]
        self.layers[name] = frame
        shapes = None if schema.geometry_types is None else Shapes.of(
            frame, fast=self.schedule.fast, threads=self.schedule.parallel)
        if shapes is not None:
            self.shapes[name] = shapes
        if name == "plots":
            if shapes is not None:
                # The overlap rule's costly part starts at once; it is used only if the
                # plots turn out sound.
                shapes.prefetch_pairs(self.pool)
            self._basic[name] = check_layer(frame, schema, self.file, self.crs, shapes)
            if not self._basic[name]:
                # Sound plots: start the spatial rules now; they are dropped if another layer
                # turns out to have problems (the cross-layer rules need every layer sound).
                self._start_spatial_rules()
        elif schema.geometry_types is not None:
            self._basic[name] = self.pool.submit(check_layer, frame, schema, self.file,
                                                 self.crs, shapes)
        else:
            self._basic[name] = check_layer(frame, schema, self.file, self.crs)

    def _start_spatial_rules(self) -> None:
        # The park rules first: the overlap task waits for its pairs, and a free thread
        # should have other work than waiting.
        if self._park_rules is None and "parks" in self.layers:
            self._park_rules = self.pool.submit(_park_rules, self.layers["plots"],
                                                self.layers["parks"], self.file,
                                                self.shapes.get("parks"),
                                                self.shapes.get("plots"))
        if self._overlaps is None:
            self._overlaps = self.pool.submit(check_overlaps, self.layers["plots"], PLOTS,
                                              self.file, shapes=self.shapes.get("plots"))

    def report(self) -> ValidationReport:
        """Every problem of the layers added (a layer never added is a missing layer)."""
        rows: list[dict] = []
        for name in SCHEMAS:
            if name in self._basic:
                found = self._basic[name]
                rows += found.result() if isinstance(found, Future) else found
            else:
                rows += _rows(self.file, name, [""], "missing_layer",
                              f"layer {name!r} is missing")
        if rows:
            # Every rule still runs, on the features it can judge: a surveyor who fixes the
            # problems listed must not meet a new list (the overlaps) afterwards.
            return make_report(rows + self._judge_the_rest(rows), positions=self.positions)
        self._start_spatial_rules()
        assert self._overlaps is not None and self._park_rules is not None  # just started
        return make_report(_cross_layer(self.layers, self.file, self._overlaps,
                                        self._park_rules, self.layers.get("plots")),
                           positions=self.positions)

    def _judge_the_rest(self, problems: list[dict]) -> list[dict]:
        """The rules joining layers, on a plan with problems of its own: a spatial rule
        leaves out the features whose geometry is missing, of the wrong type, not finite or
        invalid (and a layer whose CRS is wrong or missing), a rule on ids the layers or
        columns that are missing; every other feature is judged."""
        placed = {name: self.shapes[name].usable(SCHEMAS[name].geometry_types or ())
                  for name in ("parks", "plots")
                  if name in self.shapes and not _misplaced(problems, name)}
        plots = parks = None
        overlaps: Future[list[dict]] | None = None
        park_rules: Future[tuple[list[dict], list[dict]]] | None = None
        if "plots" in placed:
            mask = placed["plots"]
            plots = self.layers["plots"].loc[mask]
            if self._overlaps is not None:  # the plots were sound: their rule is running
                overlaps = self._overlaps
            else:
                overlaps = self.pool.submit(check_overlaps, plots, PLOTS, self.file,
                                            shapes=self.shapes["plots"].subset(mask))
        park_shapes = None
        if "parks" in placed:
            parks = self.layers["parks"].loc[placed["parks"]]
            park_shapes = self.shapes["parks"].subset(placed["parks"])
        if plots is not None and parks is not None and "park_code" in plots.columns \
                and "park_code" in parks.columns:
            park_rules = self.pool.submit(_park_rules, plots, parks, self.file, park_shapes,
                                          self.shapes["plots"].subset(placed["plots"]))
        elif parks is not None:
            park_rules = self.pool.submit(
                lambda: ([], _park_overlaps(parks, self.file, park_shapes)))
        return _cross_layer(self.layers, self.file, overlaps, park_rules, plots)


def _misplaced(problems: list[dict], layer: str) -> bool:
    """Whether a layer as a whole cannot be compared with the others (no or another CRS, no
    geometry column)."""
    return any(r["layer"] == layer and r["_row"] is None and r["rule"] in (
        "missing_crs", "wrong_crs", "wrong_geometry_type") for r in problems)


def _park_overlaps(parks: gpd.GeoDataFrame, file: str, shapes: Shapes | None) -> list[dict]:
    return check_overlaps(parks, PARKS, file, "overlapping_parks", shapes=shapes,
                          message="park {this} overlaps park {other} by {area:,.1f} m²")


def _park_rules(plots: gpd.GeoDataFrame, parks: gpd.GeoDataFrame, file: str,
                park_shapes: Shapes | None, plot_shapes: Shapes | None = None
                ) -> tuple[list[dict], list[dict]]:
    """Plots inside their parks, and parks not overlapping, on sound layers (one task)."""
    return (check_plots_in_parks(plots, parks, file, shapes=plot_shapes,
                                 park_shapes=park_shapes),
            _park_overlaps(parks, file, park_shapes))


def _cross_layer(layers: Mapping[str, pd.DataFrame], file: str,
                 overlaps: Future[list[dict]] | None,
                 park_rules: Future[tuple[list[dict], list[dict]]] | None,
                 placed_plots: pd.DataFrame | None) -> list[dict]:
    """The rules that join layers; the spatial ones are running on the pool already
    (``overlaps``: the plots' overlaps; ``park_rules``: :func:`_park_rules`; None where they
    cannot be judged). ``placed_plots``: the plots the area rule can judge."""
    rows = check_park_codes(layers, file)
    # This thread's own work first, then the spatial rules' rows, all in the rules' order.
    after = []
    if placed_plots is not None and "area_ha" in placed_plots.columns:
        after += check_plot_areas(placed_plots, file)
    after += check_tenant_links(layers, file) + check_leased_plots(layers, file)
    in_parks, overlapping_parks = ([], []) if park_rules is None else park_rules.result()
    return rows + in_parks + ([] if overlaps is None else overlaps.result()) \
        + overlapping_parks + after
