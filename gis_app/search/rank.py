"""A transparent score: every criterion's points are a column, and a sentence says why.

Each criterion earns up to its weight (:data:`~gis_app.search.settings.WEIGHTS`) on a linear
scale, so an investor can add the ``pts_*`` columns up by hand and see what drove the rank.
"""

from __future__ import annotations

import re

import pandas as pd

from ..formatting import number
from ..i18n import t
from .query import SearchQuery
from .settings import DESTINATIONS, REFERENCE_HEADROOM_M3_DAY, REFERENCE_KM, WEIGHTS

#: Score columns in display order (their sum is ``score``).
POINT_COLUMNS: tuple[str, ...] = tuple(f"pts_{name}" for name in WEIGHTS)


def _closeness(km: pd.Series, reference_km: float) -> pd.Series:
    """1 at the site, falling linearly to 0 at ``reference_km``; unknown distances earn 0."""
    reference_km = max(reference_km, 1e-6)
    return (1.0 - km / reference_km).clip(lower=0.0, upper=1.0).fillna(0.0)


def score(candidates: pd.DataFrame, query: SearchQuery) -> pd.DataFrame:
    """``pts_<criterion>`` columns and their sum ``score`` (0-100), same index as the input.

    A limit set in the query is the distance at which a criterion earns nothing, so sites
    well inside the investor's own limit rank first; without a limit the defaults of
    :data:`~gis_app.search.settings.REFERENCE_KM` apply.
    """
    limits = query.destination_limits
    per_destination = WEIGHTS["destinations"] / len(DESTINATIONS)
    destinations = sum(
        (
            per_destination
            * _closeness(candidates[f"dest_{d.key}_km"],
                         limits.get(d.key, REFERENCE_KM["destination"]))
            for d in DESTINATIONS
        ),
        start=pd.Series(0.0, index=candidates.index),
    )
    points = pd.DataFrame(
        {
            "pts_road": WEIGHTS["road"]
            * _closeness(candidates["road_km"], query.max_road_km or REFERENCE_KM["road"]),
            "pts_rail": WEIGHTS["rail"]
            * _closeness(candidates["rail_km"], query.max_rail_km or REFERENCE_KM["rail"]),
            "pts_destinations": destinations,
            "pts_wastewater": WEIGHTS["wastewater"]
            * (candidates["headroom_m3_day"] / REFERENCE_HEADROOM_M3_DAY)
            .clip(0.0, 1.0)
            .fillna(0.0),
            "pts_ready_built": WEIGHTS["ready_built"]
            * candidates["ready_built_factory"].astype("float64").fillna(0.0),
            "pts_single_plot": WEIGHTS["single_plot"] / candidates["n_plots"].astype("float64"),
        },
        index=candidates.index,
    ).round(1)
    points["score"] = points[list(POINT_COLUMNS)].sum(axis=1).round(1)
    return points


def format_number(values: pd.Series, decimals: int, lang: str) -> pd.Series:
    """Numbers as text in ``lang``'s separators (:func:`gis_app.formatting.number`):
    ``1,234.5`` in English, ``1.234,5`` in Vietnamese."""
    return values.map(lambda v: number(v, lang, decimals)).astype("string")


def _fill(template: str, **columns: pd.Series) -> pd.Series:
    """Vectorized ``str.format``: each placeholder takes its value from an aligned series."""
    index = next(iter(columns.values())).index
    out = pd.Series("", index=index, dtype="string")
    for piece in re.split(r"(\{\w+\})", template):
        name = piece[1:-1]
        if piece.startswith("{") and name in columns:
            out = out + columns[name].astype("string").fillna("")
        else:
            out = out + piece
    return out


def why(candidates: pd.DataFrame, points: pd.DataFrame, lang: str) -> pd.Series:
    """One sentence per candidate naming the site and the criteria that earned most points.

    A criterion is mentioned when it earned at least half of its weight, so the sentence
    lists the real strengths and never pads with weak ones.
    """
    park = candidates["park_name_vi" if lang == "vi" else "park_name_en"]
    area = format_number(candidates["area_ha"], 2, lang)
    is_group = candidates["n_plots"] > 1
    head = _fill(t("why.plot", lang), codes=candidates["plot_codes"], area=area, park=park).where(
        ~is_group,
        _fill(t("why.group", lang), n=candidates["n_plots"].astype("string"),
              codes=candidates["plot_codes"], area=area, park=park),
    )
    strong = points[list(POINT_COLUMNS)] >= pd.Series(
        {f"pts_{k}": w / 2 for k, w in WEIGHTS.items()}
    )
    nearest = candidates[[f"dest_{d.key}_km" for d in DESTINATIONS]]
    names = pd.Series({f"dest_{d.key}_km": (d.name_vi if lang == "vi" else d.name_en)
                       for d in DESTINATIONS})
    nearest_name = nearest.idxmin(axis=1).map(names) if len(nearest) else pd.Series(dtype="string")
    phrases = pd.DataFrame(
        {
            "road": _fill(t("why.road", lang), km=format_number(candidates["road_km"], 1, lang))
            .where(strong["pts_road"]),
            "rail": _fill(t("why.rail", lang), km=format_number(candidates["rail_km"], 1, lang))
            .where(strong["pts_rail"]),
            "dest": _fill(t("why.dest", lang), km=format_number(nearest.min(axis=1), 0, lang),
                          name=nearest_name)
            .where(points["pts_destinations"] > 0),
            "wastewater": _fill(t("why.wastewater", lang),
                                m3=format_number(candidates["headroom_m3_day"], 0, lang))
            .where(strong["pts_wastewater"]),
            "factory": pd.Series(t("why.factory", lang), index=candidates.index, dtype="string")
            .where(candidates["ready_built_factory"].fillna(False).astype(bool)),
        },
        index=candidates.index,
    )
    joined = phrases.stack().dropna().groupby(level=0).agg("; ".join).reindex(candidates.index)
    joined = joined.fillna(t("why.none", lang))
    return (head + ": " + joined + ".").astype("string")


__all__ = ["POINT_COLUMNS", "format_number", "score", "why"]
