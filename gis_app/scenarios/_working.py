"""A working copy of a plan that edits change in place while a scenario is evaluated.

Copying and re-typing every layer after each edit costs ~50 ms an edit at national scale
(250,000 plots), so a 100-edit scenario took seconds. A :class:`WorkingPlan` wraps the
baseline's typed frames once (pandas copy-on-write keeps the baseline untouched); edits find
rows by key (through a hash index once a key has been looked up a few times), set values in
place, mark rows dropped and queue appended rows; :meth:`WorkingPlan.plan` builds the typed
:class:`Plan` once.

Row order is the one a frame-per-edit evaluation gives: the surviving rows in the order they
entered the layer (baseline rows, then appended rows in the order they were appended).
"""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import shapely

from ..model.plan import Plan, coerce
from ..model.schema import SCHEMAS

_NONE = np.zeros(0, dtype=np.intp)


#: Lookups answered by scanning a key column before a hash index is built for it: building
#: one costs about as much as 30 scans, so a short scenario never pays for it.
SCANS_BEFORE_INDEX = 8


class _KeyIndex:
    """Where the values of one key column sit: the rows the table had when this was made
    (scanned for the first few lookups, then hashed once), plus the rows appended since.
    Dropped rows are filtered out by the table."""

    def __init__(self, values: pd.Series) -> None:
        self._column = values
        self._scans_left = SCANS_BEFORE_INDEX
        self._values: pd.Index | None = None
        self._rows: np.ndarray | None = None
        self._added_values: list[object] = []
        self._added_positions: list[int] = []

    def _build(self) -> pd.Index:
        index = pd.Index(self._column)
        if index.is_unique and not index.hasnans:  # codes of plots, projects: row i holds value i
            self._values = index
            return index
        # A value shared by many rows (a park's plots, a project's plot links): the rows are
        # grouped by value once, so that a lookup does not scan the column.
        codes, uniques = pd.factorize(self._column)
        present = np.flatnonzero(codes >= 0)  # missing keys are never looked up
        self._rows = present[np.argsort(codes[present], kind="stable")]  # layer order kept
        self._starts = np.concatenate(
            [[0], np.cumsum(np.bincount(codes[present], minlength=len(uniques)))])
        self._values = pd.Index(uniques)
        return self._values

    def add(self, values: pd.Series, start: int) -> None:
        self._added_values.extend(values)
        self._added_positions.extend(range(start, start + len(values)))

    def _find_in_column(self, codes: list[object]) -> tuple[np.ndarray, np.ndarray]:
        if self._values is None and self._scans_left > 0:
            self._scans_left -= 1
            found = np.flatnonzero(self._column.isin(codes).to_numpy(dtype=bool))
            return found, pd.Index(codes).get_indexer(self._column.take(found))
        which = (self._values if self._values is not None else self._build()).get_indexer(codes)
        ranks = np.flatnonzero(which >= 0)
        if self._rows is None:
            return which[ranks], ranks
        lo, hi = self._starts[which[ranks]], self._starts[which[ranks] + 1]
        counts = hi - lo
        # The concatenated ranges lo[i]:hi[i] of the grouped rows, without a Python loop.
        offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        return self._rows[np.repeat(lo, counts) + offsets], np.repeat(ranks, counts)

    def find(self, codes: list[object]) -> tuple[np.ndarray, np.ndarray]:
        """Positions of the rows whose value is one of ``codes`` (distinct), and the rank in
        ``codes`` of each row's value."""
        found, ranks = self._find_in_column(codes)
        if self._added_values:
            added_rank = pd.Index(codes).get_indexer(pd.Index(self._added_values, dtype=object))
            hit = added_rank >= 0
            found = np.concatenate([found, np.asarray(self._added_positions, np.intp)[hit]])
            ranks = np.concatenate([ranks, added_rank[hit]])
        return found.astype(np.intp), ranks


class Table:
    """One layer of a working plan, addressed by row position (rows keep their position for
    the whole evaluation; appended rows get the next ones)."""

    def __init__(self, name: str, frame: pd.DataFrame) -> None:
        self.name = name
        self._original = frame
        #: The geometry column (None for tables without geometry).
        self.geometry_name: str | None = (
            str(frame.geometry.name) if isinstance(frame, gpd.GeoDataFrame) else None)
        self._frame: pd.DataFrame
        self._pending: list[pd.DataFrame]  # appended rows, not yet typed nor merged
        self._alive: np.ndarray  # per position: False once dropped
        self._areas: np.ndarray  # per position: NaN when not measured since it last changed
        self._geoms: np.ndarray | None  # all geometries (frame and pending) as a plain array
        self._keys: dict[str, _KeyIndex]
        self._later: dict[str, dict[int, object]]  # deferred values: column -> position -> value
        self._deferred: set[str]  # the columns whose values are deferred
        self.replace(frame)
        self._changed = False

    # -- keeping the frame -----------------------------------------------------------------
    def _concat(self, frames: list[pd.DataFrame]) -> pd.DataFrame:
        out = pd.concat(frames, ignore_index=True)
        if self.geometry_name is not None:
            out = gpd.GeoDataFrame(out, geometry=self.geometry_name, crs=self._frame.crs)
        return out

    def _flush(self) -> None:
        """Type the queued appended rows and move them into the frame: one concat and one
        typing for many appends (typing a one-row frame costs milliseconds)."""
        if self._pending:
            added = coerce(self._concat(self._pending), SCHEMAS[self.name])
            self._frame = self._concat([self._frame, added])
            self._pending = []

    def _settle(self) -> None:
        """Flush appended rows and write the deferred values into the frame."""
        self._flush()
        for column, later in self._later.items():
            positions = np.fromiter(later, dtype=np.intp, count=len(later))
            self._frame.iloc[positions, self._frame.columns.get_loc(column)] = np.array(
                list(later.values()), dtype=object)
        self._later = {}

    def _patch(self, out: pd.DataFrame | pd.Series, positions: np.ndarray) -> None:
        """Write deferred values into ``out``, rows taken at ``positions``."""
        columns = [out.name] if isinstance(out, pd.Series) else out.columns
        for column, later in self._later.items():
            if column not in columns:
                continue
            hit = [i for i, p in enumerate(positions.tolist()) if p in later]
            if hit:
                values = np.array([later[int(positions[i])] for i in hit], dtype=object)
                if isinstance(out, pd.Series):
                    out.iloc[hit] = values
                else:
                    out.iloc[hit, out.columns.get_loc(column)] = values

    def _at(self, positions: np.ndarray | list[int]) -> np.ndarray:
        positions = np.asarray(positions, dtype=np.intp)
        if len(positions) and positions.max() >= len(self._frame):
            self._flush()
        return positions

    # -- reading ---------------------------------------------------------------------------
    def find(self, key: str, codes: Iterable[object]) -> np.ndarray:
        """Positions of the live rows whose ``key`` is one of ``codes``, grouped by code in
        the order given, each code's rows in layer order."""
        # Missing values never match (a scan would match them, a hash index would not).
        wanted = [code for code in dict.fromkeys(codes) if not pd.isna(code)]
        if not wanted:
            return _NONE
        index = self._keys.get(key)
        if index is None:
            if key in self._later:
                self._settle()
            index = self._keys[key] = _KeyIndex(self._frame[key])
            start = len(self._frame)
            for rows in self._pending:  # rows waiting to be merged into the frame
                index.add(rows[key].astype("string"), start)
                start += len(rows)
        positions, ranks = index.find(wanted)
        live = self._alive[positions]
        positions, ranks = positions[live], ranks[live]
        return positions[np.lexsort((positions, ranks))]

    def where(self, key: str, codes: Iterable[object]) -> np.ndarray:
        """Positions of the live rows whose ``key`` is one of ``codes``, in layer order (what
        ``frame[key].isin(codes)`` selects)."""
        return np.unique(self.find(key, codes))

    def live(self) -> np.ndarray:
        """Positions of the live rows, in layer order."""
        return np.flatnonzero(self._alive)

    def rows(self, positions: np.ndarray | list[int]) -> pd.DataFrame:
        """The rows at ``positions`` (in that order), indexed by position."""
        positions = self._at(positions)
        out = self._frame.take(positions)
        self._patch(out, positions)
        return out

    def column(self, positions: np.ndarray, column: str) -> pd.Series:
        """One column of the rows at ``positions`` (cheaper than :meth:`rows`)."""
        positions = self._at(positions)
        out = self._frame[column].take(positions)
        self._patch(out, positions)
        return out

    def geometries(self, positions: np.ndarray) -> np.ndarray:
        """The geometries at ``positions`` as a plain array (appended rows are read where
        they wait, without merging them into the frame)."""
        if self._geoms is None:
            parts = [self._frame, *self._pending]
            self._geoms = np.concatenate([np.asarray(f[self.geometry_name].array, dtype=object)
                                          for f in parts])
        return self._geoms[positions]

    def area(self, positions: np.ndarray) -> np.ndarray:
        """Areas of the geometries at ``positions`` (each measured once until it changes)."""
        unknown = positions[np.isnan(self._areas[positions])]
        if len(unknown):
            self._areas[unknown] = shapely.area(self.geometries(unknown))
        return self._areas[positions]

    def frame(self) -> pd.DataFrame:
        """All live rows in layer order, indexed by position (a new frame: change it freely
        and give it back through :meth:`replace`)."""
        self._settle()
        return self._frame.loc[self._alive]

    # -- changing --------------------------------------------------------------------------
    def set(self, positions: np.ndarray, column: str, value: object) -> None:
        """Set ``column`` of the rows at ``positions`` to ``value`` (a scalar or one per row)."""
        self._changed = True
        positions = np.asarray(positions, dtype=np.intp)
        if not len(positions):
            return
        self._keys.pop(column, None)  # a key changed: its index is rebuilt when next used
        if isinstance(value, pd.Series):
            value = value.to_numpy()  # by position, never aligned on an index
        if column in self._deferred:
            # Setting values in an Arrow string column rewrites the whole column (~1 ms for
            # 250,000 plots): remember them and write them all at once when needed.
            values = np.broadcast_to(np.asarray(value, dtype=object), positions.shape)
            self._later.setdefault(column, {}).update(zip(positions.tolist(), values, strict=True))
            return
        positions = self._at(positions)
        self._frame.iloc[positions, self._frame.columns.get_loc(column)] = value
        if column == self.geometry_name:
            self._areas[positions] = np.nan
            self._geoms = None

    def drop(self, positions: np.ndarray) -> None:
        self._changed = True
        self._alive[np.asarray(positions, dtype=np.intp)] = False

    def append(self, rows: pd.DataFrame) -> None:
        """Add ``rows`` (all the schema's columns) at the end; they are typed to the layer's
        schema when first read."""
        self._changed = True
        if not len(rows):
            return
        start = len(self._alive)
        self._pending.append(rows)  # made a GeoDataFrame when merged into the frame
        self._alive = np.concatenate([self._alive, np.ones(len(rows), dtype=bool)])
        self._areas = np.concatenate([self._areas, np.full(len(rows), np.nan)])
        if self._geoms is not None:
            self._geoms = np.concatenate(
                [self._geoms, np.asarray(rows[self.geometry_name].array, dtype=object)])
        for key, index in self._keys.items():
            index.add(rows[key].astype("string"), start)  # as typing will give them

    def replace(self, frame: pd.DataFrame) -> None:
        """Replace the whole layer (small layers changed as a frame: zones clipped to a
        park's new outline)."""
        self._changed = True
        self._frame = _one_chunk(frame.reset_index(drop=True))
        self._pending = []
        self._alive = np.ones(len(frame), dtype=bool)
        self._areas = np.full(len(frame), np.nan)
        self._geoms = None
        self._keys = {}
        self._later = {}
        self._deferred = {column for column, dtype in frame.dtypes.items()
                          if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"}

    def result(self) -> pd.DataFrame:
        """The layer as a typed frame: the baseline's own frame when nothing changed it."""
        if not self._changed:
            return self._original
        self._settle()
        frame = self._frame if self._alive.all() else self._frame.loc[self._alive]
        return coerce(frame, SCHEMAS[self.name])


def _one_chunk(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its Arrow string columns in one chunk each: a file is read in chunks,
    and taking a few rows from a chunked column costs several times more (~1 ms a take for
    250,000 plots, against ~1 ms once to merge the chunks)."""
    for column, dtype in frame.dtypes.items():
        if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
            values = frame[column].array
            chunks = values.__arrow_array__()
            if chunks.num_chunks > 1:
                frame[column] = type(values)(pa.chunked_array([chunks.combine_chunks()]),
                                             dtype=dtype)
    return frame


class WorkingPlan:
    """A plan that edits change in place; :meth:`plan` gives the typed result.

    Parameters
    ----------
    plan
        The plan to start from; it is never modified.
    """

    def __init__(self, plan: Plan) -> None:
        self.crs = plan.crs
        self.tables = {name: Table(name, frame) for name, frame in plan.layers().items()}

    @property
    def parks(self) -> Table:
        return self.tables["parks"]

    @property
    def zones(self) -> Table:
        return self.tables["zones"]

    @property
    def plots(self) -> Table:
        return self.tables["plots"]

    @property
    def tenants(self) -> Table:
        return self.tables["tenants"]

    @property
    def tenant_plots(self) -> Table:
        return self.tables["tenant_plots"]

    @property
    def wastewater_plants(self) -> Table:
        return self.tables["wastewater_plants"]

    def plan(self) -> Plan:
        """The typed plan: changed layers are rebuilt, the others are the frames given."""
        return Plan(**{name: table.result() for name, table in self.tables.items()})


def as_working(plan: Plan | WorkingPlan) -> WorkingPlan:
    """``plan`` itself when it is a working plan, else a working copy of it."""
    return plan if isinstance(plan, WorkingPlan) else WorkingPlan(plan)
