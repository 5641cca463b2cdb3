"""The viewer's pages: one module per page in this folder, one line each in :data:`NAVIGATION`.

A page module is a Streamlit script; it reads the sidebar's choices with
:func:`gis_app.viewer.frame.session`. Pages whose module is not there yet (scenarios and map
sheets arrive from their own issues) are skipped, so their line can be added ahead of time.

Why ``views`` and not ``pages``: Streamlit treats a ``pages/`` folder next to the main script
as a legacy (v1) multipage app. On a fresh session that opens a page URL directly, it then
runs that page's script *without* ``app.py`` (no sidebar, no session), and ``AppTest``'s
``switch_page`` does the same. Any other folder name keeps ``st.navigation`` in charge.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ...i18n import t

if TYPE_CHECKING:
    from streamlit.navigation.page import StreamlitPage

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class PageSpec:
    module: str  #: file stem in this folder; also the page's URL path
    icon: str
    key: str  #: the catalogue key of the page's title in the menu

    @property
    def path(self) -> Path:
        return HERE / f"{self.module}.py"

    def title(self, lang: str) -> str:
        return t(self.key, lang)


NAVIGATION: tuple[PageSpec, ...] = (
    PageSpec("overview", ":material/map:", "page_overview"),
    PageSpec("park", ":material/factory:", "page_park"),
    PageSpec("vacant_land", ":material/search:", "page_vacant"),
    PageSpec("officer", ":material/checklist:", "page_officer"),
    PageSpec("scenarios", ":material/alt_route:", "page_scenarios"),
    PageSpec("map_sheets", ":material/print:", "page_map_sheets"),
    PageSpec("data", ":material/database:", "page_data"),
)


def available() -> list[PageSpec]:
    """The pages whose module exists, in navigation order."""
    return [spec for spec in NAVIGATION if spec.path.exists()]


def pages(lang: str) -> list[StreamlitPage]:
    """The ``st.navigation`` pages: each at ``/<module>`` (``/overview``, ``/park``, ...).

    Streamlit serves the default page at ``/`` only and answers its own path with "Page not
    found"; so the first page is listed twice: as the default at ``/`` (shown in the menu)
    and, hidden from the menu, at its readable path, for links and bookmarks.
    """
    import streamlit as st

    specs = available()
    out = [st.Page(spec.path, title=spec.title(lang), icon=spec.icon, url_path=spec.module)
           for spec in specs]
    if specs:
        first = specs[0]
        out[0] = st.Page(first.path, title=first.title(lang), icon=first.icon, url_path="",
                         default=True)
        out.append(st.Page(first.path, title=first.title(lang), icon=first.icon,
                           url_path=first.module, visibility="hidden"))
    return out
