"""Versioned copies of the planning layers: pure functions, no file access.

Each planning layer ``L`` has a history ``L_history`` with every column of ``L`` plus
``valid_from``, ``valid_to`` (missing while the version is current), ``change_from`` (the
change that opened the version) and ``change_to`` (the one that closed it). A version is
valid on the half-open interval ``[valid_from, valid_to)``. Versions are never deleted or
edited, except that closing one sets its ``valid_to`` and ``change_to``; the current baseline
is exactly the versions whose ``valid_to`` is missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..model.plan import Plan, coerce
from ..model.schema import PLAN_LAYERS, SCHEMAS, LayerSchema
from .model import HistoryError

#: The bookkeeping columns of every history layer.
VERSION_COLUMNS: tuple[str, ...] = ("valid_from", "valid_to", "change_from", "change_to")

#: Planning layer -> its history layer.
HISTORY_LAYERS: dict[str, str] = {s.name: f"{s.name}_history" for s in PLAN_LAYERS}

Versions = dict[str, pd.DataFrame]


def _with_version_columns(frame: pd.DataFrame, schema: LayerSchema) -> pd.DataFrame:
    out = coerce(frame, schema)
    for column in ("valid_from", "valid_to"):
        values = frame[column].to_numpy() if column in frame.columns else [None] * len(frame)
        out[column] = pd.Series(pd.to_datetime(values, errors="coerce"),
                                index=out.index).astype("datetime64[ms]")
    for column in ("change_from", "change_to"):
        values = frame[column].to_numpy() if column in frame.columns else [pd.NA] * len(frame)
        out[column] = pd.array(values, dtype="string")
    order = [*schema.column_names, *VERSION_COLUMNS]
    if schema.geometry_types is not None:
        return gpd.GeoDataFrame(out[order], geometry=out.geometry.values, crs=frame.crs)
    return out[order]


def coerce_versions(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """A history layer as read back, in its schema's dtypes (``name`` is the planning layer)."""
    schema = SCHEMAS[name]
    if schema.geometry_types is not None and "geometry" not in frame.columns and \
            isinstance(frame, gpd.GeoDataFrame):
        frame = frame.rename_geometry("geometry")
    return _with_version_columns(frame.reset_index(drop=True), schema)


def storable(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """A history layer as it is written: nullable integers of spatial layers as reals.

    GDAL hands a spatial layer's integer column with missing values to pandas as floats,
    and a copy to another backend (``kcn-gis db push``) would then try to put ``2009.0``
    into an integer column. Stored as reals they travel unchanged; :func:`coerce_versions`
    makes them integers again on reading.
    """
    schema = SCHEMAS[name]
    if schema.geometry_types is None:
        return frame
    ints = [c.name for c in schema.columns if c.kind == "int" and c.name in frame.columns]
    return frame.astype({c: "float64" for c in ints}) if ints else frame


def open_versions(plan: Plan, change_id: str, when: date) -> Versions:
    """Every feature of ``plan`` as a current version opened by ``change_id`` on ``when``."""
    out: Versions = {}
    for name, frame in plan.layers().items():
        rows = frame.copy()
        rows["valid_from"] = pd.Timestamp(when)
        rows["valid_to"] = pd.NaT
        rows["change_from"] = change_id
        rows["change_to"] = pd.NA
        out[name] = _with_version_columns(rows, SCHEMAS[name])
    return out


def _equal(a: pd.Series, b: pd.Series) -> np.ndarray:
    """Element-wise equality where two missing values are equal (geometries topologically)."""
    if isinstance(a.dtype, gpd.array.GeometryDtype):
        ga, gb = np.asarray(a.values, dtype=object), np.asarray(b.values, dtype=object)
        both_missing = shapely.is_missing(ga) & shapely.is_missing(gb)
        # Topological equality: a Polygon and the one-part MultiPolygon a file stores for it
        # are the same outline.
        return both_missing | shapely.equals(ga, gb)
    missing_a, missing_b = a.isna().to_numpy(), b.isna().to_numpy()
    # Missing values (pd.NA cannot be compared) become None first; both-missing is equal.
    va, vb = a.to_numpy(dtype=object), b.to_numpy(dtype=object)
    va[missing_a], vb[missing_b] = None, None
    same = np.asarray(va == vb, dtype=bool) & (missing_a == missing_b)
    return (missing_a & missing_b) | same


def compare_layer(name: str, old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Features of one layer added, removed or changed between two versions of it.

    Returns one row per feature that differs: ``feature_id``, ``action`` (``added``,
    ``removed``, ``changed``) and ``columns`` (the changed columns, comma-separated; the
    geometry is ``geometry``).
    """
    schema = SCHEMAS[name]
    key = schema.key
    old_keys = pd.Index(old[key].astype("string"))
    new_keys = pd.Index(new[key].astype("string"))
    added = new_keys.difference(old_keys)
    removed = old_keys.difference(new_keys)
    common = old_keys.intersection(new_keys)
    a = old.set_axis(old_keys).loc[common]
    b = new.set_axis(new_keys).loc[common]
    columns = [c for c in schema.column_names if c != key]
    if schema.geometry_types is not None:
        columns.append("geometry")
    differs = pd.DataFrame({c: ~_equal(a[c], b[c]) for c in columns}, index=common)
    changed = differs.index[differs.any(axis=1).to_numpy()]
    names = differs.loc[changed].apply(lambda r: ", ".join(r.index[r.to_numpy()]), axis=1) \
        if len(changed) else pd.Series(dtype="string")
    rows = [
        pd.DataFrame({"feature_id": added, "action": "added", "columns": ""}),
        pd.DataFrame({"feature_id": removed, "action": "removed", "columns": ""}),
        pd.DataFrame({"feature_id": changed, "action": "changed",
                      "columns": names.reindex(changed).to_numpy()}),
    ]
    out = pd.concat([r for r in rows if len(r)], ignore_index=True) if any(
        len(r) for r in rows) else pd.DataFrame(columns=["feature_id", "action", "columns"])
    return out.astype("string")


def compare_plans(old: Plan, new: Plan) -> pd.DataFrame:
    """:func:`compare_layer` over every planning layer, with a ``layer`` column first."""
    parts = []
    for name in SCHEMAS:
        part = compare_layer(name, old.layers()[name], new.layers()[name])
        part.insert(0, "layer", name)
        parts.append(part)
    return pd.concat(parts, ignore_index=True).astype("string")


def apply_change(versions: Mapping[str, pd.DataFrame], old: Plan, new: Plan, change_id: str,
                 when: date) -> tuple[Versions, pd.DataFrame]:
    """Close the versions of features that changed or left, open versions for the new ones.

    ``old`` must be the current baseline (the open versions). Returns the new versions and
    the comparison (:func:`compare_plans`).

    Raises
    ------
    HistoryError
        ``when`` is earlier than a version the change would close (a change cannot take
        effect before the state it replaces).
    """
    when_ts = pd.Timestamp(when)
    differences = compare_plans(old, new)
    out: Versions = {}
    for name, schema in SCHEMAS.items():
        history = versions[name].copy()
        mine = differences.loc[differences["layer"] == name]
        closing = mine.loc[mine["action"].isin(["removed", "changed"]), "feature_id"]
        opening = mine.loc[mine["action"].isin(["added", "changed"]), "feature_id"]
        keys = history[schema.key].astype("string")
        target = (history["valid_to"].isna() & keys.isin(closing)).to_numpy()
        too_late = target & (history["valid_from"] > when_ts).to_numpy()
        if too_late.any():
            row = history.loc[too_late].iloc[0]
            raise HistoryError(
                f"layer {name}, feature {row[schema.key]}: a change effective "
                f"{when_ts.date()} cannot replace its version valid from "
                f"{row['valid_from'].date()} (change {row['change_from']}); record it with a "
                "later effective date")
        history.loc[target, "valid_to"] = when_ts
        history.loc[target, "change_to"] = change_id
        frame = new.layers()[name]
        fresh = frame.loc[frame[schema.key].astype("string").isin(opening).to_numpy()].copy()
        fresh["valid_from"] = when_ts
        fresh["valid_to"] = pd.NaT
        fresh["change_from"] = change_id
        fresh["change_to"] = pd.NA
        fresh = _with_version_columns(fresh, schema)
        merged = pd.concat([history, fresh], ignore_index=True)
        if schema.geometry_types is not None:
            merged = gpd.GeoDataFrame(merged, geometry="geometry", crs=history.crs or frame.crs)
        out[name] = merged
    return out, differences


def valid_at(history: pd.DataFrame, when: date) -> np.ndarray:
    """Which versions are valid on ``when`` (``valid_from <= when < valid_to``)."""
    ts = pd.Timestamp(when)
    start = (history["valid_from"] <= ts).to_numpy(dtype=bool, na_value=False)
    end = (history["valid_to"].isna() | (history["valid_to"] > ts)).to_numpy(dtype=bool)
    return start & end


def snapshot(versions: Mapping[str, pd.DataFrame], when: date) -> Plan:
    """The plan as it was on ``when``: the version of every feature valid that day."""
    layers = {name: frame.loc[valid_at(frame, when)] for name, frame in versions.items()}
    return Plan.from_layers(layers)


def current(versions: Mapping[str, pd.DataFrame]) -> Plan:
    """The open versions (``valid_to`` missing): must equal the baseline layers."""
    return Plan.from_layers({n: f.loc[f["valid_to"].isna().to_numpy()]
                             for n, f in versions.items()})


def check_versions(versions: Mapping[str, pd.DataFrame]) -> list[str]:
    """Problems of the history's own rules (empty when it is consistent).

    Per feature: at most one open version; no version ends before it starts; versions do
    not overlap (each starts no earlier than the previous one ends).
    """
    problems: list[str] = []
    for name, frame in versions.items():
        key = SCHEMAS[name].key
        f = frame.sort_values([key, "valid_from"], kind="stable")
        bad_span = f["valid_to"].notna() & (f["valid_to"] < f["valid_from"])
        problems += [f"{HISTORY_LAYERS[name]}, {k}: ends before it starts"
                     for k in f.loc[bad_span, key]]
        opened = f.loc[f["valid_to"].isna(), key].value_counts()
        problems += [f"{HISTORY_LAYERS[name]}, {k}: {n} current versions"
                     for k, n in opened[opened > 1].items()]
        same = f[key].eq(f[key].shift()).to_numpy(dtype=bool, na_value=False)
        previous_end = f["valid_to"].shift()
        overlap = same & (previous_end.isna() | (f["valid_from"] < previous_end)).to_numpy(
            dtype=bool, na_value=True)
        problems += [f"{HISTORY_LAYERS[name]}, {k}: versions overlap"
                     for k in f.loc[overlap, key]]
    return problems
