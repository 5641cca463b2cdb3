"""The in-memory plan of one province: its planning layers as typed frames."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import geopandas as gpd
import pandas as pd

from .schema import SCHEMAS, LayerSchema

_DTYPES = {
    "str": "string",
    "float": "float64",
    "int": "Int64",
    "bool": "boolean",
    "date": "datetime64[ms]",
}


def coerce(frame: pd.DataFrame, schema: LayerSchema) -> pd.DataFrame:
    """A copy of ``frame`` with the schema's columns in order and in their pandas dtypes.

    Only call this on validated frames: values that do not parse become missing.
    """
    # Copy-on-write: a shallow copy shares the columns until one is replaced, never writes.
    out = frame.copy(deep=False)
    for column in schema.columns:
        series = out[column.name]
        if column.kind in ("float", "int"):
            series = pd.to_numeric(series, errors="coerce")
        elif column.kind == "date" and not pd.api.types.is_datetime64_dtype(series.dtype):
            # Parsing dates that are dates already would cost milliseconds per 100,000.
            series = pd.to_datetime(series, errors="coerce", format="mixed")
        elif column.kind == "bool" and not pd.api.types.is_bool_dtype(series.dtype):
            series = series.map(
                lambda v: v if isinstance(v, bool) else
                (str(v).lower() in ("1", "true") if pd.notna(v) else pd.NA)
            )
        out[column.name] = series.astype(_DTYPES[column.kind])
    keep = schema.column_names
    if schema.geometry_types is not None:
        keep = keep + [out.geometry.name]
    out = out[keep].reset_index(drop=True)
    return out


@dataclass(frozen=True)
class Plan:
    """Parks, zones, plots, tenants, their plot links and wastewater plants of one province.

    Frames are treated as immutable: functions return new plans (see :meth:`replace`).
    """

    parks: gpd.GeoDataFrame
    zones: gpd.GeoDataFrame
    plots: gpd.GeoDataFrame
    tenants: pd.DataFrame
    tenant_plots: pd.DataFrame
    wastewater_plants: gpd.GeoDataFrame

    @property
    def crs(self):  # noqa: ANN201 - a pyproj CRS
        return self.parks.crs

    def layers(self) -> dict[str, pd.DataFrame]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def replace(self, **changes: pd.DataFrame) -> Plan:
        return replace(self, **changes)

    @classmethod
    def from_layers(cls, layers: dict[str, pd.DataFrame]) -> Plan:
        """Build a plan from validated layers, coercing each to its schema's dtypes."""
        return cls(**{name: coerce(layers[name], SCHEMAS[name]) for name in SCHEMAS})
