"""The registry of Vietnam's 34 provinces (after 1 July 2025), read from the national reference.

Built from data, not code: ``data/reference/national/province_zones.csv`` names each province
(key, GSO code, names) and the VN-2000 TM-3 zone its file is kept in, with the reason for the
choice; ``vn2000_central_meridians.csv`` gives the legacy (pre-2025) provinces merged into it
and the zone each legacy province's drawings use (Circular 973/2001/TT-TCĐC, EPSG). No
published decision gives a merged province one meridian, so the file's zone is a stated default
a board can override (``kcn-gis init --epsg``).

:class:`Province` is defined here; :mod:`gis_app.settings` picks the sample provinces from
this registry (``PROVINCES``).
"""

from __future__ import annotations

import csv
import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ReferenceDataError
from .model.crs import VN2000_GEOGRAPHIC_EPSG, is_vn2000

if TYPE_CHECKING:
    from pyproj import CRS

#: The national reference shipped with the product (see its README.md for sources, licences).
NATIONAL_DIR = Path(__file__).resolve().parent.parent / "data" / "reference" / "national"
ZONES_CSV = "province_zones.csv"
MERIDIANS_CSV = "vn2000_central_meridians.csv"


@dataclass(frozen=True)
class LegacyZone:
    """A pre-2025 province and the VN-2000 TM-3 zone its drawings and cadastre use."""

    name_vi: str
    name_en: str
    central_meridian: float
    epsg: int


#: Folder with the shipped GeoPackages (one file per province), next to the package.
LAYERS_DIR = Path(__file__).resolve().parent.parent / "layers"


@dataclass(frozen=True)
class Province:
    """A province as the product knows it (after the 1 July 2025 merger)."""

    key: str  #: file stem, ASCII: ``bac_ninh``
    code: str  #: GSO code of the 2025 province
    name_vi: str
    name_en: str
    epsg: int  #: VN-2000 TM-3 zone with the province's central meridian
    central_meridian: float
    legacy_provinces: tuple[str, ...]  #: provinces merged into it on 1 July 2025
    #: each legacy province with the TM-3 zone its drawings use (the file's zone's first)
    legacy_zones: tuple[LegacyZone, ...] = ()
    #: why the file is kept in ``epsg`` (no published decision gives merged provinces one zone)
    zone_reason_vi: str = ""
    zone_reason_en: str = ""

    @property
    def crs(self) -> str:
        return f"EPSG:{self.epsg}"

    @property
    def default_path(self) -> Path:
        return LAYERS_DIR / f"{self.key}.gpkg"



def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def tm3_crs(central_meridian: float) -> CRS:
    """The VN-2000 TM-3 CRS with this central meridian: its EPSG code when EPSG has one, else
    built on the VN-2000 datum (EPSG:4756) so that the pinned EPSG:6960 datum shift applies
    (see :mod:`gis_app.model.crs`), never a PROJ default."""
    from pyproj import CRS
    from pyproj.crs import ProjectedCRS
    from pyproj.crs.coordinate_operation import TransverseMercatorConversion

    epsg = tm3_epsg(central_meridian)
    if epsg is not None:
        return CRS.from_epsg(epsg)
    conversion = TransverseMercatorConversion(
        latitude_natural_origin=0.0, longitude_natural_origin=central_meridian,
        false_easting=500_000.0, false_northing=0.0, scale_factor_natural_origin=0.9999)
    minutes = round((central_meridian % 1) * 60)
    return ProjectedCRS(conversion, name=f"VN-2000 / TM-3 {int(central_meridian)}-{minutes:02d}",
                        geodetic_crs=CRS.from_epsg(VN2000_GEOGRAPHIC_EPSG))


@lru_cache(maxsize=1)
def _tm3_codes() -> dict[float, int]:
    """Central meridian -> EPSG code of every VN-2000 TM-3 CRS in PROJ's database."""
    from pyproj import CRS
    from pyproj.database import query_crs_info
    from pyproj.enums import PJType

    codes: dict[float, int] = {}
    for info in query_crs_info(auth_name="EPSG", pj_types=PJType.PROJECTED_CRS):
        if not info.name.startswith("VN-2000 / TM-3") or info.deprecated:
            continue
        crs = CRS.from_epsg(int(info.code))
        params = _projection_params(crs)
        if params.get("Scale factor at natural origin") != 0.9999:
            continue
        codes.setdefault(float(params["Longitude of natural origin"]), int(info.code))
    return codes


def _projection_params(crs: CRS) -> dict[str, float | str]:
    """The parameters of the CRS's map projection by name (none for a CRS without one).
    Numeric ones are floats: pyproj's stubs type every ``Param.value`` as ``str``."""
    operation = crs.coordinate_operation
    return {} if operation is None else {p.name: p.value for p in operation.params}


def tm3_epsg(central_meridian: float) -> int | None:
    """The EPSG code of the VN-2000 TM-3 zone with this central meridian (None: no code)."""
    return _tm3_codes().get(float(central_meridian))


def is_vn2000_tm3(crs: CRS) -> bool:
    """A projected VN-2000 Transverse Mercator CRS in metres (a TM-3 or UTM zone)."""
    return bool(crs.is_projected and is_vn2000(crs)
                and crs.axis_info[0].unit_name in ("metre", "meter"))


@lru_cache(maxsize=1)
def registry(national_dir: Path = NATIONAL_DIR) -> dict[str, Province]:
    """Every province by key, in GSO code order, with its legacy provinces and zones."""
    legacy_rows = _read_csv(national_dir / MERIDIANS_CSV)
    provinces: dict[str, Province] = {}
    for row in _read_csv(national_dir / ZONES_CSV):
        members = [LegacyZone(r["legacy_province_vi"], r["legacy_province_en"],
                              float(r["central_meridian_deg"]), int(r["epsg"]))
                   for r in legacy_rows if r["province_2025_code"] == row["province_2025_code"]]
        # The legacy province whose zone the file is kept in comes first (as settings did).
        chosen = row["default_legacy_province"]
        members.sort(key=lambda z: z.name_vi != chosen)
        if not members or members[0].name_vi != chosen:
            raise ReferenceDataError(
                f"{ZONES_CSV}: {row['key']}: default legacy province {chosen!r} is not among its "
                f"legacy provinces in {MERIDIANS_CSV}")
        epsg, meridian = int(row["epsg"]), float(row["central_meridian_deg"])
        if (members[0].epsg, members[0].central_meridian) != (epsg, meridian):
            raise ReferenceDataError(
                f"{ZONES_CSV}: {row['key']}: zone EPSG:{epsg} is not the zone of {chosen} in "
                f"{MERIDIANS_CSV}")
        provinces[row["key"]] = Province(
            row["key"], row["province_2025_code"], row["name_vi"], row["name_en"], epsg,
            meridian, tuple(z.name_vi for z in members), legacy_zones=tuple(members),
            zone_reason_vi=row["reason_vi"], zone_reason_en=row["reason_en"])
    return provinces


def province(key: str) -> Province:
    """The registry's province ``key``; an unknown key is a one-line error listing the known."""
    from .errors import GisAppError

    known = registry()
    if key not in known:
        raise GisAppError(f"unknown province {key!r} (known: {', '.join(known)})")
    return known[key]


def in_zone(p: Province, epsg: int | None) -> Province:
    """``p`` kept in ``epsg`` instead of its default zone (a board's choice at ``init``).

    ``epsg`` must be a projected VN-2000 CRS in metres: areas are measured in it.
    """
    if epsg is None or epsg == p.epsg:
        return p
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    from .errors import GisAppError

    try:
        crs = CRS.from_epsg(epsg)
    except CRSError:
        raise GisAppError(f"--epsg {epsg}: no such EPSG code") from None
    if not is_vn2000_tm3(crs):
        raise GisAppError(f"--epsg {epsg}: {crs.name!r} is not a projected VN-2000 CRS in "
                          "metres (e.g. a VN-2000 / TM-3 zone)")
    params = _projection_params(crs)
    meridian = float(params.get("Longitude of natural origin", p.central_meridian))
    return dataclasses.replace(
        p, epsg=epsg, central_meridian=meridian,
        zone_reason_vi=f"Ban quản lý chọn EPSG:{epsg} ({crs.name}) khi tạo tệp",
        zone_reason_en=f"chosen by the board at init: EPSG:{epsg} ({crs.name})")


def file_province(info: Mapping[str, str]) -> Province | None:
    """The province a file's ``dataset_info`` names, in the zone the file says it is kept in
    (a board may have chosen another zone than the default); None if it names none known."""
    key = info.get("province")
    p = registry().get(key) if key else None
    if p is None:
        return None
    crs = info.get("crs", "")
    epsg = crs.removeprefix("EPSG:")
    if crs.startswith("EPSG:") and epsg.isdigit() and int(epsg) != p.epsg:
        from .errors import GisAppError

        try:
            return in_zone(p, int(epsg))
        except GisAppError:  # a damaged crs entry: validation reports the layers' CRS
            return p
    return p
