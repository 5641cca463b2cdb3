"""Vacant-land search for investors: filter, group adjacent plots, rank, explain, export.

No Streamlit here: the viewer's "Vacant land" page and any other caller share this code.
"""

from .explain import ConditionEffect, Explanation, Largest, explain, largest_area
from .export import to_csv, to_geojson
from .groups import adjacent_pairs, grow_groups
from .index import SearchIndex, build_index
from .measures import destination_points, distance_columns, nearest_km, wastewater_headroom
from .national import ProvinceSearch, search_provinces
from .query import QueryError, SearchQuery
from .rank import POINT_COLUMNS, score, why
from .search import RESULT_COLUMNS, eligible_plots, search
from .settings import DESTINATIONS, WEIGHTS, Destination

__all__ = [
    "DESTINATIONS",
    "ConditionEffect",
    "Explanation",
    "Largest",
    "ProvinceSearch",
    "POINT_COLUMNS",
    "RESULT_COLUMNS",
    "WEIGHTS",
    "Destination",
    "QueryError",
    "SearchIndex",
    "SearchQuery",
    "adjacent_pairs",
    "build_index",
    "destination_points",
    "distance_columns",
    "eligible_plots",
    "explain",
    "grow_groups",
    "largest_area",
    "nearest_km",
    "score",
    "search",
    "search_provinces",
    "to_csv",
    "to_geojson",
    "wastewater_headroom",
    "why",
]
