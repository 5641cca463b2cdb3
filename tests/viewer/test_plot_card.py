"""The plot card says what an officer needs: park, land use, area, status, the park's decision,
and for officers the tenant, its project's status and lease dates (never to the public)."""

from __future__ import annotations

from viewer_helpers import login, open_page

from gis_app.formatting import date
from gis_app.layers.source import read_plan
from gis_app.viewer.indicators import label


def _card(app) -> dict[str, str]:  # noqa: ANN001
    app.selectbox(key="park_code").set_value("P1").run()
    app.selectbox(key="park_plot").set_value("B5").run()
    assert not app.exception, app.exception
    card = app.table[0].value
    return dict(zip(card.index, card.iloc[:, 0], strict=True))


def test_officer_card_has_park_use_area_status_decision_tenant_project_and_lease(
        app, viewer_env):
    plan = read_plan(viewer_env)
    tenant = plan.tenants.set_index("project_id").loc["T1"]
    park = plan.parks.set_index("park_code").loc["P1"]
    open_page(app, "park")
    login(app)
    card = _card(app)
    assert card["Khu công nghiệp"] == "KCN Một (P1)"
    assert card[label("land_use", "vi")] == label("industrial", "vi")
    assert card[label("area_ha", "vi")] == "1,00"
    assert card[label("status", "vi")] == label("leased", "vi")
    decision = card[label("decision_no", "vi")]
    assert decision == (" – ".join(
        v for v in (park["decision_no"], date(park["decision_date"], "vi")) if v) or "–")
    assert card["Doanh nghiệp thuê"] == tenant["investor"]
    assert card[label("project_status", "vi")] == label(tenant["project_status"], "vi")
    assert card["Thời hạn thuê"] == (f"{date(tenant['lease_start'], 'vi')} – "
                                     f"{date(tenant['lease_end'], 'vi')}")


def test_public_card_has_no_tenant_project_or_lease(app):
    open_page(app, "park")
    card = _card(app)
    assert card["Khu công nghiệp"] == "KCN Một (P1)"
    assert card[label("status", "vi")] == label("leased", "vi")
    for row in ("Doanh nghiệp thuê", label("project_status", "vi"), "Thời hạn thuê"):
        assert row not in card


def test_card_in_english(app):
    open_page(app, "park")
    app.sidebar.radio(key="lang").set_value("en").run()
    card = _card(app)
    assert card["Park"] == "Park One (P1)"
    assert card[label("land_use", "en")] == label("industrial", "en")
