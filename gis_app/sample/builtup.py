"""An illustrative built-up raster for the sample data (``layers/<province>_builtup.tif``).

Real boards would use a built-up or land-cover product (or their own survey); the sample
needs a small raster that behaves like one so that the reclamation analysis has something to
measure. Each plot gets a target built-up share drawn from a range that depends on what is
on it (operating tenants mostly built, behind-schedule ones mostly empty), and each pixel
that share plus noise. Everything is drawn from one seeded generator, so the file is the
same on every run. Pixels outside the parks are nodata (255): the sample says nothing about
land outside them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import rasterio
from affine import Affine
from rasterio.features import rasterize

from ..model.crs import require_projected
from ..model.plan import Plan

NODATA = 255

#: Built-up share ranges (low, high) by what is on a plot; the first matching rule wins.
SHARE_RANGES: dict[str, tuple[float, float]] = {
    "operating": (0.55, 0.85),
    "operating_idle": (0.02, 0.15),  # land an operating project leased but never built on
    "under_construction": (0.20, 0.45),
    "behind_schedule": (0.00, 0.08),
    "revoked": (0.00, 0.05),
    "ready_built_factory": (0.60, 0.75),  # a vacant plot with a factory already standing
    "service_or_infrastructure": (0.30, 0.50),
    "empty": (0.00, 0.05),  # vacant, reserved or not yet cleared
}
#: Share of operating projects' plots left idle: the reclamation analysis should find
#: such land from the raster alone, where no project status gives it away.
IDLE_PLOT_SHARE = 0.04
#: Built-up share of park land outside plots (roads, green space, water).
OPEN_LAND_RANGE = (0.00, 0.10)
#: Pixel noise (standard deviation, in percent points) and the step values are rounded to;
#: the rounding keeps the compressed file small without changing a plot's mean noticeably.
NOISE_PCT = 5.0
STEP_PCT = 10


def _plot_kinds(plan: Plan) -> pd.Series:
    """What is on each plot, as a key of :data:`SHARE_RANGES` (index of ``plan.plots``)."""
    plots = plan.plots
    links = plan.tenant_plots.astype("string").drop_duplicates("plot_code").set_index(
        "plot_code")["project_id"]
    status_of = plan.tenants.set_index(plan.tenants["project_id"].astype("string"))[
        "project_status"].astype("string")
    project_status = status_of.reindex(links.reindex(plots["plot_code"].astype("string")))
    project_status = pd.Series(project_status.to_numpy(), index=plots.index, dtype="string")
    leased = plots["status"].eq("leased").fillna(False)
    kind = pd.Series("empty", index=plots.index, dtype="string")
    kind = kind.where(~plots["land_use"].isin(["service_admin", "technical_infrastructure"]),
                      "service_or_infrastructure")
    rbf = plots["ready_built_factory"].fillna(False).astype(bool) & plots["status"].eq("vacant")
    kind = kind.where(~rbf, "ready_built_factory")
    for status in ("operating", "under_construction", "behind_schedule", "revoked"):
        kind = kind.where(~(leased & project_status.eq(status).fillna(False)), status)
    return kind


def write_builtup_raster(plan: Plan, path: str | Path, *, seed: int = 20231117,
                         pixel_size: float = 10.0) -> Path:
    """Write the illustrative built-up raster of ``plan`` to ``path`` and return the path.

    A single-band ``uint8`` GeoTIFF in the plan's CRS, values 0-100 (% built up), nodata
    255 outside the parks, DEFLATE-compressed and tiled, with ``pixel_size`` m pixels
    aligned to whole multiples of the pixel size. Deterministic for a given ``seed``.
    """
    require_projected(plan.parks, what="layer 'parks'")
    path = Path(path)
    minx, miny, maxx, maxy = plan.parks.total_bounds
    x0 = np.floor(minx / pixel_size) * pixel_size - pixel_size
    y1 = np.ceil(maxy / pixel_size) * pixel_size + pixel_size
    width = int(np.ceil((maxx - x0) / pixel_size)) + 1
    height = int(np.ceil((y1 - miny) / pixel_size)) + 1
    transform = Affine(pixel_size, 0.0, x0, 0.0, -pixel_size, y1)
    rng = np.random.default_rng(seed)

    kinds = _plot_kinds(plan)
    idle = kinds.eq("operating") & pd.Series(rng.random(len(kinds)) < IDLE_PLOT_SHARE,
                                             index=kinds.index)
    kinds = kinds.where(~idle, "operating_idle")
    low = kinds.map({k: r[0] for k, r in SHARE_RANGES.items()}).to_numpy(dtype="float64")
    high = kinds.map({k: r[1] for k, r in SHARE_RANGES.items()}).to_numpy(dtype="float64")
    target = np.concatenate([[0.0], rng.uniform(low, high)])  # label 0: not a plot
    park_target = rng.uniform(*OPEN_LAND_RANGE, size=len(plan.parks))

    shape = (height, width)
    in_park = rasterize(((g, i + 1) for i, g in enumerate(plan.parks.geometry.to_numpy())),
                        out_shape=shape, transform=transform, fill=0, dtype="int32")
    labels = rasterize(((g, i + 1) for i, g in enumerate(plan.plots.geometry.to_numpy())),
                       out_shape=shape, transform=transform, fill=0, dtype="int32")
    share = np.where(labels > 0, target[labels],
                     np.concatenate([[0.0], park_target])[in_park])
    pct = share * 100 + rng.normal(0.0, NOISE_PCT, size=shape)
    pct = np.clip(np.round(pct / STEP_PCT) * STEP_PCT, 0, 100).astype("uint8")
    data = np.where(in_park > 0, pct, NODATA).astype("uint8")

    profile = {
        "driver": "GTiff", "width": width, "height": height, "count": 1, "dtype": "uint8",
        "crs": plan.crs, "transform": transform, "nodata": NODATA, "compress": "deflate",
        "predictor": 2, "zlevel": 9, "tiled": True, "blockxsize": 256, "blockysize": 256,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(data, 1)
        dst.update_tags(description="Illustrative built-up share (%) generated from the "
                        "sample plots; not an observation", units="percent")
    return path
