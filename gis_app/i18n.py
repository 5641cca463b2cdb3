"""Every word the product shows, in Vietnamese and English, from one gettext catalogue.

The texts live in ``gis_app/locale/<lang>/LC_MESSAGES/kcn_gis.po`` (standard gettext ``.po``
files: a translator edits them with Poedit, Weblate or a text editor, no Python needed). They
are read here with Babel once per language and kept in memory.

Why stable keys as ``msgid`` (``leased_ha``, ``scenario.title``) rather than English source
text: Vietnamese is the product's first language, not a translation of the English; the same
English word often needs two Vietnamese wordings ("Plots" is "Lô đất" on a map layer and "Các
lô" in a table column); and data codes and column names (``operating``, ``leased_ha``) are
themselves the keys, so a column is labelled by looking its name up. An English edit then
never orphans the Vietnamese text. Keys of one page or output carry its prefix (``scenario.``,
``sheet.``, ``sheets_page.``, ``history.``, ``officer.``, ``investor.``, ``report.``,
``explain.``, ``why.``, ``reason.``, ``history_cli.``); data labels and the viewer's shared
words have none.

Two lookups, one table:

- :func:`t` for a message the program names (a literal key in the code). An unknown key
  raises :class:`MissingMessage`: a missing translation is a failure, never the key shown
  to a reader. :func:`ngettext` is its plural form for texts with a count.
- :func:`label` for a code or column name that comes from the data (a status, a column of a
  frame): known ones are translated, anything else is data and is shown as it is.
"""

from __future__ import annotations

import functools
import gettext
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pandas as pd
from babel.messages.pofile import read_po

from .errors import GisAppError, UsageError

LANGS = ("vi", "en")
#: Each language by its own name (the same in either catalogue, so kept here, not in them).
LANG_NAMES = {"vi": "Tiếng Việt", "en": "English"}
DOMAIN = "kcn_gis"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


class MissingMessage(GisAppError, KeyError):
    """A key the catalogue does not have (a typo, or a message not yet added to the .po files)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "missing message"


def _check(lang: str) -> str:
    if lang not in LANGS:
        raise UsageError(f"language must be one of {LANGS}, not {lang!r}")
    return lang


def po_path(lang: str) -> Path:
    """Where the ``.po`` file of ``lang`` lives (inside the package, so it ships in the wheel)."""
    return LOCALE_DIR / _check(lang) / "LC_MESSAGES" / f"{DOMAIN}.po"


class _Catalogue:
    """One language's messages: key -> text, key -> plural texts, and the plural rule."""

    def __init__(self, lang: str) -> None:
        with po_path(lang).open("rb") as f:
            parsed = read_po(f, locale=lang, domain=DOMAIN)
        self.texts: dict[str, str] = {}
        self.plurals: dict[str, tuple[str, ...]] = {}
        for message in parsed:
            if not message.id:
                continue  # the header
            if isinstance(message.id, tuple | list):
                forms = message.string if isinstance(message.string, tuple | list) else ()
                self.plurals[str(message.id[0])] = tuple(str(s) for s in forms)
            else:
                self.texts[str(message.id)] = str(message.string or "")
        self.plural: Callable[[int], int] = gettext.c2py(parsed.plural_expr)


@functools.cache
def catalogue(lang: str) -> _Catalogue:
    """The parsed catalogue of ``lang``, read on first use and kept."""
    return _Catalogue(_check(lang))


def _missing(key: str, lang: str) -> MissingMessage:
    return MissingMessage(f"message {key!r} is not in the {lang} catalogue "
                          f"({po_path(lang)}); add it to both kcn_gis.po files")


def t(key: str, lang: str, **values: object) -> str:
    """The message ``key`` in ``lang`` (``vi`` or ``en``), ``{names}`` filled from ``values``.

    >>> t("login", "vi"), t("login", "en")
    ('Đăng nhập', 'Log in')
    """
    cat = catalogue(_check(lang))
    try:
        text = cat.texts[key]
    except KeyError:
        if key in cat.plurals:
            raise MissingMessage(f"message {key!r} has plural forms: use ngettext()") from None
        raise _missing(key, lang) from None
    if not text:
        raise _missing(key, lang)
    return text.format(**values) if values else text


def ngettext(key: str, n: int, lang: str, **values: object) -> str:
    """The plural message ``key`` for the count ``n`` (``{n}`` and ``values`` filled in).

    >>> ngettext("results", 1, "en"), ngettext("results", 3, "en"), ngettext("results", 3, "vi")
    ('1 result', '3 results', '3 kết quả')
    """
    cat = catalogue(_check(lang))
    forms = cat.plurals.get(key)
    if not forms:
        raise _missing(key, lang)
    text = forms[min(cat.plural(int(n)), len(forms) - 1)]
    if not text:
        raise _missing(key, lang)
    return text.format(n=n, **values)


def has(key: str) -> bool:
    """Whether the catalogue has a (singular) message ``key``."""
    return key in catalogue("vi").texts


def keys(lang: str = "vi") -> list[str]:
    """Every key of ``lang``'s catalogue, singular and plural."""
    cat = catalogue(_check(lang))
    return sorted([*cat.texts, *cat.plurals])


def label(key: str, lang: str = "vi") -> str:
    """The label of a data code or column name in ``lang``; a value the catalogue does not
    know is data (a free-text sector, a custom column) and comes back as it is."""
    found = catalogue(_check(lang)).texts.get(key)
    return found if found else key


def labels(keys: pd.Series | list[str], lang: str) -> list[str]:
    """:func:`label` of each key."""
    return [label(str(k), lang) for k in keys]


class _Labels(Mapping[str, tuple[str, str]]):
    """Read-only ``key -> (vi, en)`` view of the catalogue, for code that matches both
    languages' wording (survey phrases recognise a Vietnamese or English label)."""

    def __getitem__(self, key: str) -> tuple[str, str]:
        vi, en = catalogue("vi").texts, catalogue("en").texts
        if key not in vi or key not in en:
            raise MissingMessage(key)
        return vi[key], en[key]

    def __iter__(self) -> Iterator[str]:
        return iter(catalogue("vi").texts)

    def __len__(self) -> int:
        return len(catalogue("vi").texts)


#: ``LABELS[key] == (vi, en)``: a view of the catalogue, not a table of its own.
LABELS: Mapping[str, tuple[str, str]] = _Labels()

#: Columns whose values are codes to translate (not free text such as names).
CODE_COLUMNS = ("status", "park_status", "project_status", "area_basis", "land_use", "sector",
                "basis_type", "action")


def label_frame(frame: pd.DataFrame, lang: str = "vi", *,
                code_columns: tuple[str, ...] = CODE_COLUMNS) -> pd.DataFrame:
    """A copy of ``frame`` with translated column names, index name and code values."""
    texts = catalogue(_check(lang)).texts
    out = frame.copy()
    for column in code_columns:
        if column in out.columns:
            values = out[column]
            out[column] = values.map(texts).fillna(values)
    out.columns = [label(str(c), lang) for c in out.columns]
    if out.index.name:
        out.index = out.index.rename(label(str(out.index.name), lang))
    return out
