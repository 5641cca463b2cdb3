"""Two officers saving one GeoPackage: a save based on a stale read is refused, never lost.

Each write increments the version of every layer it writes; a plan is read with its versions
(``read_plan_versioned``) and a save that passes them back is refused with the same
``EditConflictError`` and message as on PostGIS when someone else saved in between.
"""

from __future__ import annotations

import multiprocessing

import pytest
from concurrent_writers import counter, save_own_plot

from gis_app.errors import EditConflictError
from gis_app.history import update_plan
from gis_app.storage import gpkg, read_plan, source
from gis_app.storage.gpkg import write_layers

#: How long the four writers keep saving (the whole test stays near ten seconds).
SECONDS = 4.0


def _with_area(plan, plot_code: str, area_ha: float):  # noqa: ANN001, ANN202
    plots = plan.plots.copy()
    plots.loc[plots["plot_code"] == plot_code, "area_ha"] = area_ha
    return plan.replace(plots=plots)


def _areas(path) -> dict[str, float]:  # noqa: ANN001
    return read_plan(path).plots.set_index("plot_code")["area_ha"].to_dict()


def test_a_save_from_a_stale_read_is_refused_and_writes_nothing(province_file, sha256):
    first, first_versions = gpkg.read_plan_versioned(province_file)
    second, second_versions = gpkg.read_plan_versioned(province_file)
    gpkg.write_plan(province_file, _with_area(first, "A1", 0.501),
                    expected_versions=first_versions)
    before = sha256(province_file)
    with pytest.raises(EditConflictError, match=r"layer '\w+': changed by someone else since "
                       r"you read it .*nothing was written: reload"):
        gpkg.write_plan(province_file, _with_area(second, "A2", 0.501),
                        expected_versions=second_versions)
    assert sha256(province_file) == before
    assert _areas(province_file) == {"A1": 0.501, "A2": 0.5, "A3": 0.5, "A4": 0.5}
    # Reloaded, the second officer's change goes in beside the first one.
    again, versions = source.read_plan_versioned(province_file)
    source.write_plan(province_file, _with_area(again, "A2", 0.501), expected_versions=versions)
    assert _areas(province_file) == {"A1": 0.501, "A2": 0.501, "A3": 0.5, "A4": 0.5}


def test_versions_count_the_writes_of_each_layer(province_file):
    start = gpkg.layer_versions(province_file)
    write_layers(province_file, {"plots": read_plan(province_file).plots})
    after = gpkg.layer_versions(province_file)
    assert after["plots"] == start.get("plots", 0) + 1
    assert after.get("parks", 0) == start.get("parks", 0)
    # Another layer's write does not make a read of the plots stale.
    plan, versions = gpkg.read_plan_versioned(province_file)
    write_layers(province_file, {"scenarios_note": plan.tenants[["project_id"]]})
    gpkg.write_plan(province_file, _with_area(plan, "A3", 0.501), expected_versions=versions)
    assert _areas(province_file)["A3"] == 0.501


def test_update_plan_reapplies_an_edit_after_a_conflict(province_file):
    edited = update_plan(province_file, lambda plan: _with_area(plan, "A4", 0.501))
    assert edited.plots.set_index("plot_code").loc["A4", "area_ha"] == 0.501
    assert _areas(province_file)["A4"] == 0.501


def test_same_error_as_postgis():
    from gis_app.storage.postgis import store as postgis

    assert postgis.EditConflictError is EditConflictError


def test_four_processes_saving_their_own_plot_keep_every_acknowledged_change(province_file):
    ctx = multiprocessing.get_context("spawn")
    start, results = ctx.Barrier(4), ctx.Queue()
    writers = [ctx.Process(target=save_own_plot,
                           args=(str(province_file), code, SECONDS, start, results))
               for code in ("A1", "A2", "A3", "A4")]
    for writer in writers:
        writer.start()
    done = [results.get(timeout=120) for _ in writers]
    for writer in writers:
        writer.join(timeout=30)
        assert writer.exitcode == 0
    stored = {code: counter(area) for code, area in _areas(province_file).items()}
    last = {code: n for code, n, _, _ in done}
    # Every writer's last acknowledged save is in the file: no update was lost.
    assert stored == last
    assert all(acknowledged >= 1 for _, _, acknowledged, _ in done)
