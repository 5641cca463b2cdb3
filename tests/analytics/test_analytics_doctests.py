"""The examples in the analytics docstrings run and give what they show."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import gis_app.analytics

MODULES = sorted(m.name for m in pkgutil.iter_modules(gis_app.analytics.__path__))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"gis_app.analytics.{name}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_examples_exist():
    counts = [doctest.testmod(importlib.import_module(f"gis_app.analytics.{n}")).attempted
              for n in ("areas", "efficiency", "indicators", "screening")]
    assert all(c > 0 for c in counts)
