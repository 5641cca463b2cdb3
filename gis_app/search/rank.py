"""A transparent score: every criterion's points are a column, and a sentence says why.

Each criterion earns up to its weight (:data:`~gis_app.search.settings.WEIGHTS`) on a linear
scale, so an investor can add the ``pts_*`` columns up by hand and see what drove the rank.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..formatting import plain_number
from ..i18n import t
from .query import SearchQuery
from .settings import DESTINATIONS, REFERENCE_HEADROOM_M3_DAY, REFERENCE_KM, WEIGHTS

#: Score columns in display order (their sum is ``score``).
POINT_COLUMNS: tuple[str, ...] = tuple(f"pts_{name}" for name in WEIGHTS)


def _closeness(km: np.ndarray, reference_km: float) -> np.ndarray:
    """1 at the site, falling linearly to 0 at ``reference_km``; unknown distances earn 0."""
    reference_km = max(reference_km, 1e-6)
    return _known(np.clip(1.0 - km / reference_km, 0.0, 1.0))


def _known(values: np.ndarray) -> np.ndarray:
    """NaN (unknown) earns nothing."""
    return np.where(np.isnan(values), 0.0, values)


def _column(candidates: Mapping[str, object], name: str) -> np.ndarray:
    values = candidates[name]
    if isinstance(values, pd.Series):
        return values.astype("float64").to_numpy(na_value=np.nan)
    return values if isinstance(values, np.ndarray) and values.dtype == np.float64 \
        else np.asarray(values, dtype="float64")


def score_arrays(candidates: Mapping[str, object], query: SearchQuery) -> dict[str, np.ndarray]:
    """The points of :func:`score` as arrays, from arrays (or columns) of the candidates.

    A search scores every candidate nationally (tens of thousands) for every query: numpy on
    arrays costs a fraction of the same arithmetic on pandas columns, with the same floats.
    """
    limits = query.destination_limits
    per_destination = WEIGHTS["destinations"] / len(DESTINATIONS)
    destinations = np.zeros(len(_column(candidates, "n_plots")))
    for d in DESTINATIONS:
        destinations = destinations + per_destination * _closeness(
            _column(candidates, f"dest_{d.key}_km"),
            limits.get(d.key, REFERENCE_KM["destination"]))
    points = {
        "pts_road": WEIGHTS["road"] * _closeness(
            _column(candidates, "road_km"), query.max_road_km or REFERENCE_KM["road"]),
        "pts_rail": WEIGHTS["rail"] * _closeness(
            _column(candidates, "rail_km"), query.max_rail_km or REFERENCE_KM["rail"]),
        "pts_destinations": destinations,
        "pts_wastewater": WEIGHTS["wastewater"] * _known(np.clip(
            _column(candidates, "headroom_m3_day") / REFERENCE_HEADROOM_M3_DAY, 0.0, 1.0)),
        "pts_ready_built": WEIGHTS["ready_built"]
        * _known(_column(candidates, "ready_built_factory")),
        "pts_single_plot": WEIGHTS["single_plot"] / _column(candidates, "n_plots"),
    }
    points = {name: np.round(values, 1) for name, values in points.items()}
    total = np.zeros(len(destinations))
    for name in POINT_COLUMNS:  # left to right, as a row sum adds them
        total = total + points[name]
    points["score"] = np.round(total, 1)
    return points


def score(candidates: pd.DataFrame, query: SearchQuery) -> pd.DataFrame:
    """``pts_<criterion>`` columns and their sum ``score`` (0-100), same index as the input.

    A limit set in the query is the distance at which a criterion earns nothing, so sites
    well inside the investor's own limit rank first; without a limit the defaults of
    :data:`~gis_app.search.settings.REFERENCE_KM` apply.
    """
    return pd.DataFrame(score_arrays(candidates, query), index=candidates.index)


def format_number(values: pd.Series, decimals: int, lang: str) -> pd.Series:
    """Numbers as text: ``1,234.5`` in English, ``1.234,5`` in Vietnamese."""
    return values.map(lambda v: plain_number(v, decimals, lang)).astype("string")


#: The parts of a "why it fits" sentence, by their catalogue keys (``why.<part>``).
_PARTS = ("plot", "group", "road", "rail", "dest", "wastewater", "factory", "none")


def _text(value: object) -> str:
    """A cell as the sentence writes it: unknown (NA) leaves a blank."""
    return "" if value is None or value is pd.NA or (
        isinstance(value, float) and math.isnan(value)) else str(value)


def why_sentences(sites: Mapping[str, Sequence], points: Mapping[str, Sequence],
                  lang: str) -> list[str]:
    """:func:`why` on plain sequences (one item per site shown): a search writes the
    sentences of its few shown sites one by one, cheaper than column operations."""
    text = {part: t(f"why.{part}", lang) for part in _PARTS}
    halves = {f"pts_{k}": w / 2 for k, w in WEIGHTS.items()}
    park_column = sites["park_name_vi" if lang == "vi" else "park_name_en"]
    names = [d.name_vi if lang == "vi" else d.name_en for d in DESTINATIONS]
    dest_columns = [sites[f"dest_{d.key}_km"] for d in DESTINATIONS]
    out = []
    for i in range(len(park_column)):
        area = plain_number(sites["area_ha"][i], 2, lang)
        n, codes, park = int(sites["n_plots"][i]), _text(sites["plot_codes"][i]), \
            _text(park_column[i])
        head = (text["group"].format(n=n, codes=codes, area=area, park=park) if n > 1
                else text["plot"].format(codes=codes, area=area, park=park))
        phrases = []
        if points["pts_road"][i] >= halves["pts_road"]:
            phrases.append(text["road"].format(km=plain_number(sites["road_km"][i], 1, lang)))
        if points["pts_rail"][i] >= halves["pts_rail"]:
            phrases.append(text["rail"].format(km=plain_number(sites["rail_km"][i], 1, lang)))
        if points["pts_destinations"][i] > 0:
            known = [(float(c[i]), k) for k, c in enumerate(dest_columns)
                     if not math.isnan(c[i])]
            km, nearest = min(known)  # the first of equal distances, as idxmin picks
            phrases.append(text["dest"].format(km=plain_number(km, 0, lang),
                                               name=names[nearest]))
        if points["pts_wastewater"][i] >= halves["pts_wastewater"]:
            phrases.append(text["wastewater"].format(
                m3=plain_number(sites["headroom_m3_day"][i], 0, lang)))
        factory = sites["ready_built_factory"][i]
        if factory is not pd.NA and factory is not None and bool(factory):
            phrases.append(text["factory"])
        out.append(f"{head}: {'; '.join(phrases) if phrases else text['none']}.")
    return out


def why(candidates: pd.DataFrame, points: pd.DataFrame, lang: str) -> pd.Series:
    """One sentence per candidate naming the site and the criteria that earned most points.

    A criterion is mentioned when it earned at least half of its weight, so the sentence
    lists the real strengths and never pads with weak ones.
    """
    columns = {name: candidates[name].tolist() for name in (
        "park_name_vi", "park_name_en", "area_ha", "n_plots", "plot_codes", "road_km",
        "rail_km", "headroom_m3_day", "ready_built_factory",
        *(f"dest_{d.key}_km" for d in DESTINATIONS))}
    shown = {name: points[name].tolist() for name in POINT_COLUMNS}
    return pd.Series(why_sentences(columns, shown, lang), index=candidates.index,
                     dtype="string")


__all__ = ["POINT_COLUMNS", "format_number", "score", "score_arrays", "why",
           "why_sentences"]
