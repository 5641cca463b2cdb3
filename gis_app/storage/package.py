"""A province's package for the national information system on industrial parks.

Decree 35/2022/NĐ-CP (Art. 46) asks the boards for data that is complete, current and
connectable. A package is one folder (or a ``.zip`` of it) holding a province's parks, land
(zones and plots), projects (tenants and their plots) and wastewater plants:

- ``kcn_vn2000.gpkg`` and ``csv_vn2000/<layer>.csv``: as kept, in the province's VN-2000
  TM-3 zone (the copy areas are measured on, and the one read back);
- ``kcn_wgs84.gpkg`` and ``csv_wgs84/<layer>.csv``: in WGS 84 (EPSG:4326) by the official
  transformation EPSG:6960 (:func:`gis_app.model.crs.to_crs`, never PROJ's own choice);
- ``DATA_DICTIONARY.csv``/``.md``: every column of every layer with its type, unit, label and
  meaning in Vietnamese and English, generated from the schema and the catalogue;
- ``ATTRIBUTION.md``: sources and licences of the data; ``README.md``: what the package is;
- ``manifest.json``: province, schema version and fingerprint, creation time, feature counts
  and the SHA-256 of every other file, so a changed or truncated file is caught on reading.

CSV cells are neutralised (:mod:`gis_app.spreadsheet`); geometry is in a ``geometry_wkt``
column (VN-2000 to the millimetre, WGS 84 to 1e-9 degree).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

import geopandas as gpd
import pandas as pd
import shapely

from ..errors import LayerError, ValidationError
from ..i18n import has, label, t
from ..model.crs import to_crs
from ..model.plan import Plan
from ..model.schema import DATASET_TABLE, PLAN_LAYERS, SCHEMAS, SOURCES_TABLE, Column
from ..spreadsheet import write_csv
from . import gpkg
from .backend import Source, backend
from .source import read_dataset_info

#: What ``manifest.json`` says the folder is, and the version of this layout.
PACKAGE_FORMAT = "kcn-gis national information system package"
FORMAT_VERSION = 1
#: Version of the data schema (:mod:`gis_app.model.schema`) the layers follow.
SCHEMA_VERSION = 1
MANIFEST = "manifest.json"
DICTIONARY_CSV = "DATA_DICTIONARY.csv"
DICTIONARY_MD = "DATA_DICTIONARY.md"
ATTRIBUTION_MD = "ATTRIBUTION.md"
README_MD = "README.md"
#: The two copies: name -> (GeoPackage, CSV folder).
COPIES: dict[str, tuple[str, str]] = {
    "vn2000": ("kcn_vn2000.gpkg", "csv_vn2000"),
    "wgs84": ("kcn_wgs84.gpkg", "csv_wgs84"),
}
WGS84 = "EPSG:4326"
#: Decimals of the WKT coordinates: millimetres in VN-2000, ~0.1 mm in degrees.
_WKT_DECIMALS = {"vn2000": 3, "wgs84": 9}
_GEOMETRY = "geometry_wkt"
_TYPES = {"str": "text", "float": "real", "int": "integer", "bool": "boolean",
          "date": "date (ISO 8601)"}
#: Units by column-name ending (the unit is part of every measured column's name): the
#: catalogue's ``package.unit.<name>`` names each in both languages.
_UNITS = (("_m3_day", "m3_day"), ("_ha", "ha"), ("_usd", "usd"), ("employees", "persons"),
          ("_year", "year"))


@dataclass(frozen=True)
class Package:
    """A package read back: the validated plan (VN-2000), its manifest and dataset info."""

    path: Path
    plan: Plan
    manifest: dict
    dataset_info: dict[str, str]

    @property
    def province_name_vi(self) -> str:
        return str(self.manifest.get("province_name_vi") or "")


def is_package(where: str | Path) -> bool:
    """Whether ``where`` names a package: a ``.zip``, or a folder holding ``manifest.json``."""
    path = Path(where)
    return path.suffix.lower() == ".zip" or (path.is_dir() and (path / MANIFEST).is_file())


# --- the data dictionary --------------------------------------------------------------

def _unit(column: Column, lang: str) -> str:
    for ending, unit in _UNITS:
        if column.name.endswith(ending):
            return t(f"package.unit.{unit}", lang)
    return ""


def _label(column: str, lang: str) -> str:
    """The column's label in the catalogue, or the package's own for a column no page shows."""
    return label(column, lang) if has(column) else t(f"package.label.{column}", lang)


def _meaning(layer: str, column: Column, lang: str) -> str:
    text = t(f"package.meaning.{layer}.{column.name}", lang)
    if column.choices:
        codes = "; ".join(f"{code} = {label(code, lang)}" for code in column.choices)
        text = f"{text} {t('package.codes', lang, codes=codes)}"
    return text


def data_dictionary() -> pd.DataFrame:
    """Every column of every layer of a package: layer, column, type, unit (vi, en), whether
    it is required, its label and meaning in Vietnamese and English (codes with theirs)."""
    rows = []
    for schema in PLAN_LAYERS:
        columns = list(schema.columns)
        for column in columns:
            rows.append({
                "layer": schema.name, "column": column.name, "type": _TYPES[column.kind],
                "unit_vi": _unit(column, "vi"), "unit_en": _unit(column, "en"),
                "required": column.required,
                "label_vi": _label(column.name, "vi"), "label_en": _label(column.name, "en"),
                "meaning_vi": _meaning(schema.name, column, "vi"),
                "meaning_en": _meaning(schema.name, column, "en")})
        if schema.geometry_types is not None:
            rows.append({
                "layer": schema.name, "column": _GEOMETRY,
                "type": "WKT " + "/".join(schema.geometry_types),
                "unit_vi": t("package.unit.coordinates", "vi"),
                "unit_en": t("package.unit.coordinates", "en"),
                "required": True, "label_vi": t("package.geometry", "vi"),
                "label_en": t("package.geometry", "en"),
                "meaning_vi": t("package.meaning.geometry", "vi"),
                "meaning_en": t("package.meaning.geometry", "en")})
    return pd.DataFrame(rows)


def _markdown_cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _dictionary_markdown(dictionary: pd.DataFrame) -> str:
    parts = []
    for lang in ("vi", "en"):
        parts.append(f"# {t('package.dictionary_title', lang)}\n")
        for layer, rows in dictionary.groupby("layer", sort=False):
            parts.append(f"\n## {layer}: {t(f'layer.{layer}', lang)}\n")
            parts.append(f"| {t('package.md_columns', lang)} |\n|---|---|---|---|---|\n")
            for row in rows.itertuples():
                required = label("yes" if row.required else "no", lang)
                cells = (row.column, row.type, getattr(row, f"unit_{lang}"), required,
                         f"{getattr(row, f'label_{lang}')}: {getattr(row, f'meaning_{lang}')}")
                parts.append("| " + " | ".join(_markdown_cell(c) for c in cells) + " |\n")
        parts.append("\n")
    return "".join(parts)


# --- export ---------------------------------------------------------------------------

def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def schema_fingerprint() -> str:
    """SHA-256 of the layers' column definitions: two packages with the same fingerprint
    have the same columns, types and codes."""
    text = json.dumps([[s.name, [[c.name, c.kind, c.required, list(c.choices or ())]
                                 for c in s.columns]] for s in PLAN_LAYERS])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _csv_frame(frame: pd.DataFrame, copy: str) -> pd.DataFrame:
    if not isinstance(frame, gpd.GeoDataFrame):
        return pd.DataFrame(frame)
    out = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    out[_GEOMETRY] = shapely.to_wkt(frame.geometry.values, rounding_precision=_WKT_DECIMALS[copy],
                                    trim=True)
    return out


def _attribution(info: dict[str, str], sources: pd.DataFrame | None) -> str:
    lines = []
    for lang in ("vi", "en"):
        lines.append(f"# {t('package.attribution_title', lang)}\n\n")
        notice = info.get(f"notice_{lang}") or t("package.real_data", lang)
        lines.append(f"{notice}\n\n")
        if info.get("attribution"):
            lines.append(f"{info['attribution']}\n\n")
        lines.append(f"{t('package.licence_note', lang)}\n\n")
    if sources is not None and len(sources):
        shown = [c for c in ("layer", "source", "licence", "attribution", "date")
                 if c in sources.columns]
        lines.append("| " + " | ".join(shown) + " |\n|" + "---|" * len(shown) + "\n")
        for row in sources[shown].itertuples(index=False):
            lines.append("| " + " | ".join(_markdown_cell("" if pd.isna(v) else v)
                                          for v in row) + " |\n")
    return "".join(lines)


def _readme(info: dict[str, str]) -> str:
    province = {lang: info.get(f"province_name_{lang}", info.get("province", ""))
                for lang in ("vi", "en")}
    return "".join(f"# {t('package.readme_title', lang, province=province[lang])}\n\n"
                   f"{t('package.readme_body', lang)}\n\n" for lang in ("vi", "en"))


def _write_contents(plan: Plan, info: dict[str, str], sources: pd.DataFrame | None,
                    folder: Path) -> dict[str, int]:
    """Every file but the manifest into ``folder``; returns the feature count per layer."""
    layers = plan.layers()
    info_frame = pd.DataFrame({"key": list(info), "value": list(info.values())})
    extra: dict[str, pd.DataFrame] = {DATASET_TABLE: info_frame}
    if sources is not None:
        extra[SOURCES_TABLE] = sources
    for copy, (gpkg_name, csv_dir) in COPIES.items():
        shown = {name: (to_crs(frame, WGS84, what=f"layer {name!r}")
                        if copy == "wgs84" and isinstance(frame, gpd.GeoDataFrame) else frame)
                 for name, frame in layers.items()}
        copy_info = extra if copy == "vn2000" else {
            DATASET_TABLE: pd.concat([info_frame, pd.DataFrame(
                {"key": ["package_copy"], "value": [f"WGS 84 ({WGS84}) by EPSG:6960"]})])}
        gpkg.write_layers(folder / gpkg_name, {**shown, **copy_info}, fresh=True, lock=False)
        (folder / csv_dir).mkdir()
        for name, frame in shown.items():
            write_csv(_csv_frame(frame, copy), folder / csv_dir / f"{name}.csv")
    dictionary = data_dictionary()
    write_csv(dictionary, folder / DICTIONARY_CSV)
    (folder / DICTIONARY_MD).write_text(_dictionary_markdown(dictionary), encoding="utf-8")
    (folder / ATTRIBUTION_MD).write_text(_attribution(info, sources), encoding="utf-8")
    (folder / README_MD).write_text(_readme(info), encoding="utf-8")
    return {name: len(frame) for name, frame in layers.items()}


def _manifest(folder: Path, info: dict[str, str], counts: dict[str, int],
              crs: str) -> dict:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return {
        "format": PACKAGE_FORMAT,
        "format_version": FORMAT_VERSION,
        "legal_basis": "Decree 35/2022/NĐ-CP, Art. 46",
        "province": info.get("province", ""),
        "province_name_vi": info.get("province_name_vi", ""),
        "province_name_en": info.get("province_name_en", ""),
        "illustrative": info.get("illustrative", "false") == "true",
        "schema_version": SCHEMA_VERSION,
        "schema_sha256": schema_fingerprint(),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "crs": {"vn2000": crs, "wgs84": WGS84,
                "transformation": "EPSG:6960 (VN-2000 to WGS 84 (2))"},
        "counts": counts,
        "files": {p.relative_to(folder).as_posix(): {"sha256": _sha256(p),
                                                      "bytes": p.stat().st_size}
                  for p in files},
    }


def export_package(source: Source, target: str | Path) -> Path:
    """Write the package of the province ``source`` names to ``target``: a new folder, or a
    ``.zip`` (replaced atomically). The plan is validated as it is read; nothing is left
    half-written (the package is built beside the target and moved in place when complete).
    """
    target = Path(target)
    store = backend(source)
    plan = store.read_plan()
    layers = store.list_layers()
    info = read_dataset_info(source)
    sources = store.read_layer(SOURCES_TABLE) if SOURCES_TABLE in layers else None
    if sources is not None and "layer" in sources.columns:  # the package's layers only
        sources = sources.loc[sources["layer"].isin(list(SCHEMAS))].reset_index(drop=True)
    zipped = target.suffix.lower() == ".zip"
    if not zipped and target.exists():
        raise LayerError(f"{target}: already exists; a package is written to a new folder "
                         "(or a .zip)")
    target.parent.mkdir(parents=True, exist_ok=True)
    work = target.parent / f".{target.name}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        work.mkdir()
        counts = _write_contents(plan, info, sources, work)
        manifest = _manifest(work, info, counts, str(plan.crs.to_string()))
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2),
                                     encoding="utf-8")
        if zipped:
            archive = work.with_suffix(".zip")
            with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
                for path in sorted(p for p in work.rglob("*") if p.is_file()):
                    z.write(path, path.relative_to(work).as_posix())
            os.replace(archive, target)
        else:
            os.replace(work, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        work.with_suffix(".zip").unlink(missing_ok=True)
    return target


# --- reading back ---------------------------------------------------------------------

class PackageError(LayerError):
    """A package that is malformed, incomplete or changed since it was made."""


@contextlib.contextmanager
def _unpacked(path: Path) -> Iterator[Path]:
    """The package's folder: itself, or a zip extracted to a temporary folder."""
    if path.is_dir():
        yield path
        return
    if not path.is_file():
        raise PackageError(f"{path}: no such package (a folder with {MANIFEST} or a .zip)")
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise PackageError(f"{path}: not a zip archive ({exc})") from None
    with archive, tempfile.TemporaryDirectory(prefix="kcn-package-") as tmp:
        for name in archive.namelist():
            pure = PurePosixPath(name)
            if pure.is_absolute() or ".." in pure.parts or "\\" in name or ":" in name:
                raise PackageError(f"{path}: unsafe member name {name!r} in the archive")
        archive.extractall(tmp)
        yield Path(tmp)


def _load_manifest(path: Path, folder: Path) -> dict:
    where = f"{path}/{MANIFEST}"
    if not (folder / MANIFEST).is_file():
        raise PackageError(f"{where}: missing; not a KCN-GIS package")
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise PackageError(f"{where}: not valid JSON ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != PACKAGE_FORMAT:
        raise PackageError(f"{where}: not a KCN-GIS package manifest (format "
                           f"{manifest.get('format') if isinstance(manifest, dict) else None!r})")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise PackageError(f"{where}: package format version "
                           f"{manifest.get('format_version')!r}; this KCN-GIS reads "
                           f"{FORMAT_VERSION}")
    for key in ("files", "counts"):
        if not isinstance(manifest.get(key), dict):
            raise PackageError(f"{where}: no {key!r} table")
    return manifest


def _check_files(path: Path, folder: Path, manifest: dict) -> None:
    listed = manifest["files"]
    for name, entry in listed.items():
        pure = PurePosixPath(name)
        if pure.is_absolute() or ".." in pure.parts or "\\" in name:
            raise PackageError(f"{path}/{MANIFEST}: unsafe file name {name!r}")
        file = folder / name
        if not file.is_file():
            raise PackageError(f"{path}/{name}: missing (listed in the manifest)")
        expected = entry.get("sha256") if isinstance(entry, dict) else None
        actual = _sha256(file)
        if actual != expected:
            raise PackageError(f"{path}/{name}: checksum mismatch (manifest {expected}, file "
                               f"{actual}): the file was changed after the package was made")
    for file in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = file.relative_to(folder).as_posix()
        if name != MANIFEST and name not in listed:
            raise PackageError(f"{path}/{name}: not in the manifest (added after the package "
                               "was made)")
    for copy, (gpkg_name, csv_dir) in COPIES.items():
        for name in [gpkg_name] + [f"{csv_dir}/{layer}.csv" for layer in SCHEMAS]:
            if name not in listed:
                raise PackageError(f"{path}/{name}: missing from the package ({copy} copy)")


def _check_layers(path: Path, folder: Path, manifest: dict) -> None:
    for gpkg_name, _ in COPIES.values():
        present = gpkg.list_layers(folder / gpkg_name)
        for layer in SCHEMAS:
            if layer not in present:
                raise PackageError(f"{path}/{gpkg_name}: layer {layer!r} missing")
            expected = manifest["counts"].get(layer)
            found = len(gpkg.read_layer(folder / gpkg_name, layer)) \
                if gpkg_name != COPIES["vn2000"][0] else None
            if found is not None and found != expected:
                raise PackageError(f"{path}/{gpkg_name}, layer {layer!r}: {found} features, "
                                   f"the manifest says {expected}")


def _read(path: Path, folder: Path) -> Package:
    manifest = _load_manifest(path, folder)
    _check_files(path, folder, manifest)
    _check_layers(path, folder, manifest)
    vn2000 = folder / COPIES["vn2000"][0]
    try:
        plan = gpkg.read_plan(vn2000)
    except ValidationError as exc:
        first = [line for line in str(exc).splitlines() if line.strip()]
        raise PackageError(f"{path}/{vn2000.name}: {first[-1].strip().lstrip('- ')} "
                           f"({len(exc.report)} problem(s))") from None  # type: ignore[arg-type]
    for layer, frame in plan.layers().items():
        if len(frame) != manifest["counts"].get(layer):
            raise PackageError(f"{path}/{vn2000.name}, layer {layer!r}: {len(frame)} "
                               f"features, the manifest says {manifest['counts'].get(layer)}")
    return Package(path, plan, manifest, gpkg.read_dataset_info(vn2000))


def read_package(where: str | Path) -> Package:
    """Verify a package (every file against its checksum, every layer present and counted)
    and read its VN-2000 copy as a validated plan.

    Raises :class:`PackageError` naming the file (and layer) and the problem, also for a plan
    that breaks a validation rule. The manifest itself carries no checksum: it is what the
    files are checked against (a package sent on should travel with its own signature).
    """
    path = Path(where)
    with _unpacked(path) as folder:
        return _read(path, folder)


def import_package(where: str | Path, target: str | Path) -> Package:
    """Verify a package and keep its VN-2000 copy as the province file ``target`` (a new
    GeoPackage, moved in place once complete: ``kcn-gis package import -o``)."""
    path, target = Path(where), Path(target)
    if target.exists():
        raise LayerError(f"{target}: already exists; a package is imported into a new file")
    target.parent.mkdir(parents=True, exist_ok=True)
    with _unpacked(path) as folder:
        package = _read(path, folder)
        tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp.gpkg")
        try:
            shutil.copyfile(folder / COPIES["vn2000"][0], tmp)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
    return package
