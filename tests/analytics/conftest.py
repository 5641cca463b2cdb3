"""Fixtures of the analytics tests: the tiny plan and a mixed plan of awkward parks.

The mixed plan (every strip is 100 m deep, so 10 m of width is 0.1 ha):

legacy Bắc Ninh
  SPAN (operating, 400 m = 4.0 ha): S1 0-100 industrial leased (X), S2 100-150 industrial
    leased (X: the project spans S1 and S2), S3 150-250 warehouse reserved, S4 250-300
    industrial not cleared, S5 300-350 industrial vacant with a ready-built factory,
    S6 350-400 service_admin leased (Y). Leasable 3.5 ha, leased 1.5, cleared 3.0.
    Projects: X operating (6 M USD, revenue 3 M, 30 jobs, no realised capital), Y under
    construction (1 M USD, nothing else), Z revoked without plots (5 M USD), INF the
    infrastructure developer (100 M USD). One operating plant 1,000 m³/day at 950.
  EMPTY (operating, 300 m, no plots, attribute leasable 2.0 ha, no plant).
  APPROVED (approved, 500 m, no plots, no attributes).
legacy Bắc Giang
  NOLEASE (established, 200 m): N1 0-200 service_admin vacant. Nothing leasable.
  FULL (operating, 200 m): F1 0-100 industrial leased (Q, 2020-2022), F2 100-200
    industrial leased (R, revoked). A planned plant only.
"""

from __future__ import annotations

import pytest

from gis_app.model.plan import Plan
from gis_app.testing import tiny_plan
from gis_app.testing.builders import ParkSpec, PlantSpec, PlotSpec, TenantSpec, build_plan


def mixed_parks() -> list[ParkSpec]:
    span = ParkSpec(
        "SPAN", 400.0, "operating",
        plots=(
            PlotSpec("S1", 0, 100, "industrial", "leased"),
            PlotSpec("S2", 100, 150, "industrial", "leased"),
            PlotSpec("S3", 150, 250, "warehouse_logistics", "reserved"),
            PlotSpec("S4", 250, 300, "industrial", "not_cleared"),
            PlotSpec("S5", 300, 350, "industrial", "vacant", rbf=True),
            PlotSpec("S6", 350, 400, "service_admin", "leased"),
        ),
        zones=(("industrial", 0, 310), ("green", 310, 340), ("roads", 340, 392),
               ("technical_infrastructure", 392, 400)),
        tenants=(
            TenantSpec("X", ("S1", "S2"), "operating", registered=6e6, revenue=3e6,
                       employees=30, lease_start="2015-05-01"),
            TenantSpec("Y", ("S6",), "under_construction", registered=1e6,
                       lease_start="2018-01-01"),
            TenantSpec("Z", (), "revoked", registered=5e6, lease_start="2016-01-01"),
            TenantSpec("INF", (), "operating", project_type="infrastructure",
                       registered=100e6),
        ),
        plants=(PlantSpec("W1", 1000.0, 950.0, "operating", monitoring=False),),
    )
    empty = ParkSpec("EMPTY", 300.0, "operating", leasable_attr_ha=2.0)
    approved = ParkSpec("APPROVED", 500.0, "approved")
    nolease = ParkSpec("NOLEASE", 200.0, "established", legacy_province="Bắc Giang",
                       plots=(PlotSpec("N1", 0, 200, "service_admin", "vacant"),))
    full = ParkSpec(
        "FULL", 200.0, "operating", legacy_province="Bắc Giang",
        plots=(PlotSpec("F1", 0, 100, "industrial", "leased"),
               PlotSpec("F2", 100, 200, "industrial", "leased")),
        zones=(("industrial", 0, 160), ("green", 160, 200)),
        tenants=(
            TenantSpec("Q", ("F1",), "operating", registered=2e6, realised=1e6, revenue=4e6,
                       exports=1e6, budget=50_000, employees=100, lease_start="2020-01-01",
                       lease_end="2022-01-01"),
            TenantSpec("R", ("F2",), "revoked", registered=3e6, lease_start="2016-01-01"),
        ),
        plants=(PlantSpec("W2", 500.0, None, "planned", monitoring=False),),
    )
    return [span, empty, approved, nolease, full]


@pytest.fixture
def tiny() -> Plan:
    return tiny_plan()


@pytest.fixture
def mixed() -> Plan:
    return build_plan(mixed_parks())
