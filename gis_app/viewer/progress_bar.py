"""Long work in the viewer shows Streamlit's progress bar, fed by the library's callback.

An atlas takes seconds to minutes and a national overview reads a file per province; the page
would otherwise sit still until done. The library reports ``(done, total)`` to a
:data:`gis_app.progress.Progress`; :func:`shown` turns that into an ``st.progress`` with a
translated text ("page 3 of 24") and removes it when the work ends, or fails.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

import streamlit as st

from gis_app.formatting import integer
from gis_app.i18n import t
from gis_app.progress import Progress

#: Work shorter than this (s) draws no bar: a file or an atlas served from a cache would
#: only flash one, and each redraw is a message to the browser.
DELAY_S = 0.25


@contextlib.contextmanager
def shown(key: str, lang: str) -> Iterator[Progress]:
    """A progress callback drawing an ``st.progress`` captioned by catalogue message ``key``
    (``{done}`` and ``{total}`` in it), in this place on the page; gone when the block ends.

    The bar is drawn from the first report after :data:`DELAY_S`, so quick work shows none."""
    holder = st.empty()
    start = time.monotonic()

    def report(done: int, total: int) -> None:
        if time.monotonic() - start < DELAY_S:
            return
        share = min(1.0, max(0.0, done / total)) if total > 0 else 1.0
        holder.progress(share, text=t(key, lang, done=integer(done, lang),
                                      total=integer(total, lang)))

    try:
        yield report
    finally:
        holder.empty()
