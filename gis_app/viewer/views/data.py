"""Data: the validation report of the loaded file, its layers, sources and licences."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from gis_app.model.schema import (
    BOOKKEEPING_TABLES,
    CONTEXT_LAYERS,
    DATASET_TABLE,
    SCHEMAS,
    SOURCES_TABLE,
    table_title,
)
from gis_app.storage.source import describe
from gis_app.viewer import cache, frame
from gis_app.viewer.escape import md_text
from gis_app.viewer.indicators import label


def source_name(s: frame.Session) -> str:
    """The loaded source as this reader may see it: an officer sees where it is on the server
    (a URL without its password); the public sees the file name, or the province of a
    database, never the server's folders or host."""
    if s.officer is not None:
        return describe(s.path)
    if isinstance(s.path, Path):
        return s.path.name
    return frame.file_label(s.path, s.lang)


def main() -> None:
    s = frame.session()
    st.title(s.t("page_data"))
    st.caption(md_text(source_name(s)))
    st.subheader(s.t("validation"))
    report = cache.validate_file(str(s.path), s.key)
    if report.ok:
        st.success(s.t("valid"))
    else:
        st.error(s.nt("problems", len(report)))
        frame.show_table(report.problems, s.lang, list(report.problems.columns))
        return
    layers = cache.list_layers(str(s.path), s.key)
    known = {*SCHEMAS, *CONTEXT_LAYERS, *BOOKKEEPING_TABLES}
    st.subheader(s.t("layers"))
    # The layer's title, not its table name (``plots``, ``tenant_plots``): names are internal.
    listing = pd.DataFrame({
        "layer": [table_title(n, s.lang) if n in known else n for n in layers],
        "geometry": [g or "–" for g in layers.values()],
    })
    frame.show_table(listing, s.lang, list(listing.columns))
    st.subheader(s.t("sources"))
    if SOURCES_TABLE in layers:
        sources = cache.read_table(str(s.path), SOURCES_TABLE, s.key)
        if "layer" in sources.columns:  # the layer each source fed, by its title
            sources = sources.assign(layer=[table_title(str(n), s.lang) if n in known else n
                                            for n in sources["layer"]])
        frame.show_table(sources, s.lang, list(sources.columns))
    else:
        st.info(s.t("no_sources"))
    if DATASET_TABLE in layers:
        st.subheader(s.t("dataset"))
        info = cache.read_table(str(s.path), DATASET_TABLE, s.key)
        if {"key", "value"} <= set(info.columns):  # the province by name, not its file key
            info = info.assign(value=[frame.province_name(str(v), s.lang) if k == "province"
                                      else v for k, v in zip(info["key"], info["value"],
                                                             strict=True)],
                               key=[label(str(k), s.lang) for k in info["key"]])
        frame.show_table(info, s.lang, list(info.columns))


main()
