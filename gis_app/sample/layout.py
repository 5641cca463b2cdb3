"""Generated park layouts: outline, internal roads, functional zones and plots.

A park is laid out in its own local frame (metres, origin at the outline's lower-left corner,
x along the long side) as a rectangle of exactly its planned area: a green buffer along the
boundary, a grid of blocks between internal roads, a strip of the first block for services,
technical infrastructure (the wastewater plant) and a pond, green blocks, and plots cut along
the roads. Everything stays an axis-aligned rectangle until the final rigid motion (rotation +
translation) into VN-2000, so areas can be controlled exactly: the calibration moves the shared
edge of two neighbouring plots, or trims a plot into green space, by a computed distance.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely

from ..errors import SampleError

BUFFER_M = 15.0  #: green buffer along the park boundary
ROAD_M = 22.0  #: internal road reserve between blocks
BLOCK_W_M = 420.0  #: target block size along x
BLOCK_H_M = 300.0  #: target block size along y (two rows of plots)
MIN_PLOT_W_M = 45.0
SERVICE_STRIP_SHARE = 0.03  #: share of the park given to services, technical land and a pond


@dataclass
class Rect:
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def area(self) -> float:
        return (self.x1 - self.x0) * (self.y1 - self.y0)

    @property
    def depth(self) -> float:
        return self.y1 - self.y0

    def geometry(self) -> shapely.Polygon:
        return shapely.box(self.x0, self.y0, self.x1, self.y1)


@dataclass
class PlotCell:
    """A plot in the local frame; ``row`` groups plots that share long edges along x."""

    rect: Rect
    land_use: str
    block: int
    row: int
    order: int  #: position along the row, left to right
    status: str = "vacant"


@dataclass
class Layout:
    code: str
    width: float
    height: float
    plots: list[PlotCell] = field(default_factory=list)
    zones: list[tuple[str, Rect | shapely.Geometry]] = field(default_factory=list)
    green_cuts: list[Rect] = field(default_factory=list)
    plant_site: tuple[float, float] = (0.0, 0.0)
    blocks: list[tuple[Rect, str]] = field(default_factory=list)

    def leasable(self, uses: tuple[str, ...]) -> list[PlotCell]:
        return [p for p in self.plots if p.land_use in uses]


def _split(total: float, n: int, gap: float) -> list[tuple[float, float]]:
    size = (total - (n - 1) * gap) / n
    return [(i * (size + gap), i * (size + gap) + size) for i in range(n)]


def _row_cuts(x0: float, x1: float, rng: np.random.Generator, mean_w: float) -> list[float]:
    cuts = [x0]
    while x1 - cuts[-1] > 2 * MIN_PLOT_W_M:
        w = float(rng.uniform(0.6, 1.4) * mean_w)
        if x1 - (cuts[-1] + w) < MIN_PLOT_W_M:
            break
        cuts.append(cuts[-1] + w)
    cuts.append(x1)
    return cuts


def lay_out(code: str, area_m2: float, rng: np.random.Generator, *, detailed: bool,
            plot_width_m: float, large: bool) -> Layout:
    """The layout of one park; ``detailed=False`` (no detailed plan yet) gives the outline only."""
    aspect = float(rng.uniform(1.15, 1.8))
    width = float(np.sqrt(area_m2 * aspect))
    height = area_m2 / width
    layout = Layout(code, width, height)
    if not detailed:
        return layout
    inner = Rect(BUFFER_M, BUFFER_M, width - BUFFER_M, height - BUFFER_M)
    iw, ih = inner.x1 - inner.x0, inner.y1 - inner.y0
    nx = max(1, round((iw + ROAD_M) / (BLOCK_W_M + ROAD_M)))
    ny = max(1, round((ih + ROAD_M) / (BLOCK_H_M + ROAD_M)))
    xs = [(inner.x0 + a, inner.x0 + b) for a, b in _split(iw, nx, ROAD_M)]
    ys = [(inner.y0 + a, inner.y0 + b) for a, b in _split(ih, ny, ROAD_M)]
    blocks = [Rect(x0, y0, x1, y1) for (y0, y1) in ys for (x0, x1) in xs]
    n = len(blocks)
    roles = ["industrial"] * n
    n_green = int(round(0.06 * n))
    for i in rng.choice(np.arange(1, n), size=min(n_green, n - 1), replace=False) if n > 1 else []:
        roles[int(i)] = "green"
    if large and n > 3:
        candidates = [i for i in range(1, n) if roles[i] == "industrial"]
        roles[int(rng.choice(candidates))] = "warehouse_logistics"
    layout.blocks = list(zip(blocks, roles, strict=True))

    # Services, technical land and a pond: a strip at the left of the first block (the entrance).
    first = blocks[0]
    strip_w = min(first.x1 - first.x0 - 2 * MIN_PLOT_W_M,
                  SERVICE_STRIP_SHARE * area_m2 / first.depth)
    strip_w = max(strip_w, 30.0)
    sx1 = first.x0 + strip_w
    h = first.depth
    service = Rect(first.x0, first.y0 + 0.6 * h, sx1, first.y1)
    technical = Rect(first.x0, first.y0 + 0.25 * h, sx1, first.y0 + 0.6 * h)
    pond = Rect(first.x0, first.y0, sx1, first.y0 + 0.25 * h)
    layout.zones.append(("water", pond))
    layout.plots.append(PlotCell(service, "service_admin", 0, -1, 0, "reserved"))
    layout.plots.append(PlotCell(technical, "technical_infrastructure", 0, -2, 0, "reserved"))
    layout.plant_site = ((technical.x0 + technical.x1) / 2, (technical.y0 + technical.y1) / 2)

    row_id = 0
    for b, (block, role) in enumerate(layout.blocks):
        if role == "green":
            layout.zones.append(("green", block))
            continue
        x0 = sx1 if b == 0 else block.x0
        rows = [(block.y0, block.y1)] if block.depth < 160 else [
            (block.y0, (block.y0 + block.y1) / 2), ((block.y0 + block.y1) / 2, block.y1)]
        for y0, y1 in rows:
            cuts = _row_cuts(x0, block.x1, rng, plot_width_m)
            for k, (a, c) in enumerate(zip(cuts[:-1], cuts[1:], strict=True)):
                layout.plots.append(PlotCell(Rect(a, y0, c, y1), role, b, row_id, k))
            row_id += 1
    return layout


def set_leasable(layout: Layout, target_m2: float, uses: tuple[str, ...]) -> None:
    """Trim leasable plots into green space, from the far end, to leave exactly ``target_m2``."""
    cells = layout.leasable(uses)
    excess = sum(c.rect.area for c in cells) - target_m2
    if excess < -1e-6:
        raise SampleError(f"{layout.code}: layout has less leasable land than the target")
    for cell in reversed(cells):
        if excess <= 1e-9:
            break
        r = cell.rect
        if r.area <= excess:
            layout.green_cuts.append(Rect(r.x0, r.y0, r.x1, r.y1))
            layout.plots.remove(cell)
            excess -= r.area
            continue
        cut = excess / r.depth
        layout.green_cuts.append(Rect(r.x1 - cut, r.y0, r.x1, r.y1))
        r.x1 -= cut
        excess = 0.0


def lease_exactly(layout: Layout, cells: list[PlotCell], target_m2: float) -> None:
    """Mark the first plots of ``cells`` leased so that exactly ``target_m2`` is leased.

    The boundary plot's shared edge with its row neighbour is moved (both plots stay rectangles
    and the leasable total is unchanged) rather than leaving a sliver; only when the plot has no
    usable neighbour is it split in two.
    """
    if target_m2 <= 0:
        return
    total = 0.0
    for i, cell in enumerate(cells):
        cell.status = "leased"
        total += cell.rect.area
        if total < target_m2 - 1e-9:
            continue
        over = total - target_m2
        if over <= 1e-9:
            return
        nxt = cells[i + 1] if i + 1 < len(cells) else None
        prev = cells[i - 1] if i > 0 else None
        keep = cell.rect.area - over
        if nxt and nxt.row == cell.row and nxt.order == cell.order + 1 and keep >= 0.3e4:
            shift = over / cell.rect.depth  # the next (vacant) plot takes ``over``
            cell.rect.x1 -= shift
            nxt.rect.x0 -= shift
            return
        if prev and prev.row == cell.row and prev.order == cell.order - 1 and over >= 0.3e4:
            cell.status = "vacant"  # the previous (leased) plot takes ``keep`` instead
            shift = keep / cell.rect.depth
            prev.rect.x1 += shift
            cell.rect.x0 += shift
            return
        r = cell.rect
        cut_x = r.x1 - over / r.depth
        rest = PlotCell(Rect(cut_x, r.y0, r.x1, r.y1), cell.land_use, cell.block, cell.row,
                        cell.order, "vacant")
        r.x1 = cut_x
        layout.plots.insert(layout.plots.index(cell) + 1, rest)
        return
    raise SampleError(f"cannot lease {target_m2 / 1e4:.2f} ha: only {total / 1e4:.2f} ha available")


def to_world(geoms: np.ndarray, layout: Layout, centre: tuple[float, float],
             angle_rad: float) -> np.ndarray:
    """Rotate local geometries about the outline centre and move them to ``centre``."""
    cx, cy = layout.width / 2, layout.height / 2
    cos, sin = np.cos(angle_rad), np.sin(angle_rad)

    def _move(xy: np.ndarray) -> np.ndarray:
        x, y = xy[:, 0] - cx, xy[:, 1] - cy
        return np.column_stack([centre[0] + cos * x - sin * y, centre[1] + sin * x + cos * y])

    return shapely.transform(geoms, _move)


def snap(geoms: np.ndarray) -> np.ndarray:
    """Valid zones (as MultiPolygons) after rotation.

    Rotation can leave the road network's rings touching a hair apart or crossing; repairing
    may then return a collection with stray lines, of which only the polygons are kept.
    """
    fixed = shapely.make_valid(geoms)
    out = []
    for g in fixed:  # a handful of zones per park
        if g.geom_type not in ("Polygon", "MultiPolygon"):
            parts = shapely.get_parts(g)
            g = shapely.union_all(parts[np.isin(shapely.get_type_id(parts), (3, 6))])
        out.append(g if g.geom_type == "MultiPolygon" else shapely.MultiPolygon([g]))
    return np.array(out, dtype=object)  # one geometry type per layer: MultiPolygon


def zone_geometries(layout: Layout) -> list[tuple[str, shapely.Geometry]]:
    """Functional zones covering the outline: buffer, roads, blocks, trimmed land, pond."""
    outline = shapely.box(0, 0, layout.width, layout.height)
    inner = shapely.box(BUFFER_M, BUFFER_M, layout.width - BUFFER_M, layout.height - BUFFER_M)
    zones: list[tuple[str, shapely.Geometry]] = [("green", shapely.difference(outline, inner))]
    if not layout.blocks:
        return zones
    blocks = shapely.union_all([b.geometry() for b, _ in layout.blocks])
    zones.append(("roads", shapely.difference(inner, blocks)))
    for use, rect in layout.zones:
        zones.append((use, rect.geometry() if isinstance(rect, Rect) else rect))
    by_use: dict[str, list[shapely.Geometry]] = {}
    for cell in layout.plots:
        by_use.setdefault(cell.land_use, []).append(cell.rect.geometry())
    cuts: list[shapely.Geometry] = [r.geometry() for r in layout.green_cuts]
    # Plots whose far edge was pulled back leave land between them and the block edge: green.
    covered = shapely.union_all([g for gs in by_use.values() for g in gs] + cuts
                                + [r.geometry() if isinstance(r, Rect) else r
                                   for _, r in layout.zones])
    leftover = shapely.difference(blocks, covered)
    if not shapely.is_empty(leftover) and shapely.area(leftover) > 1.0:
        cuts.append(leftover)
    for use, geoms in by_use.items():
        zones.append((use, shapely.union_all(geoms)))
    if cuts:
        zones.append(("green", shapely.union_all(cuts)))
    return zones
