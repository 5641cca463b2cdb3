"""What each edit asks for: its parameters, declared on its own fields.

Every field of an edit (but ``id``) is declared with :func:`param`, which puts a
:class:`Param` in the field's dataclass metadata::

    plot_codes: tuple[str, ...] = param(PLOTS, "plots")
    mode: str = param(CHOICE, "mode", default="expand", options=BOUNDARY_MODES)

saying what kind of value it is (a park, plots of the park, a number with its unit, a date,
a text, a geometry, a choice among options, ...) and the key of its label in the scenarios
page's text table (both languages). Whether it is required follows from the field itself (no
default: required). The scenarios page builds each edit's form from these declarations, so
adding an edit type touches only the module that defines it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from ..errors import ScenarioError

# -- kinds of parameter ----------------------------------------------------------------------
#: An existing park: the park the edit is made in (chosen on the page).
PARK = "park"
#: One plot / several plots of that park (optionally only rows matching ``where``).
PLOT = "plot"
PLOTS = "plots"
#: Several zones / projects (tenants) of the park; one wastewater plant of the park.
ZONES = "zones"
PROJECTS = "projects"
PLANT = "plant"
#: A value of the plan's parks (``column``: province, legacy_province), shown, not typed.
PROVINCE = "province"
#: Free text; a comma-separated list of texts (new codes); a number (``unit``, ``minimum``,
#: ``step``, ``whole``); an ISO date; yes/no; one of ``options``.
TEXT = "text"
TEXT_LIST = "text_list"
NUMBER = "number"
DATE = "date"
FLAG = "flag"
CHOICE = "choice"
#: A shape drawn on the map or pasted (``geometry``: Polygon, LineString or Point).
GEOMETRY = "geometry"
#: Cutting new land into plots along internal roads (the standard grid when chosen).
SUBDIVISION = "subdivision"

KINDS = (PARK, PLOT, PLOTS, ZONES, PROJECTS, PLANT, PROVINCE, TEXT, TEXT_LIST, NUMBER, DATE,
         FLAG, CHOICE, GEOMETRY, SUBDIVISION)
GEOMETRY_TYPES = ("Polygon", "LineString", "Point")

#: The key under which a field's :class:`Param` is stored in its metadata.
METADATA_KEY = "kcn_param"


class _Missing:
    """No suggestion: the form starts from the field's own default (or empty)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


@dataclass(frozen=True)
class Param:
    """One declared parameter of an edit.

    ``name`` and ``required`` are filled from the field by :func:`parameters`; the rest is
    declared with :func:`param`. ``suggested`` is what a form starts with when it should not
    be the field's default (``{park}``, ``{edit_id}``, ``{EDIT_ID}`` in a text are replaced);
    ``fallback`` names another parameter whose value fills this one when it is left empty;
    ``option_labels`` is a text-key prefix for the options (``mode_`` -> ``mode_expand``),
    empty for the options' own labels (land uses, statuses).
    """

    kind: str
    label: str
    unit: str = ""
    options: tuple[str, ...] = ()
    option_labels: str = ""
    where: tuple[str, tuple[str, ...]] | None = None
    column: str = ""
    geometry: str = ""
    minimum: float | None = None
    step: float | None = None
    whole: bool = False
    suggested: Any = MISSING
    fallback: str = ""
    name: str = ""
    required: bool = True
    default: Any = MISSING


def param(kind: str, label: str, *, default: Any = MISSING, **details: Any) -> Any:
    """A dataclass field declaring a parameter: ``capacity: float = param(NUMBER, "capacity",
    unit="m3/day")``; ``default`` is the field's default (none: the parameter is required).
    Refuses an unknown kind or a kind without the detail it needs."""
    if kind not in KINDS:
        raise ScenarioError(f"unknown parameter kind {kind!r} (known: {', '.join(KINDS)})")
    declared = Param(kind, label, **details)
    if kind == CHOICE and not declared.options:
        raise ScenarioError(f"parameter {label!r}: a choice needs its options")
    if kind == GEOMETRY and declared.geometry not in GEOMETRY_TYPES:
        raise ScenarioError(f"parameter {label!r}: geometry must be one of "
                            f"{', '.join(GEOMETRY_TYPES)}")
    if kind == NUMBER and not declared.unit:
        raise ScenarioError(f"parameter {label!r}: a number needs its unit")
    metadata = {METADATA_KEY: declared}
    if default is MISSING:
        return dataclasses.field(metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


def parameters(cls: type) -> tuple[Param, ...]:
    """The declared parameters of edit class ``cls``, one per field but ``id``, in field order.

    Raises :class:`ScenarioError` naming the operation and the field when a field declares
    none: an undeclared field could not be asked for on the page.
    """
    out = []
    for f in dataclasses.fields(cls):
        if f.name == "id":
            continue
        declared = f.metadata.get(METADATA_KEY)
        if declared is None:
            raise ScenarioError(f"operation {getattr(cls, 'operation', cls.__name__)}: field "
                                f"{f.name!r} declares no parameter")
        if f.default is not dataclasses.MISSING:
            default: Any = f.default
        elif f.default_factory is not dataclasses.MISSING:
            default = f.default_factory()
        else:
            default = MISSING
        out.append(dataclasses.replace(declared, name=f.name, required=default is MISSING,
                                       default=default))
    return tuple(out)
