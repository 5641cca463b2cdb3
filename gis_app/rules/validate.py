"""Validation at the boundary: every rule a province file must satisfy, every problem reported.

Each rule returns problem rows ``(file, layer, feature_id, rule, message)``; a
:class:`ValidationReport` gathers them so that a user sees all problems at once. Where each
rule is stated:

- :mod:`.layer`: the rules of one layer on its own (columns, values, geometries);
- :mod:`.links`: the rules joining layers by their codes (parks, plots, projects named exist);
- :mod:`._spatial`: the spatial rules joining features (inside the park, no overlaps, areas).

How they run for a whole plan (threads, the order they start in, the fast paths shared by the
rules) is :mod:`.engine`'s business alone; :func:`check_plan` hands the plan to it.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ._checks import feature_ids
from ._spatial import check_overlaps, check_plot_areas, check_plots_in_parks
from .engine import check_layers
from .layer import check_columns, check_geometry
from .report import PROBLEM_COLUMNS, ValidationReport, make_report

__all__ = [
    "PROBLEM_COLUMNS", "RULES", "ValidationReport", "check_columns", "check_geometry",
    "check_overlaps", "check_plan", "check_plot_areas", "check_plots_in_parks", "feature_ids",
    "make_report",
]

#: Every rule with a one-line description (shown on the viewer's Data page and in the docs).
RULES: dict[str, str] = {
    "missing_layer": "a required layer is absent from the file",
    "missing_column": "a required column is absent from a layer",
    "wrong_type": "a value cannot be read as the column's type",
    "missing_value": "a required value is empty",
    "bad_code": "a value is not one of the column's allowed codes",
    "below_minimum": "a number is below the column's minimum (e.g. a negative area)",
    "missing_crs": "a spatial layer has no coordinate reference system",
    "wrong_crs": "a spatial layer is not in the province's VN-2000 TM-3 CRS",
    "wrong_geometry_type": "a geometry is not of the layer's type",
    "empty_geometry": "a feature has no geometry",
    "invalid_geometry": "a geometry is not valid (self-intersection, bad ring, ...)",
    "duplicate_id": "two features share the same id",
    "unknown_park": "a feature names a park that is not in the parks layer",
    "plot_outside_park": "part of a plot lies outside its park",
    "overlapping_plots": "two plots overlap",
    "overlapping_parks": "two parks overlap",
    "area_mismatch": "a plot's area_ha differs from its measured area by more than 0.5 %",
    "unknown_plot": "a tenant link points at a plot that does not exist",
    "unknown_project": "a tenant link points at a project that does not exist",
    "leased_without_tenant": "a plot is leased but no project occupies it",
    "non_finite": "a coordinate, a measured area or a number is not finite (NaN, infinite, "
                  "or too large to measure)",
}


def check_plan(layers: Mapping[str, pd.DataFrame], file: str, crs: str | None, *,
               positions: bool = False) -> ValidationReport:
    """Validate a whole province: each layer on its own, then the rules that join layers.

    ``positions``: keep each problem's ``_row`` (see :func:`make_report`)."""
    return check_layers(layers, file, crs, positions=positions)
