"""The WGS 84 <-> VN-2000 transformation is pinned to EPSG:6960; other datums are refused."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import Transformer

from gis_app.errors import CRSError
from gis_app.model.crs import require_projected, to_crs, transformer

#: EPSG:6960 "VN-2000 to WGS 84 (2)" (Circular 973/2001/TT-TCĐC), coordinate frame rotation,
#: copied from the EPSG registry: translations in metres, rotations in arc-seconds, scale in ppm.
EPSG_6960 = dict(
    x=-191.90441429,
    y=-39.30318279,
    z=-111.45032835,
    rx=-0.00928836,
    ry=0.01975479,
    rz=-0.00427372,
    s=0.252906278,
)

#: VN-2000 / TM-3 105-30 (EPSG:9209): central meridian 105°30', scale 0.9999, FE 500 km.
TM3_105_30 = "+proj=tmerc +lat_0=0 +lon_0=105.5 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84"

#: Bắc Ninh cathedral area, WGS 84 longitude/latitude.
POINT = (106.0763, 21.1861)


def expected_tm3(lon: float, lat: float) -> tuple[float, float]:
    """WGS 84 -> VN-2000 TM-3 105-30 by a pipeline written out from the parameters above."""
    helmert = " ".join(f"+{k}={v}" for k, v in EPSG_6960.items())
    pipeline = (
        "+proj=pipeline "
        "+step +proj=unitconvert +xy_in=deg +xy_out=rad "
        "+step +proj=cart +ellps=WGS84 "
        # The parameters take VN-2000 to WGS 84, so WGS 84 -> VN-2000 is their inverse.
        f"+step +inv +proj=helmert {helmert} +convention=coordinate_frame "
        "+step +inv +proj=cart +ellps=WGS84 "
        f"+step {TM3_105_30}"
    )
    return Transformer.from_pipeline(pipeline).transform(lon, lat)


def test_wgs84_to_vn2000_uses_the_official_parameters():
    x, y = transformer("EPSG:4326", "EPSG:9209").transform(*POINT)
    ex, ey = expected_tm3(*POINT)
    assert x == pytest.approx(ex, abs=1e-3)
    assert y == pytest.approx(ey, abs=1e-3)


def test_the_pinned_result_differs_from_the_other_published_set():
    # EPSG:6959 "VN-2000 to WGS 84 (1)" lands about a metre away: the check above can tell them
    # apart, so it proves which operation was used.
    other = (
        "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad +step +proj=cart "
        "+ellps=WGS84 +step +inv +proj=helmert +x=-192.873 +y=-39.382 +z=-111.202 +rx=0.00205 "
        "+ry=0.0005 +rz=-0.00335 +s=0.0188 +convention=coordinate_frame +step +inv +proj=cart "
        f"+ellps=WGS84 +step {TM3_105_30}"
    )
    ox, oy = Transformer.from_pipeline(other).transform(*POINT)
    x, y = transformer("EPSG:4326", "EPSG:9209").transform(*POINT)
    assert np.hypot(x - ox, y - oy) > 0.3


def test_to_crs_round_trip_through_wgs84_is_exact():
    square = shapely.box(550_000, 2_335_000, 550_100, 2_335_100)
    frame = gpd.GeoDataFrame({"k": [1]}, geometry=[square], crs="EPSG:9209")
    there = to_crs(frame, "EPSG:4326")
    back = to_crs(there, "EPSG:9209")
    assert there.crs.to_epsg() == 4326 and back.crs.to_epsg() == 9209
    (lon, lat), *_ = shapely.get_coordinates(there.geometry.values)
    # The first vertex (550,100 / 2,335,000 in shapely.box order) matches the pipeline.
    ex, ey = expected_tm3(lon, lat)
    first = shapely.get_coordinates(frame.geometry.values)[0]
    assert (ex, ey) == pytest.approx(tuple(first), abs=1e-3)
    # PROJ inverts the 7-parameter Helmert to first order: about 1 mm is left after a round trip.
    assert shapely.equals_exact(back.geometry.values[0], square, tolerance=2e-3)


def test_vn2000_zones_convert_without_a_datum_shift():
    x, y = transformer("EPSG:9209", "EPSG:5897").transform(550_000.0, 2_335_000.0)
    direct = Transformer.from_pipeline(
        f"+proj=pipeline +step +inv {TM3_105_30} "
        "+step +proj=tmerc +lat_0=0 +lon_0=105 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84"
    ).transform(550_000.0, 2_335_000.0)
    assert (x, y) == pytest.approx(direct, abs=1e-6)


@pytest.mark.parametrize(
    "other",
    [
        "EPSG:4240",  # Indian 1975 (geographic)
        "EPSG:3148",  # Indian 1960 / UTM zone 48N
        "EPSG:4230",  # ED50
    ],
)
def test_datum_outside_wgs84_and_vn2000_is_refused(other):
    with pytest.raises(CRSError, match="no pinned datum transformation"):
        transformer(other, "EPSG:9209")
    with pytest.raises(CRSError, match="no pinned datum transformation"):
        transformer("EPSG:5897", other)


def test_to_crs_refuses_a_frame_in_another_datum():
    # Indian 1960 / UTM zone 48N: an old datum used in southern Vietnam.
    frame = gpd.GeoDataFrame(geometry=[shapely.Point(600_000, 1_200_000)], crs="EPSG:3148")
    with pytest.raises(CRSError, match="Indian 1960"):
        to_crs(frame, "EPSG:9209")


def test_to_crs_refuses_a_frame_without_crs():
    frame = gpd.GeoDataFrame(geometry=[shapely.Point(0, 0)])
    with pytest.raises(CRSError, match="surveyed plots has no CRS"):
        to_crs(frame, "EPSG:9209", what="surveyed plots")


def test_require_projected_refuses_degrees():
    frame = gpd.GeoDataFrame(geometry=[shapely.Point(*POINT)], crs="EPSG:4326")
    with pytest.raises(CRSError, match="not a projected metric CRS"):
        require_projected(frame, what="plots")


def test_require_projected_accepts_vn2000_tm3():
    frame = gpd.GeoDataFrame(geometry=[shapely.Point(550_000, 2_335_000)], crs="EPSG:9209")
    require_projected(frame)  # no error: metres in VN-2000 TM-3
    assert frame.crs.axis_info[0].unit_name == "metre"
