"""KCN-GIS viewer: the frame around every page (``streamlit run gis_app/viewer/app.py``).

The sidebar (language, province file, public/officer mode and login) is written here once;
pages live in :mod:`gis_app.viewer.views` and are listed in its ``NAVIGATION``. Every page
runs inside :func:`gis_app.viewer.frame.domain_errors`, so data errors become messages.
"""

from __future__ import annotations

import streamlit as st

from gis_app.errors import GisAppError
from gis_app.viewer import assets, frame, views
from gis_app.viewer.auth import check_login
from gis_app.viewer.text import LANGS, t

# An emoji favicon: a ":material/...:" page icon is fetched from fonts.gstatic.com (offline!).
st.set_page_config(page_title="KCN-GIS", page_icon="🏭", layout="wide")
assets.register_leaflet_route()
state = st.session_state
LANG_NAMES = {"vi": "Tiếng Việt", "en": "English"}


def _login(lang: str) -> None:
    """Officer login form, or the logged-in name and a logout button."""
    if state.get("officer"):
        st.caption(t("logged_in_as", lang, name=state["officer"]))
        if st.button(t("logout", lang), key="logout"):
            state["officer"] = None
            st.rerun()
        return
    # clear_on_submit: the typed password does not stay in the session after the attempt.
    with st.form("login", clear_on_submit=True):
        name = st.text_input(t("username", lang), key="login_name")
        password = st.text_input(t("password", lang), type="password", key="login_password")
        if st.form_submit_button(t("login", lang)):
            try:
                ok = check_login(name.strip(), password)
            except GisAppError as exc:
                st.error(str(exc))
                return
            if ok:
                state["officer"] = name.strip()
                st.rerun()
            st.error(t("login_failed", lang))


def sidebar() -> str:
    """Write the sidebar; returns the language."""
    with st.sidebar:
        st.radio(t("language", state.get("lang", "vi")), LANGS, key="lang", horizontal=True,
                 format_func=LANG_NAMES.__getitem__)
        lang = state["lang"]
        files = frame.available_files()
        if not files:
            st.error(t("no_files", lang))
            st.stop()
        st.selectbox(t("province_file", lang), [str(p) for p in files], key="data_file",
                     format_func=lambda p: frame.file_label(frame.as_source(p), lang))
        st.radio(t("mode", lang), ("public", "officer"), key="mode", horizontal=True,
                 format_func=lambda m: t(f"mode_{m}", lang))
        if state["mode"] == "officer":
            _login(lang)
    return lang


lang = sidebar()
navigation = st.navigation(
    [st.Page(spec.path, title=spec.title(lang), icon=spec.icon, url_path=spec.module,
             default=i == 0)
     for i, spec in enumerate(views.available())]
)
body = st.container()
frame.footer(lang)
with body, frame.domain_errors(lang):
    navigation.run()
