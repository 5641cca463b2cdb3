"""The data model: every layer of a province GeoPackage, its columns, types and codes.

Codes stored in the data are short English identifiers (``operating``, ``leased``); the viewer
and reports translate them (see :mod:`gis_app.i18n`). Areas are in hectares and money in USD,
and the unit is part of the column name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..errors import UsageError
from ..i18n import t

Kind = Literal["str", "float", "int", "bool", "date"]

#: ``proposed``: put forward for the plan, not yet approved (Ninh Bình's four 2023 proposals).
PARK_STATUSES = ("proposed", "approved", "established", "operating")
PLOT_STATUSES = ("leased", "vacant", "reserved", "not_cleared")
ZONE_LAND_USES = (
    "industrial",
    "warehouse_logistics",
    "service_admin",
    "green",
    "roads",
    "technical_infrastructure",
    "water",
)
PLOT_LAND_USES = ("industrial", "warehouse_logistics", "service_admin", "technical_infrastructure")
PROJECT_STATUSES = ("operating", "under_construction", "behind_schedule", "revoked")
PROJECT_TYPES = ("secondary", "infrastructure")
PLANT_STATUSES = ("operating", "under_construction", "planned")


@dataclass(frozen=True)
class Column:
    """One attribute column."""

    name: str
    kind: Kind
    required: bool = True  #: no nulls allowed
    choices: tuple[str, ...] | None = None  #: allowed codes
    minimum: float | None = None  #: for numbers: smallest allowed value


@dataclass(frozen=True)
class LayerSchema:
    """A layer: its id column, attribute columns and allowed geometry types (None: a table)."""

    name: str
    key: str
    columns: tuple[Column, ...]
    geometry_types: tuple[str, ...] | None

    def title(self, lang: str) -> str:
        """The layer's title for readers, from the catalogue (``layer.<name>``)."""
        return t(f"layer.{self.name}", lang)

    @property
    def title_vi(self) -> str:
        return self.title("vi")

    @property
    def title_en(self) -> str:
        return self.title("en")

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise UsageError(f"layer {self.name!r} has no column {name!r}")


_POLY = ("Polygon", "MultiPolygon")

PARKS = LayerSchema(
    "parks",
    "park_code",
    (
        Column("park_code", "str"),
        Column("name_vi", "str"),
        Column("name_en", "str"),
        Column("province", "str"),
        Column("legacy_province", "str"),
        Column("status", "str", choices=PARK_STATUSES),
        Column("planned_area_ha", "float", minimum=0),
        Column("established_area_ha", "float", minimum=0),
        Column("leasable_area_ha", "float", required=False, minimum=0),
        Column("cleared_area_ha", "float", required=False, minimum=0),
        Column("developer", "str", required=False),
        Column("decision_no", "str", required=False),
        Column("decision_date", "date", required=False),
        Column("established_year", "int", required=False),
        Column("area_source", "str", required=False),
    ),
    _POLY,
)

ZONES = LayerSchema(
    "zones",
    "zone_id",
    (
        Column("zone_id", "str"),
        Column("park_code", "str"),
        Column("land_use", "str", choices=ZONE_LAND_USES),
    ),
    _POLY,
)

PLOTS = LayerSchema(
    "plots",
    "plot_code",
    (
        Column("plot_code", "str"),
        Column("park_code", "str"),
        Column("land_use", "str", choices=PLOT_LAND_USES),
        Column("status", "str", choices=PLOT_STATUSES),
        Column("ready_built_factory", "bool"),
        Column("area_ha", "float", minimum=0),
    ),
    _POLY,
)

TENANTS = LayerSchema(
    "tenants",
    "project_id",
    (
        Column("project_id", "str"),
        Column("park_code", "str"),
        Column("project_type", "str", choices=PROJECT_TYPES),
        Column("investor", "str"),
        Column("country", "str"),
        Column("sector", "str"),
        Column("registered_capital_usd", "float", required=False, minimum=0),
        Column("realised_capital_usd", "float", required=False, minimum=0),
        Column("lease_start", "date", required=False),
        Column("lease_end", "date", required=False),
        Column("project_status", "str", choices=PROJECT_STATUSES),
        Column("employees", "int", required=False, minimum=0),
        Column("revenue_usd", "float", required=False, minimum=0),
        Column("exports_usd", "float", required=False, minimum=0),
        Column("budget_contribution_usd", "float", required=False, minimum=0),
        Column("reporting_year", "int", required=False),
    ),
    None,
)

#: Which plots a project occupies: a plot hosts at most one project, a project may span plots.
TENANT_PLOTS = LayerSchema(
    "tenant_plots",
    "plot_code",
    (Column("plot_code", "str"), Column("project_id", "str")),
    None,
)

WASTEWATER_PLANTS = LayerSchema(
    "wastewater_plants",
    "plant_id",
    (
        Column("plant_id", "str"),
        Column("park_code", "str"),
        Column("name_vi", "str"),
        Column("design_capacity_m3_day", "float", minimum=0),
        Column("current_load_m3_day", "float", required=False, minimum=0),
        Column("status", "str", choices=PLANT_STATUSES),
        Column("auto_monitoring", "bool"),
    ),
    ("Point",),
)

#: The planning layers every province file must have, in dependency order.
PLAN_LAYERS: tuple[LayerSchema, ...] = (
    PARKS,
    ZONES,
    PLOTS,
    TENANTS,
    TENANT_PLOTS,
    WASTEWATER_PLANTS,
)
SCHEMAS: dict[str, LayerSchema] = {s.name: s for s in PLAN_LAYERS}

#: Context layers built from the reference data (read as they are, no strict schema).
CONTEXT_LAYERS: tuple[str, ...] = (
    "province_boundary", "communes", "roads_rail", "rivers", "park_labels")

#: Non-spatial bookkeeping tables.
SOURCES_TABLE = "layer_sources"
DATASET_TABLE = "dataset_info"
STYLES_TABLE = "layer_styles"
#: The bookkeeping tables; their titles are in the catalogue (the Data page lists them).
BOOKKEEPING_TABLES: tuple[str, ...] = (SOURCES_TABLE, DATASET_TABLE, STYLES_TABLE)


def table_title(name: str, lang: str) -> str:
    """The title of a planning layer or bookkeeping table (``layer.<name>`` in the catalogue)."""
    return t(f"layer.{name}", lang)
#: The geometry column of every spatial layer in a GeoPackage (GDAL's default, written
#: explicitly): QGIS finds a layer's stored style by table name *and* this column name.
GEOMETRY_COLUMN = "geom"

#: The plan history's change log. A file or schema that has it records every write of the
#: planning layers as a change (see :mod:`gis_app.history`).
CHANGES_TABLE = "plan_changes"


def history_refusal(where: str) -> str:
    """Why a plain write is refused where a plan history is kept, and what to call instead."""
    return (f"{where}: keeps a plan history, so a write must be recorded as a change; use "
            "gis_app.write_plan (gis_app.history.write_plan), which records it")
