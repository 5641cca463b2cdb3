"""KCN-GIS viewer: the frame around every page (``streamlit run gis_app/viewer/app.py``).

The sidebar (language, province file, public/officer mode and login) is written here once;
pages live in :mod:`gis_app.viewer.views` and are listed in its ``NAVIGATION``. Every page
runs inside :func:`gis_app.viewer.frame.domain_errors`, so data errors become messages.
"""

from __future__ import annotations

import math
import secrets
import time

import streamlit as st

from gis_app.errors import GisAppError
from gis_app.i18n import LANG_NAMES, LANGS, t
from gis_app.viewer import assets, frame, keep, login_guard, views
from gis_app.viewer.auth import AuthError, check_login

# An emoji favicon: a ":material/...:" page icon is fetched from fonts.gstatic.com (offline!).
st.set_page_config(page_title="KCN-GIS", page_icon="🏭", layout="wide")
assets.register_leaflet_route()
state = st.session_state


def _client() -> str:
    """Who is trying to log in: the IP address, or the browser session where Streamlit gives
    none (a browser on this machine)."""
    ip = st.context.ip_address
    if isinstance(ip, str) and ip:  # (under AppTest it is no string)
        return ip
    if "login_client" not in state:
        state["login_client"] = "session-" + secrets.token_hex(6)
    return str(state["login_client"])


def _wait_text(seconds: float, lang: str) -> str:
    if seconds < 60:
        return t("wait_seconds", lang, n=max(1, math.ceil(seconds)))
    return t("wait_minutes", lang, n=math.ceil(seconds / 60))


def _idle_minutes() -> float:
    """``KCN_GIS_IDLE_MINUTES``; a bad value is shown (to officers) and the default applies."""
    try:
        return login_guard.idle_minutes()
    except AuthError as exc:
        if keep.get("mode") == "officer":
            st.error(str(exc))
        return login_guard.DEFAULT_IDLE_MINUTES


def _end_idle_session(minutes: float) -> None:
    """Log out an officer idle for ``minutes`` before any page draws confidential data; any
    other run of the app is activity."""
    if not state.get("officer"):
        return
    now = time.time()
    if login_guard.idle_expired(state.get("officer_seen", now), now, minutes):
        login_guard.guard().log("idle_logout", state["officer"], _client(), idle_minutes=minutes)
        state["officer"] = None
        keep.put("mode", "public")
        state["idle_notice"] = minutes
    else:
        state["officer_seen"] = now


def _watch_idle(minutes: float) -> None:
    """While an officer's page stays open untouched, look now and then whether the idle time
    is up; then rerun the app, whose first step (:func:`_end_idle_session`) logs out."""

    def check() -> None:
        seen = state.get("officer_seen")
        if state.get("officer") and seen is not None and login_guard.idle_expired(
                seen, time.time(), minutes):
            st.rerun()

    st.fragment(check, run_every=login_guard.idle_check_seconds(minutes))()


def _login(lang: str, idle_minutes: float) -> None:
    """Officer login form, or the logged-in name and a logout button."""
    if state.get("officer"):
        st.caption(t("logged_in_as", lang, name=state["officer"]))
        if st.button(t("logout", lang), key="logout"):
            login_guard.guard().log("logout", state["officer"], _client())
            state["officer"] = None
            st.rerun()
        _watch_idle(idle_minutes)
        return
    # clear_on_submit: the typed password does not stay in the session after the attempt.
    with st.form("login", clear_on_submit=True):
        name = st.text_input(t("username", lang), key="login_name")
        password = st.text_input(t("password", lang), type="password", key="login_password")
        if st.form_submit_button(t("login", lang)):
            name = name.strip()
            try:
                # Throttled per account and per client, shared by every session of the server.
                outcome = login_guard.guard().attempt(
                    name, _client(), lambda: check_login(name, password))
            except GisAppError as exc:
                st.error(str(exc))
                return
            if outcome.ok:
                state["officer"] = name
                state["officer_seen"] = time.time()
                st.rerun()
            if outcome.refusal is None:
                st.error(t("login_failed", lang))
            else:
                key = "login_locked" if outcome.refusal.locked else "login_wait"
                st.error(t(key, lang, wait=_wait_text(outcome.refusal.wait, lang)))


def sidebar() -> str:
    """Write the sidebar; returns the language."""
    with st.sidebar:
        # A shared link's language (``?lang=en``) starts the session in it; then the radio leads.
        if "lang" not in state and st.query_params.get("lang") in LANGS:
            state["lang"] = st.query_params["lang"]
        st.radio(t("language", state.get("lang", "vi")), LANGS, key="lang", horizontal=True,
                 format_func=LANG_NAMES.__getitem__)
        lang = state["lang"]
        idle_minutes = _idle_minutes()
        _end_idle_session(idle_minutes)
        files = frame.available_files()
        if not files:
            st.error(t("no_files", lang))
            st.stop()
        # Option values are codes (file paths, modes) and their kept values survive a
        # language switch; only the labels change (see gis_app.viewer.keep).
        paths = [str(p) for p in files]
        st.selectbox(t("province_file", lang), paths,
                     format_func=lambda p: frame.file_label(frame.as_source(p), lang),
                     **keep.widget("data_file", paths[0], paths))
        modes = ("public", "officer")
        st.radio(t("mode", lang), modes, horizontal=True,
                 format_func=lambda m: t(f"mode_{m}", lang),
                 **keep.widget("mode", "public", modes))
        if "idle_notice" in state:
            st.warning(t("idle_logged_out", lang, minutes=f"{state.pop('idle_notice'):g}"))
        if state["mode"] == "officer":
            _login(lang, idle_minutes)
    return lang


lang = sidebar()
frame.widget_texts(lang)
navigation = st.navigation(views.pages(lang))
body = st.container()
frame.footer(lang)
with body, frame.domain_errors(lang):
    navigation.run()
