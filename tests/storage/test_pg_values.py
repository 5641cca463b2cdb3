"""Values sent to PostgreSQL: an integer field GDAL read as floats goes back as integers."""

from __future__ import annotations

import numpy as np
import pandas as pd

from gis_app.storage.postgis.tables import python_values


def test_whole_floats_for_an_integer_column_are_sent_as_integers() -> None:
    values = python_values(pd.Series([2009.0, np.nan, 2015.0]), "integer")
    assert values == [2009, None, 2015]
    assert all(type(v) is int for v in values if v is not None)


def test_a_fraction_for_an_integer_column_is_not_rounded() -> None:
    # The server refuses 2009.5 for an integer column; rounding here would hide bad data.
    assert python_values(pd.Series([2009.5, np.nan]), "bigint") == [2009.5, None]


def test_floats_for_a_real_column_stay_floats() -> None:
    assert python_values(pd.Series([1.0, np.nan]), "double precision") == [1.0, None]
