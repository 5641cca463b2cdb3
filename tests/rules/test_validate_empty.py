"""Empty layers are valid input for every rule (a new park has no zones or tenants yet)."""

from gis_app.rules import check_plan
from gis_app.testing import tiny_plan


def test_empty_zones_and_links_are_checked_not_crashed():
    layers = tiny_plan().layers()
    layers["zones"] = layers["zones"].iloc[:0]
    layers["tenant_plots"] = layers["tenant_plots"].iloc[:0]
    report = check_plan(layers, "tiny.gpkg", None)
    assert sorted(report.problems["feature_id"]) == ["A1", "A2", "A4"]
    assert set(report.problems["rule"]) == {"leased_without_tenant"}


def test_an_empty_province_is_valid():
    layers = {name: frame.iloc[:0] for name, frame in tiny_plan().layers().items()}
    assert check_plan(layers, "empty.gpkg", None).ok
