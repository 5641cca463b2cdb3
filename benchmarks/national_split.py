"""A scale's plan split into 34 province files, as the ministry would load them.

The issue's national scale is 450 parks and 250,000 plots *split across 34 province files*; the
national overview reads each file and draws every province at once. :func:`split_files` cuts
the scale's one synthetic plan into 34 GeoPackages by park (in park-code order, so each file's
parks lie together; parks sharing a project stay in one file), each naming one province of
the registry (in ``dataset_info`` and as its parks' ``province``, so the national table has a
row per file) and carrying that province's 2025 boundary from the national reference as its
``province_boundary`` layer (what ``kcn-gis init`` stores). The parks keep the synthetic
file's VN-2000 zone (a board may keep its file in another zone than the default;
``dataset_info`` says which): reading and summarising do the same work in any zone, and no
reprojection of 250,000 plots enters the setup. At the tiny scale most files have no park:
they read as empty provinces, as a board's fresh file does.

The one split of the benchmarks: the national summary's cases (benchmarks/cases.py) and the
national overview map read the same files, written once into the benchmark cache
(``<stem>-<mtime>-split34-<hash of this module>/``, so a changed split is written again).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

N_FILES = 34


def _boundaries(crs: object) -> gpd.GeoDataFrame:
    """The 34 provinces of the national reference, in ``crs``."""
    import pyogrio

    from gis_app.model.crs import to_crs
    from gis_app.registry import NATIONAL_DIR

    frame = gpd.GeoDataFrame(pyogrio.read_dataframe(
        NATIONAL_DIR / "admin2025_provinces.geojson"))
    return to_crs(frame, str(crs), what="province boundaries")


def _subset(plan, codes: set[str]) -> dict[str, pd.DataFrame]:  # noqa: ANN001
    """The planning layers of the parks ``codes``."""
    out: dict[str, pd.DataFrame] = {}
    for name, frame in plan.layers().items():
        if "park_code" in frame.columns:
            out[name] = frame[frame["park_code"].isin(codes)]
    links = plan.tenant_plots
    out["tenant_plots"] = links[links["plot_code"].isin(set(out["plots"]["plot_code"]))
                                & links["project_id"].isin(set(out["tenants"]["project_id"]))]
    return out


def _park_groups(plan) -> list[list[str]]:  # noqa: ANN001
    """Parks in code order, grouped so that a project holding plots of two parks (the
    generator merges neighbouring leased plots) keeps them in one file."""
    codes = sorted(plan.parks["park_code"].astype(str))
    parent = {c: c for c in codes}

    def root(c: str) -> str:
        while parent[c] != c:
            c = parent[c]
        return c

    links = plan.tenant_plots.merge(plan.plots[["plot_code", "park_code"]], on="plot_code")
    links = links.merge(plan.tenants[["project_id", "park_code"]], on="project_id",
                        suffixes=("", "_project"))
    for a, b in zip(links["park_code"].astype(str), links["park_code_project"].astype(str),
                    strict=True):
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = {}
    for c in codes:
        groups.setdefault(root(c), []).append(c)
    return list(groups.values())


def split_files(path: Path, n_files: int = N_FILES) -> list[Path]:
    """The plan of ``path`` as ``n_files`` province files (written on first use)."""
    from datasets import CACHE

    from gis_app.registry import registry
    from gis_app.storage.gpkg import read_plan, write_layers

    # In the benchmark cache, never beside a shipped file; the file's version and this
    # module's (a changed split) in the name.
    digest = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:10]
    folder = CACHE / f"{path.stem}-{path.stat().st_mtime_ns}-split{n_files}-{digest}"
    provinces = list(registry().values())[:n_files]
    files = [folder / f"{p.key}.gpkg" for p in provinces]
    if all(f.exists() for f in files):
        return files
    folder.mkdir(parents=True, exist_ok=True)
    plan = read_plan(path)
    boundaries = _boundaries(plan.crs)
    groups = _park_groups(plan)
    chunks = np.array_split(np.arange(len(groups)), n_files)
    for province, chunk, file in zip(provinces, chunks, files, strict=True):
        layers = _subset(plan, {c for i in chunk for c in groups[i]})
        legacy = province.legacy_provinces[0] if province.legacy_provinces else province.name_vi
        layers["parks"] = layers["parks"].assign(province=province.name_vi,
                                                 legacy_province=legacy)
        boundary = boundaries[boundaries["code"].astype(str) == province.code]
        layers["province_boundary"] = boundary[["code", "name", "geometry"]].reset_index(
            drop=True)
        layers["dataset_info"] = pd.DataFrame(
            [("province", province.key), ("province_code", province.code),
             ("province_name_vi", province.name_vi), ("province_name_en", province.name_en),
             ("crs", str(plan.crs)), ("illustrative", "true"),
             ("generator", f"benchmarks national_split of {path.name}")],
            columns=["key", "value"])
        tmp = file.with_suffix(".tmp.gpkg")
        write_layers(tmp, layers, fresh=True)
        tmp.replace(file)
    return files


def overview_setup(path: Path) -> list:
    """Untimed: the split files, each reduced as the viewer caches it (a point per park and
    its boundary), so the timed call is the map itself."""
    from gis_app.viewer.national import read_part

    parts = [read_part(str(f)) for f in split_files(path)]
    broken = [p.error for p in parts if p.error]
    if broken:
        raise RuntimeError(f"split file unreadable: {broken[0]}")
    return parts


def overview_map(parts: list) -> dict:
    """The national overview map rendered as the page receives it; its size in MB."""
    from gis_app.viewer.national import national_map

    html = national_map(parts).get_root().render()
    return {"html_mb": len(html.encode()) / 1e6, "parks": sum(len(p.parks) for p in parts),
            "files": len(parts)}
