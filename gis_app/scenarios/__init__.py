"""Planning-adjustment scenarios (điều chỉnh quy hoạch): edit a copy of the plan, compare.

A :class:`Scenario` is a named, dated list of typed edits. :func:`evaluate` applies it (and the
scenarios it is based on) to a baseline :class:`~gis_app.model.Plan` and returns a new plan;
the baseline is never modified. :class:`ScenarioStore` keeps scenarios in the province's own
GeoPackage, in the tables ``scenarios`` and ``scenario_edits``. :func:`compare` sets the
indicators of two plans side by side; :func:`change_layer` lists the features that differ;
:func:`approve_scenario` makes a scenario the plan, recorded in the plan history.
"""

from .approve import approve_scenario
from .compare import before_after, change_layer, compare, differences
from .edits_land import LeasePlots, ReclaimProjects, RezonePlots, RezoneZones
from .edits_parks import AddPark, ChangeBoundary, ChangeParkStatus, SubdividePark
from .edits_plots import MergePlots, SplitPlot
from .edits_water import AddWastewaterPlant, UpgradeWastewaterPlant
from .evaluate import Evaluation, add_edit, evaluate, evaluate_detailed, resolve_chain
from .model import (
    OPERATIONS,
    Edit,
    Scenario,
    ScenarioEditError,
    Subdivision,
    edit_from_params,
    params_json,
)
from .store import ScenarioStore

__all__ = [
    "OPERATIONS",
    "AddPark",
    "AddWastewaterPlant",
    "ChangeBoundary",
    "ChangeParkStatus",
    "Edit",
    "Evaluation",
    "LeasePlots",
    "MergePlots",
    "ReclaimProjects",
    "RezonePlots",
    "RezoneZones",
    "Scenario",
    "ScenarioEditError",
    "ScenarioStore",
    "SplitPlot",
    "SubdividePark",
    "Subdivision",
    "UpgradeWastewaterPlant",
    "add_edit",
    "approve_scenario",
    "before_after",
    "change_layer",
    "compare",
    "differences",
    "edit_from_params",
    "evaluate",
    "evaluate_detailed",
    "params_json",
    "resolve_chain",
]
