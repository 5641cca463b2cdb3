"""The engine that runs the rules: every schedule (threads or not, fast paths or not) gives the
same report, row for row, and the rules themselves know nothing of threads or fast paths.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from test_validate_rules import BOWTIE, CASES, box, set_geometry, with_layers

from gis_app.rules import _spatial, layer, links, validate
from gis_app.rules.engine import SERIAL, Schedule, check_layers, read_and_check
from gis_app.rules.fast import Shapes, candidate_pairs, threaded
from gis_app.storage.gpkg import read_layer, read_layers_raw, write_layers

SCHEDULES = {
    "parallel, fast": Schedule(),
    "serial, fast": SERIAL,
    "parallel, general": Schedule(fast=False),
    "serial, general": Schedule(parallel=False, fast=False),
}

#: The tiny plan broken in several ways at once: problems of single layers (a bow-tie, a bad
#: code) beside problems the rules joining layers still find (an overlap, an unknown park).
MANY = with_layers(
    plots=lambda f: set_geometry("A2", BOWTIE)(
        set_geometry("A3", box(100, 0, 160, 100), 0.6)(f)
    ).assign(status=["sold", "vacant", "leased", "leased"]),
    zones=lambda f: f.assign(park_code=["P1", "P9"]))


def _layers(plan, rule: str) -> dict:
    return (MANY if rule == "many" else CASES[rule][0])(plan)


@pytest.mark.filterwarnings("ignore:'crs' was not provided:UserWarning")
@pytest.mark.parametrize("rule", [None, "many", *CASES])
@pytest.mark.parametrize("positions", [False, True])
def test_every_schedule_gives_the_same_report(plan, rule, positions):
    layers = plan.layers() if rule is None else _layers(plan, rule)
    crs = "EPSG:9209"
    reports = {name: check_layers(layers, "f.gpkg", crs, positions=positions,
                                  schedule=schedule).problems
               for name, schedule in SCHEDULES.items()}
    assert (rule is None) == reports["parallel, fast"].empty
    for name, problems in reports.items():
        pd.testing.assert_frame_equal(problems, reports["parallel, fast"], obj=name)
    # check_plan is the default schedule.
    pd.testing.assert_frame_equal(
        validate.check_plan(layers, "f.gpkg", crs, positions=positions).problems,
        reports["parallel, fast"])


@pytest.mark.filterwarnings("ignore:'crs' was not provided:UserWarning")
@pytest.mark.parametrize("schedule", list(SCHEDULES))
@pytest.mark.parametrize("rule", ["many", "overlapping_plots", "missing_layer", "wrong_crs"])
def test_reading_and_checking_at_once_reports_what_checking_after_reading_does(
        tmp_path, plan, province_layers, schedule, rule):
    path = tmp_path / "mutated.gpkg"
    write_layers(path, {**_layers(plan, rule),
                        "dataset_info": province_layers(plan)["dataset_info"]}, fresh=True)
    (layers, crs) = read_layers_raw(path)
    expected = check_layers(layers, str(path), crs).problems
    assert not expected.empty

    read, report = read_and_check(list(layers), lambda name: read_layer(path, name),
                                  str(path), crs, schedule=SCHEDULES[schedule])
    assert list(read) == list(layers)
    pd.testing.assert_frame_equal(report.problems, expected)


def test_a_reader_error_reaches_the_caller_on_every_schedule():
    def read(name: str) -> pd.DataFrame:
        raise OSError(f"cannot read {name}")

    for schedule in SCHEDULES.values():
        with pytest.raises(OSError, match="cannot read"):
            read_and_check(["parks", "plots"], read, "f.gpkg", None, schedule=schedule)


def test_threaded_predicates_equal_the_plain_ones():
    rng = np.random.default_rng(7)
    corners = rng.uniform(0, 10, size=(301, 4, 2))
    geoms = shapely.polygons(np.concatenate([corners, corners[:, :1]], axis=1))
    assert (threaded(shapely.is_valid, geoms, from_size=1) == shapely.is_valid(geoms)).all()
    hulls = shapely.convex_hull(geoms)
    split = threaded(shapely.intersection, hulls, hulls[::-1], from_size=1)
    assert shapely.equals_exact(split, shapely.intersection(hulls, hulls[::-1])).all()


def test_a_subset_keeps_the_answers_of_its_features():
    rng = np.random.default_rng(3)
    x, y = rng.uniform(0, 100, 60), rng.uniform(0, 100, 60)
    geoms = shapely.box(x, y, x + rng.uniform(1, 20, 60), y + rng.uniform(1, 20, 60))
    geoms[::7] = shapely.Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])  # bow-ties
    mask = rng.uniform(size=60) < 0.6
    whole = Shapes(geoms)
    assert whole.valid.tolist() == shapely.is_valid(geoms).tolist()
    assert len(whole.pairs[0])  # queried before the subset is taken: carried over
    part, fresh = whole.subset(mask), Shapes(geoms[mask])
    for fact in ("present", "finite", "valid"):
        assert getattr(part, fact).tolist() == getattr(fresh, fact).tolist()
    assert sorted(zip(*part.pairs, strict=True)) == sorted(zip(*candidate_pairs(geoms[mask]),
                                                               strict=True))
    # The overlaps of the usable ones (as the engine judges them), on the pairs carried over.
    usable = mask & whole.usable(["Polygon"])
    assert usable.sum() < mask.sum()
    found = whole.subset(usable).overlapping(0.5)
    expected = Shapes(geoms[usable]).overlapping(0.5)
    assert sorted(zip(*map(np.ndarray.tolist, found), strict=True)) == sorted(
        zip(*map(np.ndarray.tolist, expected), strict=True))
    assert len(found[0])


# -- the rules are plain rules ----------------------------------------------------------------
RULE_MODULES = [layer, links, _spatial, validate]

#: What only the engine and the fast paths may know about.
MACHINERY = {"concurrent.futures", "threading", "gc", "os", "_quads", "_overlap"}


@pytest.mark.parametrize("module", RULE_MODULES, ids=lambda m: m.__name__)
def test_the_rule_modules_import_no_threads_and_no_fast_path_internals(module):
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[-1] if node.level else node.module)
    assert not imported & MACHINERY


@pytest.mark.parametrize("rule", [
    validate.check_columns, validate.check_geometry, validate.check_overlaps,
    validate.check_plots_in_parks, validate.check_plot_areas, links.check_park_codes,
    links.check_tenant_links, links.check_leased_plots], ids=lambda f: f.__name__)
def test_no_rule_takes_a_fast_path_flag(rule):
    assert not {"sound", "corners", "pairs"} & set(inspect.signature(rule).parameters)


# -- the fast paths on a synthetic province (real plot shapes, seeded defects) ------------------
@pytest.fixture(scope="module")
def scaled():
    from gis_app.sample.scale import build_scaled

    return build_scaled(4, 900, 400)


def _moved(plots, shifts: dict[int, tuple[float, float]]):
    geoms = np.asarray(plots.geometry.values).copy()
    for i, (dx, dy) in shifts.items():
        geoms[i] = shapely.affinity.translate(geoms[i], dx, dy)
    return plots.set_geometry(geoms)


def test_plots_proved_inside_their_park_are_reported_as_geos_alone_reports(scaled):
    """The numpy proof (quadrilaterals inside convex parks) decides most plots; the rule
    reports, row for row, what asking GEOS about every plot reports (the rule without
    shapes, as before the proof existed)."""
    rng = np.random.default_rng(5)
    moved = rng.choice(len(scaled.plots), 40, replace=False)
    plots = _moved(scaled.plots, {int(i): tuple(rng.uniform(-2000, 2000, 2)) for i in moved})
    parks = scaled.parks
    shapes, park_shapes = Shapes.of(plots), Shapes.of(parks)
    expected = _spatial.check_plots_in_parks(plots, parks, "f.gpkg")
    assert len(expected) >= 10  # the seeded defects are found
    found = _spatial.check_plots_in_parks(plots, parks, "f.gpkg", shapes=shapes,
                                          park_shapes=park_shapes)
    assert found == expected
    owner = np.asarray(pd.Index(parks["park_code"]).get_indexer(plots["park_code"]))
    proved = shapes.inside(park_shapes, owner, np.arange(len(plots)))
    assert proved.mean() > 0.9  # the proof, not GEOS, decided nearly every plot
    general = _spatial.check_plots_in_parks(
        plots, parks, "f.gpkg", shapes=Shapes.of(plots, fast=False),
        park_shapes=Shapes.of(parks, fast=False))
    assert general == expected


def test_pairs_queried_in_chunks_are_the_pairs_of_one_query(scaled):
    geoms = np.asarray(scaled.plots.geometry.values).copy()
    geoms[[3, 50]] = None  # missing geometries are in no pair
    whole = candidate_pairs(geoms, chunk=len(geoms))
    assert len(whole[0]) > len(geoms)
    for chunk in (1, 7, 64, 1_000):
        left, right = candidate_pairs(geoms, chunk=chunk)
        assert left.tolist() == whole[0].tolist() and right.tolist() == whole[1].tolist()
    # ... and exactly the pairs whose bounding boxes meet.
    box = shapely.bounds(geoms)
    i, j = np.triu_indices(len(geoms), 1)
    meet = ((box[i, 0] <= box[j, 2]) & (box[j, 0] <= box[i, 2])
            & (box[i, 1] <= box[j, 3]) & (box[j, 1] <= box[i, 3]))
    assert sorted(zip(*whole, strict=True)) == sorted(zip(i[meet], j[meet], strict=True))
