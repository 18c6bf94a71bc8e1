"""The dashboard rows' number texts read as the metric_value filter writes them (templatetags.dashboard_rows)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from associations.metrics import COUNT, THOUSAND_RUPIAH
from associations.templatetags.dashboard_rows import _counts_display, _rupiah_display
from associations.templatetags.metric_values import metric_display

NUMBERS = [0, 1, 7, 999, 1000, 1001, 12_345, 999_999, 1_000_000, 2_147_483_647, -1, -1000, -2_147_483_648]
NUMBERS += list(range(0, 200_000, 997))


def test_thousands_of_rupiah_read_as_format_rupiah_writes_them():
    for value in NUMBERS:
        assert _rupiah_display(value) == metric_display(value, THOUSAND_RUPIAH), value
    assert _rupiah_display(1250) == "Rp 1.250.000"
    # What is not a whole number of thousands still goes through format_rupiah.
    for value in (None, "", Decimal("12.5"), "40", True, 10**13):
        assert _rupiah_display(value) == metric_display(value, THOUSAND_RUPIAH), value


@pytest.mark.parametrize("language", ["id", "en"])
def test_counts_read_as_intcomma_writes_them(language):
    with translation.override(language):
        display = _counts_display()
        for value in NUMBERS:
            assert display(value) == metric_display(value, COUNT), value
