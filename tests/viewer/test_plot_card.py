"""The plot card says what an officer needs: park, land use, area, status, the park's decision,
and for officers the tenant, its project's status and lease dates (never to the public)."""

from __future__ import annotations

from viewer_helpers import login, open_page

from gis_app.formatting import date
from gis_app.storage.source import read_plan
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


def test_maps_are_rendered_once_and_shared(app, monkeypatch):
    """A rerun (choosing a plot) and a second session reuse the rendered park map; before,
    every run built and rendered it again (a second of a click's wait)."""
    from streamlit.testing.v1 import AppTest
    from viewer_helpers import APP

    from gis_app.viewer import maps

    built: list[str] = []
    original = maps.park_map

    def counting(plan, park_code, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        built.append(park_code)
        return original(plan, park_code, *args, **kwargs)

    monkeypatch.setattr(maps, "park_map", counting)
    open_page(app, "park")
    app.selectbox(key="park_code").set_value("P2").run()
    assert built == ["P1", "P2"]  # the first park, drawn on opening the page, then P2
    app.selectbox(key="park_plot").set_value("D1").run()
    other = AppTest.from_file(str(APP), default_timeout=60)
    other.run()
    open_page(other, "park")
    other.selectbox(key="park_code").set_value("P2").run()
    assert not other.exception, other.exception
    assert built == ["P1", "P2"]  # neither the rerun nor the new session rendered it again


def test_overview_draws_plots_only_up_to_the_limit(app, monkeypatch):
    """Every plot of a big province would weigh megabytes on the overview: above the limit
    the page says so and draws the parks only."""
    from gis_app.viewer import maps

    app.toggle(key="ov_plots").set_value(True).run()
    assert not app.exception, app.exception
    assert not any("quá nhiều" in str(i.value) for i in app.info)
    monkeypatch.setattr(maps, "MAX_OVERVIEW_PLOTS", 3)
    app.run()
    assert any(str(i.value).startswith("6 lô đất: quá nhiều") for i in app.info), \
        [i.value for i in app.info]
