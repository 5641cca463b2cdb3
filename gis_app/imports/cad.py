"""Import a park's detailed plan (quy hoạch chi tiết 1/2000, 1/500) from a CAD drawing.

Boards keep the detailed plan as AutoCAD drawings: each land use on its own CAD layer
(``DAT_CN``, ``CAY XANH``, ``GIAO THONG``...), each plot or zone a closed polyline or a hatch,
its code a text or a block attribute (``SO_LO``) written inside it, all in the VN-2000 TM-3 zone
of the *legacy* province (old Bắc Giang: 107°00′) that may differ from the province file's.

:func:`import_cad` reads the drawing with ezdxf (not GDAL: GDAL drops bulges' exact geometry,
hatch islands and entity handles), turns closed outlines on land-use layers into zones or plots,
densifies arcs to a stated chord error, gives each outline the code written inside it, and hands
the result to the checked import of :mod:`.importer` (placing in the province's zone, validation
of the whole plan, atomic write, history record). Problems of the drawing itself are found
first, one line each, naming the entity's handle: an **error** (a polyline on a land-use layer
that does not close, an outline without or with two codes) means nothing is written; a
**warning** (a line on a land-use layer, outlines of a land use the layer cannot hold, CAD
layers that name no land use) is reported and the import goes on.

Why an open polyline is an error: on a land-use layer it is an outline someone failed to close,
and importing the others would silently lose that plot's land; the surveyor closes it in CAD
(``PEDIT`` → Close). Ends closer than :data:`CLOSE_GAP_M` count as closed (a common CAD habit).

What is read: entities of model space (not geometry nested in block definitions, except the
attributes of block references), in the drawing's units taken as metres (VN-2000 drawings are
drawn in metres whatever ``$INSUNITS`` says).
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS

from ..errors import CRSError, ImportDataError, listing, quote, shorten
from ..formatting import trimmed
from ..i18n import label, t
from ..model.schema import PLOT_LAND_USES, ZONE_LAND_USES
from ..progress import Progress, notify, offset
from ..registry import LegacyZone, Province, registry, tm3_crs
from .importer import IMPORT_STEPS, ImportResult, Mode, import_features
from .survey_values import normalise

#: Default largest distance between a densified arc and the true circle (chord error), m.
ARC_TOLERANCE_M = 0.05
#: Smallest arc tolerance accepted: finer only multiplies vertices beyond survey accuracy.
MIN_ARC_TOLERANCE_M = 0.001
#: A polyline whose ends are closer than this (m) is closed even without CAD's closed flag.
CLOSE_GAP_M = 0.001
#: Block attribute tags that carry a plot code (compared ignoring case and diacritics).
PLOT_CODE_TAGS = ("SO_LO", "MA_LO", "LO", "SO_HIEU_LO", "KY_HIEU_LO", "KH_LO", "MALO", "SOLO")
#: The value of a ``--layer-map`` entry that leaves a CAD layer out on purpose.
IGNORE = "-"
#: Model-space entities read between two progress reports (a report per entity would cost
#: more than some entities take to read).
ENTITY_CHUNK = 500

#: Common Vietnamese CAD layer names (normalised: lower case, no diacritics, ``_`` as space)
#: and the land use they stand for, recognised without a layer map.
KNOWN_LAYERS: dict[str, str] = {
    **dict.fromkeys(("dat cn", "dat cong nghiep", "cn", "cong nghiep", "dat nha may",
                     "dat xay dung nha may", "nha may", "xnck"), "industrial"),
    **dict.fromkeys(("cay xanh", "cx", "dat cay xanh", "dat cx", "cay xanh cach ly",
                     "cay xanh tap trung", "mat cay xanh"), "green"),
    **dict.fromkeys(("giao thong", "gt", "dat giao thong", "dat gt", "duong giao thong",
                     "bai do xe", "giao thong noi bo"), "roads"),
    **dict.fromkeys(("kho", "kho bai", "dat kho", "dat kho bai", "kho tang", "kho van",
                     "logistics"), "warehouse_logistics"),
    **dict.fromkeys(("htkt", "dau moi", "dat htkt", "dau moi htkt", "dat dau moi",
                     "dau moi ha tang", "ha tang ky thuat", "dat ha tang ky thuat"),
                    "technical_infrastructure"),
    **dict.fromkeys(("dhdh", "dieu hanh", "dat dhdh", "dieu hanh dich vu", "dat dieu hanh",
                     "trung tam dieu hanh", "dich vu", "dat dich vu", "dv", "ttdh"),
                    "service_admin"),
    **dict.fromkeys(("mat nuoc", "dat mat nuoc", "mn", "ho nuoc", "song ho", "kenh muong"),
                    "water"),
}

Severity = Literal["error", "warning"]
CadLayer = Literal["plots", "zones"]


@dataclass(frozen=True)
class CadProblem:
    """One problem of the drawing: ``key`` names its catalogue text (``cad.<key>``)."""

    severity: Severity
    key: str
    values: tuple[tuple[str, object], ...] = ()

    def text(self, lang: str = "vi") -> str:
        """The problem on one line, in ``lang``."""
        text = t(f"cad.{self.key}", lang, **dict(self.values))
        return f"{t(f'cad.{self.severity}', lang)}: {text}"


@dataclass(frozen=True)
class CadImportResult:
    """What :func:`import_cad` did (or, for a dry run or a drawing with errors, would do)."""

    source: str  #: the drawing (DXF or DWG)
    target: str  #: the province file
    layer: str  #: the planning layer imported into: ``plots`` or ``zones``
    source_crs: str  #: the drawing's CRS, by name
    arc_tolerance: float  #: largest chord error of densified arcs, m
    #: outlines found per land use (closed polylines, hatches, circles on land-use layers)
    land_uses: tuple[tuple[str, int], ...]
    #: CAD layers that name no land use, with the outlines each has (left out)
    unknown_layers: tuple[tuple[str, int], ...]
    problems: tuple[CadProblem, ...]  #: the drawing's own problems, one per line
    #: the checked import of the outlines (None when the drawing had errors and was not read
    #: into the plan, except a dry run, which always checks what could be read)
    result: ImportResult | None = None

    @property
    def errors(self) -> tuple[CadProblem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def written(self) -> bool:
        return self.result is not None and self.result.written

    @property
    def ok(self) -> bool:
        """No error in the drawing and none in the plan it makes."""
        return not self.errors and self.result is not None and self.result.report.ok

    def lines(self, lang: str = "vi") -> list[str]:
        """The report: what was read, each problem on its line, what was (would be) written."""
        uses = ", ".join(f"{label(use, lang)}: {n}" for use, n in self.land_uses) or "0"
        out = [t("cad.read", lang, source=self.source, uses=uses, crs=self.source_crs,
                 tolerance=trimmed(self.arc_tolerance, lang, 3))]
        if self.unknown_layers:
            out.append(t("cad.unknown_layers", lang, layers=listing(
                f"{quote(name)} ({n})" for name, n in self.unknown_layers)))
        out += [p.text(lang) for p in self.problems]
        if self.result is not None:
            r = self.result
            verb = t("cad.verb_written" if r.written else "cad.verb_dry_run", lang)
            out.append(t("cad.imported", lang, verb=verb, imported=r.imported,
                         layer=t(f"layer.{r.layer}", lang), target=r.target,
                         mode=t(f"cad.mode_{r.mode}", lang), before=r.before, after=r.after))
        return out

    def summary(self, lang: str = "vi") -> str:
        return "\n".join(self.lines(lang))


class CadDrawingError(ImportDataError):
    """The drawing has errors (listed in ``result.problems``); nothing was written."""

    def __init__(self, message: str, result: CadImportResult) -> None:
        super().__init__(message)
        self.result = result


# --- arcs --------------------------------------------------------------------------------------


class _NotFinite(ValueError):
    """An outline has a vertex, radius or bulge that is not a finite number."""


def arc_segments(radius: float, sweep: float, tolerance: float) -> int:
    """How many equal chords approximate an arc of ``radius`` and ``sweep`` (radians) so that
    no chord lies farther than ``tolerance`` from the circle: a chord spanning angle ``a`` is
    ``radius * (1 - cos(a / 2))`` from it at its middle (the sagitta)."""
    if not (math.isfinite(radius) and math.isfinite(sweep)):
        raise _NotFinite
    if radius <= tolerance:
        return max(1, math.ceil(abs(sweep) / (math.pi / 2)))
    step = 2 * math.acos(1 - tolerance / radius)
    return max(1, math.ceil(abs(sweep) / step - 1e-9))


def arc_points(center: complex, radius: float, start: float, sweep: float,
               tolerance: float) -> list[complex]:
    """The vertices (first and last included, all on the circle) of an arc from angle
    ``start`` turning ``sweep`` radians (positive: counter-clockwise), chord error at most
    ``tolerance``."""
    n = arc_segments(radius, sweep, tolerance)
    return [center + radius * complex(math.cos(a), math.sin(a))
            for a in (start + sweep * k / n for k in range(n + 1))]


def bulge_points(p0: complex, p1: complex, bulge: float, tolerance: float) -> list[complex]:
    """The vertices of a polyline segment from ``p0`` to ``p1`` with CAD ``bulge`` (the tangent
    of a quarter of the arc's sweep, positive counter-clockwise), ``p0`` and ``p1`` included."""
    chord = abs(p1 - p0)
    if bulge == 0 or chord == 0:
        return [p0, p1]
    sweep = 4 * math.atan(bulge)
    radius = chord / (2 * abs(math.sin(sweep / 2)))
    # The centre lies on the chord's perpendicular bisector, to the left for a ccw arc.
    center = (p0 + p1) / 2 + 1j * (p1 - p0) / chord * (chord / 2) / math.tan(sweep / 2)
    points = arc_points(center, radius, math.atan2((p0 - center).imag, (p0 - center).real),
                        sweep, tolerance)
    points[0], points[-1] = p0, p1  # exactly the drawn vertices
    return points


def densify(vertices: Sequence[tuple[float, float, float]], tolerance: float) -> list[complex]:
    """A closed ring's vertices from ``(x, y, bulge)`` triples, each bulge the arc from its
    vertex to the next (the last one's to the first), arcs densified to ``tolerance``."""
    points = [complex(x, y) for x, y, _ in vertices]
    ring: list[complex] = []
    for i, (_, _, bulge) in enumerate(vertices):
        segment = bulge_points(points[i], points[(i + 1) % len(points)], bulge, tolerance)
        ring += segment[:-1]
    return ring


# --- reading the drawing -----------------------------------------------------------------------


@dataclass
class _Outline:
    handle: str
    entity: str
    cad_layer: str
    geometry: shapely.Geometry  #: a Polygon or MultiPolygon, in the drawing's coordinates


@dataclass
class _Label:
    text: str
    point: shapely.Point
    attribute: bool  #: from a block attribute with a plot-code tag (wins over plain text)


@dataclass
class _Drawing:
    outlines: list[_Outline] = field(default_factory=list)
    labels: list[_Label] = field(default_factory=list)
    problems: list[CadProblem] = field(default_factory=list)
    unknown: Counter[str] = field(default_factory=Counter)


def _problem(severity: Severity, key: str, **values: object) -> CadProblem:
    return CadProblem(severity, key, tuple(values.items()))


def _entity_values(entity: object) -> dict[str, object]:
    return {"entity": entity.dxftype(), "handle": entity.dxf.handle,  # type: ignore[attr-defined]
            "layer": quote(entity.dxf.layer)}  # type: ignore[attr-defined]


def _to_wcs(entity: object, points: list[complex]) -> list[tuple[float, float]]:
    """Points of an entity's object coordinate system in world coordinates (a mirrored
    polyline has extrusion (0, 0, -1): its x runs the other way)."""
    from ezdxf.math import Vec3

    extrusion = Vec3(entity.dxf.get("extrusion", (0, 0, 1)))  # type: ignore[attr-defined]
    if extrusion.isclose((0, 0, 1)):
        return [(p.real, p.imag) for p in points]
    ocs = entity.ocs()  # type: ignore[attr-defined]
    return [(v.x, v.y) for v in (ocs.to_wcs(Vec3(p.real, p.imag, 0)) for p in points)]


def _polygon(rings: list[list[tuple[float, float]]]) -> shapely.Geometry:
    """The area the rings enclose, nested rings being holes (a hatch's islands); a ring that
    crosses itself is kept as drawn, for validation to report."""
    if not all(math.isfinite(c) for ring in rings for point in ring for c in point):
        raise _NotFinite
    if len(rings) == 1:
        return shapely.Polygon(rings[0])
    return shapely.build_area(shapely.MultiLineString([r + r[:1] for r in rings]))


def _polyline_vertices(entity: object) -> tuple[list[tuple[float, float, float]], bool] | None:
    """An LWPOLYLINE's or 2D/3D POLYLINE's ``(x, y, bulge)`` vertices and closed flag."""
    kind = entity.dxftype()  # type: ignore[attr-defined]
    if kind == "LWPOLYLINE":
        return ([(x, y, b) for x, y, b in entity.get_points("xyb")],  # type: ignore[attr-defined]
                bool(entity.closed))  # type: ignore[attr-defined]
    if entity.is_2d_polyline or entity.is_3d_polyline:  # type: ignore[attr-defined]
        bulges = entity.is_2d_polyline  # type: ignore[attr-defined]
        return ([(v.dxf.location.x, v.dxf.location.y, v.dxf.bulge if bulges else 0.0)
                 for v in entity.vertices],  # type: ignore[attr-defined]
                bool(entity.is_closed))  # type: ignore[attr-defined]
    return None  # a polyface or polygon mesh: not an outline


def _polyline_outline(entity: object, tolerance: float
                      ) -> tuple[shapely.Geometry | None, CadProblem | None]:
    found = _polyline_vertices(entity)
    values = _entity_values(entity)
    if found is None:
        return None, _problem("warning", "not_outline", **values)
    vertices, closed = found
    if len(vertices) >= 2 and not closed:
        (x0, y0, _), (x1, y1, _) = vertices[0], vertices[-1]
        gap = math.hypot(x1 - x0, y1 - y0)
        if gap <= CLOSE_GAP_M:
            closed, vertices = True, vertices[:-1]
        else:
            return None, _problem("error", "open_polyline", **values,
                                  first=f"{x0:.3f}, {y0:.3f}", last=f"{x1:.3f}, {y1:.3f}",
                                  gap=f"{gap:.3f}")
    distinct = {(round(x, 6), round(y, 6)) for x, y, _ in vertices}
    if len(distinct) < 3 and not any(b for _, _, b in vertices):
        return None, _problem("error", "degenerate", **values)
    return _polygon([_to_wcs(entity, densify(vertices, tolerance))]), None


def _edge_points(edge: object, tolerance: float) -> list[complex]:
    """One hatch boundary edge as points, in its counter-clockwise parametrisation (the ring
    is chained by nearest ends, so an edge drawn clockwise is reversed there)."""
    from ezdxf.entities.boundary_paths import EdgeType

    kind = edge.type  # type: ignore[attr-defined]
    if kind == EdgeType.LINE:
        return [complex(edge.start.x, edge.start.y),  # type: ignore[attr-defined]
                complex(edge.end.x, edge.end.y)]  # type: ignore[attr-defined]
    if kind == EdgeType.ARC:
        start, end = edge.start_angle, edge.end_angle  # type: ignore[attr-defined]
        sweep = (end - start) % 360 or 360.0
        center = complex(edge.center.x, edge.center.y)  # type: ignore[attr-defined]
        return arc_points(center, edge.radius, math.radians(start),  # type: ignore[attr-defined]
                          math.radians(sweep), tolerance)
    tool = edge.construction_tool()  # type: ignore[attr-defined]  # ellipse or spline
    return [complex(v.x, v.y) for v in tool.flattening(tolerance)]


def _chain(pieces: list[list[complex]]) -> list[complex]:
    """Edges joined end to start, each turned to continue from where the last one ended."""
    ring: list[complex] = list(pieces[0]) if pieces else []
    if len(pieces) > 1 and min(abs(pieces[1][0] - ring[0]), abs(pieces[1][-1] - ring[0])) < \
            min(abs(pieces[1][0] - ring[-1]), abs(pieces[1][-1] - ring[-1])):
        ring.reverse()  # the first edge runs backwards
    for piece in pieces[1:]:
        if abs(piece[-1] - ring[-1]) < abs(piece[0] - ring[-1]):
            piece = piece[::-1]
        ring += piece[1:] if abs(piece[0] - ring[-1]) < 1e-9 else piece
    if len(ring) > 1 and abs(ring[0] - ring[-1]) < 1e-9:
        ring.pop()
    return ring


def _hatch_outline(entity: object, tolerance: float
                   ) -> tuple[shapely.Geometry | None, CadProblem | None]:
    from ezdxf.entities.boundary_paths import BoundaryPathType

    rings = []
    for path in entity.paths:  # type: ignore[attr-defined]
        if path.type == BoundaryPathType.POLYLINE:
            points = densify([(x, y, b) for x, y, b in path.vertices], tolerance)
        else:
            points = _chain([_edge_points(e, tolerance) for e in path.edges])
        if len(points) >= 3:
            rings.append(_to_wcs(entity, points))
    if not rings:
        return None, _problem("error", "degenerate", **_entity_values(entity))
    return _polygon(rings), None


def _circle_outline(entity: object, tolerance: float
                    ) -> tuple[shapely.Geometry | None, CadProblem | None]:
    c = entity.dxf.center  # type: ignore[attr-defined]
    points = arc_points(complex(c.x, c.y), entity.dxf.radius, 0.0,  # type: ignore[attr-defined]
                        2 * math.pi, tolerance)[:-1]
    return _polygon([_to_wcs(entity, points)]), None


_OUTLINES = {"LWPOLYLINE": _polyline_outline, "POLYLINE": _polyline_outline,
             "HATCH": _hatch_outline, "CIRCLE": _circle_outline}
#: Entities that draw lines but never enclose land by themselves.
_LINEWORK = ("LINE", "ARC", "SPLINE", "ELLIPSE")


def _text_labels(entity: object, label_layers: frozenset[str] | None) -> Iterator[_Label]:
    kind = entity.dxftype()  # type: ignore[attr-defined]
    if kind == "INSERT":
        for attrib in entity.attribs:  # type: ignore[attr-defined]
            if normalise(attrib.dxf.tag) in _TAGS and attrib.dxf.text.strip():
                yield _Label(attrib.dxf.text.strip(), _text_point(attrib), True)
        return
    if kind not in ("TEXT", "MTEXT"):
        return
    if label_layers is not None and entity.dxf.layer not in label_layers:  # type: ignore[attr-defined]
        return
    text = entity.plain_text().strip()  # type: ignore[attr-defined]
    if text:
        yield _Label(" ".join(text.split()), _text_point(entity), False)


_TAGS = frozenset(normalise(tag) for tag in PLOT_CODE_TAGS)


def _text_point(entity: object) -> shapely.Point:
    """Where a TEXT, ATTRIB or MTEXT sits: its alignment point when it is not left-aligned
    on the baseline (then CAD keeps the insertion point only for display)."""
    from ezdxf.math import Vec3

    dxf = entity.dxf  # type: ignore[attr-defined]
    point = Vec3(dxf.insert)
    if entity.dxftype() == "MTEXT":  # type: ignore[attr-defined]
        return shapely.Point(point.x, point.y)  # MTEXT's insertion point is in WCS
    if (dxf.get("halign", 0) or dxf.get("valign", 0)) and dxf.hasattr("align_point"):
        point = Vec3(dxf.align_point)
    return shapely.Point(_to_wcs(entity, [complex(point.x, point.y)])[0])


def _read_drawing(doc: object, uses: Mapping[str, str | None], tolerance: float,
                  label_layers: frozenset[str] | None,
                  progress: Progress | None = None) -> _Drawing:
    """Outlines on land-use layers, every label, and the drawing's problems, in model space;
    ``progress`` hears ``(entities read, entities)`` every :data:`ENTITY_CHUNK` entities."""
    drawing = _Drawing()
    space = doc.modelspace()  # type: ignore[attr-defined]
    for number, entity in enumerate(space, 1):
        if number % ENTITY_CHUNK == 0:
            notify(progress, number, len(space))
        kind, layer = entity.dxftype(), entity.dxf.layer
        drawing.labels += _text_labels(entity, label_layers)
        if kind not in _OUTLINES and kind not in _LINEWORK:
            continue
        if layer not in uses:
            if kind in _OUTLINES:
                drawing.unknown[layer] += 1
            continue
        if uses[layer] is None:  # left out on purpose (LAYER=-)
            continue
        if kind in _LINEWORK:
            drawing.problems.append(_problem("warning", "not_outline", **_entity_values(entity)))
            continue
        try:
            geometry, problem = _OUTLINES[kind](entity, tolerance)
        except _NotFinite:  # a broken export: nothing can be measured or placed
            geometry, problem = None, _problem("error", "not_finite", **_entity_values(entity))
        if problem is not None:
            drawing.problems.append(problem)
        if geometry is not None and not shapely.is_empty(geometry):
            drawing.outlines.append(_Outline(entity.dxf.handle, kind, layer, geometry))
    notify(progress, len(space), len(space))
    return drawing


# --- layer names and land uses -----------------------------------------------------------------


def parse_layer_map(text: str | Iterable[str] | Mapping[str, str] | None,
                    lang: str = "vi") -> dict[str, str]:
    """``"DAT_CN=industrial,CAY_XANH=green"`` (or several such strings, or a mapping) as
    ``{CAD layer: land use}``; a value ``-`` leaves the layer out on purpose."""
    if text is None:
        return {}
    if isinstance(text, Mapping):
        return {str(k): str(v) for k, v in text.items()}
    parts = [text] if isinstance(text, str) else list(text)
    mapping: dict[str, str] = {}
    for part in parts:
        for item in part.split(","):
            if not item.strip():
                continue
            name, sep, use = item.partition("=")
            if not sep or not name.strip() or not use.strip():
                raise ImportDataError(t("cad.bad_map_entry", lang, entry=quote(item)))
            mapping[name.strip()] = use.strip()
    return mapping


def recognised_land_use(cad_layer: str) -> str | None:
    """The land use a common Vietnamese CAD layer name stands for (``DAT_CN``, ``Cây xanh``,
    ``GT``...), else None. A name like ``QH_DAT_CN`` or ``DAT CN 1`` is tried without its
    prefix and trailing number too."""
    name = normalise(cad_layer)
    candidates = [name, re.sub(r"(\s\d+)+$", "", name)]
    for prefix in ("qh ", "qhct ", "ranh ", "hatch ", "ht "):
        candidates += [c[len(prefix):] for c in list(candidates) if c.startswith(prefix)]
    for candidate in candidates:
        if candidate in KNOWN_LAYERS:
            return KNOWN_LAYERS[candidate]
    return None


def _layer_uses(layers: Iterable[str], layer_map: Mapping[str, str], lang: str
                ) -> dict[str, str | None]:
    """CAD layer -> land use (None: left out on purpose) for every layer the map or the
    known names cover. A map entry to something not a land use is an error."""
    for name, value in layer_map.items():
        if value != IGNORE and value not in ZONE_LAND_USES:
            raise ImportDataError(t("cad.bad_land_use", lang, layer=quote(name), use=quote(value),
                                    codes=", ".join(ZONE_LAND_USES)))
    by_normalised = {normalise(k): v for k, v in layer_map.items()}
    uses: dict[str, str | None] = {}
    for layer in layers:
        use: str | None = (layer_map[layer] if layer in layer_map
                           else by_normalised.get(normalise(layer)))
        use = use if use is not None else recognised_land_use(layer)
        if use is None:
            continue
        uses[layer] = None if use == IGNORE else use
    return uses


# --- the drawing's CRS -------------------------------------------------------------------------


def parse_meridian(value: str | float, lang: str = "vi") -> float:
    """A central meridian in degrees from ``107``, ``105.5``, ``105-30``, ``105°30′``."""
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().replace(",", ".")
    match = re.fullmatch(r"(\d{2,3}(?:\.\d+)?)", text)
    if match:
        return float(match.group(1))
    match = re.fullmatch(r"(\d{2,3})\s*(?:°|-|\s|d)\s*(\d{1,2})\s*(?:′|'|m)?", text)
    if match:
        return int(match.group(1)) + int(match.group(2)) / 60
    raise CRSError(t("cad.bad_zone", lang, value=quote(value)))


def _legacy_zone(name: str, province: Province | None, lang: str) -> LegacyZone:
    """The legacy province ``name`` (Vietnamese or English, any case or diacritics), the
    target province's own first."""
    wanted = normalise(name)
    zones = list(province.legacy_zones if province else ())
    zones += [z for p in registry().values() for z in p.legacy_zones]
    for zone in zones:
        if wanted in (normalise(zone.name_vi), normalise(zone.name_en)):
            return zone
    known = (province.legacy_zones if province else ()) or zones
    raise CRSError(t("cad.unknown_legacy", lang, name=quote(name),
                     known=listing(dict.fromkeys(z.name_vi for z in known))))


def drawing_crs(province: Province | None, *, source_crs: str | None = None,
                from_zone: str | float | None = None, legacy_province: str | None = None,
                lang: str = "vi") -> CRS:
    """The CRS a drawing is in: the one given (a CRS, a TM-3 central meridian or a legacy
    province, at most one), else the zone of the province's legacy provinces when they all
    share one. A merged province whose legacy provinces used different zones (Bắc Ninh:
    105°30′ and old Bắc Giang's 107°00′) needs the choice: a guess would misplace a drawing
    by 150 km."""
    given = [v for v in (source_crs, from_zone, legacy_province) if v not in (None, "")]
    if len(given) > 1:
        raise CRSError(t("cad.crs_conflict", lang))
    if source_crs:
        try:
            return CRS.from_user_input(source_crs)
        except Exception as exc:
            raise CRSError(t("cad.bad_crs", lang, crs=quote(source_crs),
                             reason=shorten(exc, 200))) from exc
    if from_zone not in (None, ""):
        meridian = parse_meridian(from_zone, lang)
        if not 100 <= meridian <= 112:
            raise CRSError(t("cad.bad_zone", lang, value=quote(from_zone)))
        return tm3_crs(meridian)
    if legacy_province:
        return CRS.from_epsg(_legacy_zone(legacy_province, province, lang).epsg)
    if province is None:
        raise CRSError(t("cad.crs_unknown", lang))
    zones = {z.epsg: z for z in province.legacy_zones}
    if len(zones) != 1:
        raise CRSError(t("cad.crs_ambiguous", lang, province=province.name_vi, zones=", ".join(
            f"{z.name_vi} {_dms(z.central_meridian)} (EPSG:{z.epsg})"
            for z in province.legacy_zones)))
    return CRS.from_epsg(next(iter(zones)))


def _dms(meridian: float) -> str:
    return f"{int(meridian)}°{round(meridian % 1 * 60):02d}′"


def _target_province(target: str | Path) -> Province | None:
    from ..storage.gpkg import province_of
    from ..storage.postgis.connect import is_database_url, parse_url

    if is_database_url(target):
        return parse_url(str(target)).province
    return province_of(Path(target))


# --- opening the file --------------------------------------------------------------------------


def _open(path: Path, lang: str) -> object:
    """The drawing as an ezdxf document: a DXF read directly, a DWG through the ODA File
    Converter when it is installed (else a message saying how to export DXF)."""
    import ezdxf
    from ezdxf.lldxf.const import DXFError

    if not path.is_file():
        raise ImportDataError(t("cad.missing", lang, source=path))
    if path.suffix.lower() == ".dwg":
        import importlib

        # Imported by name: mypy does not see this module's functions in ezdxf's package.
        odafc = importlib.import_module("ezdxf.addons.odafc")
        if not odafc.is_installed():
            raise ImportDataError(t("cad.dwg_no_converter", lang, source=path))
        try:
            return odafc.readfile(str(path))
        except Exception as exc:  # the converter's own failure, shown as one line
            raise ImportDataError(t("cad.dwg_failed", lang, source=path,
                                    reason=shorten(exc, 200))) from exc
    try:
        return ezdxf.readfile(path)
    except (OSError, DXFError, UnicodeDecodeError, ValueError) as exc:
        raise ImportDataError(t("cad.unreadable", lang, source=path,
                                reason=shorten(exc, 200))) from exc


# --- outlines to features ----------------------------------------------------------------------


def _labelled(drawing: _Drawing, outlines: list[_Outline], layer: CadLayer
              ) -> tuple[list[str | None], list[CadProblem]]:
    """Each outline's code: the label inside it (a plot-code attribute wins over plain text),
    each label going to the smallest outline that holds it (a plot inside its zone)."""
    codes: list[str | None] = [None] * len(outlines)
    problems: list[CadProblem] = []
    if not outlines:
        return codes, problems
    geoms = np.array([o.geometry for o in outlines], dtype=object)
    areas = shapely.area(geoms)
    inside: dict[int, list[_Label]] = {}
    if drawing.labels:
        points = np.array([lb.point for lb in drawing.labels], dtype=object)
        label_i, outline_i = shapely.STRtree(geoms).query(points, predicate="within")
        best: dict[int, int] = {}
        for li, oi in zip(label_i.tolist(), outline_i.tolist(), strict=True):
            if li not in best or areas[oi] < areas[best[li]]:
                best[li] = oi
        for li, oi in best.items():
            inside.setdefault(oi, []).append(drawing.labels[li])
    for i, outline in enumerate(outlines):
        found = inside.get(i, [])
        attributes = [lb.text for lb in found if lb.attribute]
        texts = list(dict.fromkeys(attributes or [lb.text for lb in found]))
        values = {"entity": outline.entity, "handle": outline.handle,
                  "layer": quote(outline.cad_layer)}
        if len(texts) == 1:
            codes[i] = texts[0]
        elif len(texts) > 1:
            problems.append(_problem("error", "several_labels", **values,
                                     labels=listing(quote(x) for x in texts)))
        elif layer == "plots":
            problems.append(_problem("error", "no_label", **values))
    return codes, problems


def _features(drawing: _Drawing, uses: Mapping[str, str | None], layer: CadLayer,
              crs: CRS) -> tuple[gpd.GeoDataFrame, list[CadProblem], Counter[str]]:
    """The outlines the layer takes as features (indexed by handle), their problems, and the
    outlines found per land use."""
    found = Counter(str(uses[o.cad_layer]) for o in drawing.outlines)
    allowed = PLOT_LAND_USES if layer == "plots" else ZONE_LAND_USES
    kept = [o for o in drawing.outlines if uses[o.cad_layer] in allowed]
    problems = [_problem("warning", "not_plot_land_use", count=n, land_use=use)
                for use, n in sorted(found.items()) if use not in allowed]
    codes, label_problems = _labelled(drawing, kept, layer)
    key = "plot_code" if layer == "plots" else "zone_id"
    frame = gpd.GeoDataFrame(
        {key: [c if c is not None else (None if layer == "plots" else f"Z{o.handle}")
               for c, o in zip(codes, kept, strict=True)],
         "land_use": [uses[o.cad_layer] for o in kept]},
        geometry=[o.geometry for o in kept], crs=crs,
        index=[o.handle for o in kept])
    return frame, problems + label_problems, found


def import_cad(
    source: str | Path,
    target: str | Path,
    *,
    layer: CadLayer = "plots",
    layer_map: str | Iterable[str] | Mapping[str, str] | None = None,
    label_layers: Iterable[str] | None = None,
    arc_tolerance: float = ARC_TOLERANCE_M,
    source_crs: str | None = None,
    from_zone: str | float | None = None,
    legacy_province: str | None = None,
    defaults: Mapping[str, object] | None = None,
    mode: Mode = "append",
    dry_run: bool = False,
    recorded_by: str | None = None,
    lang: str = "vi",
    progress: Progress | None = None,
) -> CadImportResult:
    """Import the zones or plots of a park's detailed plan from a DXF (or DWG) drawing.

    Parameters
    ----------
    source
        The drawing: a ``.dxf``, or a ``.dwg`` when the ODA File Converter is installed.
    target
        The province file, or its ``postgresql://...?province=KEY`` URL.
    layer
        ``plots`` (default: outlines of a plot land use, each with its code inside) or
        ``zones`` (every land use; an outline without a code gets ``Z<handle>``).
    layer_map
        CAD layer -> land use code (``"DAT_CN=industrial,CAY_XANH=green"``, a list of such
        strings or a mapping; ``LAYER=-`` leaves a layer out). Layers it does not name are
        matched to common Vietnamese names (:data:`KNOWN_LAYERS`); the rest are listed in the
        result as unknown.
    label_layers
        Only TEXT/MTEXT on these CAD layers give codes (when lots also carry area texts).
        Block attributes tagged like ``SO_LO``, ``MA_LO``, ``LO`` are always read.
    arc_tolerance
        Largest distance (m) between a densified arc (bulge, hatch arc, circle) and the true
        circle; every densified vertex lies on the circle.
    source_crs, from_zone, legacy_province
        The drawing's CRS (at most one): a CRS (``EPSG:9214``), a VN-2000 TM-3 central
        meridian (``107``, ``105-30``) or the legacy province whose zone it uses
        (``Bắc Giang``). By default the zone of the province's legacy provinces, when they
        all share one.
    defaults
        Column -> one value for every feature (``park_code``, ``status``,
        ``ready_built_factory``); plots' ``area_ha`` is measured in the province's zone.
    mode, dry_run, recorded_by
        As for :func:`gis_app.imports.import_layer`: append or replace, check without
        writing, who is recorded in the plan history.
    lang
        Language of the messages (``vi`` or ``en``).
    progress
        Called with ``(done, total)``: the model space's entities as they are read (every
        :data:`ENTITY_CHUNK`), then the layer import's steps (``IMPORT_STEPS`` more).

    Returns
    -------
    CadImportResult
        What was read, every problem of the drawing and the checked import's result.

    Raises
    ------
    CadDrawingError
        The drawing has errors (not for a dry run); ``result.problems`` lists them. Nothing
        is written.
    ImportDataError, CRSError, ValidationError
        As :func:`gis_app.imports.import_layer`: an unreadable drawing, an unknown land use
        in the map, no CRS, or a plan the outlines break. The target is left byte-identical.
    """
    path = Path(source)
    if layer not in ("plots", "zones"):
        raise ImportDataError(t("cad.bad_layer", lang, layer=quote(layer)))
    if not (isinstance(arc_tolerance, int | float) and math.isfinite(arc_tolerance)
            and arc_tolerance >= MIN_ARC_TOLERANCE_M):
        raise ImportDataError(t("cad.bad_tolerance", lang, value=quote(arc_tolerance),
                                minimum=MIN_ARC_TOLERANCE_M))
    if mode not in ("append", "replace"):
        raise ImportDataError(t("cad.bad_mode", lang, mode=quote(mode)))
    mapping = parse_layer_map(layer_map, lang)
    crs = drawing_crs(_target_province(target), source_crs=source_crs, from_zone=from_zone,
                      legacy_province=legacy_province, lang=lang)
    doc = _open(path, lang)
    names = [entry.dxf.name for entry in doc.layers]  # type: ignore[attr-defined]
    names += [e.dxf.layer for e in doc.modelspace()]  # type: ignore[attr-defined]
    uses = _layer_uses(dict.fromkeys(names), mapping, lang)
    labels = frozenset(label_layers) if label_layers else None
    entities = len(doc.modelspace())  # type: ignore[attr-defined]
    total = entities + IMPORT_STEPS
    drawing = _read_drawing(doc, uses, float(arc_tolerance), labels,
                            offset(progress, 0, total))
    frame, problems, found = _features(drawing, uses, layer, crs)
    result = CadImportResult(
        str(path), str(target), layer, crs.name, float(arc_tolerance),
        tuple(sorted(found.items())), tuple(sorted(drawing.unknown.items())),
        tuple(drawing.problems + problems))
    if frame.empty:
        raise CadDrawingError(t("cad.no_outlines", lang, source=path,
                                layer=t(f"layer.{layer}", lang),
                                layers=listing(dict.fromkeys(names)) or "-"), result)
    if result.errors and not dry_run:
        raise CadDrawingError(t("cad.has_errors", lang, source=path,
                                count=len(result.errors)), result)
    cad_layers = ", ".join(sorted({o.cad_layer for o in drawing.outlines
                                   if o.handle in frame.index}))
    imported = import_features(frame, path, cad_layers,
                               target, layer, defaults=defaults, mode=mode, dry_run=dry_run,
                               recorded_by=recorded_by,
                               progress=offset(progress, entities, total))
    return dataclasses.replace(result, result=imported)
