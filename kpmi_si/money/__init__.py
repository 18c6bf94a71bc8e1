"""Rupiah, the one way the project stores, parses and shows money.

Money is a `Decimal` with two places, never a float: sums of postings must equal every total shown
(`RupiahField` in models, `RupiahFormField` in forms, the `rupiah` template filter on pages). Indonesian
style writes thousands with dots and decimals with a comma: `Rp 1.250.000`, `Rp 12.500,50`.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# Far above anything a volunteer group charges or spends in one posting (Rp 100 billion): a larger
# number is a typo, and the column (14 digits) keeps sums of millions of postings exact.
MAX_AMOUNT = Decimal("99999999999.99")


def to_rupiah(value: Any) -> Decimal:
    """A Decimal with exactly two places. Floats are refused: they cannot hold Rupiah exactly."""
    if isinstance(value, float):
        raise TypeError("money is never a float; pass a Decimal, an int or a string")
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def format_rupiah(value: Any, *, sign: bool = False) -> str:
    """`Rp 1.250.000`, `Rp 12.500,50`, `-Rp 5.000` (Indonesian grouping, decimals only when not whole)."""
    if value is None or value == "":
        return ""
    try:
        amount = to_rupiah(Decimal(str(value)))
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    negative = amount < 0
    whole, cents = f"{abs(amount):.2f}".split(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    text = f"Rp {grouped}" if cents == "00" else f"Rp {grouped},{cents}"
    if negative:
        return f"-{text}"
    return f"+{text}" if sign and amount > 0 else text


_DIGITS_ONLY = re.compile(r"^\d+$")
_INDONESIAN = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$|^\d+(,\d+)?$")  # 1.250.000 / 1.250.000,50 / 1250000,5
_PLAIN = re.compile(r"^\d+(\.\d+)?$")  # 1250000.50 (what a number input or a spreadsheet sends)


def parse_rupiah(text: str) -> Decimal:
    """What a person types as an amount: `150000`, `150.000`, `Rp 150.000`, `150.000,50`, `150000.5`.
    Raises ValueError with no more to say; the form field turns it into a message."""
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
    if cleaned[:2].lower() == "rp":
        cleaned = cleaned[2:]
    if not cleaned:
        raise ValueError("empty")
    if _DIGITS_ONLY.match(cleaned):
        return Decimal(cleaned)
    if re.match(r"^\d{1,3}(\.\d{3})+$", cleaned):
        # "150.000" is a hundred and fifty thousand in Indonesian, not 150 with three decimals.
        return Decimal(cleaned.replace(".", ""))
    if _INDONESIAN.match(cleaned):
        return Decimal(cleaned.replace(".", "").replace(",", "."))
    if _PLAIN.match(cleaned):
        return Decimal(cleaned)
    raise ValueError(text)


class RupiahField(models.DecimalField):
    """A Rupiah amount in the database: 14 digits, 2 decimals."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        for key, default in (("max_digits", 14), ("decimal_places", 2)):
            if kwargs.get(key) == default:
                kwargs.pop(key)
        return name, path, args, kwargs

    def formfield(self, **kwargs: Any) -> Any:
        kwargs.setdefault("form_class", RupiahFormField)
        return models.Field.formfield(self, **kwargs)


class RupiahSumField(models.DecimalField):
    """The output of a sum of Rupiah in a query: exactly two places on every database. SQLite adds
    decimals as floats (its SUM of 0.01, 2.00 and -2.00 reads 0.00999999999999979, which Django hands
    back unrounded for anything but a plain column); back to the cent it is the exact sum, as long as
    the sum has fewer than 15 digits (Rp 10 trillion). PostgreSQL's numeric sums are exact already."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 16)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Decimal | None:
        return None if value is None else Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def rupiah_sum(expression: str, *, filter: models.Q | None = None) -> Coalesce:  # noqa: A002 - Sum's own name
    """The sum of a Rupiah column (0 where there is nothing to add), exact on every database."""
    money = RupiahSumField()
    return Coalesce(models.Sum(expression, filter=filter), models.Value(ZERO, output_field=money), output_field=money)


class RupiahFormField(forms.Field):
    """An amount typed the Indonesian way (or as a plain number). Letters, more than two decimals,
    negative or absurd amounts get a message in the user's language, never a server error."""

    default_error_messages = {
        "invalid": _("Enter an amount in Rupiah, for example 150.000 or 150000."),
        "decimals": _("Rupiah has at most two decimals (sen)."),
    }

    def __init__(
        self,
        *,
        min_value: Decimal | int | None = 0,
        max_value: Decimal | int | None = MAX_AMOUNT,
        max_digits: int | None = None,
        decimal_places: int | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)
        self.min_value = None if min_value is None else Decimal(min_value)
        self.max_value = None if max_value is None else Decimal(max_value)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            # Shown back the way it would be typed: 150000 or 150000,50 (no grouping dots to trip on).
            value = to_rupiah(value)
            return f"{value:.0f}" if value == value.to_integral() else f"{value:.2f}".replace(".", ",")
        return value

    def to_python(self, value: Any) -> Decimal | None:
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            amount = value
        elif isinstance(value, int) and not isinstance(value, bool):
            amount = Decimal(value)
        else:
            try:
                amount = parse_rupiah(str(value))
            except (ValueError, InvalidOperation):
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not amount.is_finite():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
            raise ValidationError(self.error_messages["decimals"], code="decimals")
        return amount.quantize(CENT)

    def validate(self, value: Decimal | None) -> None:
        super().validate(value)
        if value is None:
            return
        # Checked here rather than by validators built in __init__: form fields are built when the
        # module is imported, and a message formatted then would be in the wrong language.
        if self.min_value is not None and value < self.min_value:
            raise ValidationError(
                _("The amount must be at least %(limit)s.") % {"limit": format_rupiah(self.min_value)}, code="min_value"
            )
        if self.max_value is not None and value > self.max_value:
            # The usual cause is a few zeros too many; say the limit the way amounts are written here.
            raise ValidationError(
                _("That amount is too large (at most %(limit)s); check the zeros.")
                % {"limit": format_rupiah(self.max_value)},
                code="max_value",
            )
