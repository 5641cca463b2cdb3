"""The data model: what a province's plan is, independent of where it is stored.

- :mod:`.schema`: every layer of a province file, its columns, types and codes;
- :mod:`.plan`: :class:`Plan`, the six planning layers of one province as typed frames;
- :mod:`.crs`: the coordinate rules (VN-2000 TM-3 zones, the official WGS 84 transformation).

Nothing here reads or writes files or databases: the model is what :mod:`gis_app.rules` checks,
:mod:`gis_app.storage` keeps, and the analytics, search, scenarios and exports work on.
"""

from .plan import Plan
from .schema import PLAN_LAYERS, SCHEMAS, Column, LayerSchema

__all__ = ["PLAN_LAYERS", "SCHEMAS", "Column", "LayerSchema", "Plan"]
