"""The rules that join layers by their codes: every park, plot and project a feature names
exists, and every leased plot is occupied by a project.

Each rule judges the layers it is given; one whose layer or column is missing reports nothing
(the missing layer or column is a problem reported already).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..model.schema import SCHEMAS, LayerSchema
from ._checks import _blank, _isin, _LazyIds, _rows

__all__ = ["check_leased_plots", "check_park_codes", "check_tenant_links"]


def _has(layers: Mapping[str, pd.DataFrame], name: str, *columns: str) -> bool:
    return name in layers and all(c in layers[name].columns for c in columns)


def _unknown_refs(frame: pd.DataFrame, schema: LayerSchema, column: str, known: pd.Index,
                  file: str, rule: str, what: str) -> list[dict]:
    """Features whose ``column`` names a ``what`` not among ``known``."""
    if column not in frame.columns:
        return []
    ref = frame[column]
    bad = ref.notna().to_numpy() & ~_isin(ref, known)
    if bad.any():  # an empty reference is a missing value, not an unknown one
        where = np.flatnonzero(bad)
        bad[where] = ~_blank(ref.iloc[where])
    return _rows(file, schema.name, _LazyIds(frame, schema)[bad], rule,
                 [f"{column}={v!r}: no such {what}" for v in ref[bad]])


def check_park_codes(layers: Mapping[str, pd.DataFrame], file: str) -> list[dict]:
    """Zones, plots, tenants and plants name a park of the parks layer (``unknown_park``)."""
    if not _has(layers, "parks", "park_code"):
        return []
    park_codes = pd.Index(layers["parks"]["park_code"])
    rows: list[dict] = []
    for name in ("zones", "plots", "tenants", "wastewater_plants"):
        if name in layers:
            rows += _unknown_refs(layers[name], SCHEMAS[name], "park_code", park_codes,
                                  file, "unknown_park", "park")
    return rows


def check_tenant_links(layers: Mapping[str, pd.DataFrame], file: str) -> list[dict]:
    """Each tenant link names an existing plot (``unknown_plot``) and an existing project
    (``unknown_project``)."""
    if not _has(layers, "tenant_plots"):
        return []
    links, schema = layers["tenant_plots"], SCHEMAS["tenant_plots"]
    rows: list[dict] = []
    if _has(layers, "plots", "plot_code"):
        rows += _unknown_refs(links, schema, "plot_code", pd.Index(layers["plots"]["plot_code"]),
                              file, "unknown_plot", "plot")
    if _has(layers, "tenants", "project_id"):
        rows += _unknown_refs(links, schema, "project_id",
                              pd.Index(layers["tenants"]["project_id"]), file,
                              "unknown_project", "project")
    return rows


def check_leased_plots(layers: Mapping[str, pd.DataFrame], file: str) -> list[dict]:
    """A plot whose status is ``leased`` is occupied by a project (``leased_without_tenant``)."""
    if not (_has(layers, "plots", "plot_code", "status")
            and _has(layers, "tenant_plots", "plot_code")):
        return []
    plots, links = layers["plots"], layers["tenant_plots"]
    leased = plots["status"].eq("leased").to_numpy(dtype=bool, na_value=False) & ~_isin(
        plots["plot_code"], links["plot_code"])
    if leased.any():  # a plot without a code cannot be linked: not this rule's problem
        where = np.flatnonzero(leased)
        codes = plots["plot_code"].iloc[where]
        leased[where] = codes.notna().to_numpy() & ~_blank(codes)
    return _rows(file, "plots", plots["plot_code"][leased], "leased_without_tenant",
                 "status is 'leased' but no project in tenant_plots occupies the plot")
