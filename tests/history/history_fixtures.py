"""The tiny history's timeline and helpers (shared by the fixtures in conftest.py).

Timeline (tiny_plan(): park P1, plots A1..A4, A3 vacant; projects T1 on A1+A2, T2 on A4):

=========  ===========  ==========================================================
change     effective    what
=========  ===========  ==========================================================
C0001      2011-01-01   import: the tiny plan as surveyed
C0002      2015-01-01   decision 5/QĐ-BQL: A3 leased to T2 (T2 now on A3 and A4)
C0003      2016-06-01   decision 7/QĐ-BQL: zone Z2 becomes green, Z1 is removed;
                                    plant W1 upgraded from 1,000 to 1,500 m³/day
=========  ===========  ==========================================================
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from gis_app.history import Basis, record_change, start_history
from gis_app.model.plan import Plan
from gis_app.storage.gpkg import write_plan
from gis_app.testing import tiny_plan

SURVEY = Basis.imported("survey_2011.dxf", "Nguyễn Văn A")
LEASE = Basis.decision("5/QĐ-BQL", date(2015, 1, 1), "BQL các KCN Bắc Ninh",
                       document_ref="hồ sơ thuê đất A3")
REZONE = Basis.decision("7/QĐ-BQL", date(2016, 6, 1), "BQL các KCN Bắc Ninh")


def leased_a3(plan: Plan) -> Plan:
    plots = plan.plots.copy()
    plots.loc[plots["plot_code"] == "A3", "status"] = "leased"
    links = pd.concat([plan.tenant_plots, pd.DataFrame({"plot_code": ["A3"],
                                                        "project_id": ["T2"]})],
                      ignore_index=True)
    return plan.replace(plots=plots, tenant_plots=links)


def rezoned(plan: Plan) -> Plan:
    zones = plan.zones.copy()
    zones.loc[zones["zone_id"] == "Z2", "land_use"] = "green"
    plants = plan.wastewater_plants.copy()
    plants["design_capacity_m3_day"] = 1500.0
    return plan.replace(zones=zones.loc[zones["zone_id"] != "Z1"], wastewater_plants=plants)


def make_history(path):
    write_plan(path, tiny_plan())
    start_history(path, SURVEY, "2011-01-01")
    record_change(path, leased_a3(tiny_plan()), LEASE)
    record_change(path, rezoned(leased_a3(tiny_plan())), REZONE)
    return path



def record_ready_built(path: str, plot_code: str, number: str) -> str:
    """Run in another process: record that ``plot_code`` now has a ready-built factory."""
    from gis_app.history import record_edit

    def edit(plan: Plan) -> Plan:
        plots = plan.plots.copy()
        plots.loc[plots["plot_code"] == plot_code, "ready_built_factory"] = True
        return plan.replace(plots=plots)

    return record_edit(path, edit, Basis.decision(number, date(2020, 1, 1), "BQL"))
