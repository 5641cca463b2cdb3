"""Import a surveyed layer (GeoPackage, Shapefile, GeoJSON, DXF; any CRS) into a province.

The import is one checked step: read the source, place it in the province's VN-2000 TM-3 CRS
through the pinned transformation (:func:`gis_app.model.crs.to_crs`), map its fields to the
layer's schema, fit its geometry type, validate the whole resulting plan (the layers already
in the file plus the imported one) and only then write it with
:func:`gis_app.storage.gpkg.write_layers`. Any problem raises before the target is touched, so
the file stays byte-identical; a dry run returns the report without writing. A PostGIS
province (``postgresql://...?province=KEY``) is imported into the same way, in one transaction.
"""

from __future__ import annotations

import contextlib
import functools
import glob
import shutil
import tempfile
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyogrio.util import vsi_path
from pyproj import CRS

from ..errors import CRSError, ImportDataError, LayerError, listing, quote, shorten
from ..history.model import Basis
from ..history.record import current_user, record_write
from ..history.write import write_plan
from ..model.crs import to_crs
from ..model.plan import Plan, coerce
from ..model.schema import SCHEMAS, LayerSchema
from ..progress import Progress, notify
from ..rules.validate import ValidationReport, check_plan
from ..storage.gpkg import (
    file_lock,
    keeps_history,
    list_layers,
    province_of,
    read_layers_raw,
    write_layers,
)
from ..storage.postgis.connect import is_database_url
from .fieldmap import ValueMap, map_fields

Mode = Literal["append", "replace"]

# shapely type ids: 0 Point, 1 LineString, 2 LinearRing, 3 Polygon, 4 MultiPoint,
# 5 MultiLineString, 6 MultiPolygon.
_LINES = (1, 2, 5)
#: Steps an import reports to its ``progress``: source read, target read, checked, written.
IMPORT_STEPS = 4
_FAMILY = {"Polygon": (3, 6), "MultiPolygon": (3, 6), "Point": (0, 4)}


@dataclass(frozen=True)
class ImportResult:
    """What an import did (or, for a dry run, would do)."""

    source: str  #: the source file
    source_layer: str  #: its layer (for DXF: the CAD layer, or ``entities`` for all)
    target: str  #: the province file
    layer: str  #: the planning layer imported into
    mode: Mode
    read: int  #: features read from the source layer
    skipped: int  #: DXF entities of another kind (text, open lines) left out
    imported: int  #: features brought into the layer
    before: int  #: features the layer had
    after: int  #: features the layer has (would have) after the import
    fields: tuple[tuple[str, str], ...]  #: (source field, schema column) pairs used
    report: ValidationReport  #: the whole plan's validation report
    written: bool  #: whether the target file was changed
    #: (dry run) the values of coded fields that map to no code, with their counts; each
    #: feature having one is in the report as a ``bad_code`` (an import raises this instead)
    unmapped: str = ""

    def summary(self) -> str:
        verb = "imported" if self.written else "would import"
        text = (
            f"{verb} {self.imported} of {self.read} feature(s) from {self.source} "
            f"({shorten(self.source_layer)}) into layer {self.layer!r} of {self.target} "
            f"({self.mode}: {self.before} -> {self.after})"
        )
        if self.skipped:
            text += f"; skipped {self.skipped} DXF entities that are not {self.layer} geometry"
        if self.unmapped:
            text += f"\n{self.unmapped}"
        return text


@contextlib.contextmanager
def _openable(path: Path) -> Iterator[Path]:
    """A path GDAL opens as the file ``path``.

    pyogrio reads a path as a URI: ``;`` starts URI parameters, ``?`` a query and ``!`` an
    archive member, so ``lô 7;8.shp`` would open ``lô 7``. Such a file, with the files that
    share its name (a shapefile's ``.dbf``, ``.prj``, ...), is read from a copy under a plain
    name in a temporary folder; any other path is used as it is.
    """
    if vsi_path(str(path)) == str(path) or not path.is_file():
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="kcn-gis-import-") as folder:
        for sibling in path.parent.glob(glob.escape(path.stem) + ".*"):
            shutil.copyfile(sibling, Path(folder) / ("source" + sibling.name[len(path.stem):]))
        yield Path(folder) / ("source" + path.suffix)


def _read_source(
    path: Path, source_layer: str | None, schema: LayerSchema
) -> tuple[pd.DataFrame, str]:
    """The source layer as stored, and the name it is reported under."""
    with _openable(path) as openable:
        # A copy's shapefile layer is named after the copy: the user knows the file's name.
        copy_layer = openable.stem if openable != path else None
        if copy_layer is not None and source_layer == path.stem:
            source_layer = copy_layer
        frame, source_layer = _read_openable(path, openable, source_layer, schema)
        if source_layer == copy_layer:
            source_layer = path.stem
    if isinstance(frame, gpd.GeoDataFrame) and frame.geometry.name in frame.columns:
        _refuse_non_finite(frame, f"{path}, layer {quote(source_layer)}", path)
    return frame, source_layer


def _refuse_non_finite(frame: gpd.GeoDataFrame, where: str, path: Path) -> None:
    """A vertex that is not a number (a broken CAD export) makes every later step (placing,
    closing outlines, measuring) meaningless or a GEOS error: name each such feature."""
    # x and y only: a 2D geometry's z reads as NaN, and the import drops z anyway.
    coords, index = shapely.get_coordinates(np.asarray(frame.geometry.values),
                                            return_index=True)
    with np.errstate(invalid="ignore"):
        bad_vertex = ~np.isfinite(coords).all(axis=1)
    if not bad_vertex.any():
        return
    rows = np.unique(index[bad_vertex])
    dxf = path.suffix.lower() == ".dxf"
    names = []
    for row in rows[:10]:
        fid = frame.index[row]
        if dxf and "EntityHandle" in frame.columns:
            names.append(f"entity fid {fid} (handle {frame['EntityHandle'].iloc[row]}, "
                         f"CAD layer {frame['Layer'].iloc[row]!r})" if "Layer" in frame.columns
                         else f"entity fid {fid} (handle {frame['EntityHandle'].iloc[row]})")
        else:
            names.append(f"feature fid {fid}")
    more = f" and {len(rows) - 10} more" if len(rows) > 10 else ""
    raise ImportDataError(
        f"{where}: {len(rows)} feature(s) have a vertex that is not a finite number (NaN or "
        f"infinite): {', '.join(names)}{more}; fix or remove them in the source"
    )


def _read_openable(
    path: Path, openable: Path, source_layer: str | None, schema: LayerSchema
) -> tuple[pd.DataFrame, str]:
    """:func:`_read_source` from ``openable``, a path GDAL opens as ``path``."""
    try:
        available = list_layers(openable)
    except LayerError as exc:  # missing or not a GIS file
        raise ImportDataError(str(exc).replace(str(openable), str(path))) from exc
    is_dxf = path.suffix.lower() == ".dxf"
    cad_layer = None
    if is_dxf and source_layer is not None and source_layer not in available:
        cad_layer, source_layer = source_layer, None  # a DXF's layers are CAD layer names
    if source_layer is None:
        if schema.name in available:
            source_layer = schema.name
        elif len(available) == 1:
            source_layer = next(iter(available))
        else:
            raise ImportDataError(
                f"{path}: has several layers ({listing(available)}); "
                "choose one with --source-layer"
            )
    elif source_layer not in available:
        raise ImportDataError(f"{path}: no layer {quote(source_layer)} "
                              f"(has: {listing(available)})")
    try:
        with warnings.catch_warnings():
            # GDAL notes (e.g. on DXF entities it cannot translate) are not errors of ours.
            warnings.simplefilter("ignore", RuntimeWarning)
            # Indexed by the source's own feature ids, so that problems name them.
            frame = pyogrio.read_dataframe(
                openable, layer=source_layer, read_geometry=schema.geometry_types is not None,
                fid_as_index=True,
            )
    except Exception as exc:
        reason = shorten(str(exc).replace(str(openable), str(path)), 300)
        raise ImportDataError(f"{path}, layer {quote(source_layer)}: cannot be read "
                              f"({reason})") from exc
    if cad_layer is not None:
        on_layer = frame["Layer"] == cad_layer
        if not on_layer.any():
            names = sorted(map(str, pd.unique(frame["Layer"].dropna())))
            raise ImportDataError(
                f"{path}: no entities on CAD layer {quote(cad_layer)} "
                f"(CAD layers: {listing(names) or 'none'})"
            )
        # The index stays the entity's row in the drawing, so problems name the right one.
        frame, source_layer = frame.loc[on_layer], cad_layer
    if frame.empty:
        raise ImportDataError(f"{path}, layer {quote(source_layer)}: has no features")
    return frame, source_layer


def _place(
    frame: gpd.GeoDataFrame, target_crs: str, source_crs: str | None, where: str
) -> tuple[gpd.GeoDataFrame, gpd.GeoSeries]:
    """The frame in the province's CRS, and its geometries as surveyed (in the source's CRS,
    for messages); a source without a CRS needs ``source_crs``."""
    if source_crs is not None:
        try:
            given = CRS.from_user_input(source_crs)
        except Exception as exc:
            raise CRSError(f"{where}: --source-crs {source_crs!r} is not a CRS ({exc})") from exc
        if frame.crs is None:
            frame = frame.set_crs(given)
        elif CRS.from_user_input(frame.crs) != given:
            raise CRSError(
                f"{where}: the file declares {frame.crs.name!r} but the source CRS "
                f"given is {given.name!r}; fix the file's CRS or omit the source CRS"
            )
    if frame.crs is None:
        raise CRSError(
            f"{where}: the file has no CRS; give the one it was surveyed in "
            "(source_crs / --source-crs EPSG:xxxx)"
        )
    frame = frame.set_geometry(shapely.force_2d(np.asarray(frame.geometry.values)), crs=frame.crs)
    try:
        return to_crs(frame, target_crs, what=where), frame.geometry
    except CRSError as exc:
        raise CRSError(f"{where}: {exc}") from exc
    except Exception as exc:  # PROJ refuses coordinates outside the CRS's domain
        raise CRSError(
            f"{where}: coordinates cannot be transformed from {frame.crs.name!r} "
            f"to {target_crs} ({exc}); is the source CRS right?"
        ) from exc


def _closable(frame: gpd.GeoDataFrame, schema: LayerSchema) -> gpd.GeoDataFrame:
    """Closed outlines drawn as lines (CAD polylines) become polygons for polygon layers."""
    if "Polygon" not in (schema.geometry_types or ()):
        return frame
    geoms = np.asarray(frame.geometry.values)
    lines = np.isin(shapely.get_type_id(geoms), _LINES)
    if not lines.any():
        return frame
    built = shapely.build_area(geoms[lines])
    geoms = geoms.copy()
    # build_area gives an empty collection for an open line; keep the line so it is reported.
    geoms[lines] = np.where(shapely.is_empty(built), geoms[lines], built)
    return frame.set_geometry(geoms, crs=frame.crs)


def _dxf_labels(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Survey drawings label each outline with a text inside it (the plot code): an outline
    with exactly one label takes its text as ``Text``; others get none (a hatch's own
    ``Text`` is its pattern name, not a label), so a mapped ``Text`` is reported missing."""
    if "Text" not in frame.columns:
        return frame
    geoms = np.asarray(frame.geometry.values)
    ids = shapely.get_type_id(geoms)
    outlines = np.flatnonzero(np.isin(ids, (3, 6)))
    labels = np.flatnonzero((ids == 0) & frame["Text"].notna().to_numpy())
    text = frame["Text"].astype(object).to_numpy().copy()
    text[outlines] = None
    if len(outlines) and len(labels):
        label, outline = shapely.STRtree(geoms[outlines]).query(geoms[labels], predicate="within")
        single = np.bincount(outline, minlength=len(outlines))[outline] == 1
        text[outlines[outline[single]]] = frame["Text"].to_numpy()[labels[label[single]]]
    return frame.assign(Text=text)


def _dxf_entities(frame: gpd.GeoDataFrame, schema: LayerSchema) -> gpd.GeoDataFrame:
    """A DXF mixes every entity (text, dimension lines, outlines): keep the layer's kind."""
    family = _FAMILY[schema.geometry_types[0]]  # type: ignore[index]
    keep = np.isin(shapely.get_type_id(np.asarray(frame.geometry.values)), family)
    return frame.loc[keep]  # the index stays the source row, for messages


def _homogeneous(geoms: np.ndarray, schema: LayerSchema, stored: str | None) -> np.ndarray:
    """One geometry type per layer: single parts unless a multi-part feature (or the stored
    layer type) needs Multi*. Other types are left for validation to report."""
    allowed = schema.geometry_types or ()
    ids = shapely.get_type_id(geoms)
    parts = shapely.get_num_geometries(geoms)
    if "Point" in allowed:
        single = (ids == 4) & (parts == 1)
        return np.where(single, shapely.get_geometry(geoms, 0), geoms)
    polys, multis = ids == 3, ids == 6
    if "MultiPolygon" in allowed and ((multis & (parts > 1)).any() or stored == "MultiPolygon"):
        out = geoms.copy()
        if polys.any():
            out[polys] = shapely.multipolygons(geoms[polys], indices=np.arange(polys.sum()))
        return out
    return np.where(multis & (parts == 1), shapely.get_geometry(geoms, 0), geoms)


def _combine(
    keep: pd.DataFrame | None, imported: pd.DataFrame, schema: LayerSchema, stored: str | None
) -> pd.DataFrame:
    """The layer as it will be: the features kept (append) followed by the imported ones."""
    if isinstance(keep, gpd.GeoDataFrame) and keep.geometry.name != imported.geometry.name:
        keep = keep.rename_geometry(imported.geometry.name)
    combined = pd.concat([f for f in (keep, imported) if f is not None], ignore_index=True)
    if schema.geometry_types is None:
        return combined
    geoms = _homogeneous(np.asarray(combined[imported.geometry.name].values), schema, stored)
    return gpd.GeoDataFrame(
        combined.drop(columns=imported.geometry.name), geometry=geoms, crs=imported.crs
    )


def _target_crs(target: Path, layers: Mapping[str, pd.DataFrame]) -> str:
    """The province's CRS (from the file's dataset info), else that of its parks layer."""
    province = province_of(target)
    if province is not None:
        return province.crs
    for name in ("parks", "plots", "zones"):
        frame = layers.get(name)
        if isinstance(frame, gpd.GeoDataFrame) and frame.crs is not None:
            return frame.crs.to_wkt()
    raise CRSError(
        f"{target}: neither the province nor the CRS of its planning layers is "
        "known; cannot choose the CRS to import into"
    )


def _credit_source(
    report: ValidationReport,
    layer: str,
    target: Path,
    source: Path,
    source_layer: str,
    offset: int,
    source_rows: np.ndarray,
    located: gpd.GeoSeries | None,
    word: str = "fid",
) -> ValidationReport:
    """Problems of imported features name the source file, layer and the source's own fid,
    and where the feature lies in the source's own CRS (so the surveyor finds it in the
    drawing); the others name the target.

    ``offset``: how many features of the target precede the imported ones in the combined
    layer; ``source_rows``: the imported features' fids; ``located``: the source's
    geometries as read (by fid, in the source's CRS), None for a table; ``word``: what a
    source feature's id is called (``handle`` for a CAD entity).
    """
    p = report.problems.copy()
    row = pd.to_numeric(p.pop("_row"), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    mine = (p["layer"] == layer).to_numpy() & (row >= offset)
    fids = source_rows[(row[mine] - offset).astype(int)]
    unnamed = p.loc[mine, "feature_id"].str.match(r"^fid \d+$").to_numpy()
    p.loc[mine, "feature_id"] = np.where(unnamed, [f"{word} {f}" for f in fids],
                                         p.loc[mine, "feature_id"])
    notes = [f" ({word} {f}{_location(located, f)})" for f in fids]
    p.loc[mine, "message"] = p.loc[mine, "message"] + np.array(notes, dtype=object)
    p.loc[mine, "file"] = str(source)
    p.loc[mine, "layer"] = source_layer
    p.loc[~mine, "file"] = str(target)
    return ValidationReport(p.reset_index(drop=True))


def _location(located: gpd.GeoSeries | None, fid: object) -> str:
    """``", at x, y in CRS"``: the middle of a source feature's extent in the source's CRS."""
    if located is None or fid not in located.index:
        return ""
    geom = located.loc[fid]
    if geom is None or geom.is_empty:
        return ""
    with np.errstate(invalid="ignore", over="ignore"):
        x0, y0, x1, y1 = shapely.bounds(geom)
        x, y = (x0 + x1) / 2, (y0 + y1) / 2
    geographic = located.crs is not None and located.crs.is_geographic
    digits = 7 if geographic else 2
    crs = f" in {located.crs.name}" if located.crs is not None else ""
    return f", at {x:.{digits}f}, {y:.{digits}f}{crs}"


def import_layer(
    source_path: str | Path,
    target_gpkg: str | Path,
    layer: str,
    *,
    source_layer: str | None = None,
    field_map: Mapping[str, str] | None = None,
    defaults: Mapping[str, object] | None = None,
    mode: Mode = "append",
    dry_run: bool = False,
    source_crs: str | None = None,
    value_map: ValueMap | None = None,
    recorded_by: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import one surveyed layer into a province GeoPackage or database, checked as a whole.

    Parameters
    ----------
    source_path
        A GeoPackage, Shapefile, GeoJSON or DXF file (anything pyogrio reads).
    target_gpkg
        The province file (it must exist), or its ``postgresql://...?province=KEY`` URL.
    layer
        The planning layer to import into (``plots``, ``zones``, ``parks``, ...).
    source_layer
        The source's layer; by default the one named like ``layer``, or the only one. For a
        DXF, a CAD layer name selects that layer's entities.
    field_map
        Source field -> schema column. Other columns are matched by name, ignoring case.
        In a DXF, an outline's ``Text`` is the text label drawn inside it (``Text=plot_code``).
    defaults
        Schema column -> one value for every imported feature (a DXF has no attributes);
        it wins over a source field of the same name.
        Plots without an area field get ``area_ha`` measured from their outline.
    mode
        ``append`` adds the features to the layer, ``replace`` replaces its features.
    dry_run
        Check everything and return the report without writing (never raises on it).
    source_crs
        The CRS (``EPSG:3405``) of a source that declares none.
    value_map
        Coded column -> {source value: code} (``{"status": {"trống": "vacant"}}``). Values
        it leaves out are matched to the well-known Vietnamese survey values of the column
        (``đã thuê``, ``chưa GPMB``, ``cây xanh``), ignoring case and diacritics.
    recorded_by
        Who imports (default: the operating-system user). A target that keeps a plan history
        records the import as a change with the source file's name and SHA-256, this person
        and today's date, so ``history``, ``as-of`` and ``diff`` show it.
    progress
        Called with ``(steps done, IMPORT_STEPS)`` after each step: the source read, the
        target read, the plan checked, the layer written (a dry run ends with the check).
        Each step is one vectorised call, so this is as fine as progress gets without
        slowing the import down.

    Returns
    -------
    ImportResult
        Counts, the whole plan's validation report and whether the target was written.

    Raises
    ------
    ImportDataError
        The source cannot be read, has no features, has a vertex that is not a number, or
        its fields or coded values cannot be mapped (every unmapped value is named).
    CRSError
        The source has no CRS and none was given, or it cannot be placed in VN-2000.
    ValidationError
        The plan with the imported features breaks a rule (not for a dry run); its
        ``report`` lists every problem. The target file is left byte-identical (a database
        is left as it was).
    EditConflictError
        (database) Another writer changed the planning layers while the import was checked;
        nothing was written, run it again.
    """
    if layer not in SCHEMAS:
        raise ImportDataError(
            f"{target_gpkg}: cannot import into {layer!r}; planning layers are "
            f"{', '.join(SCHEMAS)}"
        )
    if mode not in ("append", "replace"):
        raise ImportDataError(f"mode must be 'append' or 'replace', not {mode!r}")
    request = _Request(Path(source_path), layer, source_layer, field_map or {}, defaults or {},
                       mode, source_crs, value_map or {})
    return _run(request, target_gpkg, dry_run, recorded_by, progress)


def import_features(
    features: gpd.GeoDataFrame,
    source_path: str | Path,
    source_layer: str,
    target_gpkg: str | Path,
    layer: str,
    *,
    defaults: Mapping[str, object] | None = None,
    mode: Mode = "append",
    dry_run: bool = False,
    recorded_by: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """:func:`import_layer` of features a reader of this package has already built (a CAD
    drawing's outlines, :mod:`.cad`): the same placing, mapping, validation, atomic write and
    history record. ``features`` carries its CRS and is indexed by the names problems give
    its features (a CAD entity's handle); ``source_path`` is the file recorded as the basis."""
    if layer not in SCHEMAS:
        raise ImportDataError(f"{target_gpkg}: cannot import into {layer!r}; planning layers "
                              f"are {', '.join(SCHEMAS)}")
    request = _Request(Path(source_path), layer, source_layer, {}, defaults or {}, mode, None,
                       {}, features=features)
    return _run(request, target_gpkg, dry_run, recorded_by, progress)


def _source_frame(request: _Request) -> tuple[pd.DataFrame, str]:
    """The features to import and the layer they are reported under."""
    if request.features is not None:
        return request.features, str(request.source_layer)
    return _read_source(request.source, request.source_layer, SCHEMAS[request.layer])


def _run(request: _Request, target_gpkg: str | Path, dry_run: bool,
         recorded_by: str | None, progress: Progress | None = None) -> ImportResult:
    """The import of ``request`` into a file or database (see :func:`import_layer`)."""
    layer = request.layer
    if is_database_url(target_gpkg):
        return _import_into_database(request, str(target_gpkg), dry_run, recorded_by,
                                     progress)
    target = Path(target_gpkg)
    list_layers(target)  # the target must exist and open before anything else
    frame, source_layer = _source_frame(request)
    notify(progress, 1, IMPORT_STEPS)
    request = replace(request, source_layer=source_layer)
    # Lock out other writers from the first read of the target to the write, so the plan
    # that is checked is the plan that is written. A dry run writes nothing and takes no lock.
    with contextlib.nullcontext() if dry_run else file_lock(target):
        layers, _ = read_layers_raw(target)
        notify(progress, 2, IMPORT_STEPS)
        stored = list_layers(target).get(layer)
        result, combined = _merge(request, frame, layers, stored, str(target),
                                  _target_crs(target, layers), dry_run)
        if dry_run:
            notify(progress, IMPORT_STEPS, IMPORT_STEPS)
            return result
        notify(progress, 3, IMPORT_STEPS)
        result.report.raise_if_problems()
        if keeps_history(target):
            new_plan = Plan.from_layers({**layers, layer: coerce(combined, SCHEMAS[layer])})
            record_write(target, new_plan, _import_basis(request, recorded_by), lock=False)
            notify(progress, IMPORT_STEPS, IMPORT_STEPS)
            return replace(result, written=True)
        description = _description(target, layer)
        write_layers(
            target,
            {layer: coerce(combined, SCHEMAS[layer])},
            descriptions={layer: description} if description else None,
            lock=False,
        )
    notify(progress, IMPORT_STEPS, IMPORT_STEPS)
    return replace(result, written=True)


def _import_basis(request: _Request, recorded_by: str | None) -> Basis:
    """The basis the import is recorded with: the source file's name and SHA-256, and who."""
    import hashlib

    digest = hashlib.sha256()
    # A directory source (a folder of shapefiles) is hashed file by file, in name order.
    files = sorted(p for p in request.source.iterdir() if p.is_file()) \
        if request.source.is_dir() else [request.source]
    for path in files:
        with open(path, "rb") as handle:
            for block in iter(functools.partial(handle.read, 1 << 20), b""):
                digest.update(block)
    name, sha = request.source.name, digest.hexdigest()
    return Basis.imported(
        name, recorded_by or current_user(), document_ref=f"sha256:{sha}",
        description=f"Nhập lớp {request.layer} từ {name} (sha256 {sha}) / {request.layer} "
                    f"imported from {name} (sha256 {sha})")


@dataclass(frozen=True)
class _Request:
    """What the caller asked to import, independent of the target's backend."""

    source: Path
    layer: str
    source_layer: str | None
    field_map: Mapping[str, str]
    defaults: Mapping[str, object]
    mode: Mode
    source_crs: str | None
    value_map: ValueMap
    #: features already read by another reader of this package (a CAD drawing), else None
    features: gpd.GeoDataFrame | None = None


def _merge(request: _Request, frame: pd.DataFrame, layers: Mapping[str, pd.DataFrame],
           stored: str | None, target: str, target_crs: str, dry_run: bool
           ) -> tuple[ImportResult, pd.DataFrame]:
    """Place, map and combine the source's features with the target's layers; check the plan.

    Coded values that map to no code raise, except in a dry run (which lists every problem).

    Returns the result (not yet written) and the layer as it would be written.
    """
    schema = SCHEMAS[request.layer]
    source, source_layer = request.source, str(request.source_layer)
    where = f"{source}, layer {quote(source_layer)}"  # a layer name may be megabytes long
    read = len(frame)
    skipped = 0
    located = None
    if schema.geometry_types is not None:
        frame, located = _place(frame, target_crs, request.source_crs, where)
        frame = _closable(frame, schema)
        if source.suffix.lower() == ".dxf" and request.features is None:
            if "Polygon" in schema.geometry_types:
                frame = _dxf_labels(frame)
            frame = _dxf_entities(frame, schema)
            skipped = read - len(frame)
            if frame.empty:
                raise ImportDataError(
                    f"{where}: none of its {read} entities is a "
                    f"{'/'.join(schema.geometry_types)}"
                )
    elif isinstance(frame, gpd.GeoDataFrame):
        frame = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    unmapped: list[str] = []
    imported, chosen = map_fields(frame, schema, request.field_map, request.defaults, where,
                                  request.value_map, unmapped if dry_run else None)
    existing = layers.get(request.layer)
    before = 0 if existing is None else len(existing)
    keep = existing if request.mode == "append" else None
    combined = _combine(keep, imported, schema, stored)
    offset = 0 if keep is None else len(keep)
    report = check_plan({**layers, request.layer: combined}, target, target_crs,
                        positions=True)
    report = _credit_source(report, request.layer, Path(target), source, source_layer,
                            offset, imported.index.to_numpy(), located,
                            "fid" if request.features is None else "handle")
    result = ImportResult(str(source), source_layer, target, request.layer, request.mode, read,
                          skipped, len(imported), before, len(combined),
                          tuple((src, dst) for dst, src in chosen.items()), report, False,
                          unmapped[0] if unmapped else "")
    return result, combined


def _import_into_database(request: _Request, url: str, dry_run: bool,
                          recorded_by: str | None = None,
                          progress: Progress | None = None) -> ImportResult:
    """The import into a PostGIS province: checked against one snapshot of its plan, written
    in one transaction that is refused if another writer changed the plan meanwhile."""
    from ..storage.postgis import store as postgis
    from ..storage.postgis.connect import parse_url

    target = parse_url(url)
    province = target.province  # refused here when the URL names no province
    plan, versions = postgis.read_plan_versioned(url)
    notify(progress, 1, IMPORT_STEPS)
    frame, source_layer = _source_frame(request)
    notify(progress, 2, IMPORT_STEPS)
    request = replace(request, source_layer=source_layer)
    stored = postgis.list_layers(url).get(request.layer)
    result, combined = _merge(request, frame, plan.layers(), stored, target.display,
                              province.crs, dry_run)
    if dry_run:
        notify(progress, IMPORT_STEPS, IMPORT_STEPS)
        return result
    notify(progress, 3, IMPORT_STEPS)
    result.report.raise_if_problems()
    new_plan = Plan.from_layers({**plan.layers(),
                                 request.layer: coerce(combined, SCHEMAS[request.layer])})
    write_plan(url, new_plan, expected_versions=versions,
               basis=_import_basis(request, recorded_by))
    notify(progress, IMPORT_STEPS, IMPORT_STEPS)
    return replace(result, written=True)


def _description(target: Path, layer: str) -> str | None:
    """The layer's description in ``gpkg_contents``, kept when the layer is rewritten."""
    if layer not in list_layers(target):
        return None
    meta = pyogrio.read_info(target, layer=layer).get("layer_metadata") or {}
    return meta.get("DESCRIPTION") or None
