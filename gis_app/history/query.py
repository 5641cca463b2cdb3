"""Questions officers ask of the history: the plan on a date, what changed between two dates
and by which decision, and the list of changes.

Indicators as of a date are the ordinary analytics run on :func:`as_of`'s plan, e.g.
``province_indicators(as_of(path, "2018-07-31"), by="legacy_province")``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from ..model.plan import Plan
from ..model.schema import SCHEMAS
from .model import HistoryError
from .store import History, read_history
from .versions import compare_layer, snapshot, valid_at

Source = str | Path

#: Columns of :func:`diff`.
DIFF_COLUMNS: tuple[str, ...] = (
    "layer", "feature_id", "park_code", "action", "columns", "change_ids", "decision_nos",
    "effective_dates",
)


def _timestamp(value: date | str, what: str) -> pd.Timestamp:
    stamp = pd.Timestamp(value)
    if pd.isna(stamp):
        raise HistoryError(f"{what}: not a date ({value!r})")
    return stamp.normalize()


def as_of(source: Source | History, when: date | str) -> Plan:
    """The plan valid on ``when``: every layer's versions with ``valid_from <= when <
    valid_to``. A date before the history starts gives an empty plan.

    ``source`` is a GeoPackage path, a PostGIS URL or an already read :class:`History`.
    """
    history = source if isinstance(source, History) else read_history(source)
    return snapshot(history.versions, _timestamp(when, f"{source}: as of").date())


def changes(source: Source | History, *, park_code: str | None = None) -> pd.DataFrame:
    """The change log, oldest first, with ``features_count`` (versions each change opened or
    closed); with ``park_code``, only the changes that touched that park or its features."""
    history = source if isinstance(source, History) else read_history(source)
    events = []
    touched: set[str] = set()
    for name, frame in history.versions.items():
        key = SCHEMAS[name].key
        for column in ("change_from", "change_to"):
            events.append(pd.DataFrame({"layer": name, "feature": frame[key].to_numpy(),
                                        "change_id": frame[column].to_numpy()}))
        if park_code is not None:
            if name == "tenant_plots":
                plots = history.versions["plots"]
                codes = plots.loc[plots["park_code"].eq(park_code).to_numpy(
                    dtype=bool, na_value=False), "plot_code"]
                mask = frame["plot_code"].isin(codes).to_numpy()
            else:
                mask = frame["park_code"].astype("string").eq(park_code).to_numpy(
                    dtype=bool, na_value=False)
            mine = frame.loc[mask]
            touched |= set(mine["change_from"].dropna()) | set(mine["change_to"].dropna())
    # A feature a change modified is closed and reopened by it: count it once.
    counts = pd.concat(events, ignore_index=True).dropna().drop_duplicates()[
        "change_id"].value_counts()
    out = history.changes.copy()
    out["features_count"] = out["change_id"].map(counts).fillna(0).astype("int64")
    if park_code is not None:
        out = out.loc[out["change_id"].isin(touched)]
    return out.sort_values(["effective_date", "change_id"], kind="stable").reset_index(drop=True)


def _attribution(frame: pd.DataFrame, key: str, start: pd.Timestamp, end: pd.Timestamp,
                 log: pd.DataFrame) -> pd.DataFrame:
    """Per feature: the changes (and their decisions) that opened or closed a version of it
    with an effective date in ``(start, end]``, in date order."""
    opened = frame.loc[(frame["valid_from"] > start) & (frame["valid_from"] <= end),
                       [key, "change_from"]].rename(columns={"change_from": "change_id"})
    closed = frame.loc[(frame["valid_to"] > start) & (frame["valid_to"] <= end),
                       [key, "change_to"]].rename(columns={"change_to": "change_id"})
    events = pd.concat([opened, closed], ignore_index=True).drop_duplicates()
    events = events.merge(log[["change_id", "effective_date", "decision_no", "source_file"]],
                          on="change_id", how="left")
    events = events.sort_values(["effective_date", "change_id"], kind="stable")
    basis = events["decision_no"].fillna(events["source_file"]).fillna("")

    def join(values: pd.Series) -> str:
        return "; ".join(dict.fromkeys(str(v) for v in values))

    grouped = events.assign(basis=basis, day=events["effective_date"].dt.strftime("%Y-%m-%d"))
    return grouped.groupby(key, sort=False).agg(
        change_ids=("change_id", join), decision_nos=("basis", join),
        effective_dates=("day", join))


def diff(source: Source | History, date1: date | str, date2: date | str, *,
         layers: tuple[str, ...] | None = None) -> pd.DataFrame:
    """What changed between two dates, feature by feature, and by which change and decision.

    Returns one row per feature added, removed or changed between the plan of ``date1`` and
    that of ``date2`` (``date1 <= date2``), with the columns of :data:`DIFF_COLUMNS`:
    ``columns`` lists the changed columns; ``change_ids``, ``decision_nos`` (the decision
    number, or the source file of an import) and ``effective_dates`` list every change that
    touched the feature in between, oldest first.
    """
    history = source if isinstance(source, History) else read_history(source)
    start = _timestamp(date1, f"{source}: diff start")
    end = _timestamp(date2, f"{source}: diff end")
    if end < start:
        raise HistoryError(f"{source}: diff from {start.date()} to {end.date()}: the second "
                           "date is earlier than the first")
    names = layers or tuple(SCHEMAS)
    unknown = [n for n in names if n not in SCHEMAS]
    if unknown:
        raise HistoryError(f"diff: unknown layer(s) {', '.join(unknown)} (expected "
                           f"{', '.join(SCHEMAS)})")
    parts = []
    for name in names:
        frame = history.versions[name]
        key = SCHEMAS[name].key
        before = frame.loc[valid_at(frame, start.date())]
        after = frame.loc[valid_at(frame, end.date())]
        found = compare_layer(name, before, after)
        if found.empty:
            continue
        who = _attribution(frame, key, start, end, history.changes)
        both = pd.concat([before, after], ignore_index=True)
        latest = both.drop_duplicates(key, keep="last")
        park = (pd.Series(latest["park_code"].to_numpy(), index=latest[key].to_numpy())
                if "park_code" in both.columns else None)
        found.insert(0, "layer", name)
        found["park_code"] = (park.reindex(found["feature_id"]).to_numpy() if park is not None
                              else pd.NA)
        found = found.join(who, on="feature_id")
        parts.append(found)
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="string") for c in DIFF_COLUMNS})
    out = pd.concat(parts, ignore_index=True)
    return out[list(DIFF_COLUMNS)].astype("string").reset_index(drop=True)
