"""Helpers of the map-sheet tests (a uniquely named module, importable from tests/export)."""

from __future__ import annotations

import io
import re
import unicodedata

import geopandas as gpd
import pandas as pd
import shapely
from pypdf import PdfReader

from gis_app.model.plan import Plan
from gis_app.testing import tiny_plan


def _shifted(frame: pd.DataFrame, dx: float, dy: float, suffix: str) -> pd.DataFrame:
    out = frame.copy()
    for column in ("park_code", "plot_code", "zone_id", "project_id", "plant_id"):
        if column in out.columns:
            out[column] = out[column].astype("string") + suffix
    if isinstance(out, gpd.GeoDataFrame):
        out = out.set_geometry(shapely.transform(out.geometry.values, lambda c: c + [dx, dy]))
    return out


def three_park_plan() -> Plan:
    """tiny_plan's park P1 plus copies P1b (3 km east) and P1c (2 km north), same figures."""
    base = tiny_plan()
    layers = {}
    for name, frame in base.layers().items():
        parts = [frame, _shifted(frame, 3_000.0, 0.0, "b"), _shifted(frame, 0.0, 2_000.0, "c")]
        merged = pd.concat(parts, ignore_index=True)
        if isinstance(frame, gpd.GeoDataFrame):
            merged = gpd.GeoDataFrame(merged, geometry=frame.geometry.name, crs=frame.crs)
        layers[name] = merged
    layers["parks"]["name_vi"] = ["KCN Quế Võ", "KCN Yên Phong", "KCN Đại Đồng – Hoàn Sơn"]
    layers["parks"]["name_en"] = ["Que Vo", "Yen Phong", "Dai Dong - Hoan Son"]
    return Plan.from_layers(layers)


def pdf_pages(blob: bytes) -> list:
    return list(PdfReader(io.BytesIO(blob)).pages)


def page_text(page) -> str:  # noqa: ANN001 - a pypdf page
    """The page's text, NFC-normalised, with runs of whitespace (line breaks) as one space."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", page.extract_text()))
