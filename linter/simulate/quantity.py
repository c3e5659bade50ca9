"""Kubernetes resource quantities, parsed as apimachinery's resource.ParseQuantity parses them.

The scanner below follows parseQuantityString step by step: an optional sign, digits, an optional
`.` and digits (`1.` and `.5` are accepted, as Kubernetes accepts them), then a suffix that is a
binary SI suffix (Ki..Ei), a decimal SI suffix (n u m "" k M G T P E) or a decimal exponent
(`e3`, `E-2`). `K` (upper case) is not a suffix, nor is `e` alone. Values are exact fractions.

Amounts: cpu is counted in millicores and everything else in units, both rounded up as
Quantity.MilliValue() and Quantity.Value() round (`0.1m` of cpu is 1 millicore).
"""

from __future__ import annotations

from fractions import Fraction

_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_SUFFIX_CHARS = frozenset("eEinumkKMGTP")


class QuantityError(ValueError):
    pass


def parse_quantity(text: str) -> Fraction:
    """The exact value of a quantity string; QuantityError when Kubernetes would reject it."""
    if not text:
        raise QuantityError(
            "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
        )
    s, end, pos = text, len(text), 0
    negative = False
    if s[0] in "+-":
        negative = s[0] == "-"
        pos = 1
    while pos < end and s[pos] == "0":  # leading zeros
        pos += 1
    if pos >= end:
        return Fraction(0)
    start = pos
    while pos < end and s[pos].isdigit() and s[pos].isascii():
        pos += 1
    num = s[start:pos] or "0"
    denom = ""
    if pos < end and s[pos] == ".":
        pos += 1
        start = pos
        while pos < end and s[pos].isdigit() and s[pos].isascii():
            pos += 1
        denom = s[start:pos]
    suffix_start = pos
    while pos < end and s[pos] in _SUFFIX_CHARS:
        pos += 1
    if pos < end and s[pos] in "+-":
        pos += 1
    while pos < end and s[pos].isdigit() and s[pos].isascii():
        pos += 1
    if pos < end:
        raise QuantityError(_format_message(text))
    suffix = s[suffix_start:]
    value = Fraction(int(num + denom), 10 ** len(denom))
    if suffix in _BINARY:
        value *= _BINARY[suffix]
    elif suffix in _DECIMAL:
        value *= Fraction(10) ** _DECIMAL[suffix]
    elif len(suffix) > 1 and suffix[0] in "eE" and _is_int(suffix[1:]):
        exp = int(suffix[1:])
        if abs(exp) > 1000:  # far past anything int64 holds; Kubernetes rejects such values too
            raise QuantityError(f"quantity {text!r} is out of range")
        value *= Fraction(10) ** exp
    else:
        raise QuantityError(f"unable to parse quantity's suffix in {text!r}")
    return -value if negative else value


def _is_int(text: str) -> bool:
    body = text[1:] if text[:1] in "+-" else text
    return body.isascii() and body.isdigit()


def _format_message(text: str) -> str:
    return (
        f"quantity {text!r} must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
    )


def amount(resource: str, value: Fraction) -> int:
    """The integer amount the scheduler compares: millicores for cpu, units otherwise, rounded up."""
    if resource == "cpu":
        value *= 1000
    n, d = value.numerator, value.denominator
    return -((-n) // d)


def quantity_amount(resource: str, text: str) -> int:
    return amount(resource, parse_quantity(text))


def format_amount(resource: str, value: int) -> str:
    """A readable quantity: `1500m`, `2`, `1Gi`, `1536Mi`, `110`."""
    if resource == "cpu":
        return f"{value // 1000}" if value % 1000 == 0 else f"{value}m"
    if resource in ("memory", "ephemeral-storage") or resource.startswith("hugepages-"):
        for suffix, base in (("Ti", 2**40), ("Gi", 2**30), ("Mi", 2**20), ("Ki", 2**10)):
            if value and value % base == 0:
                return f"{value // base}{suffix}"
        if value >= 2**20:
            return f"{value / 2**30:.1f}Gi" if value >= 2**30 else f"{value / 2**20:.1f}Mi"
    return str(value)
