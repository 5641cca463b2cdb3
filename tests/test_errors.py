"""Every error the library raises on purpose belongs to one hierarchy (:class:`GisAppError`),
so the CLI and the viewer can show its message instead of a traceback."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from gis_app.errors import GisAppError, UsageError
from gis_app.model.schema import PLOTS

PACKAGE = Path(__file__).resolve().parents[1] / "gis_app"
#: Built-in exceptions a function must not raise itself (they escape the hierarchy).
PLAIN = {"Exception", "ValueError", "KeyError", "TypeError", "RuntimeError", "LookupError",
         "IndexError"}


def _plain_raises(source: str) -> list[int]:
    """Lines of ``source`` that raise a built-in exception (``raise ValueError(...)``)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Raise) and node.exc is not None:
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(exc, ast.Name) and exc.id in PLAIN:
                lines.append(node.lineno)
    return lines


def test_the_check_finds_a_plain_raise():
    assert _plain_raises("def f():\n    raise ValueError('x')\n") == [2]
    assert _plain_raises("def f():\n    raise UsageError('x')\n") == []


def test_no_module_raises_a_plain_builtin_exception():
    found = {str(path.relative_to(PACKAGE.parent)): lines
             for path in sorted(PACKAGE.rglob("*.py"))
             if (lines := _plain_raises(path.read_text(encoding="utf-8")))}
    assert found == {}


def test_a_usage_error_is_both_a_product_error_and_a_value_error():
    with pytest.raises(GisAppError, match="no column 'nope'"):
        PLOTS.column("nope")
    assert issubclass(UsageError, ValueError)
