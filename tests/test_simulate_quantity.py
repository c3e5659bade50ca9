"""Quantities as apimachinery's resource.ParseQuantity reads them, and the amounts the scheduler
compares (millicores for cpu, rounded up; units otherwise)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from linter.simulate.quantity import QuantityError, amount, parse_quantity


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.5", Fraction(3, 2)),
        ("1500m", Fraction(3, 2)),
        ("2Gi", 2 * 2**30),
        ("1e3", 1000),  # a decimal exponent
        ("1E3", 1000),
        ("5k", 5000),
        ("1M", 10**6),
        ("1Ki", 1024),
        (".5", Fraction(1, 2)),  # Kubernetes accepts a missing integer part
        ("1.", 1),  # and a missing fraction ("we currently allow 1.G")
        ("+1", 1),
        ("-1", -1),
        ("0", 0),
        ("100n", Fraction(1, 10**7)),
        ("2u", Fraction(2, 10**6)),
        ("1E", 10**18),  # E alone is exa, not an exponent
    ],
)
def test_valid(text, value):
    assert parse_quantity(text) == value


@pytest.mark.parametrize("text", ["", "1K", "1e", "abc", "1m1", "1Gi1", "1.5.5", "1 Gi", "0x10"])
def test_invalid(text):
    with pytest.raises(QuantityError):
        parse_quantity(text)


def test_amounts_round_up():
    assert amount("cpu", parse_quantity("0.1m")) == 1  # MilliValue rounds up
    assert amount("cpu", parse_quantity("1.5")) == 1500
    assert amount("memory", parse_quantity("1.5Ki")) == 1536
    assert amount("memory", parse_quantity("100m")) == 1  # 0.1 byte is 1 byte
