"""Hostile names reach the page as text: the map builders' popups, tooltips and legend are
HTML-escaped, and text Streamlit renders as Markdown is Markdown-escaped.

folium's ``GeoJsonPopup`` and ``GeoJsonTooltip`` put each feature's properties (and the
headers) into ``innerHTML`` in the browser, so the properties they show must already be HTML
text. The browser test (tests/e2e/test_hostile_text_e2e.py) clicks the same maps.
"""

from __future__ import annotations

import html
import re

import folium
import pytest

from gis_app.testing import tiny_plan
from gis_app.testing.hostile import HOSTILE, IMG, MARKDOWN, SCRIPT, SVG
from gis_app.viewer import maps
from gis_app.viewer.escape import html_text, md_text
from gis_app.viewer.indicators import park_indicators
from gis_app.viewer.scenario_ui import add_changes

RAW_MARKUP = re.compile(r"[<>\"]")


@pytest.fixture(scope="module")
def plan():
    """The tiny plan with a hostile park name, plot codes, plant name and tenant names."""
    base = tiny_plan()
    codes = {c: f"{HOSTILE[i % len(HOSTILE)]} {i}" for i, c in enumerate(base.plots["plot_code"])}
    parks = base.parks.assign(name_vi=IMG, name_en=SVG)
    plots = base.plots.assign(plot_code=base.plots["plot_code"].map(codes))
    links = base.tenant_plots.assign(plot_code=base.tenant_plots["plot_code"].map(codes))
    tenants = base.tenants.assign(investor=SCRIPT)
    plants = base.wastewater_plants.assign(name_vi=SVG)
    return base.replace(parks=parks, plots=plots, tenant_plots=links, tenants=tenants,
                        wastewater_plants=plants)


def _details(m: folium.Map) -> list[tuple[dict, list[str], list[str]]]:
    """(feature properties, fields, headers) of every popup and tooltip on ``m``."""
    out = []
    for layer in m._children.values():
        if not isinstance(layer, folium.GeoJson):
            continue
        for child in layer._children.values():
            if isinstance(child, folium.GeoJsonPopup | folium.GeoJsonTooltip):
                for feature in layer.data["features"]:
                    out.append((feature["properties"], list(child.fields),
                                list(child.aliases)))
    return out


def _assert_html_text(m: folium.Map, expected: set[str]) -> None:
    """Every popup/tooltip value and header is HTML text; ``expected`` names are among them."""
    shown = set()
    details = _details(m)
    assert details
    for properties, fields, aliases in details:
        for value in [*(properties[f] for f in fields), *aliases]:
            if isinstance(value, str):
                assert not RAW_MARKUP.search(value), value
                shown.add(html.unescape(value))
    assert expected <= shown, expected - shown


def test_park_map_popups_show_hostile_names_as_text(plan) -> None:
    links = plan.tenant_plots.merge(plan.tenants[["project_id", "investor"]], on="project_id")
    m = maps.park_map(plan, "P1", {}, tenants=links, lang="en")
    _assert_html_text(m, {SVG, SCRIPT, *plan.plots["plot_code"]})


def test_province_map_popups_show_hostile_names_as_text(plan) -> None:
    m = maps.province_map(plan, park_indicators(plan), {}, lang="vi", plots=True)
    _assert_html_text(m, {IMG, SVG, *plan.plots["plot_code"]})


def test_scenario_change_tooltips_show_hostile_ids_as_text(plan) -> None:
    changes = plan.plots.assign(layer="plots", feature_id=plan.plots["plot_code"],
                                change="changed", columns_changed=MARKDOWN)
    m = add_changes(folium.Map(), changes, "vi")
    _assert_html_text(m, {MARKDOWN, *plan.plots["plot_code"]})


def test_legend_escapes_its_labels() -> None:
    legend = maps.Legend(SCRIPT, {IMG: '#fff" onmouseover="alert(1)'})
    assert "<script>" not in legend.html and "<img" not in legend.html
    assert '" onmouseover' not in legend.html
    assert html.unescape(re.sub(r"<[^>]+>", "", legend.html)) == SCRIPT + IMG


@pytest.mark.parametrize("value", [*HOSTILE, ":red[x] :material/map: $x$ **b** `c` #h _e_",
                                   "a&lt;b [l](javascript:alert(1)) <http://evil.example>",
                                   "# heading"])
def test_md_text_escapes_what_starts_markdown(value: str) -> None:
    escaped = md_text(value)
    # Every character that could start markup (an image, a link, HTML, emphasis, code, an
    # entity, Streamlit's colour and icon directives, LaTeX) is preceded by a backslash ...
    bare = re.sub(r"\\.", "", escaped)
    assert not set(bare) & set("\\`*[]<>$~&"), bare
    assert not re.search(r"^#|(^|\W)_|_(\W|$)|:[A-Za-z]", bare), bare
    # ... and the text reads exactly as typed.
    assert re.sub(r"\\(.)", r"\1", escaped) == value


def test_md_text_leaves_ordinary_messages_alone() -> None:
    message = ("/tmp/a-b/test_x.gpkg: no such file; min_ha 'lots' is not a number; "
               "edit e1 (rezone_plots) at 1:1,000 failed!")
    assert md_text(message) == message


def test_md_text_is_one_line_and_html_text_escapes_quotes() -> None:
    assert "\n" not in md_text("a\nb\r\nc")
    assert html_text(SVG) == "&quot;&gt;&lt;svg onload=alert(1)&gt;"
