"""Who may see what: tenant-level confidential figures are for logged-in officers only."""

from __future__ import annotations

import pandas as pd

#: Per-tenant figures the boards hold in confidence (capital, revenue, exports, tax, labour).
CONFIDENTIAL_TENANT_COLUMNS: tuple[str, ...] = (
    "registered_capital_usd",
    "realised_capital_usd",
    "revenue_usd",
    "exports_usd",
    "budget_contribution_usd",
    "employees",
)


def tenant_view(tenants: pd.DataFrame, officer: bool) -> pd.DataFrame | None:
    """The tenant table an audience may see: everything for officers, nothing for the public.

    The public sees no tenant rows at all (not even names with the figures removed), so a
    public page cannot leak a tenant's figures through a later column added to the schema.
    """
    if not officer:
        return None
    return tenants.copy()
