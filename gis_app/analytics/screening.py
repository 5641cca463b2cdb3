"""The province's screening rule "hai ít, ba cao, một không" as a transparent score.

Bắc Ninh screens projects by "two little" (little labour, little land), "three high" (high
capital per ha, high economic efficiency, high technology) and "one no" (no pollution)
(facts.md, seed 001). Each criterion turns one measurable input into points between 0 and
its weight by a straight line between a "poor" and a "good" reference value, clipped; the
score is the sum, out of 100 with the default weights. Every criterion's points are a
column of their own so that an officer can see why a project scored what it did.

The same function scores tenants already in a park (:func:`tenant_screening`) and
proposals an officer types in: any frame with the input columns named in
:class:`Criterion` works.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import i18n
from ..model.plan import Plan
from .efficiency import tenant_metrics

#: Sectors counted as high technology unless the frame has a boolean ``high_tech`` column.
#: Illustrative list after the sector groups the boards court; a board should keep its own.
HIGH_TECH_SECTORS: frozenset[str] = frozenset({
    "electronics", "semiconductors", "software", "pharmaceuticals", "medical_devices",
    "precision_engineering", "automation", "renewable_energy", "optics", "biotech",
})
#: Sectors counted as polluting unless the frame has a boolean ``polluting`` column.
#: Illustrative: sectors the provinces exclude or restrict (dyeing, tanning, plating ...).
POLLUTING_SECTORS: frozenset[str] = frozenset({
    "textile_dyeing", "tanning", "electroplating", "chemicals", "pulp_paper", "metallurgy",
    "battery_recycling", "pesticides", "cement",
})


@dataclass(frozen=True)
class Criterion:
    """One criterion: the input column, its weight and the poor/good reference values.

    Its name for readers is the catalogue's ``criterion.<key>`` (see :func:`criterion_label`).
    Points are ``weight`` at ``good`` or beyond, 0 at ``poor`` or beyond, linear between;
    ``good < poor`` means less is better (labour, land). A missing input scores 0 points
    and is listed in the ``missing_inputs`` column.
    """

    column: str
    weight: float
    poor: float
    good: float

    def points(self, values: pd.Series) -> pd.Series:
        x = values.astype("float64")
        t = (x - self.poor) / (self.good - self.poor)
        # "+ 0.0" turns the -0.0 of a clipped negative zero into a plain 0.0 for display.
        return (t.clip(0.0, 1.0) * self.weight + 0.0).astype("float64")


def _default_criteria() -> dict[str, Criterion]:
    # Reference values are board settings chosen around published averages: Bắc Ninh's
    # ~9 M USD/ha registered (2018) and the 1-2 M USD/ha of early projects (facts.md); the
    # labour and land references are round figures for an electronics vs. a garment plant.
    return {
        "labour": Criterion("employees_per_ha", 15, poor=400.0, good=50.0),
        "land": Criterion("area_ha_per_musd", 15, poor=1.0, good=0.05),
        "capital": Criterion("registered_capital_usd_per_ha", 20, poor=1_000_000.0,
                             good=10_000_000.0),
        "efficiency": Criterion("revenue_usd_per_ha", 20, poor=1_000_000.0, good=20_000_000.0),
        "technology": Criterion("high_tech", 15, poor=0.0, good=1.0),
        "pollution": Criterion("non_polluting", 15, poor=0.0, good=1.0),
    }


def criterion_label(name: str, lang: str) -> str:
    """The criterion ``name`` (a key of :attr:`ScreeningCriteria.criteria`) for readers, from
    the catalogue (``criterion.<name>``); a board's own criterion the catalogue does not know
    is shown by its key."""
    key = f"criterion.{name}"
    return i18n.t(key, lang) if i18n.has(key) else name


@dataclass(frozen=True)
class ScreeningCriteria:
    """The criteria in force (name -> :class:`Criterion`)."""

    criteria: dict[str, Criterion] = field(default_factory=_default_criteria)

    @property
    def max_score(self) -> float:
        return float(sum(c.weight for c in self.criteria.values()))


def _inputs(frame: pd.DataFrame) -> pd.DataFrame:
    """The derived inputs: land per M USD, and high-tech / non-polluting as 0/1."""
    out = pd.DataFrame(index=frame.index)
    capital = frame["registered_capital_usd"].astype("float64") \
        if "registered_capital_usd" in frame else pd.Series(np.nan, index=frame.index)
    area = frame["area_ha"].astype("float64") if "area_ha" in frame \
        else pd.Series(np.nan, index=frame.index)
    if "employees_per_ha" in frame:
        out["employees_per_ha"] = frame["employees_per_ha"].astype("float64")
    elif "employees" in frame:
        out["employees_per_ha"] = frame["employees"].astype("float64") / area.where(area > 0)
    out["area_ha_per_musd"] = area / (capital / 1e6).where(capital > 0)
    if "registered_capital_usd_per_ha" in frame:
        out["registered_capital_usd_per_ha"] = frame["registered_capital_usd_per_ha"].astype(
            "float64")
    else:
        out["registered_capital_usd_per_ha"] = capital / area.where(area > 0)
    if "revenue_usd_per_ha" in frame:
        out["revenue_usd_per_ha"] = frame["revenue_usd_per_ha"].astype("float64")
    elif "revenue_usd" in frame:
        out["revenue_usd_per_ha"] = frame["revenue_usd"].astype("float64") / area.where(area > 0)
    sector = frame["sector"].astype("string") if "sector" in frame \
        else pd.Series(pd.NA, index=frame.index, dtype="string")
    high_tech = frame["high_tech"].astype("boolean") if "high_tech" in frame \
        else sector.isin(HIGH_TECH_SECTORS).astype("boolean").where(sector.notna())
    polluting = frame["polluting"].astype("boolean") if "polluting" in frame \
        else sector.isin(POLLUTING_SECTORS).astype("boolean").where(sector.notna())
    out["high_tech"] = high_tech.astype("Float64").astype("float64")
    out["non_polluting"] = (~polluting).astype("Float64").astype("float64")
    return out


def screening_score(frame: pd.DataFrame, criteria: ScreeningCriteria | None = None,
                    ) -> pd.DataFrame:
    """Score each row (tenant or proposal) on "hai ít, ba cao, một không".

    Parameters
    ----------
    frame
        One row per project or proposal. Uses ``area_ha``, ``registered_capital_usd``,
        ``employees`` (or ``employees_per_ha``), ``revenue_usd`` (or ``revenue_usd_per_ha``)
        and ``sector`` (or boolean ``high_tech`` / ``polluting`` columns, which win).
    criteria
        The criteria and weights; :class:`ScreeningCriteria` defaults.

    Returns
    -------
    DataFrame
        Same index as ``frame``: each criterion's input value, ``<name>_points`` per
        criterion, ``score`` (sum), ``score_share`` (of the maximum), ``missing_inputs``
        (criteria that scored 0 for lack of data) and ``rank`` (1 = best).

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"area_ha": [1.0], "registered_capital_usd": [20e6],
    ...                   "employees": [50], "revenue_usd": [20e6], "sector": ["electronics"]})
    >>> float(screening_score(p).loc[0, "score"])
    100.0
    """
    criteria = criteria or ScreeningCriteria()
    inputs = _inputs(frame)
    out = pd.DataFrame(index=frame.index)
    missing = pd.Series("", index=frame.index, dtype="string")
    points = []
    for name, c in criteria.criteria.items():
        value = inputs[c.column] if c.column in inputs else pd.Series(np.nan, index=frame.index)
        out[c.column] = value
        p = c.points(value)
        out[f"{name}_points"] = p.fillna(0.0)
        missing = missing.where(value.notna(), missing + ", " + name)
        points.append(f"{name}_points")
    out["score"] = out[points].sum(axis=1)
    out["score_share"] = out["score"] / criteria.max_score
    out["missing_inputs"] = missing.str.removeprefix(", ")
    out["rank"] = out["score"].rank(ascending=False, method="min").astype("int64")
    return out


def tenant_screening(plan: Plan, criteria: ScreeningCriteria | None = None) -> pd.DataFrame:
    """:func:`screening_score` of every valid secondary project (index ``project_id``),
    with its ``park_code``, ``investor`` and ``sector`` in front, best first."""
    m = tenant_metrics(plan)
    m = m.loc[m["valid"] & m["project_type"].eq("secondary")]
    scored = screening_score(m, criteria)
    return m[["park_code", "investor", "sector"]].join(scored).sort_values("rank")
