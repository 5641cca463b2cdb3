"""Spatial analytics: pure functions from a :class:`~gis_app.model.plan.Plan` to tidy frames.

Nothing here mutates its inputs or touches the planning files (the one exception is reading
a built-up raster for :func:`reclamation_candidates`). Areas are measured in the plan's
projected VN-2000 CRS and refused in degrees. Per-park outputs are indexed by ``park_code``
and carry their unit in each column name (``_ha``, ``_usd_per_ha``, ``_share``, ``_count``,
``_m3_day``).
"""

from .actions import ACTION_KINDS, needs_action, province_actions
from .areas import park_areas, plot_area_parts
from .efficiency import (
    EfficiencyThresholds,
    efficiency_ranking,
    group_efficiency,
    park_efficiency,
    tenant_flags,
    tenant_metrics,
)
from .indicators import park_indicators, project_counts, province_indicators
from .land_use import LandUseMinimums, Minimum, land_use_structure, minimums_table
from .national import national_parks, national_summary
from .reclamation import REASONS, ReclamationRules, reclamation_candidates
from .screening import (
    Criterion,
    ScreeningCriteria,
    criterion_label,
    screening_score,
    tenant_screening,
)
from .timeline import occupancy_over_time
from .wastewater import WastewaterThresholds, wastewater_coverage, wastewater_status
from .zonal import zonal_mean

__all__ = [
    "ACTION_KINDS",
    "REASONS",
    "Criterion",
    "EfficiencyThresholds",
    "LandUseMinimums",
    "Minimum",
    "ReclamationRules",
    "ScreeningCriteria",
    "WastewaterThresholds",
    "criterion_label",
    "efficiency_ranking",
    "group_efficiency",
    "land_use_structure",
    "minimums_table",
    "national_parks",
    "national_summary",
    "needs_action",
    "occupancy_over_time",
    "park_areas",
    "park_efficiency",
    "park_indicators",
    "plot_area_parts",
    "project_counts",
    "province_actions",
    "province_indicators",
    "reclamation_candidates",
    "screening_score",
    "tenant_flags",
    "tenant_metrics",
    "tenant_screening",
    "wastewater_coverage",
    "wastewater_status",
    "zonal_mean",
]
