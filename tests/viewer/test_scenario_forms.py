"""The scenarios page's edit forms come from the parameters each edit declares (no browser).

Every operation declares one parameter per field, labelled in both languages; the form
description has one input per declared parameter; the values entered build the edit; an
edit type defined anywhere else gets its form without touching the page.
"""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
from pathlib import Path

import pytest
import shapely

from gis_app.errors import ScenarioError
from gis_app.model.plan import Plan
from gis_app.scenarios import (
    OPERATIONS,
    AddPark,
    ChangeBoundary,
    Edit,
    LeasePlots,
    RezonePlots,
    SplitPlot,
    Subdivision,
    UpgradeWastewaterPlant,
)
from gis_app.scenarios import params as P
from gis_app.scenarios._working import WorkingPlan
from gis_app.settings import PROVINCES
from gis_app.storage import read_plan
from gis_app.viewer import scenario_ui
from gis_app.viewer.scenario_ui import edit_form, edit_from_form, param_label

PAGE = Path(scenario_ui.__file__).parent / "views" / "scenarios.py"
#: The package's own operations (tests elsewhere may register plug-in edits).
BUILT_IN = {code: cls for code, cls in OPERATIONS.items()
            if cls.__module__.startswith("gis_app.scenarios.")}
SHAPES = {"Polygon": shapely.box(0, 0, 100, 100),
          "LineString": shapely.LineString([(0, 0), (10, 10)]), "Point": shapely.Point(1, 2)}


@pytest.fixture(scope="module")
def plan() -> Plan:
    return read_plan(PROVINCES["ninh_binh"].default_path)


@pytest.fixture(scope="module")
def park(plan: Plan) -> str:
    """The park with the most plots (it has zones, projects and a plant as well)."""
    return str(plan.plots["park_code"].value_counts().index[0])


def test_every_operation_declares_each_of_its_parameters() -> None:
    assert len(BUILT_IN) == 12
    for code, op in BUILT_IN.items():
        declared = op.parameters()
        fields = [f.name for f in dataclasses.fields(op) if f.name != "id"]
        assert [p.name for p in declared] == fields, code
        for p in declared:
            assert p.kind in P.KINDS, (code, p.name)
            # Required exactly when the field has no default.
            field = next(f for f in dataclasses.fields(op) if f.name == p.name)
            assert p.required == (field.default is dataclasses.MISSING
                                  and field.default_factory is dataclasses.MISSING), p.name
            if p.kind == P.NUMBER:
                assert p.unit, (code, p.name)
            if p.kind == P.CHOICE:
                assert p.options, (code, p.name)
            # The label is in the page's table in both languages.
            vi, en = param_label(p.label, "vi"), param_label(p.label, "en")
            assert vi.strip() and en.strip(), (code, p.label)
        labels = [p.label for p in declared]
        assert len(set(labels)) == len(labels), code  # labels key the page's widgets


def test_a_field_without_a_declaration_is_refused() -> None:
    @dataclasses.dataclass(frozen=True, kw_only=True)
    class _Undeclared(Edit):
        park_code: str = P.param(P.PARK, "park")
        note: str = ""

    with pytest.raises(ScenarioError, match="field 'note' declares no parameter"):
        _Undeclared.parameters()
    with pytest.raises(ScenarioError, match="needs its unit"):
        P.param(P.NUMBER, "capacity")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_form_has_one_input_per_declared_parameter(plan: Plan, park: str, lang: str) -> None:
    for code, op in OPERATIONS.items():
        inputs = edit_form(op, plan, park, "e7", lang)
        assert [i.param for i in inputs] == list(op.parameters()), code
        assert len({i.key for i in inputs}) == len(inputs), code
        assert all(i.key.startswith(f"scn_{code}_") for i in inputs), code
        for i in inputs:
            assert i.label.strip(), (code, i.param.name)
            assert len(i.options) == len(i.shown), (code, i.param.name)
            if i.widget in ("selectbox", "radio"):
                assert i.value in i.options, (code, i.param.name)


def test_choices_come_from_the_park_and_the_declaration(plan: Plan, park: str) -> None:
    lease = {i.param.name: i for i in edit_form(LeasePlots, plan, park, "e2", "vi")}
    plots = plan.plots.loc[plan.plots["park_code"] == park]
    assert lease["plot_codes"].options == tuple(plots.loc[plots["status"] == "vacant",
                                                          "plot_code"])
    assert lease["project_id"].value == f"{park}-E2"
    assert lease["country"].value == "Việt Nam"
    boundary = {i.param.name: i for i in edit_form(ChangeBoundary, plan, park, "e1", "en")}
    assert boundary["mode"].widget == "radio"
    assert boundary["mode"].shown == ("Expand", "Shrink", "Replace")
    assert boundary["park_code"].value == park and boundary["park_code"].disabled
    assert boundary["subdivision"].value is True  # the page suggests cutting new land
    upgrade = {i.param.name: i for i in edit_form(UpgradeWastewaterPlant, plan, park, "e1",
                                                   "vi")}
    assert upgrade["status"].options[0] is None  # leave the status as it is
    assert upgrade["status"].value == "operating"


def _some_value(i: scenario_ui.FormInput) -> object:
    """A value a reader could enter in input ``i``."""
    if i.widget == "multiselect":
        return i.options[:1]
    if i.widget in ("selectbox", "radio", "fixed"):
        return i.value
    if i.widget == "text_input":
        return i.value or f"X-{i.param.name}"
    if i.widget == "number_input":
        return 2026 if i.param.whole else 1234.5
    if i.widget == "date_input":
        return dt.date(2026, 3, 1)
    return None if i.widget == "shape" else True


def test_every_parameter_reaches_its_field(plan: Plan, park: str) -> None:
    for code, op in BUILT_IN.items():
        inputs = edit_form(op, plan, park, "e3", "en")
        values = {i.param.name: _some_value(i) for i in inputs}
        edit = edit_from_form(op, "e3", inputs, values, SHAPES.__getitem__, "en")
        assert type(edit) is op and edit.id == "e3"
        for i in inputs:
            got = getattr(edit, i.param.name)
            if i.param.kind == P.GEOMETRY:
                assert got is SHAPES[i.param.geometry], (code, i.param.name)
            elif i.param.kind != P.SUBDIVISION:
                assert got is not None and got != () and got != "", (code, i.param.name)
        assert edit.to_params().keys() == {p.name for p in op.parameters()}


def test_the_form_builds_the_edit_the_old_form_built(plan: Plan, park: str) -> None:
    province = plan.parks.iloc[0]
    inputs = edit_form(AddPark, plan, park, "e1", "vi")
    values = {"park_code": " P9 ", "name_vi": "KCN Mới ", "name_en": "", "status": "proposed",
              "developer": "", "subdivision": True}
    got = edit_from_form(AddPark, "e1", inputs, values, SHAPES.__getitem__, "vi")
    assert got == AddPark(id="e1", park_code="P9", name_vi="KCN Mới", name_en="KCN Mới",
                          province=str(province["province"]),
                          legacy_province=str(province["legacy_province"]),
                          outline=SHAPES["Polygon"], status="proposed",
                          subdivision=Subdivision())
    plot = str(plan.plots.loc[plan.plots["park_code"] == park, "plot_code"].iloc[0])
    inputs = edit_form(SplitPlot, plan, park, "e2", "vi")
    got = edit_from_form(SplitPlot, "e2", inputs, {"plot_code": plot, "new_codes": "a, b,"},
                         SHAPES.__getitem__, "vi")
    assert got == SplitPlot(id="e2", plot_code=plot, line=SHAPES["LineString"],
                            new_codes=("a", "b"))
    inputs = edit_form(LeasePlots, plan, park, "e4", "vi")
    got = edit_from_form(LeasePlots, "e4", inputs,
                         {"plot_codes": [plot], "project_id": "N1", "investor": "I",
                          "sector": "s", "country": "", "registered_capital_usd": None,
                          "employees": 12.0, "lease_start": dt.date(2026, 1, 2)},
                         SHAPES.__getitem__, "vi")
    assert got == LeasePlots(id="e4", plot_codes=(plot,), project_id="N1", investor="I",
                             sector="s", employees=12, lease_start="2026-01-02")


def test_a_required_parameter_left_empty_is_named(plan: Plan, park: str) -> None:
    inputs = edit_form(RezonePlots, plan, park, "e1", "vi")
    with pytest.raises(ScenarioError, match=param_label("plots", "vi")):
        edit_from_form(RezonePlots, "e1", inputs, {"plot_codes": [], "land_use": "green"},
                       SHAPES.__getitem__, "vi")


def test_a_new_edit_type_gets_its_form_without_touching_the_page(plan: Plan,
                                                                 park: str) -> None:
    @dataclasses.dataclass(frozen=True, kw_only=True)
    class _RenamePark(Edit):
        park_code: str = P.param(P.PARK, "park")
        name_en: str = P.param(P.TEXT, "name_en")
        operation = "test_form_rename_park"

        def check(self, work: WorkingPlan) -> None:
            pass

        def change(self, work: WorkingPlan) -> None:
            rows = work.parks.where("park_code", [self.park_code])
            work.parks.set(rows, "name_en", self.name_en)

    try:
        inputs = edit_form(OPERATIONS["test_form_rename_park"], plan, park, "e1", "en")
        edit = edit_from_form(_RenamePark, "e1", inputs, {"name_en": "Renamed"},
                              SHAPES.__getitem__, "en")
        out = edit.apply(plan)
        assert out.parks.set_index("park_code").loc[park, "name_en"] == "Renamed"
    finally:
        del OPERATIONS["test_form_rename_park"]
    # The page names no edit type: it lists OPERATIONS and builds their forms.
    tree = ast.parse(PAGE.read_text(encoding="utf-8"))
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    names |= {a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names}
    assert not names & {cls.__name__ for cls in BUILT_IN.values()}
    modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not [m for m in modules if m and ".edits_" in m]
    assert not names & {"Subdivision", "PARK_STATUSES", "PLANT_STATUSES", "ZONE_LAND_USES"}
