"""The search query: a frozen dataclass that round-trips through URL query parameters.

A shared link must reproduce a search exactly, so every field has a stable parameter name
and a text form that parses back to the same value. Defaults are left out of the URL so
links stay short; unknown parameters are ignored (the page URL carries other state too).

>>> q = SearchQuery(min_area_ha=2.5, park_codes=("BN01", "BN02"), max_km_to=(("noibai", 30.0),))
>>> q.to_params()
{'park': 'BN01,BN02', 'min_ha': '2.5', 'to_noibai': '30.0'}
>>> SearchQuery.from_params(q.to_params()) == q
True
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields

from ..errors import GisAppError
from ..model.schema import PLOT_LAND_USES
from .settings import DEFAULT_LIMIT, DESTINATION_KEYS


class QueryError(GisAppError, ValueError):
    """A search parameter cannot be understood (names the parameter and the bad value)."""


@dataclass(frozen=True)
class SearchQuery:
    """What an investor asks for. ``None`` or an empty tuple means "no constraint"."""

    province: str | None = None  #: 2025 province or legacy province name (parks columns)
    park_codes: tuple[str, ...] = ()
    min_area_ha: float = 0.0
    max_area_ha: float | None = None
    land_uses: tuple[str, ...] = ()  #: empty: every leasable land use
    ready_built_factory: bool = False  #: True: only plots with a ready-built factory
    min_headroom_m3_day: float | None = None  #: spare capacity of the park's wastewater plant
    max_road_km: float | None = None
    max_rail_km: float | None = None
    max_km_to: tuple[tuple[str, float], ...] = field(default=())  #: (destination key, km)
    allow_groups: bool = True  #: propose adjacent plots together when no single plot fits
    limit: int = DEFAULT_LIMIT
    #: Destination key: list the sites nearest it first (then by score), not by score.
    nearest_to: str | None = None

    def __post_init__(self) -> None:
        for name in ("min_area_ha", "max_area_ha", "min_headroom_m3_day", "max_road_km",
                     "max_rail_km"):
            value = getattr(self, name)
            if value is not None and (not math.isfinite(value) or value < 0):
                raise QueryError(f"search parameter {name}: {value!r} is not a number >= 0")
        if self.max_area_ha is not None and self.max_area_ha < self.min_area_ha:
            raise QueryError(
                f"search parameters: maximum area {self.max_area_ha} ha is below the "
                f"minimum {self.min_area_ha} ha"
            )
        bad = [u for u in self.land_uses if u not in PLOT_LAND_USES]
        if bad:
            raise QueryError(f"search parameter land_uses: unknown land use(s) {bad}")
        for key, km in self.max_km_to:
            if key not in DESTINATION_KEYS:
                raise QueryError(
                    f"search parameter to_{key}: unknown destination (known: "
                    f"{', '.join(DESTINATION_KEYS)})"
                )
            if not math.isfinite(km) or km < 0:
                raise QueryError(f"search parameter to_{key}: {km!r} is not a number >= 0")
        if self.nearest_to is not None and self.nearest_to not in DESTINATION_KEYS:
            raise QueryError(
                f"search parameter near: unknown destination {self.nearest_to!r} (known: "
                f"{', '.join(DESTINATION_KEYS)})"
            )
        if self.limit < 1:
            raise QueryError(f"search parameter limit: {self.limit} must be at least 1")

    @property
    def destination_limits(self) -> dict[str, float]:
        return dict(self.max_km_to)

    def to_params(self) -> dict[str, str]:
        """URL query parameters (text), leaving out fields at their default."""
        default = SearchQuery()
        params: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value == getattr(default, f.name):
                continue
            if f.name == "max_km_to":
                params.update({f"to_{key}": repr(float(km)) for key, km in value})
            else:
                params[_PARAM[f.name]] = _format(value)
        return params

    @classmethod
    def from_params(cls, params: Mapping[str, str | list[str]]) -> SearchQuery:
        """Parse URL parameters (as :meth:`to_params` writes them, or from ``st.query_params``).

        Raises
        ------
        QueryError
            A parameter has a value that cannot be parsed; the message names it.
        """
        values: dict[str, object] = {}
        for name, param in _PARAM.items():
            if param in params:
                values[name] = _parse(name, param, _last(params[param]))
        limits = [
            (key, _number(f"to_{key}", _last(params[f"to_{key}"])))
            for key in DESTINATION_KEYS
            if f"to_{key}" in params
        ]
        if limits:
            values["max_km_to"] = tuple(limits)
        return cls(**values)  # type: ignore[arg-type]


#: URL parameter of each field (short, stable: links are shared).
_PARAM: dict[str, str] = {
    "province": "province",
    "park_codes": "park",
    "min_area_ha": "min_ha",
    "max_area_ha": "max_ha",
    "land_uses": "use",
    "ready_built_factory": "factory",
    "min_headroom_m3_day": "ww_m3",
    "max_road_km": "road_km",
    "max_rail_km": "rail_km",
    "allow_groups": "groups",
    "limit": "limit",
    "nearest_to": "near",
}
_TUPLES = {"park_codes", "land_uses"}
_BOOLS = {"ready_built_factory", "allow_groups"}
_TRUE, _FALSE = ("1", "true", "yes"), ("0", "false", "no")


def _last(value: str | list[str]) -> str:
    # Streamlit's query params may repeat a key; the last one wins, as in a browser form.
    return value[-1] if isinstance(value, list) else value


def _format(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, tuple):
        return ",".join(value)
    if isinstance(value, float):
        return repr(value)  # repr round-trips every float exactly
    return str(value)


def _number(param: str, text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise QueryError(f"search parameter {param}: {text!r} is not a number") from None


def _parse(name: str, param: str, text: str) -> object:
    if name in _TUPLES:
        return tuple(part for part in text.split(",") if part)
    if name in _BOOLS:
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise QueryError(f"search parameter {param}: {text!r} is not 1 or 0")
    if name in ("province", "nearest_to"):
        return text
    if name == "limit":
        try:
            return int(text)
        except ValueError:
            raise QueryError(f"search parameter {param}: {text!r} is not a whole number") from None
    return _number(param, text)
