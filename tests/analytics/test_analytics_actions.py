"""The province-wide "needs action" list (gis_app.analytics.actions) on the shipped Ninh Bình
file and on the mixed plan of awkward parks."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from gis_app.analytics import province_indicators, tenant_metrics, wastewater_status
from gis_app.analytics.actions import ACTION_KINDS, COLUMNS, needs_action, province_actions
from gis_app.i18n import t
from gis_app.storage.source import read_plan

LAYERS = Path(__file__).resolve().parents[2] / "layers"


@pytest.fixture(scope="module")
def ninh_binh():
    return read_plan(LAYERS / "ninh_binh.gpkg")


def test_ninh_binh_lists_exactly_the_13_behind_schedule_projects(ninh_binh) -> None:
    actions = province_actions(ninh_binh, LAYERS / "ninh_binh_builtup.tif")
    behind = actions[actions["kind"] == "behind_schedule"]
    tenants = ninh_binh.tenants
    expected = set(tenants.loc[tenants["project_status"] == "behind_schedule", "project_id"])
    assert set(behind["project_id"]) == expected
    assert len(behind) == behind["project_id"].nunique() == 13
    # The same count as `kcn-gis summary` (province_indicators) reports.
    totals = province_indicators(ninh_binh).iloc[0]
    assert len(behind) == int(totals["projects_behind_schedule_count"])
    # Spread over several parks: the list is what saves opening each park page.
    assert behind["park_code"].nunique() == 4


def test_every_row_names_a_real_park_and_plot_of_it(ninh_binh) -> None:
    actions = province_actions(ninh_binh, LAYERS / "ninh_binh_builtup.tif")
    plots = ninh_binh.plots.set_index("plot_code")["park_code"]
    links = ninh_binh.tenant_plots
    assert list(actions.columns) == list(COLUMNS)
    assert set(actions["kind"]) <= set(ACTION_KINDS)
    assert set(actions["park_code"]) <= set(ninh_binh.parks["park_code"])
    land = actions[actions["plot_code"] != ""]
    assert (plots.reindex(land["plot_code"]).to_numpy() == land["park_code"].to_numpy()).all()
    for _, row in actions[actions["kind"].isin(["revoked", "behind_schedule"])].iterrows():
        held = sorted(links.loc[links["project_id"] == row["project_id"], "plot_code"])
        assert row["plot_codes"].split(", ") == held and row["plot_code"] == held[0]
        assert row["area_ha"] > 0 and pd.notna(row["lease_start"])


def test_revoked_projects_holding_land_and_idle_plots_not_repeated(ninh_binh) -> None:
    actions = province_actions(ninh_binh, LAYERS / "ninh_binh_builtup.tif")
    tenants = ninh_binh.tenants
    revoked = set(tenants.loc[tenants["project_status"] == "revoked", "project_id"])
    holding = revoked & set(ninh_binh.tenant_plots["project_id"])
    assert set(actions.loc[actions["kind"] == "revoked", "project_id"]) == holding
    idle = actions[actions["kind"] == "idle_land"]
    assert len(idle) > 0
    # An idle plot of a behind-schedule or revoked project is covered by its project's row.
    assert not idle["project_status"].isin(["behind_schedule", "revoked"]).any()
    assert (idle["builtup_share"] < 0.20).all() and (idle["years_since_lease"] >= 2).all()
    # Most serious first.
    order = actions["kind"].map(list(ACTION_KINDS).index)
    assert order.is_monotonic_increasing
    # Without a raster there is no idle-land row, the rest is the same.
    plain = province_actions(ninh_binh)
    assert "idle_land" not in set(plain["kind"])
    assert len(plain) == len(actions) - len(idle)


def test_mixed_plan_wastewater_and_revoked_without_land(mixed) -> None:
    actions = province_actions(mixed)
    by_kind = actions.groupby("kind")["park_code"].agg(list).to_dict()
    # SPAN's plant carries 950 of 1,000 m³/day: over the 85 % threshold.
    assert by_kind["wastewater_over_capacity"] == ["SPAN"]
    over = actions[actions["kind"] == "wastewater_over_capacity"].iloc[0]
    assert over["utilisation_share"] == pytest.approx(0.95)
    assert over["plot_code"] == ""
    # EMPTY operates with no plant, FULL with a planned one only.
    assert sorted(by_kind["wastewater_missing"]) == ["EMPTY", "FULL"]
    # R is revoked and still holds F2; Z is revoked without land: nothing left to act on.
    revoked = actions[actions["kind"] == "revoked"]
    assert list(revoked["project_id"]) == ["R"] and list(revoked["plot_code"]) == ["F2"]
    assert "behind_schedule" not in by_kind


def test_needs_action_is_pure_frames_in_frame_out(mixed) -> None:
    metrics, links, water = tenant_metrics(mixed), mixed.tenant_plots, wastewater_status(mixed)
    before = [f.copy() for f in (metrics, links, water)]
    first = needs_action(metrics, links, water)
    for frame, copy in zip((metrics, links, water), before, strict=True):
        pd.testing.assert_frame_equal(frame, copy)
    pd.testing.assert_frame_equal(first, needs_action(metrics, links, water))
    # A project turning behind schedule appears, with the land it holds.
    changed = metrics.copy()
    changed.loc["X", "project_status"] = "behind_schedule"
    row = needs_action(changed, links, water).query("kind == 'behind_schedule'").iloc[0]
    assert row["project_id"] == "X" and row["plot_codes"] == "S1, S2"
    assert row["area_ha"] == pytest.approx(1.5)


def test_wastewater_threshold_and_report_wording(mixed) -> None:
    from gis_app.analytics import WastewaterThresholds
    from gis_app.officer_reports import actions_report

    relaxed = province_actions(mixed, thresholds=WastewaterThresholds(0.96))
    assert "wastewater_over_capacity" not in set(relaxed["kind"])
    actions = province_actions(mixed)
    vi = actions_report(actions, mixed.parks, "vi").set_index("park_code")
    en = actions_report(actions, mixed.parks, "en").set_index("park_code")
    over = actions["kind"].eq("wastewater_over_capacity").to_numpy()
    assert vi.loc[over, "detail"].iloc[0] == \
        "950 / 1.000 m³/ngày (95% công suất; ngưỡng 85%)"
    assert en.loc[over, "detail"].iloc[0] == \
        "950 / 1,000 m³/day (95% of capacity; threshold 85%)"
    assert set(en["action_kind"]) == {t(f"action.{k}", "en") for k in actions["kind"]}
