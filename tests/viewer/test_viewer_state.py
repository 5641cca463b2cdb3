"""The session survives: choices kept through page changes and language switches, every page
at a readable URL, and the Data page naming the file without the server's folders (AppTest).

The language switch as a browser sends it (the old choice's label) is in
tests/e2e/test_viewer_state_e2e.py: AppTest re-encodes every widget in the new language.
"""

from __future__ import annotations

from pathlib import Path

from viewer_helpers import login, open_page, texts

from gis_app.viewer import views


def _page_text(at) -> str:  # noqa: ANN001
    return "\n".join(texts(at.caption) + texts(at.markdown) + texts(at.info) + texts(at.error))


def test_data_page_shows_the_public_the_file_name_only(app, viewer_env: Path):
    open_page(app, "data")
    shown = _page_text(app)
    assert viewer_env.name in texts(app.caption)
    assert str(viewer_env.parent) not in shown  # no server folder for the public
    login(app)
    open_page(app, "data")
    assert str(viewer_env) in texts(app.caption)  # an officer sees where the file is


def test_choices_survive_page_changes_and_language_switches(app):
    at = login(app)
    open_page(at, "park")
    at.selectbox(key="park_code").set_value("P2").run()
    at.radio(key="park_colour").set_value("land_use").run()
    open_page(at, "overview")
    at.selectbox(key="ov_legacy").set_value("Bắc Giang").run()
    at.radio(key="ov_colour").set_value("status").run()
    at.toggle(key="ov_plots").set_value(True).run()
    for lang in ("en", "vi"):
        at.sidebar.radio(key="lang").set_value(lang).run()
        open_page(at, "park")
        assert at.selectbox(key="park_code").value == "P2"
        assert at.radio(key="park_colour").value == "land_use"
        open_page(at, "overview")
        assert at.selectbox(key="ov_legacy").value == "Bắc Giang"
        assert at.radio(key="ov_colour").value == "status"
        assert at.toggle(key="ov_plots").value is True
        assert [m.value for m in at.metric][0] == "1"  # still filtered: P2 alone
        assert at.sidebar.radio(key="mode").value == "officer"
        assert at.session_state["officer"] == "lan"


def test_the_all_filter_is_kept_through_a_language_switch(app):
    app.sidebar.radio(key="lang").set_value("en").run()
    box = app.selectbox(key="ov_province")
    assert box.options[0] == "All" and box.index == 0
    assert not texts(app.warning)  # "All" is still all parks, not a province named "Tất cả"
    assert [m.value for m in app.metric][0] == "2"


def test_every_page_has_a_readable_path_and_the_first_is_also_the_root(app):
    registered = {str(info["url_pathname"]): Path(str(info["script_path"])).stem
                  for info in app._registered_pages.values()}  # what the browser is sent
    modules = [spec.module for spec in views.available()]
    for module in modules:  # /overview, /park, /data ...
        assert registered.get(module) == module, registered
    assert registered[""] == modules[0]  # and the overview at the root
