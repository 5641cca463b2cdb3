"""A file from before the styles named their geometry column gets mended by any write."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from pathlib import Path

from gis_app.settings import PROVINCES
from gis_app.storage.gpkg import read_layer, write_layers


def _style_columns(path: Path) -> dict[str, str]:
    with contextlib.closing(sqlite3.connect(path)) as con:
        return dict(con.execute("SELECT f_table_name, f_geometry_column FROM layer_styles"))


def _geometry_columns(path: Path) -> dict[str, str]:
    with contextlib.closing(sqlite3.connect(path)) as con:
        return dict(con.execute("SELECT table_name, column_name FROM gpkg_geometry_columns"))


def test_a_write_points_old_styles_at_the_real_geometry_column(tmp_path: Path) -> None:
    path = tmp_path / "old.gpkg"
    shutil.copyfile(PROVINCES["ninh_binh"].default_path, path)
    with contextlib.closing(sqlite3.connect(path)) as con, con:
        con.execute("UPDATE layer_styles SET f_geometry_column = 'geometry'")  # as files were
    assert set(_style_columns(path).values()) == {"geometry"}

    write_layers(path, {"wastewater_plants": read_layer(path, "wastewater_plants")})

    real = _geometry_columns(path)
    styles = _style_columns(path)
    assert {"parks", "zones", "plots"} <= set(styles)
    assert {layer: real[layer] for layer in styles} == styles
    assert set(styles.values()) == {"geom"}
