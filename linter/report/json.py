"""`--format json`, versioned by schemas/output.schema.json."""

from __future__ import annotations

import json

from linter import __version__
from linter.report import is_unicode, summary

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO

    from linter.findings import Finding


def render(findings: list[Finding], files: int, out: TextIO, **_: object) -> None:
    head = {"version": 1, "shiplint": __version__, "summary": summary(findings, files)}
    # Non-ASCII text is written as is when the stream can hold any character (UTF-8), else as
    # \u escapes, so that the output is valid JSON whatever the locale's encoding.
    ascii_only = not is_unicode(out)
    # One finding per line, each encoded by the C encoder (json's indenting encoder is pure Python,
    # and took a quarter of a run with a few thousand findings): still readable and diffable.
    text = json.dumps(head, indent=2, ensure_ascii=ascii_only)
    encode = json.JSONEncoder(ensure_ascii=ascii_only, separators=(", ", ": ")).encode
    out.write(text[: text.rindex("\n}")] + ',\n  "findings": [')
    for i, f in enumerate(findings):
        out.write(("\n    " if i == 0 else ",\n    ") + encode(f.to_dict()))
    out.write("\n  ]\n}\n" if findings else "]\n}\n")
