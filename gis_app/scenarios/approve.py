"""Making a scenario the plan: the approving decision recorded in the plan history.

The scenario (and the chain it is based on) is evaluated on the current baseline; the result
becomes the baseline as one change of the history (``basis_type = scenario_approval``, with
the scenario's id), so ``history``, ``as-of`` and ``diff`` show which decision adopted it.
"""

from __future__ import annotations

from datetime import date

from ..history.model import Basis
from ..history.record import change_date, record_step, require_basis
from ..history.store import History, commit
from ..model.plan import Plan
from ..storage.source import Source
from .evaluate import evaluate
from .store import ScenarioStore


def approve_scenario(source: Source, scenario_id: str, decision: Basis,
                     effective_date: date | str | None = None) -> str:
    """Apply a stored scenario to the baseline as one change with its approving decision.

    The scenario (and the chain it is based on) is evaluated on the current baseline with
    :func:`gis_app.scenarios.evaluate`; the result becomes the baseline, recorded with
    ``basis_type = scenario_approval`` and the scenario's id. Returns the change id.
    """
    basis = require_basis(decision).as_type("scenario_approval")
    when = change_date(effective_date if effective_date is not None else basis.decision_date,
                       f"{source}: approval of scenario {scenario_id}")
    store = ScenarioStore(source)
    scenario = store.open(scenario_id)

    def step(plan: Plan, history: History | None) -> tuple[Plan, History, str]:
        new_plan = evaluate(plan, scenario, store)
        inner = record_step(new_plan, basis, when, scenario_id=scenario_id, source=source,
                            description=basis.description or
                            f"Phê duyệt kịch bản {scenario.name} / scenario {scenario_id} "
                            "approved")
        return inner(plan, history)  # type: ignore[operator]

    return commit(source, step)
