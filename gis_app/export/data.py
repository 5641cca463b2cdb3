"""What a map sheet is drawn from: a plan, its province, context layers and provenance."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from matplotlib.path import Path as MplPath

from ..errors import ExportError, LayerError
from ..model.crs import to_crs
from ..model.plan import Plan
from ..registry import file_province
from ..settings import PROVINCES, Province
from ..storage.source import (
    Source,
    describe,
    is_database,
    list_layers,
    read_context,
    read_dataset_info,
    read_plan,
    short_name,
)
from .draw import polygon_parts


@dataclass(frozen=True)
class DrawLayer:
    """One layer as the sheets draw it: geometries, an STRtree and the attribute columns the
    sheets classify by, as plain arrays.

    Drawing a sheet selects the features near its window and splits them by status or land
    use; on GeoDataFrames each of those steps is a pandas indexing call, and an atlas makes
    them for every layer of every page.
    """

    geoms: np.ndarray
    tree: shapely.STRtree
    columns: dict[str, np.ndarray]

    @classmethod
    def of(cls, frame: gpd.GeoDataFrame) -> DrawLayer:
        geoms = np.asarray(frame.geometry.values, dtype=object)
        columns = {c: frame[c].astype(str).to_numpy(dtype=object) for c in _DRAW_COLUMNS
                   if c in frame.columns}
        return cls(geoms, shapely.STRtree(geoms), columns)

    def near(self, window: tuple[float, float, float, float]) -> np.ndarray:
        """Positions (ascending, the layer's order) of the features that meet ``window`` (not
        merely their bounding boxes: a legend lists only what the map shows)."""
        if len(self.geoms) == 0:
            return np.zeros(0, dtype=np.intp)
        return np.sort(self.tree.query(shapely.box(*window), predicate="intersects"))

    @cached_property
    def _polygon_parts(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return polygon_parts(self.geoms)

    def polygon_path(self, positions: np.ndarray) -> MplPath | None:
        """``polygon_path(self.geoms[positions])`` for ascending ``positions``, selected from
        the layer's rings prepared once (for a small layer drawn on every page: the parks of
        an atlas's insets; a large one is cheaper to convert per page)."""
        coords, codes, owner = self._polygon_parts
        keep = np.isin(owner, positions)
        return MplPath(coords[keep], codes[keep]) if keep.any() else None

    def column(self, name: str, default: str) -> np.ndarray:
        """An attribute as strings (``default`` everywhere when the layer lacks it)."""
        found = self.columns.get(name)
        return found if found is not None else np.full(len(self.geoms), default, dtype=object)


#: The attributes sheets select or classify features by.
_DRAW_COLUMNS = ("park_code", "plot_code", "zone_id", "status", "land_use", "kind")


class _DrawCache(dict):
    """Prepared layers of one SheetData; not pickled (an STRtree is rebuilt where needed,
    e.g. in an atlas worker started by ``spawn``)."""

    def __reduce__(self) -> tuple:
        return (_DrawCache, ())


#: Context layers drawn on sheets when the province file has them.
CONTEXT_NAMES: tuple[str, ...] = ("province_boundary", "communes", "roads_rail", "rivers")


@dataclass(frozen=True)
class SheetData:
    """Everything a sheet shows besides its layout.

    Parameters
    ----------
    plan
        The validated plan (baseline or a scenario's result).
    province
        The province whose VN-2000 zone the sheet is drawn in.
    context
        Context layers by name (``province_boundary``, ``roads_rail`` ...), already in the
        province's CRS; missing layers are simply not drawn.
    illustrative
        The data is the shipped sample: the illustrative-data notice is printed.
    source
        A short description of the data file, printed with the sources.
    as_of
        Set when the plan is the one valid on a past date (:func:`gis_app.history.as_of`);
        the title block names the date.
    """

    plan: Plan
    province: Province
    context: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)
    illustrative: bool = False
    source: str = ""
    #: The plan is the one valid on this date (from the plan history), not the current one.
    as_of: date | None = None

    def __post_init__(self) -> None:
        if self.plan.crs is None:
            raise ExportError("the plan's parks have no CRS; cannot draw a VN-2000 sheet")
        if self.plan.crs.to_epsg() != self.province.epsg:
            raise ExportError(
                f"the plan is in {self.plan.crs.name!r} but {self.province.name_vi} sheets are "
                f"drawn in EPSG:{self.province.epsg}; reproject the plan first"
            )

    @cached_property
    def kpi_table(self) -> pd.DataFrame:
        """The sheet indicators of every park, computed once for this data.

        Every sheet prints one park's row; an atlas draws many sheets from the same data
        (and sends it, with this table once computed, to its worker processes), so the
        analytics run once per atlas instead of once per sheet.
        """
        from .indicators import park_kpi_table

        return park_kpi_table(self.plan)

    @cached_property
    def _draw_cache(self) -> _DrawCache:
        return _DrawCache()

    def layer(self, name: str) -> DrawLayer | None:
        """A plan layer (``parks``, ``zones``, ``plots``, ``wastewater_plants``) or a context
        layer prepared for drawing, once per data (None when absent)."""
        cache = self._draw_cache
        if name not in cache:
            frame = (self.context.get(name) if name in CONTEXT_NAMES
                     else getattr(self.plan, name))
            cache[name] = None if frame is None else DrawLayer.of(frame)
        return cache[name]

    @cached_property
    def _park_rows(self) -> dict[object, list[int]]:
        """Row positions of the parks by code: an atlas looks a park up several times per
        page, and a boolean mask over the parks costs a few milliseconds each time."""
        rows: dict[object, list[int]] = {}
        for position, code in enumerate(self.plan.parks["park_code"].tolist()):
            if not pd.isna(code):
                rows.setdefault(code, []).append(position)
        return rows

    def park(self, park_code: str) -> gpd.GeoDataFrame:
        """The park's row (one-row frame); an :class:`ExportError` names unknown codes."""
        parks = self.plan.parks
        row = parks.iloc[self._park_rows.get(park_code, [])]
        if row.empty:
            known = ", ".join(parks["park_code"].astype(str).head(20))
            raise ExportError(f"layer 'parks' has no park {park_code!r} (has: {known})")
        return row


def _is_sample(info: dict[str, str], source: Source) -> bool:
    """Whether the data is the shipped illustrative sample (by its metadata or, for a file,
    its location)."""
    flags = {k.lower(): v.lower() for k, v in info.items()}
    if flags.get("illustrative", "") in ("1", "true", "yes"):
        return True
    if any("illustrative" in v or "minh họa" in v for v in flags.values()):
        return True
    if is_database(source):
        return False
    path = Path(source)
    return any(path.resolve() == p.default_path.resolve() for p in PROVINCES.values())


def load_sheet_data(path: Source, province: Province | None = None, *,
                    as_of: date | str | None = None, plan: Plan | None = None) -> SheetData:
    """Read a province (plan, context layers, metadata) for drawing sheets.

    ``path`` is a GeoPackage or a ``postgresql://...?province=KEY`` URL (see
    :mod:`gis_app.storage.source`). The province comes from the ``dataset_info`` table unless
    given (for a URL: its ``province``), else from the plan's CRS. With ``as_of`` the plan is
    the one valid on that date, from the plan history. ``plan``: the plan of ``path`` (as of
    ``as_of``) that the caller already holds, validated; it is then not read and validated
    again (the viewer keeps one per data version).
    """
    where = describe(path)
    day = None if as_of is None else pd.Timestamp(as_of).date()
    if plan is not None:
        pass  # the caller's plan, validated when it was read
    elif day is None:
        plan = read_plan(path)
    else:
        from ..history import as_of as plan_as_of

        plan = plan_as_of(path, day)
    info = read_dataset_info(path)
    if province is None and is_database(path):  # the URL names the province schema
        from ..storage.postgis.connect import parse_url

        province = parse_url(str(path)).province
    if province is None:
        province = file_province(info)  # any registry province, in the file's own zone
        if province is None:  # fall back to the CRS: each province has its own zone
            epsg = plan.crs.to_epsg() if plan.crs is not None else None
            province = next((p for p in PROVINCES.values() if p.epsg == epsg), None)
    if province is None:
        raise ExportError(f"{where}: cannot tell which province the data belongs to")
    present = list_layers(path)
    context: dict[str, gpd.GeoDataFrame] = {}
    for name in CONTEXT_NAMES:
        if name not in present:
            continue
        try:
            frame = read_context(path, name)
        except LayerError:
            continue
        if frame.crs is not None and not frame.empty:
            context[name] = to_crs(frame, province.crs, what=f"{where}, layer {name!r}")
    return SheetData(plan, province, context, _is_sample(info, path), short_name(path),
                     as_of=day)


def sheet_data_from_plan(plan: Plan, province_key: str = "bac_ninh", *,
                         context: dict[str, gpd.GeoDataFrame] | None = None,
                         illustrative: bool = False, source: str = "") -> SheetData:
    """Wrap an in-memory plan (a fixture, a scenario result) for drawing."""
    if province_key not in PROVINCES:
        raise ExportError(f"unknown province {province_key!r} (known: {', '.join(PROVINCES)})")
    return SheetData(plan, PROVINCES[province_key], dict(context or {}), illustrative, source)
