"""The data each benchmark scale runs on, generated once and cached as GeoPackages.

Scales:

- ``tiny``: 4 synthetic parks, ~800 plots (seconds; the CI smoke run);
- ``sample``: the two shipped province files, ``layers/bac_ninh.gpkg`` and
  ``layers/ninh_binh.gpkg``;
- ``national``: 450 parks, 250,000 plots, 150,000 projects (the issue's national register),
  one of the parks with 2,000 plots (the one-park map and sheet cases draw it);
- ``million`` (optional, only when asked for): 1,800 parks, 1,000,000 plots, 600,000
  projects; only loading, validating and summarising are measured there (cases.SCALE_CASES).

Synthetic files are written under ``benchmarks/.cache/`` (git-ignored), keyed by the
generator's parameters and a hash of its source, so a changed generator rebuilds them
(``KCN_BENCH_CACHE`` names another directory).
"""

from __future__ import annotations

import hashlib
import inspect
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
#: Where generated files are kept (``KCN_BENCH_CACHE`` overrides, e.g. a test's tmp_path).
CACHE = Path(os.environ.get("KCN_BENCH_CACHE", Path(__file__).resolve().parent / ".cache"))


@dataclass(frozen=True)
class Synthetic:
    """Parameters of :func:`gis_app.sample.scale.build_scaled`."""

    n_parks: int
    n_plots: int
    n_tenants: int
    big_park_plots: int | None = None
    seed: int = 7
    province: str = "bac_ninh"

    def key(self) -> str:
        from gis_app.sample import layout, scale

        source = inspect.getsource(scale) + inspect.getsource(layout)
        digest = hashlib.sha256(source.encode()).hexdigest()[:10]
        return (f"scaled-{self.n_parks}p-{self.n_plots}pl-{self.n_tenants}t-"
                f"big{self.big_park_plots or 0}-s{self.seed}-{self.province}-{digest}")


SCALES: dict[str, list[tuple[str, Synthetic | Path]]] = {
    "tiny": [("tiny", Synthetic(4, 800, 480))],
    "sample": [("bac_ninh", ROOT / "layers" / "bac_ninh.gpkg"),
               ("ninh_binh", ROOT / "layers" / "ninh_binh.gpkg")],
    "national": [("national", Synthetic(450, 250_000, 150_000, big_park_plots=2_000))],
    # Optional (never run by default): four times national, for peak memory and linear time.
    "million": [("million", Synthetic(1_800, 1_000_000, 600_000, big_park_plots=2_000))],
}
#: Scales a run without --scale measures.
DEFAULT_SCALES = ("sample", "national")


def _write(spec: Synthetic, path: Path) -> None:
    from gis_app.sample.scale import build_scaled
    from gis_app.settings import PROVINCES
    from gis_app.storage.gpkg import write_layers

    plan = build_scaled(spec.n_parks, spec.n_plots, spec.n_tenants, seed=spec.seed,
                        key=spec.province, big_park_plots=spec.big_park_plots)
    province = PROVINCES[spec.province]
    # The province record makes read_plan check the CRS, as for a real province file.
    info = pd.DataFrame([("province", spec.province), ("crs", province.crs),
                         ("illustrative", "true"), ("generator", "benchmarks " + spec.key())],
                        columns=["key", "value"])
    layers = dict(plan.layers())
    layers["dataset_info"] = info
    write_layers(path, layers, fresh=True)


def dataset_path(spec: Synthetic | Path, *, log=print) -> Path:  # noqa: ANN001
    """The GeoPackage of one dataset, generated into the cache on first use."""
    if isinstance(spec, Path):
        if not spec.exists():
            raise FileNotFoundError(f"{spec}: sample file missing (run `kcn-gis sample`)")
        return spec
    path = CACHE / f"{spec.key()}.gpkg"
    if not path.exists():
        log(f"generating {path.name} (cached for later runs) ...")
        CACHE.mkdir(parents=True, exist_ok=True)
        _write(spec, path)
    return path


def datasets(scale: str, *, log=print) -> list[tuple[str, Path]]:  # noqa: ANN001
    """(label, path) of every dataset of ``scale``."""
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r} (known: {', '.join(SCALES)})")
    return [(label, dataset_path(spec, log=log)) for label, spec in SCALES[scale]]
