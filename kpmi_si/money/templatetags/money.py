from typing import Any

from django import template

from kpmi_si.money import format_rupiah

register = template.Library()


@register.filter
def rupiah(value: Any) -> str:
    """`{{ order.total|rupiah }}` -> `Rp 1.250.000`."""
    return format_rupiah(value)


@register.filter
def rupiah_signed(value: Any) -> str:
    """A posting's amount with its direction: `+Rp 150.000` / `-Rp 50.000`."""
    return format_rupiah(value, sign=True)
