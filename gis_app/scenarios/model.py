"""The scenario model: a named, dated list of typed edits against a province's baseline plan.

A :class:`Scenario` never holds a plan, only edits; :func:`gis_app.scenarios.evaluate` applies
them to a baseline and returns a new plan. Each edit is a frozen dataclass with one job
(re-zone, reclaim, lease, ...) and one protocol (:class:`Edit`): ``check`` raises
:class:`ScenarioEditError` naming the edit, ``change`` applies it in place to a
:class:`~gis_app.scenarios._working.WorkingPlan`, ``touched`` names the features involved.
Its fields are declared parameters (:mod:`.params`), from which the scenarios page builds
the edit's form.

Edits serialise to JSON parameters (geometries as WKB hex, so coordinates round-trip bit for
bit) through :meth:`Edit.to_params` / :func:`edit_from_params`.
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar

import shapely
from shapely.geometry.base import BaseGeometry

from ..errors import ScenarioError
from ..i18n import has, t
from ..model.plan import Plan
from ._working import WorkingPlan, as_working
from .params import Param, parameters

#: Operation code -> edit class; filled by :meth:`Edit.__init_subclass__`.
OPERATIONS: dict[str, type[Edit]] = {}


class ScenarioEditError(ScenarioError):
    """An edit cannot be applied; names the edit, its operation and the features involved."""

    def __init__(self, edit_id: str, operation: str, message: str,
                 features: Iterable[tuple[str, str]] = (), scenario_id: str | None = None
                 ) -> None:
        self.edit_id = edit_id
        self.operation = operation
        self.problem = message
        self.features = tuple(features)
        self.scenario_id = scenario_id
        where = f"scenario {scenario_id}, " if scenario_id else ""
        super().__init__(f"{where}edit {edit_id} ({operation}): {message}")

    def in_scenario(self, scenario_id: str, message: str | None = None) -> ScenarioEditError:
        """The same error, naming the scenario (and optionally with a fuller message)."""
        return ScenarioEditError(self.edit_id, self.operation, message or self.problem,
                                 self.features, scenario_id)


@dataclass(frozen=True)
class Subdivision:
    """How new land is cut into plots: a grid of plots separated by internal roads.

    Plots are ``plot_width_m`` x ``plot_depth_m`` rectangles separated by roads
    ``road_width_m`` wide; half a road runs along the outline. The grid is turned by
    ``angle_deg`` (counter-clockwise from east); None follows the longer side of the land's
    minimum rotated rectangle. Pieces smaller than ``min_plot_ha`` (cut by an irregular
    outline) become road/green land.
    """

    plot_width_m: float = 150.0
    plot_depth_m: float = 200.0
    road_width_m: float = 24.0
    land_use: str = "industrial"
    min_plot_ha: float = 0.5
    angle_deg: float | None = None


@dataclass(frozen=True)
class Edit:
    """Base of every edit: the one protocol evaluation uses.

    A subclass sets ``operation`` (its label is the catalogue's ``edit.op_<operation>``),
    declares each of its fields as a parameter (``field(metadata=param(...))``, see
    :mod:`.params`: what the scenarios page builds the edit's form from) and implements
    :meth:`check`, :meth:`change` and :meth:`touched` against a
    :class:`~gis_app.scenarios._working.WorkingPlan`, so that a scenario's edits change one
    working copy in place instead of copying the national plan once per edit.
    :meth:`validate` and :meth:`apply` run the same methods on a plan, for one edit at a time
    (notebooks, tests); they are not meant to be overridden.
    """

    id: str
    operation: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.operation:
            OPERATIONS[cls.operation] = cls

    # -- the protocol every edit implements --------------------------------------------------
    def check(self, work: WorkingPlan) -> None:
        """Raise :class:`ScenarioEditError` when the edit cannot be applied to ``work``."""
        raise NotImplementedError

    def change(self, work: WorkingPlan) -> None:
        """Apply the edit to ``work`` (already checked), in place."""
        raise NotImplementedError

    def touched(self, work: WorkingPlan) -> set[tuple[str, str]]:
        """(layer, feature id) of every feature the edit reads or writes in ``work``."""
        return set()

    def claims(self) -> dict[tuple[str, str, str], object]:
        """(layer, feature id, attribute) -> the value this edit sets outright.

        Two edits of one scenario claiming the same attribute with different values cannot
        both hold: the scenario is refused (see :func:`~gis_app.scenarios.evaluate`).
        """
        return {}

    @classmethod
    def label(cls, lang: str) -> str:
        """The operation's name for readers in ``lang`` (catalogue key ``edit.op_<operation>``),
        so adding an edit type adds its two labels to the .po files, not to the class. An edit
        type defined outside the product (a board's own, a test's) without catalogue entries
        is shown by its operation code, as :func:`gis_app.i18n.label` shows unknown codes."""
        key = f"edit.op_{cls.operation}"
        return t(key, lang) if has(key) else cls.operation

    @classmethod
    def parameters(cls) -> tuple[Param, ...]:
        """The edit's declared parameters, in field order (see :func:`.params.parameters`)."""
        return parameters(cls)

    # -- one edit on a plan ------------------------------------------------------------------
    def validate(self, plan: Plan | WorkingPlan) -> None:
        """Raise :class:`ScenarioEditError` when the edit cannot be applied to ``plan``."""
        self.check(as_working(plan))

    def apply(self, plan: Plan) -> Plan:
        """A new plan with the edit applied (``plan`` itself is never modified)."""
        work = WorkingPlan(plan)
        self.check(work)
        self.change(work)
        return work.plan()

    def fail(self, message: str, features: Iterable[tuple[str, str]] = ()) -> ScenarioEditError:
        return ScenarioEditError(self.id, self.operation, message, features)

    # -- serialisation -----------------------------------------------------------------------
    def to_params(self) -> dict[str, Any]:
        """The edit's fields (without ``id``) as JSON-ready values."""
        return {f.name: _to_json(getattr(self, f.name))
                for f in dataclasses.fields(self) if f.name != "id"}

    def describe(self) -> str:
        """One line for tables: the operation and its non-geometric parameters."""
        parts = []
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name == "id" or value is None or isinstance(value, BaseGeometry):
                continue
            if isinstance(value, Subdivision):
                value = (f"{value.plot_width_m:g}x{value.plot_depth_m:g} m, "
                         f"roads {value.road_width_m:g} m")
            elif isinstance(value, tuple):
                value = ",".join(map(str, value))
            parts.append(f"{f.name}={value}")
        return f"{self.operation}({'; '.join(parts)})"


def _to_json(value: Any) -> Any:
    if isinstance(value, BaseGeometry):
        return {"wkb": shapely.to_wkb(value, hex=True)}
    if isinstance(value, Subdivision):
        return {"subdivision": dataclasses.asdict(value)}
    if isinstance(value, tuple):
        return [_to_json(v) for v in value]
    return value


def _from_json(value: Any) -> Any:
    if isinstance(value, dict) and "wkb" in value:
        return shapely.from_wkb(value["wkb"])
    if isinstance(value, dict) and "subdivision" in value:
        return Subdivision(**value["subdivision"])
    if isinstance(value, list):
        return tuple(_from_json(v) for v in value)
    return value


def edit_from_params(edit_id: str, operation: str, params: dict[str, Any] | str) -> Edit:
    """Rebuild an edit from its stored operation code and parameters (dict or JSON text)."""
    if operation not in OPERATIONS:
        raise ScenarioError(f"edit {edit_id}: unknown operation {operation!r} "
                            f"(known: {', '.join(sorted(OPERATIONS))})")
    values: dict[str, Any] = json.loads(params) if isinstance(params, str) else params
    cls = OPERATIONS[operation]
    try:
        return cls(id=edit_id, **{k: _from_json(v) for k, v in values.items()})
    except TypeError as exc:
        raise ScenarioError(f"edit {edit_id} ({operation}): bad parameters ({exc})") from exc


def params_json(edit: Edit) -> str:
    """The edit's parameters as compact, key-sorted JSON (what the store writes)."""
    return json.dumps(edit.to_params(), sort_keys=True, ensure_ascii=False,
                      separators=(",", ":"))


def _now() -> datetime:
    # Whole seconds: what people read, and stored/parsed back without loss.
    return datetime.now(UTC).replace(microsecond=0)


@dataclass(frozen=True)
class Scenario:
    """A planning adjustment (điều chỉnh quy hoạch): named, dated, authored edits.

    ``version`` is the number of the stored copy this object was read from (0: never saved);
    the store refuses a save whose version is no longer the stored one.
    """

    id: str
    name: str
    description: str = ""
    author: str = ""
    based_on: str | None = None
    created: datetime = field(default_factory=_now)
    modified: datetime = field(default_factory=_now)
    edits: tuple[Edit, ...] = ()
    version: int = 0

    @classmethod
    def new(cls, name: str, *, author: str = "", description: str = "",
            based_on: str | None = None, scenario_id: str | None = None) -> Scenario:
        """A fresh, unsaved scenario with a generated id unless one is given."""
        return cls(id=scenario_id or f"sc-{uuid.uuid4().hex[:8]}", name=name,
                   description=description, author=author, based_on=based_on)

    def with_edit(self, edit: Edit) -> Scenario:
        """A copy with ``edit`` appended (no validation: see :func:`add_edit`)."""
        if any(e.id == edit.id for e in self.edits):
            raise ScenarioError(f"scenario {self.id}: an edit with id {edit.id!r} already exists")
        return dataclasses.replace(self, edits=self.edits + (edit,))

    def without_edit(self, edit_id: str) -> Scenario:
        if not any(e.id == edit_id for e in self.edits):
            raise ScenarioError(f"scenario {self.id}: no edit {edit_id!r}")
        return dataclasses.replace(self, edits=tuple(e for e in self.edits if e.id != edit_id))

    def next_edit_id(self) -> str:
        """``e1``, ``e2``, ...: the first unused short id."""
        used = {e.id for e in self.edits}
        n = len(self.edits) + 1
        while f"e{n}" in used:
            n += 1
        return f"e{n}"

    def replace(self, **changes: Any) -> Scenario:
        return dataclasses.replace(self, **changes)
