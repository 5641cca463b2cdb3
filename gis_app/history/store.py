"""Where the history lives: ordinary tables beside the baseline, in a GeoPackage or on PostGIS.

The history is the ``plan_changes`` table and one ``<layer>_history`` layer per planning layer.
Both backends carry them as plain layers/tables, so the same code reads and writes them.

A change is one atomic step that reads the baseline and the history, computes the new state
and writes the changed baseline, the history layers and the change log together:

* GeoPackage: under the file's writer lock, in one :func:`~gis_app.storage.gpkg.write_layers`
  call (a temporary copy swapped in), so a crash leaves the file as it was;
* PostGIS: in one transaction that refuses to overwrite layers another officer wrote since
  they were read (and is retried on such a conflict). Once the history exists, its tables are
  only appended to (and open versions closed): officers may not rewrite or erase the record,
  and the public role reads it through views without private columns.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pandas as pd

from ..errors import EditConflictError, stale_write_message
from ..model.plan import Plan
from ..model.schema import SCHEMAS
from ..rules.validate import check_plan
from ..storage import gpkg
from ..storage import source as sources
from .model import CHANGES_TABLE, HistoryError, coerce_changes
from .versions import HISTORY_LAYERS, Versions, coerce_versions, storable

#: Layer descriptions (gpkg_contents / table comments).
DESCRIPTIONS: dict[str, str] = {
    CHANGES_TABLE: "Thay đổi quy hoạch và căn cứ / Plan changes and their basis (decision or "
                   "import)",
    **{h: f"Lịch sử {SCHEMAS[n].title_vi.lower()} / History of {SCHEMAS[n].title_en.lower()} "
          "(valid_from, valid_to, change_from, change_to)" for n, h in HISTORY_LAYERS.items()},
}

#: How often a PostGIS change is retried after another officer's concurrent write.
_ATTEMPTS = 5

T = TypeVar("T")


@dataclass(frozen=True)
class History:
    """The change log and the versioned copy of every planning layer."""

    changes: pd.DataFrame
    versions: Versions

    def layers(self) -> dict[str, pd.DataFrame]:
        """The tables to store, by their stored names."""
        out: dict[str, pd.DataFrame] = {CHANGES_TABLE: self.changes}
        out.update({HISTORY_LAYERS[n]: storable(n, f) for n, f in self.versions.items()})
        return out


def _postgis():  # noqa: ANN202 - imported lazily so psycopg stays optional
    from ..storage.postgis import store as postgis

    return postgis


def has_history(source: str | Path) -> bool:
    """Whether the source carries a plan history (the ``plan_changes`` table)."""
    return CHANGES_TABLE in sources.list_layers(source)


def read_history(source: str | Path) -> History:
    """The stored history, typed.

    Raises
    ------
    HistoryError
        The source has no history yet (see :func:`gis_app.history.start_history`).
    """
    present = sources.list_layers(source)
    if CHANGES_TABLE not in present:
        raise HistoryError(f"{source}: no plan history yet (no table {CHANGES_TABLE!r}); start "
                           "one with start_history() or regenerate the sample")
    missing = [h for h in HISTORY_LAYERS.values() if h not in present]
    if missing:
        raise HistoryError(f"{source}: plan history is incomplete: missing {', '.join(missing)}")
    if sources.is_database(source):  # one snapshot, through public views where needed
        tables = _postgis().read_record(str(source), [CHANGES_TABLE, *HISTORY_LAYERS.values()])
    else:
        tables = {name: sources.read_layer(source, name)
                  for name in [CHANGES_TABLE, *HISTORY_LAYERS.values()]}
    changes = coerce_changes(tables[CHANGES_TABLE])
    versions = {n: coerce_versions(n, _with_columns(n, tables[h]))
                for n, h in HISTORY_LAYERS.items()}
    return History(changes, versions)


def _with_columns(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """A history layer with every column of its planning layer: a public view leaves the
    confidential tenant figures out, and they read as missing values."""
    missing = [c for c in SCHEMAS[name].column_names if c not in frame.columns]
    if not missing:
        return frame
    frame = frame.copy()
    for column in missing:
        frame[column] = pd.Series(None, index=frame.index, dtype=object)
    return frame


def read_baseline(source: str | Path) -> Plan:
    """The validated current plan (the baseline layers)."""
    return sources.read_plan(source)


Step = Callable[[Plan, History | None], tuple[Plan, History, T]]


def commit(source: str | Path, step: Step[T], *,
           expected_versions: Mapping[str, int] | None = None, lock: bool = True) -> T:
    """Run ``step(baseline, history)`` and store what it returns, as one atomic change.

    ``step`` gets the validated baseline and the stored history (None when there is none) and
    returns the new baseline, the new history and a value handed back to the caller. It must
    be a pure function of its inputs (on PostGIS it runs again after a concurrent write).
    The new baseline is validated before anything is written.

    ``expected_versions``: the layer versions the caller's edit was based on; the change is
    refused (:class:`~gis_app.errors.EditConflictError`, nothing written) when one of the
    layers it writes has been written since. ``lock=False``: the caller already holds the
    GeoPackage's writer lock (the importer does, from its first read to the write).
    """
    if sources.is_database(source):
        return _commit_postgis(str(source), step, expected_versions)
    path = Path(source)
    if not path.exists():
        raise HistoryError(f"{path}: no such file")
    with gpkg.file_lock(path) if lock else contextlib.nullcontext():
        baseline = gpkg.read_plan(path)
        history = read_history(path) if has_history(path) else None
        plan, new_history, result = step(baseline, history)
        province = gpkg.province_of(path)
        check_plan(plan.layers(), str(path), province.crs if province else None
                   ).raise_if_problems()
        layers: dict[str, pd.DataFrame] = dict(plan.layers())
        layers.update(new_history.layers())
        # The planning layers are rewritten: they keep their descriptions.
        kept = {n: d for n, d in gpkg.layer_descriptions(path).items() if n in SCHEMAS}
        gpkg.write_layers(path, layers, descriptions={**kept, **DESCRIPTIONS}, lock=False,
                          expected_versions=expected_versions)
    return result


def _commit_postgis(url: str, step: Step[T],
                    expected_versions: Mapping[str, int] | None = None) -> T:
    pg = _postgis()
    names = [*SCHEMAS, CHANGES_TABLE, *HISTORY_LAYERS.values()]
    for attempt in range(_ATTEMPTS):
        # Versions first: a write landing between this and the reads below makes ours stale,
        # and the write is then refused instead of overwriting it.
        versions = pg.layer_versions(url)
        for name in sorted(expected_versions or {}):
            # The caller's edit was based on an older state: refused, not retried.
            if name in names and versions.get(name, 0) != expected_versions[name]:  # type: ignore[index]
                raise EditConflictError(stale_write_message(
                    sources.describe(url), name, expected_versions[name],  # type: ignore[index]
                    versions.get(name, 0)))
        baseline = pg.read_plan(url)
        history = read_history(url) if has_history(url) else None
        plan, new_history, result = step(baseline, history)
        expected = {n: versions.get(n, 0) for n in names}
        try:
            if history is None:  # the first change creates the tables (the schema's owner)
                pg.write(url, plan=plan, extras=new_history.layers(), descriptions=DESCRIPTIONS,
                         expected_versions=expected)
            else:  # then the record only grows: what is stored is never rewritten
                pg.write(url, plan=plan, appends=new_history.layers(),
                         expected_versions=expected)
            return result
        except pg.EditConflictError:
            if attempt == _ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")
