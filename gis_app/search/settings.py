"""Tunable constants of the vacant-land search: destinations, reference distances, weights.

A board edits these to change what the search measures and how it ranks; the viewer, the
exports and the tests all read them from here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Destination:
    """A named place investors ask about, in WGS 84 (EPSG:4326) degrees."""

    key: str  #: ASCII identifier used in URLs and column names (``dest_<key>_km``)
    name_vi: str
    name_en: str
    lon: float
    lat: float


#: Named destinations; distances are straight lines measured in the province's VN-2000 zone.
DESTINATIONS: tuple[Destination, ...] = (
    # Hoàn Kiếm lake, the conventional "centre of Hà Nội" for distances.
    Destination("hanoi", "trung tâm Hà Nội", "Hà Nội centre", 105.8525, 21.0287),
    Destination("noibai", "sân bay Nội Bài", "Nội Bài airport", 105.8067, 21.2212),
    # Lạch Huyện deep-water terminal would be further; Đình Vũ is the container port most quoted.
    Destination("haiphong", "cảng Hải Phòng", "Hải Phòng port", 106.7460, 20.8560),
)
DESTINATION_KEYS: tuple[str, ...] = tuple(d.key for d in DESTINATIONS)

#: Values of ``roads_rail.kind`` that count as a national road and a rail line.
ROAD_KIND = "road"
RAIL_KIND = "railway"

#: Distance (km) at which a criterion's contribution falls to zero when the query sets no limit.
REFERENCE_KM: dict[str, float] = {"road": 10.0, "rail": 25.0, "destination": 80.0}

#: Spare capacity (m³/day) of the park's plant that earns the full wastewater contribution.
REFERENCE_HEADROOM_M3_DAY = 2_000.0

#: Points of each criterion in the 0-100 score. Destinations share their points equally.
WEIGHTS: dict[str, float] = {
    "road": 20.0,
    "rail": 10.0,
    "destinations": 30.0,
    "wastewater": 20.0,
    "ready_built": 10.0,
    "single_plot": 10.0,
}

#: Two plots are adjacent when they share an edge at least this long (m); corners do not count.
MIN_SHARED_EDGE_M = 1.0

#: How many results a search returns by default.
DEFAULT_LIMIT = 25
