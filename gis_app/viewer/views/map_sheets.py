"""Map sheets: print a park's sheet (PDF or PNG) or the province atlas for a planning dossier.

The page only collects options and calls :mod:`gis_app.export`; the sheets are drawn in this
process (an atlas too: forking a threaded server is unsafe, see
:func:`gis_app.export.atlas.default_workers`). Files are cached per data-file version and
options, so a second download of the same sheet is instant.
"""

from __future__ import annotations

import streamlit as st

from gis_app.errors import ExportError
from gis_app.export import SheetData, SheetLayout, render_park_sheet, sheet_bytes
from gis_app.export.atlas import atlas_bytes, park_pages
from gis_app.export.layout import PAPER_MM, STANDARD_SCALES, Lang, format_scale
from gis_app.i18n import LANG_NAMES, ngettext, t
from gis_app.progress import Progress
from gis_app.viewer import cache, frame, history_panel, keep, progress_bar
from gis_app.viewer.escape import md_text

_KEY = "ms_"


@st.cache_data(show_spinner=False, max_entries=16)
def park_sheet(_data: SheetData, key: str, park_code: str, layout: SheetLayout,
               fmt: str) -> tuple[bytes, int]:
    """The sheet's file and its scale denominator."""
    sheet = render_park_sheet(_data, park_code, layout)
    return sheet_bytes(sheet, fmt), sheet.denominator


@st.cache_data(show_spinner=False, max_entries=4)
def atlas(_data: SheetData, key: str, layout: SheetLayout,
          _progress: Progress | None = None) -> bytes:
    return atlas_bytes(_data, pages=park_pages(_data), layout=layout, workers=1,
                       progress=_progress)


def _layout(lang: str, *, with_corners: bool) -> SheetLayout:
    c1, c2, c3 = st.columns(3)
    paper = c1.selectbox(t("sheets_page.paper", lang), list(PAPER_MM), index=1, key=_KEY + "paper")
    # Choices whose labels follow the language are kept across a switch (viewer.keep).
    sides = ("landscape", "portrait")
    orientation = c1.radio(t("sheets_page.orientation", lang), sides, horizontal=True,
                           format_func=lambda o: t("sheets_page." + o, lang),
                           **keep.widget(_KEY + "orientation", sides[0], sides))
    scales = [0, *STANDARD_SCALES]
    scale = c2.selectbox(t("scale", lang), scales,
                         format_func=lambda d: (t("sheets_page.fit", lang) if d == 0
                                                else format_scale(d)),
                         **keep.widget(_KEY + "scale", 0, scales))
    sheet_lang: Lang = c2.radio(t("sheets_page.sheet_lang", lang), ("vi", "en"),
                                key=_KEY + "lang", horizontal=True, index=0 if lang == "vi" else 1,
                                format_func=LANG_NAMES.__getitem__)
    graticule = c2.checkbox(t("sheets_page.graticule", lang), key=_KEY + "graticule")
    corners, corner_plot = False, ""
    if with_corners:
        corners = c3.checkbox(t("sheets_page.corners", lang), key=_KEY + "corners")
        if corners:
            corner_plot = c3.text_input(t("sheets_page.corner_plot", lang),
                                        key=_KEY + "corner_plot")
    prepared = c3.text_input(t("prepared_by", lang), key=_KEY + "prepared")
    approved = c3.text_input(t("approved_by", lang), key=_KEY + "approved")
    return SheetLayout(paper=paper, orientation=orientation, scale=scale or None,
                       lang=sheet_lang, graticule=graticule, corner_table=corners,
                       corner_plot=corner_plot.strip() or None, prepared_by=prepared,
                       approved_by=approved)


def main() -> None:
    s = frame.session()
    lang = s.lang
    st.title(t("sheets_page.title", lang))
    st.caption(t("sheets_page.intro", lang))
    # The plan the other pages show (read and validated once per version), not a second read.
    plan, key, day = history_panel.plan_picker(s, key=_KEY + "as_of")
    data = cache.sheet_data(str(s.path), plan, key, day)
    kinds = ("one_sheet", "atlas")
    what = st.radio(t("sheets_page.what", lang), kinds, horizontal=True,
                    format_func=lambda w: t("sheets_page." + w, lang),
                    **keep.widget(_KEY + "what", kinds[0], kinds))
    if what == "one_sheet":
        parks = data.plan.parks
        names = dict(zip(parks["park_code"].astype(str),
                         parks["name_vi" if lang == "vi" else "name_en"].astype(str),
                         strict=True))
        codes = sorted(names)
        park = st.selectbox(t("sheet.park", lang), codes, format_func=lambda c: f"{names[c]} ({c})",
                            **keep.widget(_KEY + "park", codes[0] if codes else None, codes))
        layout = _layout(lang, with_corners=True)
        fmt = st.radio(t("sheets_page.format", lang), ("pdf", "png"), key=_KEY + "format",
                       horizontal=True, format_func=str.upper)
        if st.button(t("sheets_page.make", lang), key=_KEY + "make", type="primary"):
            st.session_state[_KEY + "request"] = (park, layout, fmt)
        request = st.session_state.get(_KEY + "request")
        if request is not None and request == (park, layout, fmt):
            try:
                blob, denominator = park_sheet(data, key, park, layout, fmt)
            except ExportError as exc:  # e.g. a stated scale at which the park does not fit
                st.error(md_text(exc))
                return
            name = f"{data.province.key}_{park}_{layout.paper}.{fmt}"
            st.success(t("sheets_page.made", lang, name=md_text(name),
                         scale=format_scale(denominator)))
            st.download_button(t("sheets_page.download", lang, name=name), blob, file_name=name,
                               mime="application/pdf" if fmt == "pdf" else "image/png",
                               key=_KEY + "download")
            if fmt == "png":
                st.image(blob, caption=t("sheets_page.preview", lang))
    else:
        layout = _layout(lang, with_corners=False)
        if st.button(t("sheets_page.make_atlas", lang), key=_KEY + "make_atlas", type="primary"):
            st.session_state[_KEY + "atlas_request"] = layout
        if st.session_state.get(_KEY + "atlas_request") == layout:
            try:
                with progress_bar.shown("progress.atlas_pages", lang) as progress:
                    blob = atlas(data, key, layout, progress)
            except ExportError as exc:
                st.error(md_text(exc))
                return
            pages = len(park_pages(data)) + 2
            name = f"{data.province.key}_atlas_{layout.paper}.pdf"
            st.success(ngettext("sheets_page.made_atlas", pages, lang))
            st.download_button(t("sheets_page.download", lang, name=name), blob, file_name=name,
                               mime="application/pdf", key=_KEY + "download_atlas")


main()
