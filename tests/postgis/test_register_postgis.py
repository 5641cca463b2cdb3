"""``kcn-gis import-register`` into a PostGIS province: the same all-or-nothing import as
into a GeoPackage (the registers are generated as in tests/imports/test_registers.py)."""

from __future__ import annotations

import pytest
from imports.test_registers import BAD_ROWS, GOOD_ROWS, RATE, project_register

from gis_app.imports import RegisterError, import_register
from gis_app.storage import source
from gis_app.storage.postgis.store import init_database, layer_versions
from gis_app.testing import tiny_plan

pytestmark = pytest.mark.postgis


@pytest.fixture
def db(pg_url: str) -> str:
    init_database(pg_url)
    source.write_plan(pg_url, tiny_plan())
    return pg_url


def test_a_register_into_the_database_all_or_nothing(db, tmp_path):
    before = layer_versions(db)
    with pytest.raises(RegisterError, match="row 5, column G"):
        import_register(project_register(tmp_path / "bad.xlsx", BAD_ROWS), db, usd_rate=RATE,
                        lang="en")
    assert layer_versions(db) == before

    result = import_register(project_register(tmp_path / "ok.xlsx", GOOD_ROWS), db,
                             usd_rate=RATE)
    assert result.written and result.added == ("P1-DA001", "P1-DA002")
    plan = source.read_plan(db)
    assert len(plan.tenants) == 4
    assert plan.tenant_plots.set_index("plot_code").loc["A3", "project_id"] == "P1-DA001"
