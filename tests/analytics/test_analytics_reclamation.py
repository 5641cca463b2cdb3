"""Reclamation candidates, zonal statistics over rasters in other CRSs, the sample raster."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
import rasterio
from affine import Affine
from rasterio.warp import Resampling, calculate_default_transform, reproject

from gis_app.analytics import ReclamationRules, reclamation_candidates, zonal_mean
from gis_app.errors import CRSError, LayerError
from gis_app.sample.builtup import write_builtup_raster
from gis_app.testing.builders import GAP_M, ORIGIN, PARK_HEIGHT_M

#: rasterio's warp helpers and rasterstats still use affine's deprecated "*" operator (third
#: party; our own code avoids it).
AFFINE_MUL = pytest.mark.filterwarnings("ignore:Use `@` matmul:PendingDeprecationWarning")

#: Built-up % painted per plot, keyed by (park x offset, x0, x1) in the mixed plan.
#: SPAN starts at 0; EMPTY at 1400; APPROVED at 2700; NOLEASE at 4200; FULL at 5400.
PAINT = {
    "S1": (0, 0, 100, 80), "S2": (0, 100, 150, 10), "S6": (0, 350, 400, 50),
    "F1": (5400, 0, 100, 5), "F2": (5400, 100, 200, 0),
}


def _paint(path, crs="EPSG:9209", pixel=10.0):
    """A 10 m raster over the mixed plan: 30 % everywhere, PAINT inside the named plots."""
    width = int((5400 + 200 + 2 * GAP_M) / pixel)
    height = int((PARK_HEIGHT_M + 200) / pixel)
    x0, y1 = ORIGIN[0] - GAP_M, ORIGIN[1] + PARK_HEIGHT_M + 100
    data = np.full((height, width), 30, dtype="uint8")
    for offset, a, b, value in PAINT.values():
        c0 = int((offset + a + GAP_M) / pixel)
        c1 = int((offset + b + GAP_M) / pixel)
        data[10:20, c0:c1] = value  # rows 10-19 are y = origin .. origin + 100
    transform = Affine(pixel, 0, x0, 0, -pixel, y1)
    with rasterio.open(path, "w", driver="GTiff", width=width, height=height, count=1,
                       dtype="uint8", crs=crs, transform=transform, nodata=255) as dst:
        dst.write(data, 1)
    return path


def test_status_reasons_without_a_raster(mixed):
    r = reclamation_candidates(mixed, None, date(2024, 1, 1))
    # Only F2 (R revoked) qualifies; no project is behind schedule, no raster was given.
    assert list(r.index) == ["F2"]
    assert r.loc["F2", "reasons"] == "revoked"
    assert r.loc["F2", "reason_en"] == "Project revoked"
    assert r.loc["F2", "reason_vi"] == "Dự án đã bị thu hồi, chấm dứt hoạt động"
    assert r.loc["F2", "area_ha"] == pytest.approx(1.0)


def test_low_builtup_after_the_grace_period_is_ranked(mixed, tmp_path):
    raster = _paint(tmp_path / "b.tif")
    r = reclamation_candidates(mixed, raster, date(2024, 1, 1))
    # F2 revoked first; then low built-up: F1 5 % (Q, 4 years) and S2 10 % (X, 8.7 years).
    assert list(r.index) == ["F2", "F1", "S2"]
    assert list(r["rank"]) == [1, 2, 3]
    assert r.loc["F1", "builtup_share"] == pytest.approx(0.05)
    assert r.loc["S2", "builtup_share"] == pytest.approx(0.10)
    assert r.loc["F1", "pixel_count"] == 100  # 100 m x 100 m at 10 m
    assert r.loc["F2", "reasons"] == "revoked, low_builtup"
    assert r.loc["F1", "reason_en"] == "Low built-up share (5 % after 4.0 years of lease)"
    assert r.loc["F1", "reason_vi"] == "Tỷ lệ xây dựng thấp (5 % sau 4.0 năm thuê)"
    assert "S1" not in r.index and "S6" not in r.index  # 80 % and 50 % built


def test_grace_period_and_threshold_are_rules(mixed, tmp_path):
    raster = _paint(tmp_path / "b.tif")
    early = reclamation_candidates(mixed, raster, date(2021, 6, 1))
    assert "F1" not in early.index  # Q's lease began 1.4 years earlier
    strict = reclamation_candidates(mixed, raster, date(2024, 1, 1),
                                    ReclamationRules(min_builtup_share=0.6))
    assert "S6" in strict.index and "S1" not in strict.index


def test_behind_schedule_outranks_low_builtup(tiny, tmp_path):
    path = write_builtup_raster(tiny, tmp_path / "tiny.tif", seed=1)
    r = reclamation_candidates(tiny, path, date(2024, 1, 1))
    assert r.index[0] == "A4"
    assert r.loc["A4", "reasons"].startswith("behind_schedule")


@AFFINE_MUL
@pytest.mark.parametrize("crs", ["EPSG:32648", "EPSG:4326"])
def test_raster_in_another_crs_gives_the_same_shares(mixed, tmp_path, crs):
    src_path = _paint(tmp_path / "vn2000.tif")
    dst_path = tmp_path / "other.tif"
    with rasterio.open(src_path) as src:
        resolution = 2.0 if crs == "EPSG:32648" else 2e-5
        transform, width, height = calculate_default_transform(
            src.crs, crs, src.width, src.height, *src.bounds, resolution=resolution)
        data = np.full((height, width), 255, dtype="uint8")
        reproject(rasterio.band(src, 1), data, dst_transform=transform, dst_crs=crs,
                  resampling=Resampling.nearest, dst_nodata=255)
        with rasterio.open(dst_path, "w", driver="GTiff", width=width, height=height,
                           count=1, dtype="uint8", crs=crs, transform=transform,
                           nodata=255) as dst:
            dst.write(data, 1)
    plots = mixed.plots.set_index("plot_code")
    same = zonal_mean(plots, src_path, value_scale=100)["mean"]
    other = zonal_mean(plots, dst_path, value_scale=100)["mean"]
    # Reprojection moves pixel edges a little (and the datum shift of EPSG:6960 applies to
    # WGS 84): interiors agree, edges blur by at most a few percent.
    assert same["S1"] == pytest.approx(0.80) and same["F2"] == 0.0
    np.testing.assert_allclose(other.to_numpy(), same.to_numpy(), atol=0.03)


@AFFINE_MUL
def test_zonal_mean_agrees_with_rasterstats(mixed, tmp_path):
    import rasterstats  # an independent implementation (a test dependency)

    path = write_builtup_raster(mixed, tmp_path / "b.tif", seed=7)
    ours = zonal_mean(mixed.plots, path)
    theirs = rasterstats.zonal_stats(list(mixed.plots.geometry), str(path), stats="mean count",
                                     nodata=255)
    np.testing.assert_allclose(ours["mean"], [s["mean"] for s in theirs])
    assert ours["pixel_count"].tolist() == [s["count"] for s in theirs]


def test_land_cover_classes(mixed, tmp_path):
    path = _paint(tmp_path / "b.tif")
    z = zonal_mean(mixed.plots.set_index("plot_code"), path, classes=[80, 50])
    assert z.loc["S1", "mean"] == 1.0 and z.loc["S6", "mean"] == 1.0 and z.loc["S2", "mean"] == 0


def test_raster_errors_name_the_file(mixed, tmp_path):
    with pytest.raises(LayerError, match="nope.tif: no such raster"):
        zonal_mean(mixed.plots, tmp_path / "nope.tif")
    bad = tmp_path / "bad.tif"
    bad.write_text("not a raster")
    with pytest.raises(LayerError, match="bad.tif: cannot be opened"):
        zonal_mean(mixed.plots, bad)
    nocrs = tmp_path / "nocrs.tif"
    with rasterio.open(nocrs, "w", driver="GTiff", width=2, height=2, count=1,
                       dtype="uint8", transform=Affine(1, 0, 0, 0, -1, 2)) as dst:
        dst.write(np.zeros((2, 2), dtype="uint8"), 1)
    with pytest.raises(CRSError, match="nocrs.tif: raster has no CRS"):
        zonal_mean(mixed.plots, nocrs)


def test_plots_outside_the_raster_get_nan(mixed, tmp_path):
    path = _paint(tmp_path / "b.tif")
    plots = mixed.plots.copy()
    plots["geometry"] = plots.geometry.translate(xoff=100_000)
    z = zonal_mean(plots, path)
    assert z["mean"].isna().all() and (z["pixel_count"] == 0).all()


def test_sample_raster_is_deterministic_small_and_follows_the_plots(mixed, tmp_path):
    a = write_builtup_raster(mixed, tmp_path / "a.tif", seed=3)
    b = write_builtup_raster(mixed, tmp_path / "b.tif", seed=3)
    assert a.read_bytes() == b.read_bytes()
    with rasterio.open(a) as src:
        assert src.crs.to_epsg() == 9209
        assert src.res == (10.0, 10.0) and src.dtypes[0] == "uint8" and src.nodata == 255
        assert src.profile["compress"].lower() == "deflate"
        values = src.read(1)
        assert values[values != 255].max() <= 100
    z = zonal_mean(mixed.plots.set_index("plot_code"), a, value_scale=100)["mean"]
    assert z["S1"] > 0.45  # operating tenant X: drawn from 55-85 %, noise of a few points
    assert z["F2"] < 0.1  # revoked R
    assert 0.15 < z["S6"] < 0.55  # Y under construction: 20-45 %
    assert z["S5"] > 0.5  # vacant ready-built factory
    assert a.stat().st_size < 50_000
