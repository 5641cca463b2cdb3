"""What every page shares: the session (file, language, officer), errors and the footer.

``app.py`` writes the sidebar once and stores the choices in ``st.session_state``; pages call
:func:`session` to read them and :func:`load` to get the cached plan. Domain errors are turned
into a readable message in one place, :func:`domain_errors`, which wraps every page.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import streamlit as st

from ..errors import GisAppError, ValidationError
from ..i18n import ngettext, t
from ..model.plan import Plan
from ..settings import NATIONAL_ATTRIBUTION, PROVINCES, REFERENCE_ATTRIBUTION
from ..storage.source import Source, is_database
from . import cache
from .escape import md_text
from .frame_env import FILES_ENV


def as_source(value: str | Path) -> Source:
    """A sidebar choice as a source: a URL stays a string (``Path`` would fold its ``//``)."""
    return str(value) if is_database(value) else Path(value)


def split_sources(value: str, sep: str = os.pathsep) -> list[Source]:
    """Split a ``KCN_GIS_FILES`` value into files and ``postgresql://`` URLs.

    On POSIX the separator is ``:``, which URLs contain too: a scheme's ``//`` continues the
    entry before it, and so does the rest of a URL's host part (``user:password@host:port``)
    up to its first ``/`` or ``?``. Newlines separate entries as well.

    >>> [str(s) for s in split_sources("a.gpkg:postgresql://u@db:5433/kcn?province=bac_ninh"
    ...                                 ":/d/b.gpkg", ":")]
    ['a.gpkg', 'postgresql://u@db:5433/kcn?province=bac_ninh', '/d/b.gpkg']
    """
    entries: list[str] = []
    for line in value.splitlines():
        for part in line.split(sep):
            last = entries[-1] if entries else ""
            if entries and (re.fullmatch(r"postgres(?:ql)?", last) and part.startswith("//")
                            or is_database(last) and not re.search(r"//[^/?]*[/?]", last)):
                entries[-1] = f"{last}{sep}{part}"
            else:
                entries.append(part)
    return [as_source(e) for e in (e.strip() for e in entries) if e]


def available_files() -> list[Source]:
    """The province files (and PostGIS URLs) the sidebar offers."""
    value = os.environ.get(FILES_ENV)
    if value:
        return split_sources(value)
    return [p.default_path for p in PROVINCES.values() if p.default_path.exists()]


def file_label(path: Source, lang: str) -> str:
    """The province's name for a shipped file or a URL; otherwise the file name."""
    if is_database(path):
        from ..storage.postgis.connect import parse_url

        key = parse_url(str(path)).province_key
        province = PROVINCES.get(key or "")
        name = (province.name_vi if lang == "vi" else province.name_en) if province else key
        return f"{name} (PostGIS)"
    path = Path(path)
    province = PROVINCES.get(path.stem)
    if province is not None:
        return province.name_vi if lang == "vi" else province.name_en
    return path.name


def province_name(key: str, lang: str) -> str:
    """A province's name for its key (``bac_ninh`` -> Bắc Ninh); unknown keys as given."""
    province = PROVINCES.get(key)
    if province is None:
        return key
    return province.name_vi if lang == "vi" else province.name_en


@dataclass(frozen=True)
class Session:
    """The sidebar's choices as the pages see them."""

    path: Path | str  #: a GeoPackage, or a ``postgresql://`` URL (a string)
    lang: str
    officer: str | None  #: logged-in officer's name; None in public mode

    @property
    def key(self) -> str:
        if isinstance(self.path, str):  # a database: ask its layer versions once per run
            return self._database_key
        return cache.file_key(self.path)

    @functools.cached_property
    def _database_key(self) -> str:
        return cache.file_key(self.path)

    def t(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)

    def nt(self, key: str, n: int, **values: object) -> str:
        """The plural message ``key`` for the count ``n``."""
        return ngettext(key, n, self.lang, **values)


def session() -> Session:
    state = st.session_state
    officer = state.get("officer") if state.get("mode") == "officer" else None
    return Session(as_source(state["data_file"]), state.get("lang", "vi"), officer)


def load(s: Session) -> Plan:
    """The validated plan of the session's file (cached; errors reach :func:`domain_errors`)."""
    return cache.read_plan(str(s.path), s.key)


def context(s: Session) -> dict[str, gpd.GeoDataFrame]:
    """The file's context layers as stored (for measuring: the search's roads and rail)."""
    return cache.read_context(str(s.path), s.key)


def basemap(s: Session) -> dict[str, gpd.GeoDataFrame]:
    """The context layers ready for the maps (simplified, WGS 84; cached per file)."""
    return cache.prepare_basemap(str(s.path), s.key)


@contextlib.contextmanager
def domain_errors(lang: str) -> Iterator[None]:
    """Show a :class:`GisAppError` as one readable message and stop the page (no traceback)."""
    try:
        yield
    except ValidationError as exc:
        lines = str(exc).splitlines()
        st.error(f"{t('data_error', lang)}: "
                 + "  \n".join(md_text(line) for line in lines[:6]))
        st.info(t("see_data_page", lang))
        st.stop()
    except GisAppError as exc:
        st.error(f"{t('data_error', lang)}: {md_text(exc)}")
        st.stop()


def footer(lang: str) -> None:
    """The file's own notice (illustrative sample, or real data entered by the board) and its
    attribution, on every page; the sample's when the file states none."""
    info: dict[str, str] = {}
    chosen = st.session_state.get("data_file")
    if chosen:
        with contextlib.suppress(GisAppError):  # a broken file: its page says why
            source = as_source(chosen)
            info = cache.read_dataset_info(str(source), cache.file_key(source))
    notice = info.get(f"notice_{lang}") or t("notice.illustrative", lang)
    st.divider()
    st.caption(notice)
    st.caption(f"{t('reference_data', lang)}: {md_text(credits(info.get('attribution'), lang))}")


#: The credits the program writes into a file (English there), by their catalogue key.
KNOWN_CREDITS = {REFERENCE_ATTRIBUTION: "notice.attribution",
                 NATIONAL_ATTRIBUTION: "notice.attribution_national"}


def credits(stated: str | None, lang: str) -> str:
    """A file's attribution in ``lang``: the credits the sample and ``kcn-gis init`` write
    (in English) come from the catalogue; a board's own text is shown as the board wrote it;
    a file stating none gets the sample's reference credits."""
    if not stated:
        return t("notice.attribution", lang)
    key = KNOWN_CREDITS.get(" ".join(stated.split()))
    return t(key, lang) if key else stated


def widget_texts(lang: str) -> None:
    """Streamlit's own words the viewer cannot pass as arguments, in ``lang``: a select box's
    "No results" (shown when typing matches no option) is replaced by CSS, the one place it
    can be reached. The selectors are the class names of Streamlit's empty-state elements
    (tests/e2e/test_widget_texts_e2e.py types a non-matching text and reads what shows)."""
    text = json.dumps(t("widgets.no_results", lang), ensure_ascii=False)
    st.html("<style>"
            + "".join(f".{c}{{font-size:0 !important}}"
                      f".{c}::after{{content:{text};font-size:0.875rem}}"
                      for c in EMPTY_STATE_CLASSES)
            + "</style>")


#: Streamlit 1.67's "No results" elements: the select box's and the multiselect's.
EMPTY_STATE_CLASSES = ("equpb2c9", "eo2qvtu11")


def show_map(m: object, key: str, height: int = 520) -> dict | None:
    """Draw a folium map; only the last clicked object comes back (pan/zoom do not rerun)."""
    from streamlit_folium import st_folium

    return st_folium(m, key=key, height=height, use_container_width=True,
                     returned_objects=["last_object_clicked"])


def show_table(frame: object, lang: str, columns: list[str]) -> None:
    """A table of ``columns`` as a report reads: headers, codes, numbers, shares and dates in
    ``lang`` (:func:`gis_app.formatting.display_table`; the browser's locale plays no part)."""
    from ..formatting import display_table
    from .indicators import label

    st.dataframe(display_table(frame, lang, columns, label),
                 hide_index=True,
                 width="stretch")
