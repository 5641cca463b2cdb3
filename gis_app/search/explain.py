"""Why a search finds nothing (or little): what each condition excludes and what is nearest.

An investor told "0 results" learns nothing. :func:`explain` answers the three questions a
person asks next, each with the search's own rules (the same index, eligibility, grouping and
distance limits, so every number can be reproduced by running a search):

* **which condition excludes how much**: for each condition of the query, how many sites (and
  hectares) the search finds with that condition dropped and the others kept;
* **the largest contiguous vacant area** under every condition but the minimum area: the
  largest set of edge-adjacent eligible plots of one park within the distance limits (a
  single plot counts), which a search with that minimum area returns as a group;
* **the nearest matches**: for each condition, the least relaxation of it alone that finds a
  site (the distance, headroom or area it would take), and the sites found with it.

Pure: no Streamlit; the sentences come in Vietnamese and English like the "why" sentences.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from ..errors import UsageError
from ..formatting import trimmed
from ..i18n import t
from ..model.plan import Plan
from .index import SearchIndex, build_index
from .query import SearchQuery
from .search import _eligible, distance_ok, fitting_candidates, search
from .settings import DESTINATIONS

_EPS_HA = 1e-9
_DEST_NAMES = {d.key: (d.name_vi, d.name_en) for d in DESTINATIONS}


@dataclass(frozen=True)
class Largest:
    """A contiguous vacant area: edge-adjacent eligible plots of one park (or one plot)."""

    area_ha: float
    park_code: str
    park_name_vi: str
    park_name_en: str
    plot_codes: tuple[str, ...]  #: sorted


@dataclass(frozen=True)
class ConditionEffect:
    """One condition of a query and what dropping it alone would change."""

    key: str  #: ``province``, ``parks``, ``land_use``, ``factory``, ``min_area``, ``max_area``,
    #: ``single_plots``, ``headroom``, ``road``, ``rail`` or ``to_<destination>``
    relaxed: SearchQuery  #: the query without this condition (the others kept)
    sites: int  #: how many sites ``relaxed`` finds (all of them, not only those shown)
    hectares: float  #: their total area
    largest: Largest | None  #: the largest contiguous area under ``relaxed`` but its min area
    nearest_query: SearchQuery | None  #: the least relaxation of this condition finding a site
    nearest: gpd.GeoDataFrame | None  #: the best sites ``nearest_query`` finds (search rows)


@dataclass(frozen=True)
class Explanation:
    """What :func:`explain` found out about a query."""

    query: SearchQuery
    sites: int  #: how many sites the query finds (all, not only ``limit``)
    hectares: float
    conditions: tuple[ConditionEffect, ...]  #: the query's active conditions, in form order
    largest: Largest | None  #: under every condition but the minimum area (None: no land)


def _without(query: SearchQuery, key: str) -> SearchQuery:
    """``query`` with condition ``key`` dropped (its field back to the default)."""
    if key.startswith("to_"):
        dest = key[3:]
        return dataclasses.replace(
            query, max_km_to=tuple((k, km) for k, km in query.max_km_to if k != dest))
    field, value = {
        "province": ("province", None), "parks": ("park_codes", ()),
        "land_use": ("land_uses", ()), "factory": ("ready_built_factory", False),
        "min_area": ("min_area_ha", 0.0), "max_area": ("max_area_ha", None),
        "single_plots": ("allow_groups", True), "headroom": ("min_headroom_m3_day", None),
        "road": ("max_road_km", None), "rail": ("max_rail_km", None),
    }[key]
    change: dict[str, Any] = {field: value}  # the field is known only at run time
    return dataclasses.replace(query, **change)


def conditions(query: SearchQuery) -> list[str]:
    """The keys of the conditions ``query`` sets, in the order of the search form."""
    keys = []
    for key, active in (
        ("province", bool(query.province)), ("parks", bool(query.park_codes)),
        ("land_use", bool(query.land_uses)), ("factory", query.ready_built_factory),
        ("min_area", query.min_area_ha > 0), ("max_area", query.max_area_ha is not None),
        # Without a minimum area no group is ever proposed, so "single plots" changes nothing.
        ("single_plots", not query.allow_groups and query.min_area_ha > 0),
        ("headroom", query.min_headroom_m3_day is not None),
        ("road", query.max_road_km is not None), ("rail", query.max_rail_km is not None),
    ):
        if active:
            keys.append(key)
    keys.extend(f"to_{k}" for k, _ in query.max_km_to)
    return keys


def _edges(index: SearchIndex) -> tuple[np.ndarray, np.ndarray]:
    """The index's adjacency graph as two arrays of edge ends (each edge twice)."""
    graph = index.graph
    return graph.by_area[graph.ends], graph.by_area[graph.others]


def _components(n: int, edges: tuple[np.ndarray, np.ndarray], keep: np.ndarray) -> np.ndarray:
    """Connected-component label of each of ``n`` index rows among the ``keep`` rows (edge
    adjacency, same park, as the groups use); rows outside ``keep`` are their own component."""
    ends, other = edges
    both = keep[ends] & keep[other]
    left, right = ends[both], other[both]
    labels = np.arange(n)
    # Minimum-label propagation with pointer jumping: a few vectorized passes per park.
    while True:
        low = np.minimum(labels[left], labels[right])
        new = labels.copy()
        np.minimum.at(new, left, low)
        np.minimum.at(new, right, low)
        new = new[new]
        if np.array_equal(new, labels):
            return labels
        labels = new


def largest_area(index: SearchIndex, query: SearchQuery,
                 edges: tuple[np.ndarray, np.ndarray] | None = None) -> Largest | None:
    """The largest contiguous vacant area meeting every condition of ``query`` but its minimum
    area: a component of edge-adjacent eligible plots whose nearest plot is within the
    distance limits (a group's distance is its nearest plot's, as in the search) and, when
    the query has a maximum area, not above it. ``None`` when no plot is eligible.

    ``edges``: :func:`_edges` of the index, when a caller asks several times."""
    eligible = _eligible(index, query)
    rows = np.flatnonzero(eligible)
    if not len(rows):
        return None
    label = _components(len(index), edges or _edges(index), eligible)[rows]
    frame = pd.DataFrame({"label": label, "area_ha": index.area[rows],
                          **{k: v[rows] for k, v in index.numbers.items()}})
    by = frame.groupby("label", sort=True)
    # The same compensated sum as the search's group areas, and the nearest plot's distances.
    parts = by.agg({"area_ha": "sum", **{k: "min" for k in index.numbers if k.endswith("_km")}})
    fits = distance_ok(parts, query)
    if query.max_area_ha is not None:
        fits &= parts["area_ha"].to_numpy() <= query.max_area_ha + _EPS_HA
    parts = parts[fits]
    if parts.empty:
        return None
    best = parts["area_ha"].idxmax()
    members = rows[label == best]
    site = index.sites.iloc[members[0]]
    return Largest(area_ha=float(parts.loc[best, "area_ha"]), park_code=str(site["park_code"]),
                   park_name_vi=str(site["park_name_vi"]), park_name_en=str(site["park_name_en"]),
                   plot_codes=tuple(sorted(str(c) for c in index.plot_code[members])))


def _needed_values(key: str, query: SearchQuery, index: SearchIndex,
                   relaxed: pd.DataFrame, largest: Largest | None) -> list[float]:
    """Values of condition ``key`` that would just let a site in, tidiest first (a rounded
    value, then the exact one). Empty: the condition has no amount (a park, a land use)."""
    if key not in _AMOUNTS:
        return []
    if key == "min_area":
        if largest is None:
            return []
        exact = largest.area_ha
        if not query.allow_groups:  # single plots only: the largest eligible single plot
            single = relaxed[relaxed["n_plots"] == 1]["area_ha"]
            if single.empty:
                return []
            exact = float(single.max())
        return [math.floor(exact * 100) / 100, exact] if exact < query.min_area_ha else []
    if relaxed.empty:
        return []
    if key == "max_area":
        exact = float(relaxed["area_ha"].min())
        return [math.ceil(exact * 100) / 100, exact]
    if key == "headroom":
        exact = float(relaxed["headroom_m3_day"].max())
        return [float(math.floor(exact)), exact]
    column = {"road": "road_km", "rail": "rail_km"}.get(key, f"dest_{key[3:]}_km")
    exact = float(relaxed[column].min())
    return [math.ceil(exact * 10) / 10, exact]


def _with_value(query: SearchQuery, key: str, value: float) -> SearchQuery:
    if key.startswith("to_"):
        dest = key[3:]
        return dataclasses.replace(
            query, max_km_to=tuple((k, value if k == dest else km) for k, km in query.max_km_to))
    field = {"min_area": "min_area_ha", "max_area": "max_area_ha",
             "headroom": "min_headroom_m3_day", "road": "max_road_km",
             "rail": "max_rail_km"}[key]
    change: dict[str, Any] = {field: value}  # the field is known only at run time
    return dataclasses.replace(query, **change)


def explain(plan: Plan, query: SearchQuery, roads_rail: gpd.GeoDataFrame | None = None, *,
            index: SearchIndex | None = None, nearest: int = 3) -> Explanation:
    """What excludes the sites of ``query``, the largest area left and the nearest matches.

    Parameters
    ----------
    plan, query, roads_rail, index
        As for :func:`gis_app.search.search` (share the index: each condition costs one
        search without the ranking and sentences).
    nearest
        How many of the best nearest matches to keep per condition.
    """
    if index is None:
        index = build_index(plan, roads_rail)
    elif not index.matches(plan, roads_rail):
        raise UsageError("search index: built from another plan or roads layer than given")
    found, _ = fitting_candidates(index, query)
    edges = _edges(index)
    largest = largest_area(index, query, edges)
    effects = []
    for key in conditions(query):
        relaxed = _without(query, key)
        candidates, _ = fitting_candidates(index, relaxed)
        nearest_query, rows = None, None
        if len(candidates):
            tries = [_with_value(query, key, v)
                     for v in _needed_values(key, query, index, candidates, largest)]
            for attempt in [*tries, relaxed]:
                attempt = dataclasses.replace(attempt, limit=nearest)
                rows = search(plan, attempt, roads_rail, index=index)
                if len(rows):
                    nearest_query = attempt
                    break
        effects.append(ConditionEffect(
            key=key, relaxed=relaxed, sites=len(candidates),
            hectares=float(candidates["area_ha"].sum()),
            largest=largest if key == "min_area" else largest_area(index, relaxed, edges),
            nearest_query=nearest_query, nearest=rows if nearest_query is not None else None))
    return Explanation(query=query, sites=len(found), hectares=float(found["area_ha"].sum()),
                       conditions=tuple(effects), largest=largest)


# -- sentences ------------------------------------------------------------------------------------
def _number(value: float, decimals: int, lang: str) -> str:
    """``value`` with at most ``decimals`` decimals in ``lang``'s separators (``30``, ``14.3``)."""
    return trimmed(value, lang, decimals)


def condition_text(query: SearchQuery, key: str, lang: str) -> str:
    """Condition ``key`` of ``query`` in words (``at least 30 ha``, ``within 40 km of ...``)."""
    if key.startswith("to_"):
        dest = key[3:]
        name = _DEST_NAMES[dest][0 if lang == "vi" else 1]
        return t("explain.to", lang, name=name,
                 value=_number(query.destination_limits[dest], 2, lang))
    value = {
        "province": query.province,
        "parks": ", ".join(query.park_codes),
        "min_area": _number(query.min_area_ha, 2, lang),
        "max_area": _number(query.max_area_ha or 0.0, 2, lang),
        "headroom": _number(query.min_headroom_m3_day or 0.0, 0, lang),
        "road": _number(query.max_road_km or 0.0, 2, lang),
        "rail": _number(query.max_rail_km or 0.0, 2, lang),
    }.get(key, "")
    return t(f"explain.{key}", lang, value=value)


def _largest_text(largest: Largest | None, lang: str) -> str:
    if largest is None:
        return t("explain.largest_none", lang)
    park = largest.park_name_vi if lang == "vi" else largest.park_name_en
    n = len(largest.plot_codes)
    return t("explain.largest" if n > 1 else "explain.largest_one", lang,
             ha=_number(largest.area_ha, 2, lang), n=n, park=park,
             codes=", ".join(largest.plot_codes))


def lines(explanation: Explanation, lang: str) -> list[str]:
    """The explanation as sentences in ``lang`` (plain text: escape before rendering markup).

    The summary, one sentence per condition (what dropping it would find), the largest
    contiguous area, then one sentence per condition whose relaxation finds a site, with the
    "why" sentence of its best site.
    """
    q = explanation.query
    n = len(explanation.conditions)
    out = [t("explain.none_found", lang, n=n) if explanation.sites == 0 else
           t("explain.some_found", lang, sites=explanation.sites,
             ha=_number(explanation.hectares, 2, lang), n=n)]
    why = "why_vi" if lang == "vi" else "why_en"
    for effect in explanation.conditions:
        cond = condition_text(q, effect.key, lang)
        if effect.sites:
            sentence = t("explain.effect", lang, cond=cond, sites=effect.sites,
                         ha=_number(effect.hectares, 2, lang))
        else:
            sentence = t("explain.effect_none", lang, cond=cond)
        if effect.key != "min_area" and effect.largest is not None and (
                explanation.largest is None
                or effect.largest.area_ha > explanation.largest.area_ha + _EPS_HA):
            park = effect.largest.park_name_vi if lang == "vi" else effect.largest.park_name_en
            sentence += t("explain.effect_largest", lang,
                          ha=_number(effect.largest.area_ha, 2, lang), park=park)
        out.append(sentence)
    out.append(_largest_text(explanation.largest, lang))
    for effect in explanation.conditions:
        if effect.nearest_query is None or effect.nearest is None:
            continue
        cond = condition_text(q, effect.key, lang)
        best = str(effect.nearest[why].iloc[0])
        dropped = dataclasses.replace(effect.relaxed, limit=effect.nearest_query.limit)
        if effect.key not in _AMOUNTS or effect.nearest_query == dropped:
            out.append(t("explain.nearest_dropped", lang, cond=cond, best=best))
        else:
            out.append(t("explain.nearest", lang,
                cond=cond, to=condition_text(effect.nearest_query, effect.key, lang), best=best))
    return out


#: Conditions with an amount a relaxation can change (the others are dropped whole).
_AMOUNTS = {"min_area", "max_area", "headroom", "road", "rail",
            *(f"to_{d.key}" for d in DESTINATIONS)}


__all__ = ["ConditionEffect", "Explanation", "Largest", "condition_text", "conditions",
           "explain", "largest_area", "lines"]
