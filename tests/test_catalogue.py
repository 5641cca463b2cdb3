"""The message catalogue: complete in both languages, and the only place words live.

Three source checks read ``gis_app`` with :mod:`ast` (no import, no Streamlit run):

- every literal key given to ``t()``/``ngettext()`` (or a page's ``s.t``/``s.nt``) is in the
  catalogue, and every key built from a literal prefix (``f"scenario.kind_{k}"``) matches one;
- no module outside :mod:`gis_app.i18n` keeps its own translation table: a dict keyed by
  ``"vi"``/``"en"``, a dict of (Vietnamese, English) pairs, a ``"…" if lang == "vi" else
  "…"`` choice between two texts, a choice between two names or attributes named for the two
  languages (``c.label_vi if lang == "vi" else c.label_en``, ``NOTICE_VI if vi else
  NOTICE_EN``), a class attribute holding one language's text (``label_vi = "…"``) and a
  table named for one language (``_ORIENTATION_VI = {...}``);
- no Streamlit widget or text call in ``gis_app/viewer`` is given a bare literal with words
  as its text, ``label=`` or ``help=``.

Each checker is itself tested on a small bad sample, so a checker that finds nothing because
it is broken fails too.
"""

from __future__ import annotations

import ast
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from gis_app import i18n

ROOT = Path(i18n.__file__).resolve().parent
LOOKUPS = {"t": "singular", "ngettext": "plural", "nt": "plural"}

#: Modules that still choose between two hand-written texts (``x if lang == "vi" else y``)
#: and are not yet moved to the catalogue. The test fails when one of them is clean (take it
#: off the list) or when any other module does it.
NOT_YET_MOVED: set[str] = set()


def _messages(lang: str) -> dict[str, object]:
    with i18n.po_path(lang).open("rb") as f:
        return {m.id if isinstance(m.id, str) else m.id[0]: m.string
                for m in read_po(f, locale=lang) if m.id}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


# --- the catalogue itself ------------------------------------------------------------------

def catalogue_problems(vi: dict[str, object], en: dict[str, object]) -> list[str]:
    """Keys missing or empty in either language, and placeholders that differ."""
    problems = [f"{k}: missing in en" for k in sorted(set(vi) - set(en))]
    problems += [f"{k}: missing in vi" for k in sorted(set(en) - set(vi))]
    for key in sorted(set(vi) & set(en)):
        texts = {"vi": vi[key], "en": en[key]}
        for lang, text in texts.items():
            forms = text if isinstance(text, tuple | list) else (text,)
            if not forms or any(not f for f in forms):
                problems.append(f"{key}: empty in {lang}")
        fields = [set().union(*(_fields(f) for f in (v if isinstance(v, tuple | list) else (v,))
                                if f)) for v in texts.values()]
        if fields[0] != fields[1]:
            problems.append(f"{key}: placeholders differ {sorted(fields[0])} / "
                            f"{sorted(fields[1])}")
    return problems


def test_every_message_is_in_both_languages_and_not_empty() -> None:
    vi, en = _messages("vi"), _messages("en")
    assert len(vi) > 500
    assert catalogue_problems(vi, en) == []


def test_the_catalogue_checker_catches_missing_empty_and_mismatched_messages() -> None:
    vi = {"a": "Một", "b": "", "c": "{n} lô", "d": ("{n} lô",)}
    en = {"a": "One", "b": "Two", "c": "{count} plots", "d": ("{n} plot", ""), "e": "Five"}
    assert catalogue_problems(vi, en) == [
        "e: missing in vi", "b: empty in vi", "c: placeholders differ ['n'] / ['count']",
        "d: empty in en"]


def test_plural_messages_follow_each_language_rule() -> None:
    assert i18n.ngettext("results", 1, "en") == "1 result"
    assert i18n.ngettext("results", 2, "en") == "2 results"
    assert i18n.ngettext("results", 1, "vi") == i18n.ngettext("results", 1, "vi") == "1 kết quả"
    assert i18n.ngettext("results", 5, "vi") == "5 kết quả"


def test_a_missing_key_raises_a_clear_error_never_the_key() -> None:
    with pytest.raises(i18n.MissingMessage, match=r"'no_such_key' is not in the vi catalogue"):
        i18n.t("no_such_key", "vi")
    with pytest.raises(i18n.MissingMessage, match="use ngettext"):
        i18n.t("results", "en")
    with pytest.raises(i18n.MissingMessage):
        i18n.ngettext("login", 2, "en")
    with pytest.raises(ValueError, match="language must be one of"):
        i18n.t("login", "fr")
    # Data values are not message keys: a code the catalogue lacks is shown as it is.
    assert i18n.label("Điện tử cao cấp", "en") == "Điện tử cao cấp"


def test_each_catalogue_is_read_once_and_only_when_its_language_is_used() -> None:
    """Importing the module reads no file; a Vietnamese lookup reads only the Vietnamese
    catalogue, once (the project asserts no timings; the load time is measured by hand,
    about 10 ms per language on an idle machine)."""
    code = ("import gis_app.i18n as i\n"
            "print(i.catalogue.cache_info().currsize)\n"
            "i.t('login', 'vi'); i.t('logout', 'vi'); i.label('leased', 'vi')\n"
            "print(i.catalogue.cache_info().currsize, i.catalogue.cache_info().misses)\n"
            "assert i.catalogue('vi') is i.catalogue('vi')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["0", "1", "1"]


def test_the_notices_written_into_files_are_the_catalogues() -> None:
    """The sample generator writes the illustrative notice (both languages) and the credits
    into each file's dataset_info from :mod:`gis_app.settings`; the pages and sheets show the
    catalogue's. The two must be one text, or a file would say what no page says."""
    from gis_app import settings

    assert settings.ILLUSTRATIVE_NOTICE_VI == i18n.t("notice.illustrative", "vi")
    assert settings.ILLUSTRATIVE_NOTICE_EN == i18n.t("notice.illustrative", "en")
    assert settings.REFERENCE_ATTRIBUTION == i18n.t("notice.attribution", "en")
    assert not hasattr(settings, "REFERENCE_ATTRIBUTION_VI")  # only in the catalogue now


def test_the_menu_titles_come_from_the_catalogue() -> None:
    from gis_app.viewer.views import NAVIGATION

    assert [p.title("vi") for p in NAVIGATION] == [
        "Tổng quan tỉnh", "Khu công nghiệp", "Đất trống cho nhà đầu tư",
        "Việc cần xử lý, sàng lọc", "Kịch bản quy hoạch", "Bản đồ in", "Dữ liệu"]
    assert [p.title("en") for p in NAVIGATION] == [
        "Province overview", "Park", "Vacant land (investors)", "Officer desk",
        "Planning scenarios", "Map sheets", "Data"]


def test_the_po_files_ship_in_the_wheel() -> None:
    pyproject = (ROOT.parent / "pyproject.toml").read_text(encoding="utf-8")
    data = re.search(r"\[tool\.setuptools\.package-data\]\s*gis_app = \[([^\]]*)\]", pyproject)
    assert data and '"locale/*/LC_MESSAGES/*.po"' in data.group(1)


# --- keys used in the code -----------------------------------------------------------------

def _lookup(node: ast.Call) -> str | None:
    func = node.func
    name = func.id if isinstance(func, ast.Name) else (
        func.attr if isinstance(func, ast.Attribute) else None)
    return LOOKUPS.get(name or "")


def _prefix(arg: ast.expr) -> str | None:
    """The literal start of a key built at run time (``f"kind_{k}"``, ``"x." + k``)."""
    if isinstance(arg, ast.JoinedStr) and arg.values and isinstance(arg.values[0], ast.Constant):
        return str(arg.values[0].value)
    if isinstance(arg, ast.BinOp) and isinstance(arg.op, ast.Add) and isinstance(
            arg.left, ast.Constant) and isinstance(arg.left.value, str):
        return arg.left.value
    return None


def key_problems(source: str, singular: set[str], plural: set[str], where: str = "") -> list[str]:
    """Literal keys of ``t``/``ngettext`` calls in ``source`` that the catalogue lacks."""
    problems = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        kind = _lookup(node)
        if kind is None:
            continue
        known = singular if kind == "singular" else plural
        arg = node.args[0]
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            if arg.value not in known:
                problems.append(f"{where}:{node.lineno}: {kind} key {arg.value!r} not in the "
                                "catalogue")
        elif (prefix := _prefix(arg)) is not None and not any(k.startswith(prefix)
                                                              for k in known):
            problems.append(f"{where}:{node.lineno}: no {kind} key starts with {prefix!r}")
    return problems


def _sources() -> list[tuple[str, str]]:
    return [(p.relative_to(ROOT).as_posix(), p.read_text(encoding="utf-8"))
            for p in sorted(ROOT.rglob("*.py"))]


def test_every_key_the_code_looks_up_is_in_the_catalogue() -> None:
    cat = i18n.catalogue("vi")
    singular, plural = set(cat.texts), set(cat.plurals)
    problems = [p for where, src in _sources() for p in key_problems(src, singular, plural, where)]
    assert problems == []


def test_the_key_checker_catches_unknown_keys() -> None:
    bad = ('t("login", lang)\ns.t("no_such_key")\nngettext("results", n, lang)\n'
           'ngettext("login", n, lang)\nt(f"scenario.kind_{k}", lang)\nt(f"nowhere_{k}", lang)\n'
           't("sheets_page." + w, lang)\n')
    cat = i18n.catalogue("vi")
    assert key_problems(bad, set(cat.texts), set(cat.plurals)) == [
        ":2: singular key 'no_such_key' not in the catalogue",
        ":4: plural key 'login' not in the catalogue",
        ":6: no singular key starts with 'nowhere_'"]


# --- no words outside the catalogue --------------------------------------------------------

_VIETNAMESE = re.compile(r"[À-ỹ]")
_WORDS = re.compile(r"[^\W\d_]{2,}")
_IDENTIFIER = re.compile(r"[a-z0-9_]+")


def _words(text: str) -> bool:
    """Text a reader would read: letters, and not a code or column name (``name_vi``)."""
    return bool(_WORDS.search(text)) and not _IDENTIFIER.fullmatch(text)


def _is_text(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _lang_test(node: ast.expr) -> bool:
    """``lang == "vi"`` (or ``s.lang != "en"``, or a flag named ``vi``)."""
    if isinstance(node, ast.Name):
        return node.id in ("vi", "en", "is_vi", "is_en")
    if not isinstance(node, ast.Compare) or len(node.comparators) != 1:
        return False
    sides = (node.left, node.comparators[0])
    return any(_is_text(s) and s.value in ("vi", "en") for s in sides)  # type: ignore[union-attr]


_ONE_LANGUAGE = re.compile(r"(?i)(?P<stem>.+?)_(?P<lang>vi|en)")


def _marked(name: str) -> tuple[str, str | None]:
    """(stem, language) of a name marked for one language: ``label_vi`` -> (label, vi);
    ``REFERENCE_ATTRIBUTION`` -> (reference_attribution, None)."""
    found = _ONE_LANGUAGE.fullmatch(name)
    return (found["stem"].lower(), found["lang"].lower()) if found else (name.lower(), None)


def _referenced(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else None


def _language_pair(a: ast.expr, b: ast.expr) -> bool:
    """Two names (or attributes) of one text in two languages: ``x.label_vi``/``x.label_en``,
    ``NOTICE_VI``/``NOTICE``. A thing's own names (``name_vi``/``name_en`` of a park or a
    province) are data, not translations, and pass."""
    names = _referenced(a), _referenced(b)
    if names[0] is None or names[1] is None:
        return False
    (stem_a, lang_a), (stem_b, lang_b) = _marked(names[0]), _marked(names[1])
    return stem_a == stem_b and lang_a != lang_b and not stem_a.endswith("name")


def _one_language_text(node: ast.stmt) -> str | None:
    """The name of a class attribute holding one language's text (``label_vi = "…"``, or a
    ``label_en: ClassVar[str]`` declaration), else None."""
    if isinstance(node, ast.Assign):
        targets, value = node.targets, node.value
    elif isinstance(node, ast.AnnAssign):
        targets, value = [node.target], node.value
    else:
        return None
    for target in targets:
        if not isinstance(target, ast.Name) or _marked(target.id)[1] is None:
            continue
        if _marked(target.id)[0] == "label" or (value is not None and _has_words(value)):
            return target.id
    return None


def table_problems(source: str, where: str = "") -> list[str]:
    """Translation tables and two-text choices by language in ``source``."""
    problems = []
    tree = ast.parse(source)
    for node in tree.body:
        if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict)
                and any(isinstance(t, ast.Name) and _marked(t.id)[1] for t in node.targets)
                and any(v is not None and _has_words(v) for v in node.value.values)):
            problems.append(f"{where}:{node.lineno}: a table of one language's texts")
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            problems += [f"{where}:{stmt.lineno}: class attribute {name} holds one language's "
                         "text" for stmt in node.body if (name := _one_language_text(stmt))]
        if isinstance(node, ast.Dict):
            keys = {k.value for k in node.keys if _is_text(k)}  # type: ignore[union-attr]
            pairs = [v for v in node.values if isinstance(v, ast.Tuple) and len(v.elts) >= 2
                     and all(_is_text(e) for e in v.elts[:2])
                     and _VIETNAMESE.search(v.elts[0].value)  # type: ignore[attr-defined]
                     and not _VIETNAMESE.search(v.elts[1].value)]  # type: ignore[attr-defined]
            if {"vi", "en"} <= keys:
                problems.append(f"{where}:{node.lineno}: a table keyed by 'vi'/'en'")
            elif len(pairs) >= 2:
                problems.append(f"{where}:{node.lineno}: a table of (Vietnamese, English) pairs")
        elif isinstance(node, ast.IfExp) and _lang_test(node.test):
            if _has_words(node.body) and _has_words(node.orelse):
                problems.append(f"{where}:{node.lineno}: two texts chosen by language")
            elif _language_pair(node.body, node.orelse):
                problems.append(f"{where}:{node.lineno}: two texts chosen by language by name "
                                f"({_referenced(node.body)} / {_referenced(node.orelse)})")
        elif isinstance(node, ast.If) and _lang_test(node.test) and any(
                _is_text(n) and _VIETNAMESE.search(n.value)  # type: ignore[attr-defined]
                for stmt in node.body for n in ast.walk(stmt)):
            problems.append(f"{where}:{node.lineno}: Vietnamese text written under "
                            "'if lang == ...'")
    return sorted(problems, key=lambda p: int(p.split(":")[1]))


def test_no_module_keeps_its_own_translation_table() -> None:
    found: dict[str, list[str]] = {}
    for where, src in _sources():
        if where == "i18n.py":
            continue
        if problems := table_problems(src, where):
            found[where] = problems
    assert {w: p for w, p in found.items() if w not in NOT_YET_MOVED} == {}
    assert set(NOT_YET_MOVED) <= set(found), "a module on NOT_YET_MOVED is clean: remove it"


def test_the_table_checker_catches_tables_and_choices() -> None:
    bad = ('A = {"vi": {"x": "Lô"}, "en": {"x": "Plot"}}\n'
           'B = {"a": ("Đã cho thuê", "Leased"), "b": ("Còn trống", "Vacant")}\n'
           'c = "Mở rộng" if lang == "vi" else "Extend"\n'
           'd = "name_vi" if lang == "vi" else "name_en"\n'
           'e = {"vi": "Tiếng Việt", "en": "English"}\n'
           'f = {"Chỉ tiêu" if vi else "Indicator": x}\n'
           'if lang == "vi":\n    g = f"Mở rộng {x}"\n')
    assert table_problems(bad) == [
        ":1: a table keyed by 'vi'/'en'", ":2: a table of (Vietnamese, English) pairs",
        ":3: two texts chosen by language", ":5: a table keyed by 'vi'/'en'",
        ":6: two texts chosen by language", ":7: Vietnamese text written under 'if lang == ...'"]


def test_the_table_checker_catches_texts_named_for_one_language() -> None:
    bad = ('class Op:\n    label_vi = "Tách lô"\n    label_en = "Split a plot"\n'
           '    title_en: str = "Merge plots"\n    name_vi = "name_vi"\n'
           '    label_en: ClassVar[str] = ""\n'
           'a = op.label_vi if lang == "vi" else op.label_en\n'
           'b = NOTICE_VI if vi else NOTICE_EN\n'
           'c = ATTRIBUTION_VI if s.lang == "vi" else ATTRIBUTION\n'
           'd = park.name_vi if lang == "vi" else park.name_en\n'
           'e = x.label_vi if lang == "vi" else y.title_en\n'
           '_ORIENTATION_VI = {"landscape": "ngang", "portrait": "dọc"}\n'
           'COLUMNS_EN = {"a": "name_en"}\n')
    assert table_problems(bad) == [
        ":2: class attribute label_vi holds one language's text",
        ":3: class attribute label_en holds one language's text",
        ":4: class attribute title_en holds one language's text",
        ":6: class attribute label_en holds one language's text",
        ":7: two texts chosen by language by name (label_vi / label_en)",
        ":8: two texts chosen by language by name (NOTICE_VI / NOTICE_EN)",
        ":9: two texts chosen by language by name (ATTRIBUTION_VI / ATTRIBUTION)",
        ":12: a table of one language's texts"]


#: Streamlit calls whose text a reader sees: first argument, ``label=`` and ``help=``.
_ST_TEXT = {"title", "header", "subheader", "markdown", "caption", "text", "write", "button",
            "radio", "selectbox", "multiselect", "checkbox", "toggle", "text_input",
            "number_input", "date_input", "slider", "select_slider", "text_area", "info",
            "warning", "error", "success", "download_button", "form_submit_button",
            "expander", "metric", "tabs", "link_button", "page_link", "toast"}


_LOGGERS = {"logger", "log", "logging"}


def _has_words(node: ast.expr) -> bool:
    """A bare literal (or literal parts of an f-string) with words in it."""
    if _is_text(node):
        return _words(node.value)  # type: ignore[attr-defined]
    if isinstance(node, ast.JoinedStr):
        return any(_is_text(v) and _words(v.value)  # type: ignore[attr-defined]
                   for v in node.values)
    if isinstance(node, ast.List | ast.Tuple):
        return any(_has_words(e) for e in node.elts)
    return False


def streamlit_problems(source: str, where: str = "") -> list[str]:
    """Streamlit text given as a literal with words instead of a catalogue message."""
    problems = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in _ST_TEXT):
            continue
        if getattr(node.func.value, "id", "").lower() in _LOGGERS:
            continue  # LOGGER.info(...): the server's log, not the page
        shown = node.args[:1] + [k.value for k in node.keywords if k.arg in ("label", "help")]
        if any(_has_words(a) for a in shown):
            problems.append(f"{where}:{node.lineno}: {node.func.attr}() given literal words")
    return problems


def test_streamlit_texts_come_from_the_catalogue() -> None:
    problems = [p for where, src in _sources() if where.startswith("viewer/")
                for p in streamlit_problems(src, where)]
    assert problems == []


def test_the_streamlit_checker_catches_literal_words() -> None:
    bad = ('st.title("Bản đồ")\nst.caption(f"Nguồn: {x}")\nc1.button(t("login", lang))\n'
           'st.selectbox(label="Chọn KCN", options=x)\nst.number_input(t("x", l), help="Hint")\n'
           'st.markdown(f"**{t(\'x\', l)}**")\nst.tabs(["Một", "Hai"])\nst.markdown("---")\n'
           'LOGGER.info("login refused")\n')
    assert streamlit_problems(bad) == [
        ":1: title() given literal words", ":2: caption() given literal words",
        ":4: selectbox() given literal words", ":5: number_input() given literal words",
        ":7: tabs() given literal words"]


def test_the_examples_in_the_docstrings_hold() -> None:
    import doctest

    from gis_app import formatting

    for module in (i18n, formatting):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0, module.__name__
