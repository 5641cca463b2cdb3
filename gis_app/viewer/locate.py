"""Find a plot or a park from what a reader types: a plot code, a park code or a park's name.

Typed as people type: any case, with or without Vietnamese diacritics (``gian khau`` finds
"KCN Gián Khẩu"), with stray spaces. No Streamlit here, so it is tested on plain frames.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

#: The words every park's name carries ("KCN Yên Phong", "Yen Phong Industrial Park"): a name
#: typed without them is still the whole name ("yen phong" is not also "Yên Phong mở rộng").
_GENERIC = r"^(?:kcn|khu cong nghiep)\s+|\s+industrial park$"


def fold(text: object) -> str:
    """``text`` as compared: lower case, without diacritics (``đ`` is ``d``), spaces collapsed.

    >>> fold("  KCN  Gián Khẩu "), fold("ĐỒNG VĂN"), fold("nb01-b011")
    ('kcn gian khau', 'dong van', 'nb01-b011')
    """
    value = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    value = "".join(c for c in value if not unicodedata.combining(c)).casefold()
    return " ".join(value.split())


@dataclass(frozen=True)
class Found:
    """Where a typed text leads: a park, and a plot of it when a plot code was typed."""

    park_code: str
    plot_code: str | None = None


def locate(parks: pd.DataFrame, plots: pd.DataFrame, text: str) -> tuple[Found, ...]:
    """Every place ``text`` names, best kind of match first; empty when it names none.

    In order: a plot code, a park code, a park's whole name (Vietnamese or English, with or
    without "KCN"/"Industrial Park"), then parks whose name contains the text as words. One
    result is where to go; several are a name too short to choose by (the page lists them).
    """
    wanted = fold(text)
    if not wanted:
        return ()
    plot_codes = plots["plot_code"].astype(str)
    hit = plots[plot_codes.map(fold) == wanted]
    if not hit.empty:
        row = hit.iloc[0]
        return (Found(str(row["park_code"]), str(row["plot_code"])),)
    codes = parks["park_code"].astype(str)
    by_code = codes[codes.map(fold) == wanted]
    if not by_code.empty:
        return (Found(str(by_code.iloc[0])),)
    names = [parks[c].astype(str).map(fold) for c in ("name_vi", "name_en") if c in parks]
    names += [n.str.replace(_GENERIC, "", regex=True) for n in names]
    for match in (lambda n: n == wanted,
                  lambda n: n.str.contains(rf"\b{re.escape(wanted)}\b", regex=True)):
        chosen = pd.Series(False, index=parks.index)
        for folded in names:
            chosen |= match(folded)
        if chosen.any():
            return tuple(Found(str(c)) for c in codes[chosen])
    return ()
