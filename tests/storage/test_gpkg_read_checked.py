"""Reading and checking at once (two threads, the garbage collector held) leaves no trace: the
collector is as the caller left it, whether the read succeeds, finds problems or fails.
"""

from __future__ import annotations

import gc

import pytest

from gis_app.errors import LayerError, ValidationError
from gis_app.rules.engine import no_gc_pauses
from gis_app.storage import read_plan, validate_file
from gis_app.storage.gpkg import write_layers


@pytest.fixture(params=[True, False], ids=["collector on", "collector off"])
def collector(request):
    was = gc.isenabled()
    (gc.enable if request.param else gc.disable)()
    yield request.param
    (gc.enable if was else gc.disable)()


def test_a_valid_file_reads_and_the_collector_is_as_before(province_file, collector):
    plan = read_plan(province_file)
    assert list(plan.plots["plot_code"]) == ["A1", "A2", "A3", "A4"]
    assert gc.isenabled() is collector


def test_a_file_with_problems_and_the_collector_is_as_before(
        tmp_path, plan, province_layers, collector):
    path = tmp_path / "bad.gpkg"
    plots = plan.plots.assign(area_ha=[0.6, 0.5, 0.5, 0.5])
    write_layers(path, {**province_layers(plan), "plots": plots}, fresh=True)
    with pytest.raises(ValidationError, match="area_mismatch"):
        read_plan(path)
    assert gc.isenabled() is collector
    assert list(validate_file(path).problems["feature_id"]) == ["A1"]
    assert gc.isenabled() is collector


def test_the_collector_resumes_after_an_error_inside(collector):
    with pytest.raises(LayerError, match="boom"), no_gc_pauses():
        assert not gc.isenabled()
        raise LayerError("boom")
    assert gc.isenabled() is collector
