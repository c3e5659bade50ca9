"""Columns between shiplint and LSP.

shiplint's spans are 1-based and count Unicode code points; LSP positions are 0-based and, unless
the client negotiated otherwise (`general.positionEncodings`), count UTF-16 code units, in which a
character outside the Basic Multilingual Plane (an emoji, U+1F600) takes two. Lines are the same
in both: split at \\n, \\r\\n and \\r (see SourceFile.lines). Conversions work per line, on the
line's text, so a long line costs only its own length.
"""

from __future__ import annotations

UTF16 = "utf-16"
UTF8 = "utf-8"
UTF32 = "utf-32"


def units(text: str, encoding: str = UTF16) -> int:
    """The length of `text` in the code units of `encoding`. Lone surrogates (which JSON can
    carry) count as one UTF-16 unit, as they do in the client's string."""
    if text.isascii() or encoding == UTF32:
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def to_character(line_text: str, column: int, encoding: str = UTF16) -> int:
    """The LSP character offset of shiplint's 1-based code-point `column` on a line. A column
    past the end of the line (the exclusive end of a span that ends there, or beyond) is clamped
    to the line's length, as LSP asks."""
    index = min(max(column - 1, 0), len(line_text))
    return units(line_text[:index], encoding)


def to_index(line_text: str, character: int, encoding: str = UTF16) -> int:
    """The 0-based code-point index on a line of an LSP character offset. An offset that falls in
    the middle of a character (between the two halves of a surrogate pair) maps to that
    character; one past the end maps to the end."""
    if line_text.isascii() or encoding == UTF32:
        return min(max(character, 0), len(line_text))
    counted = 0
    for i, ch in enumerate(line_text):
        width = units(ch, encoding)
        if counted + width > character:
            return i
        counted += width
    return len(line_text)
