"""Generated tenant projects for the leased plots, calibrated to the published figures.

Investor names are built from syllables and belong to no real company. Counts and totals that a
board publishes (project mix, FDI projects and capital, workers, revenue, exports, budget) are
met exactly by construction: statuses are dealt from exact counts and money and jobs are scaled
to the published totals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import SampleError
from .catalog import REPORTING_YEAR, ProvinceTargets

COUNTRIES = ("KR", "JP", "CN", "TW", "SG", "HK", "US", "VN")
COUNTRY_WEIGHTS = (0.42, 0.09, 0.15, 0.06, 0.04, 0.03, 0.02, 0.19)
SECTORS = ("electronics", "mechanical", "textiles", "food", "logistics", "chemicals", "plastics",
           "pharmaceuticals", "auto_parts", "materials")
_SECTOR_EN = ("Electronics", "Precision", "Textile", "Foods", "Logistics", "Chemical", "Plastics",
              "Pharma", "Auto Parts", "Materials")
_SECTOR_VI = ("Điện tử", "Cơ khí chính xác", "Dệt may", "Thực phẩm", "Logistics", "Hóa chất",
              "Nhựa", "Dược phẩm", "Phụ tùng ô tô", "Vật liệu")
_SYLLABLES = {
    "KR": ("Han", "Seo", "Dae", "Min", "Jin", "Sung", "Woo", "Hyun", "Kwang", "Bong"),
    "JP": ("Taka", "Yama", "Hiro", "Naka", "Mizu", "Kawa", "Sato", "Fuji", "Mori", "Kura"),
    "CN": ("Hua", "Xin", "Long", "Jing", "Tai", "Feng", "Rui", "Hong", "Sheng", "Yuan"),
    "TW": ("Chen", "Wei", "Lian", "Ming", "Guo", "Tien", "Hsin", "Kai", "Yu", "Fu"),
    "SG": ("Meri", "Lion", "Kal", "Sen", "Tan", "Bay", "Ora", "Vista", "Pan", "Zen"),
    "HK": ("Wing", "Kam", "Po", "Shun", "Lok", "Tak", "Yat", "Hing", "Cheung", "On"),
    "US": ("North", "Blue", "Pine", "River", "Stone", "Bright", "Oak", "Summit", "Clear", "Field"),
    "VN": ("An", "Bình", "Minh", "Phát", "Thành", "Hưng", "Thịnh", "Tâm", "Việt", "Phúc"),
}
_STATUS_YEARS = {  # lease start years by project status (reporting year 2023)
    "operating": (None, 2021),
    "under_construction": (2022, 2023),
    "behind_schedule": (2014, 2020),
    "revoked": (2011, 2019),
}


def _name(country: str, sector: int, rng: np.random.Generator) -> str:
    syl = _SYLLABLES[country]
    stem = str(rng.choice(syl)) + str(rng.choice(syl)).lower()
    if country == "VN":
        stem = f"{rng.choice(syl)} {rng.choice(syl)}"
        return f"Công ty TNHH {_SECTOR_VI[sector]} {stem}"
    return f"{stem} {_SECTOR_EN[sector]} Vina Co., Ltd."


def group_plots(leased: pd.DataFrame, n_projects: int | None, rng: np.random.Generator
                ) -> list[list[str]]:
    """Split leased plots (in lease order, with ``row``) into runs, one run per project.

    Runs break at row ends first, so a project spanning plots takes neighbours in one row;
    with ``n_projects`` given exactly that many projects are formed, otherwise about one
    project in seven spans two plots.
    """
    codes = leased["plot_code"].tolist()
    n = len(codes)
    want = n - int(round(n / 7)) if n_projects is None else n_projects
    if not 0 < want <= n:
        if n == 0 and want == 0:
            return []
        raise SampleError(f"{n} leased plots cannot host {want} projects")
    rows = leased["row"].to_numpy()
    gaps = np.arange(n - 1)
    forced = gaps[rows[:-1] != rows[1:]]
    free = gaps[rows[:-1] == rows[1:]]
    if len(forced) >= want - 1:
        cuts = rng.choice(forced, size=want - 1, replace=False)
    else:
        cuts = np.concatenate([forced, rng.choice(free, size=want - 1 - len(forced),
                                                   replace=False)])
    edges = [0, *sorted(int(c) + 1 for c in cuts), n]
    return [codes[a:b] for a, b in zip(edges[:-1], edges[1:], strict=True)]


def _deal(counts: dict[str, int], n: int, rng: np.random.Generator) -> np.ndarray:
    statuses = np.concatenate([[s] * c for s, c in counts.items()]) if counts else np.array([])
    if len(statuses) != n:
        raise SampleError(f"status counts {counts} do not add up to {n} projects")
    return rng.permutation(statuses)


def _scale(values: pd.Series, total: float | None) -> pd.Series:
    if total is None or values.sum() == 0:
        return values
    return values * (total / values.sum())


def make_tenants(projects: pd.DataFrame, target: ProvinceTargets, rng: np.random.Generator,
                 historical_revoked: int = 0, infrastructure_capital_usd: float = 0.0
                 ) -> pd.DataFrame:
    """Attributes for ``projects`` (columns project_id, park_code, area_ha, park_year, new_park).

    Returns one row per project, plus ``historical_revoked`` revoked projects without land, and
    the province's infrastructure projects.
    """
    n = len(projects)
    revoked = target.revoked_on_plots
    if target.projects_by_status is not None:
        counts = dict(target.projects_by_status)
        counts["operating"] -= target.infrastructure_projects
        counts["revoked"] = revoked
        status = _deal(counts, n, rng)
    else:
        status = rng.choice(["operating", "under_construction", "behind_schedule"], size=n,
                            p=[0.9, 0.06, 0.04])
        status[rng.choice(n, size=min(revoked, n), replace=False)] = "revoked"
    status = np.where(projects["new_park"].to_numpy(), "under_construction", status)
    out = projects.copy()
    out["project_type"] = "secondary"
    out["project_status"] = status

    # Countries: exactly the published number of FDI projects where there is one.
    if target.fdi_projects is not None:
        valid = np.flatnonzero(status != "revoked")
        fdi = np.zeros(n, bool)
        fdi[rng.choice(valid, size=target.fdi_projects, replace=False)] = True
        foreign = [c for c in COUNTRIES if c != "VN"]
        w = np.array(COUNTRY_WEIGHTS[:-1]) / sum(COUNTRY_WEIGHTS[:-1])
        country = np.where(fdi, rng.choice(foreign, size=n, p=w), "VN")
    else:
        country = rng.choice(COUNTRIES, size=n, p=COUNTRY_WEIGHTS)
    out["country"] = country
    sector = rng.integers(0, len(SECTORS), size=n)
    out["sector"] = [SECTORS[s] for s in sector]
    out["investor"] = [_name(c, s, rng) for c, s in zip(country, sector, strict=True)]

    years = []
    for st, park_year in zip(status, projects["park_year"], strict=True):
        lo, hi = _STATUS_YEARS[st]
        lo = max(lo or park_year, park_year)
        hi = max(hi, lo)
        years.append(int(rng.integers(lo, hi + 1)))
    start = pd.to_datetime([f"{y}-{m:02d}-01" for y, m in
                            zip(years, rng.integers(1, 13, size=n), strict=True)])
    out["lease_start"] = start
    out["lease_end"] = start + pd.DateOffset(years=50)

    area = projects["area_ha"].to_numpy()
    fdi_mask = out["country"].ne("VN").to_numpy()
    intensity = np.where(fdi_mask, rng.lognormal(np.log(11e6), 0.5, n),
                         rng.lognormal(np.log(4e6), 0.5, n))
    capital = pd.Series(area * intensity, index=out.index)
    valid = out["project_status"].ne("revoked")
    if target.fdi_capital_usd is not None:
        m = valid & fdi_mask
        capital[m] = _scale(capital[m], target.fdi_capital_usd)
    if target.total_capital_usd is not None and target.fdi_capital_usd is not None:
        m = valid & ~fdi_mask
        domestic = target.total_capital_usd - target.fdi_capital_usd - infrastructure_capital_usd
        capital[m] = _scale(capital[m], domestic)
    out["registered_capital_usd"] = capital.round(-3)
    built = {"operating": (0.6, 1.0), "under_construction": (0.1, 0.5),
             "behind_schedule": (0.0, 0.15), "revoked": (0.0, 0.05)}
    share = np.array([rng.uniform(*built[s]) for s in status])
    out["realised_capital_usd"] = (out["registered_capital_usd"] * share).round(-3)

    producing = out["project_status"].eq("operating")
    jobs = pd.Series(np.where(producing, area * rng.uniform(60, 220, n),
                              np.where(out["project_status"].eq("under_construction"),
                                       area * 8, 0.0)), index=out.index)
    jobs = _scale(jobs, target.employees)
    out["employees"] = _round_to_total(jobs, target.employees)
    revenue = pd.Series(np.where(producing, out["realised_capital_usd"] * rng.uniform(0.6, 1.8, n),
                                 np.nan), index=out.index)
    out["revenue_usd"] = _scale(revenue, target.revenue_usd).round(-3)
    export_share = np.where(fdi_mask, rng.uniform(0.5, 0.95, n), rng.uniform(0.0, 0.4, n))
    out["exports_usd"] = _scale(revenue * export_share, target.exports_usd).round(-3)
    out["budget_contribution_usd"] = _scale(revenue * rng.uniform(0.02, 0.08, n),
                                            target.budget_usd).round(-3)
    out["reporting_year"] = REPORTING_YEAR

    extra = []
    for i in range(historical_revoked):
        c = str(rng.choice(COUNTRIES, p=COUNTRY_WEIGHTS))
        s = int(rng.integers(0, len(SECTORS)))
        y = int(rng.integers(2010, 2020))
        extra.append({
            "project_id": f"{target.legacy_province[:2].upper()}-R{i + 1:03d}",
            "park_code": str(rng.choice(projects["park_code"].unique())),
            "project_type": "secondary", "project_status": "revoked", "country": c,
            "sector": SECTORS[s], "investor": _name(c, s, rng),
            "lease_start": pd.Timestamp(f"{y}-06-01"), "lease_end": pd.Timestamp(f"{y + 50}-06-01"),
            "registered_capital_usd": float(round(rng.lognormal(np.log(5e6), 0.6), -3)),
            "realised_capital_usd": 0.0, "employees": 0, "reporting_year": REPORTING_YEAR,
        })
    if extra:
        out = pd.concat([out, pd.DataFrame(extra)], ignore_index=True)
    return out.drop(columns=["area_ha", "park_year", "new_park"], errors="ignore")


def infrastructure_projects(target: ProvinceTargets, parks: list[tuple[str, str, int]],
                            capital_usd_each: float) -> pd.DataFrame:
    """The province's infrastructure-development projects (no plot: they build the park)."""
    rows = []
    n = target.infrastructure_projects
    for code, developer, year in parks[:n]:
        rows.append({
            "project_id": f"{code}-HT", "park_code": code, "project_type": "infrastructure",
            "investor": developer, "country": "VN", "sector": "infrastructure",
            "project_status": "operating",
            "lease_start": pd.Timestamp(f"{year}-01-01"),
            "lease_end": pd.Timestamp(f"{year + 50}-01-01"),
            "registered_capital_usd": capital_usd_each,
            "reporting_year": REPORTING_YEAR, "employees": 0,
        })
    return pd.DataFrame(rows)


def _round_to_total(values: pd.Series, total: int | None) -> pd.Series:
    """Whole numbers that add up to ``total`` (largest remainders get the extra units)."""
    floor = np.floor(values.to_numpy()).astype(int)
    if total is None:
        return pd.Series(np.round(values.to_numpy()).astype(int), index=values.index)
    short = int(total - floor.sum())
    order = np.argsort(-(values.to_numpy() - floor))
    floor[order[:short]] += 1
    return pd.Series(floor, index=values.index)
