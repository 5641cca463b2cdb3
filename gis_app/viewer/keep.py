"""Widget choices that survive a language switch and a page change.

Streamlit keeps a keyed widget's value in the browser as the *shown label* of the choice
(``format_func(option)``). When the language changes, the label sent back ("Cán bộ") is no
option label of the new run ("Officer") and comes back as the widget's value: the radio shows
no choice, the mode reads as public, the province box holds a name instead of its file. And a
widget not drawn on a run (another page) loses its value altogether.

So each such widget has a *kept* value in ``st.session_state`` that no widget owns: the
widget's change callback stores the new choice there (decoded by the run that drew it, in the
language the user saw), and every run puts the kept value back into the widget before drawing
it. Option values are codes; only ``format_func`` depends on the language.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

_PREFIX = "kept__"


def kept_key(key: str) -> str:
    """The session-state key holding the kept value of widget ``key``."""
    return _PREFIX + key


def _remember(key: str) -> None:
    """on_change: the user's new choice becomes the kept value."""
    st.session_state[kept_key(key)] = st.session_state[key]


def get(key: str, default: Any = None) -> Any:
    """The kept value of widget ``key`` (``default`` before the first choice)."""
    return st.session_state.get(kept_key(key), default)


def put(key: str, value: Any) -> None:
    """Set widget ``key``'s choice from code (before the widget is drawn on this run)."""
    st.session_state[kept_key(key)] = value


def widget(key: str, default: Any = None, options: Sequence[Any] | None = None
           ) -> dict[str, Any]:
    """Call right before drawing widget ``key``; pass the result as its keyword arguments.

    Restores the kept value (``default`` if there is none yet, or if it is no longer among
    ``options``, e.g. a park of another file) into the widget's state, and returns
    ``key``/``on_change``/``args`` so that a new choice is kept.
    """
    state = st.session_state
    value = state.get(kept_key(key), default)
    if options is not None and value not in options:
        value = default
    state[kept_key(key)] = value
    state[key] = value
    return {"key": key, "on_change": _remember, "args": (key,)}
