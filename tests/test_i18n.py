"""Labels in Vietnamese and English."""

from __future__ import annotations

import pandas as pd
import pytest

from gis_app.analytics import park_indicators, province_indicators
from gis_app.i18n import LABELS, label, label_frame
from gis_app.testing import tiny_plan


def test_label_both_languages_and_fallback():
    assert label("occupancy_share", "vi") == "Tỷ lệ lấp đầy"
    assert label("occupancy_share", "en") == "Occupancy"
    assert label("not_a_key", "en") == "not_a_key"
    with pytest.raises(ValueError, match="'fr'"):
        label("leased", "fr")


def test_every_analytics_column_has_a_label():
    plan = tiny_plan()
    columns = set(park_indicators(plan).columns) | set(
        province_indicators(plan, by="legacy_province").columns)
    assert sorted(columns - set(LABELS)) == []


def test_every_validation_rule_has_a_label_in_both_languages():
    from gis_app.rules.validate import RULES

    assert sorted(set(RULES) - set(LABELS)) == []
    assert all(LABELS[rule][0] != LABELS[rule][1] for rule in RULES)


def test_label_frame_translates_codes_columns_and_index():
    frame = pd.DataFrame({"status": ["operating"], "leased_ha": [1.0]},
                         index=pd.Index(["P1"], name="park_code"))
    out = label_frame(frame, "vi")
    assert list(out.columns) == ["Tình trạng", "Đã cho thuê (ha)"]
    assert out.index.name == "Mã KCN" and out.iloc[0, 0] == "Đang hoạt động"
    assert frame.loc["P1", "status"] == "operating"  # input untouched
