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


#: Park totals and ratios built from the tenants' confidential figures.
TENANT_DERIVED_PARK_COLUMNS: tuple[str, ...] = (
    "registered_capital_usd", "registered_capital_usd_per_ha", "realised_capital_usd",
    "realised_capital_usd_per_ha", "revenue_usd", "revenue_usd_per_ha", "exports_usd",
    "exports_usd_per_ha", "budget_contribution_usd", "budget_usd_per_ha", "employees",
    "employees_per_ha", "realised_share", "registered_capital_usd_per_project",
)

#: A park total is published only when at least this many projects make it up; below that a
#: reader could subtract and recover one tenant's figure (the usual "rule of three").
MIN_PROJECTS_PUBLIC = 3


def public_park_table(table: pd.DataFrame) -> pd.DataFrame:
    """The park indicator table with tenant-derived figures blanked where they would expose
    a single tenant (parks with fewer than :data:`MIN_PROJECTS_PUBLIC` reporting projects)."""
    out = table.copy()
    count = out.get("secondary_projects_valid_count")
    if count is None:
        few = pd.Series(True, index=out.index)
    else:
        few = count.fillna(0) < MIN_PROJECTS_PUBLIC
    columns = [c for c in TENANT_DERIVED_PARK_COLUMNS if c in out.columns]
    out.loc[few.to_numpy(), columns] = float("nan")
    return out


def tenant_view(tenants: pd.DataFrame, officer: bool) -> pd.DataFrame | None:
    """The tenant table an audience may see: everything for officers, nothing for the public.

    The public sees no tenant rows at all (not even names with the figures removed), so a
    public page cannot leak a tenant's figures through a later column added to the schema.
    """
    if not officer:
        return None
    return tenants.copy()
