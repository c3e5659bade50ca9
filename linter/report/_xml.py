"""Escaping shared by the XML reports (JUnit, checkstyle).

XML 1.0 cannot carry some characters at all, not even as references: most C0 controls (an ESC in
an image name, a NUL from a binary file's name) and lone surrogates (file names that are not
UTF-8). They are written as visible `\\xNN` / `\\uNNNN` text instead. When the stream cannot hold
any character (a non-UTF locale), what is not ASCII becomes a character reference, so the
document stays well formed whatever the encoding."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _visible(m: re.Match[str]) -> str:
    c = ord(m.group())
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def _ascii(text: str, ascii_only: bool) -> str:
    return text.encode("ascii", "xmlcharrefreplace").decode("ascii") if ascii_only else text


def text(value: str, ascii_only: bool = False) -> str:
    return _ascii(escape(_INVALID.sub(_visible, value)), ascii_only)


def attr(value: object, ascii_only: bool = False) -> str:
    """A quoted attribute value; line breaks and tabs become references so that parsers keep them."""
    return _ascii(quoteattr(_INVALID.sub(_visible, str(value))), ascii_only)


# True whatever the stream's encoding: when that is not a UTF, every character written is ASCII.
DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
