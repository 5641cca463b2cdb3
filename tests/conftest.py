"""Fixtures for the whole suite."""

from __future__ import annotations

import sys

import pytest


@pytest.fixture(autouse=True)
def _restore_main_module():
    """Put back ``__main__`` after each test.

    Streamlit's script runner (used by ``AppTest``) installs the app script as ``__main__`` and
    leaves it there; a later test in the same worker that starts processes with the ``spawn``
    method would then make every child re-run the viewer's app script and fail.
    """
    main = sys.modules.get("__main__")
    yield
    if main is not None:
        sys.modules["__main__"] = main
