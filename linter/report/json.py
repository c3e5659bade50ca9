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
    doc = {
        "version": 1,
        "shiplint": __version__,
        "findings": [f.to_dict() for f in findings],
        "summary": summary(findings, files),
    }
    # Non-ASCII text is written as is when the stream can hold any character (UTF-8), else as
    # \u escapes, so that the output is valid JSON whatever the locale's encoding.
    json.dump(doc, out, indent=2, ensure_ascii=not is_unicode(out))
    out.write("\n")
