"""What every page shares: the session (file, language, officer), errors and the footer.

``app.py`` writes the sidebar once and stores the choices in ``st.session_state``; pages call
:func:`session` to read them and :func:`load` to get the cached plan. Domain errors are turned
into a readable message in one place, :func:`domain_errors`, which wraps every page.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import streamlit as st

from ..errors import GisAppError, ValidationError
from ..layers.plan import Plan
from ..settings import (
    ILLUSTRATIVE_NOTICE_EN,
    ILLUSTRATIVE_NOTICE_VI,
    PROVINCES,
    REFERENCE_ATTRIBUTION,
)
from . import cache
from .frame_env import FILES_ENV
from .text import t


def available_files() -> list[Path]:
    """The province files the sidebar offers."""
    value = os.environ.get(FILES_ENV)
    if value:
        return [Path(p) for p in value.split(os.pathsep) if p]
    return [p.default_path for p in PROVINCES.values() if p.default_path.exists()]


def file_label(path: Path, lang: str) -> str:
    province = PROVINCES.get(path.stem)
    if province is not None:
        return province.name_vi if lang == "vi" else province.name_en
    return path.name


@dataclass(frozen=True)
class Session:
    """The sidebar's choices as the pages see them."""

    path: Path
    lang: str
    officer: str | None  #: logged-in officer's name; None in public mode

    @property
    def key(self) -> str:
        return cache.file_key(self.path)

    def t(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)


def session() -> Session:
    state = st.session_state
    officer = state.get("officer") if state.get("mode") == "officer" else None
    return Session(Path(state["data_file"]), state.get("lang", "vi"), officer)


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
        st.error(f"{t('data_error', lang)}: " + "  \n".join(lines[:6]))
        st.info(t("see_data_page", lang))
        st.stop()
    except GisAppError as exc:
        st.error(f"{t('data_error', lang)}: {exc}")
        st.stop()


def footer(lang: str) -> None:
    """The illustrative-data notice and the reference attribution, on every page."""
    st.divider()
    st.caption(ILLUSTRATIVE_NOTICE_VI if lang == "vi" else ILLUSTRATIVE_NOTICE_EN)
    st.caption(f"{t('attribution', lang)}: {REFERENCE_ATTRIBUTION}")


def show_map(m: object, key: str, height: int = 520) -> dict | None:
    """Draw a folium map; only the last clicked object comes back (pan/zoom do not rerun)."""
    from streamlit_folium import st_folium

    return st_folium(m, key=key, height=height, use_container_width=True,
                     returned_objects=["last_object_clicked"])


def localized(frame: object, lang: str, columns: list[str]) -> object:
    """``columns`` of a frame with codes translated and headers in ``lang``."""
    from .indicators import label

    table = frame[columns].copy()  # type: ignore[index]
    # Two decimals are enough on screen (hectares to 100 m², shares to 1 %); downloads keep all.
    floats = table.select_dtypes("float").columns
    table[floats] = table[floats].round(2)
    for code_column in ("status", "land_use", "project_status", "kind"):
        if code_column in table.columns:
            table[code_column] = [label(str(v), lang) for v in table[code_column]]
    return table.rename(columns={c: label(c, lang) for c in columns})
