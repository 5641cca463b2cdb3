"""Scenarios kept in the province's GeoPackage, beside (never inside) the baseline layers.

Two attribute tables, registered in ``gpkg_contents`` so that GDAL and QGIS list them:

``scenarios``
    ``scenario_id`` (unique), ``name``, ``description``, ``author``, ``based_on``,
    ``created`` and ``modified`` (ISO 8601, UTC), ``version``.
``scenario_edits``
    ``scenario_id``, ``seq`` (order of application), ``edit_id``, ``operation``,
    ``params`` (JSON; geometries as WKB hex) and ``version`` (the scenario version it belongs to).

Every change goes through :func:`gis_app.storage.gpkg.write_layers`: under the file's writer
lock, on a fresh copy of the file, swapped in atomically. The check of the scenario's version
runs inside that locked step, so two officers saving at once can neither lose each other's
work nor overwrite it: the second save of the same scenario is refused with
:class:`StaleScenarioError` and a message saying what to do.

A ``postgresql://...?province=KEY`` URL instead of a path keeps the same two tables in the
province's PostGIS schema; the same steps run there in one transaction that holds the tables'
version locks (:mod:`gis_app.scenarios.store_pg`).
"""

from __future__ import annotations

import builtins
import dataclasses
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from ..errors import ScenarioError
from ..storage.gpkg import list_layers, read_layer, write_layers
from ..storage.source import Source, describe, is_database
from .model import Scenario, _now, edit_from_params, params_json
from .tables import DDL, EDITS_TABLE, SCENARIOS_TABLE

#: How often a reader retries when a writer replaced the file between its two table reads.
_READ_RETRIES = 5


class StaleScenarioError(ScenarioError):
    """A save was based on an older version of the scenario than the one stored."""


def _ensure_tables(con: sqlite3.Connection) -> None:
    for table, (ddl, description) in DDL.items():
        con.execute(ddl)
        con.execute(
            "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, "
            "description, last_change) VALUES (?, 'attributes', ?, ?, "
            "strftime('%Y-%m-%dT%H:%M:%fZ','now'))",
            (table, table, description),
        )
    con.execute(
        "UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') "
        "WHERE table_name IN (?, ?)", (SCENARIOS_TABLE, EDITS_TABLE))


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


class ScenarioStore:
    """The scenarios of one province file: list, open, save, duplicate, delete.

    Parameters
    ----------
    path
        The province GeoPackage (``layers/ninh_binh.gpkg``) or a PostGIS URL
        (``postgresql:///kcn?service=kcn&province=ninh_binh``).

    Examples
    --------
    >>> store = ScenarioStore("layers/ninh_binh.gpkg")  # doctest: +SKIP
    >>> saved = store.save(Scenario.new("Mở rộng KCN", author="BQL"))  # doctest: +SKIP
    >>> store.open(saved.id) == saved  # doctest: +SKIP
    True
    """

    def __init__(self, path: Source) -> None:
        self.path: Path | str = str(path) if is_database(path) else Path(path)
        self.where = describe(self.path)  #: how messages name the source (no password)

    def _change(self, step: Callable[[sqlite3.Connection], None]) -> None:
        """Run ``step`` under the writer lock of the file, or in a locked database transaction."""
        if isinstance(self.path, str):
            from . import store_pg

            store_pg.run(self.path, step, DDL)
            return

        def _step(con: sqlite3.Connection) -> None:
            _ensure_tables(con)
            step(con)

        write_layers(self.path, {}, after=_step)

    # -- reading -----------------------------------------------------------------------------
    def _tables(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        if isinstance(self.path, str):
            from . import store_pg

            found = store_pg.read_tables(self.path)
        elif not self.path.exists():
            raise ScenarioError(f"{self.path}: no such file")
        else:
            found = (None if SCENARIOS_TABLE not in list_layers(self.path) else
                     (read_layer(self.path, SCENARIOS_TABLE), read_layer(self.path, EDITS_TABLE)))
        if found is None:
            empty = pd.DataFrame(columns=["scenario_id", "name", "description", "author",
                                          "based_on", "created", "modified", "version"])
            return empty, pd.DataFrame(columns=["scenario_id", "seq", "edit_id", "operation",
                                                "params", "version"])
        return found

    def _consistent_tables(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Both tables from the same saved state (a writer may swap the file between reads)."""
        for _ in range(_READ_RETRIES):
            scenarios, edits = self._tables()
            versions = dict(zip(scenarios["scenario_id"], scenarios["version"], strict=True))
            expected = edits["scenario_id"].map(versions)
            if (expected == edits["version"]).all():
                return scenarios, edits
        raise ScenarioError(f"{self.where}: scenarios are being saved continuously; try again")

    def list(self) -> pd.DataFrame:
        """One row per scenario: id, name, author, based_on, created, modified, version, edits."""
        scenarios, edits = self._consistent_tables()
        counts = edits.groupby("scenario_id").size()
        out = scenarios[["scenario_id", "name", "description", "author", "based_on",
                         "created", "modified", "version"]].copy()
        out["n_edits"] = out["scenario_id"].map(counts).fillna(0).astype("int64")
        return out.sort_values("created", kind="stable").reset_index(drop=True)

    def ids(self) -> builtins.list[str]:
        return [str(i) for i in self.list()["scenario_id"]]

    def open(self, scenario_id: str) -> Scenario:
        """The stored scenario, exactly as last saved."""
        scenarios, edits = self._consistent_tables()
        row = scenarios.loc[scenarios["scenario_id"] == scenario_id]
        if row.empty:
            known = ", ".join(sorted(scenarios["scenario_id"].astype(str))) or "none"
            raise ScenarioError(f"{self.where}: no scenario {scenario_id!r} (stored: {known})")
        r = row.iloc[0]
        mine = edits.loc[edits["scenario_id"] == scenario_id].sort_values("seq")
        return Scenario(
            id=str(r["scenario_id"]), name=str(r["name"]),
            description=_text(r["description"]), author=_text(r["author"]),
            based_on=None if pd.isna(r["based_on"]) else str(r["based_on"]),
            created=datetime.fromisoformat(str(r["created"])),
            modified=datetime.fromisoformat(str(r["modified"])),
            edits=tuple(edit_from_params(str(e), str(o), str(p)) for e, o, p in
                        zip(mine["edit_id"], mine["operation"], mine["params"], strict=True)),
            version=int(r["version"]),
        )

    # -- writing -----------------------------------------------------------------------------
    def save(self, scenario: Scenario) -> Scenario:
        """Store ``scenario``; returns it with its new version and modification time.

        Raises
        ------
        StaleScenarioError
            Someone saved (or deleted) this scenario since ``scenario`` was opened, or a new
            scenario's id is already taken. Nothing is written.
        """
        saved = dataclasses.replace(scenario, version=scenario.version + 1, modified=_now())
        row = (saved.id, saved.name, saved.description, saved.author, saved.based_on,
               _iso(saved.created), _iso(saved.modified), saved.version)
        edit_rows = [(saved.id, seq, e.id, e.operation, params_json(e), saved.version)
                     for seq, e in enumerate(saved.edits)]

        def _write(con: sqlite3.Connection) -> None:
            found = con.execute("SELECT version FROM scenarios WHERE scenario_id = ?",
                                (saved.id,)).fetchone()
            self._check_version(scenario, found)
            if saved.based_on is not None and con.execute(
                    "SELECT 1 FROM scenarios WHERE scenario_id = ?",
                    (saved.based_on,)).fetchone() is None:
                raise ScenarioError(f"{self.where}: scenario {saved.id} is based on "
                                    f"{saved.based_on!r}, which is not stored in this file")
            con.execute("DELETE FROM scenarios WHERE scenario_id = ?", (saved.id,))
            con.execute("DELETE FROM scenario_edits WHERE scenario_id = ?", (saved.id,))
            con.execute("INSERT INTO scenarios (scenario_id, name, description, author, "
                        "based_on, created, modified, version) VALUES (?,?,?,?,?,?,?,?)", row)
            con.executemany("INSERT INTO scenario_edits (scenario_id, seq, edit_id, operation, "
                            "params, version) VALUES (?,?,?,?,?,?)", edit_rows)

        self._change(_write)
        return saved

    def _check_version(self, scenario: Scenario, found: tuple[int] | None) -> None:
        where = f"{self.where}: scenario {scenario.id!r} ({scenario.name})"
        if scenario.version == 0 and found is not None:
            raise StaleScenarioError(f"{where}: a scenario with this id already exists "
                                     f"(version {found[0]}); choose another id")
        if scenario.version > 0 and found is None:
            raise StaleScenarioError(f"{where} was deleted by someone else since you opened it; "
                                     "save it under a new id to keep your changes")
        if found is not None and found[0] != scenario.version:
            raise StaleScenarioError(
                f"{where} was saved by someone else since you opened it (stored version "
                f"{found[0]}, yours {scenario.version}); reopen it and apply your changes again")

    def duplicate(self, scenario_id: str, new_id: str | None = None, *,
                  name: str | None = None, author: str | None = None) -> Scenario:
        """A saved copy of a scenario under a new id (same edits, same ``based_on``)."""
        source = self.open(scenario_id)
        copy = Scenario.new(name or f"{source.name} (bản sao / copy)",
                            author=source.author if author is None else author,
                            description=source.description, based_on=source.based_on,
                            scenario_id=new_id)
        return self.save(copy.replace(edits=source.edits))

    def delete(self, scenario_id: str, *, version: int | None = None) -> None:
        """Remove a scenario and its edits; refused while other scenarios are based on it."""

        def _delete(con: sqlite3.Connection) -> None:
            found = con.execute("SELECT version FROM scenarios WHERE scenario_id = ?",
                                (scenario_id,)).fetchone()
            if found is None:
                raise ScenarioError(f"{self.where}: no scenario {scenario_id!r} to delete")
            if version is not None and found[0] != version:
                raise StaleScenarioError(
                    f"{self.where}: scenario {scenario_id!r} was saved by someone else since you "
                    f"opened it (stored version {found[0]}, yours {version}); not deleted")
            children = [r[0] for r in con.execute(
                "SELECT scenario_id FROM scenarios WHERE based_on = ? ORDER BY scenario_id",
                (scenario_id,))]
            if children:
                raise ScenarioError(f"{self.where}: scenario {scenario_id!r} cannot be deleted: "
                                    f"{', '.join(children)} are based on it")
            con.execute("DELETE FROM scenario_edits WHERE scenario_id = ?", (scenario_id,))
            con.execute("DELETE FROM scenarios WHERE scenario_id = ?", (scenario_id,))

        self._change(_delete)


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
