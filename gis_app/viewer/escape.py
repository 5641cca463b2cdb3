"""Text from a province file shown in the viewer as text, never as markup.

Names, codes and messages come from files anyone can edit: a tenant called
``<img src=x onerror=alert(1)>`` must read as those characters, not run. Two ways text reaches
the page need escaping:

- HTML: folium's popups, tooltips and the legend put their strings into ``innerHTML``
  (:func:`html_text`, :func:`html_fields`);
- Markdown: Streamlit renders titles, captions, alerts and ``st.table`` cells as Markdown, where
  ``![](http://...)`` would fetch an image and ``:red[...]`` would restyle the text
  (:func:`md_text`).

``st.dataframe`` and widget options draw plain text and need nothing.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

import pandas as pd

#: What can start Markdown (or Streamlit's own) markup on one line: images and links (``[``,
#: ``]``: without them ``!`` and ``(`` are plain), HTML and autolinks, emphasis, code, LaTeX
#: (``$``), entities, a heading's ``#`` at the start; ``_`` only at a word's edge (``min_ha`` is
#: no emphasis) and ``:`` only before a letter (``:material/map:``, ``:red``). Ordinary text
#: (paths, ``area_mismatch``, ``edit e1 (rezone_plots)``, ``1:1,000``) is left as it is.
_MD_SPECIAL = re.compile(
    r"([\\`*\[\]<>$~&]|^#|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])|:(?=[A-Za-z]))")


def html_text(value: object) -> str:
    """``value`` as HTML text: ``<``, ``>``, ``&`` and quotes become entities."""
    return html.escape(str(value), quote=True)


def md_text(value: object) -> str:
    """``value`` as Markdown that renders to exactly its characters (one line)."""
    text = " ".join(str(value).splitlines())
    return _MD_SPECIAL.sub(r"\\\1", text)


def html_fields(frame: pd.DataFrame, fields: Iterable[str]) -> pd.DataFrame:
    """``frame`` with the text of ``fields`` HTML-escaped (numbers and missing values kept).

    For the properties folium's ``GeoJsonPopup``/``GeoJsonTooltip`` insert into ``innerHTML``.
    """
    out = frame.copy()
    for field in fields:
        if field in out.columns and not pd.api.types.is_numeric_dtype(out[field].dtype):
            out[field] = [v if not isinstance(v, str) else html_text(v) for v in out[field]]
    return out
