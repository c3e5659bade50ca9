"""Baselines, for adopting shiplint in a repository that already has findings.

`--write-baseline FILE` records the findings of today's run by their stable fingerprint (see
linter.findings.fingerprints), with each one's code and path so that a reader of the file, or of
its diff, can tell what is in it. `--baseline FILE` then reports only findings that are not in it.
A fingerprint is a multiset entry: recorded N times, it absorbs N findings, so a copy of an
already-known problem is still reported. A fingerprint ignores line numbers, so editing a file
elsewhere does not resurface its known findings; editing the offending line does.

Paths in fingerprints are relative to the directory shiplint runs in: write and use a baseline
from the same directory (the repository root, typically).
"""

from __future__ import annotations

from linter import __version__
from linter.findings import portable_path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from linter.findings import Finding

VERSION = 1


class BaselineError(Exception):
    """A baseline file that cannot be read or is not one; the message is one line."""


def load(path: str) -> dict[str, int]:
    """How many times each fingerprint is recorded."""
    import json

    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except OSError as e:
        raise BaselineError(f"cannot read baseline {path}: {e.strerror or e}") from None
    except UnicodeDecodeError:
        raise BaselineError(f"baseline {path} is not UTF-8 text") from None
    except json.JSONDecodeError as e:
        raise BaselineError(f"baseline {path}:{e.lineno}: not valid JSON: {e.msg}") from None
    except RecursionError:
        raise BaselineError(f"baseline {path}: nested too deeply") from None
    if not isinstance(data, dict) or "findings" not in data:
        raise BaselineError(f"{path} is not a shiplint baseline (write one with --write-baseline)")
    if data.get("version") != VERSION:
        found = data.get("version")
        raise BaselineError(f"baseline {path}: unsupported version {found!r} (expected {VERSION})")
    entries = data["findings"]
    if not isinstance(entries, list):
        raise BaselineError(f"baseline {path}: 'findings' must be a list")
    counts: dict[str, int] = {}
    for i, entry in enumerate(entries):
        fp = entry.get("fingerprint") if isinstance(entry, dict) else None
        if not isinstance(fp, str) or not fp:
            raise BaselineError(f"baseline {path}: findings[{i}] has no 'fingerprint' string")
        counts[fp] = counts.get(fp, 0) + 1
    return counts


def dumps(findings: Sequence[Finding], prints: Sequence[str]) -> str:
    import json

    entries = sorted(
        (
            {"code": f.code, "path": portable_path(f.path), "fingerprint": fp}
            for f, fp in zip(findings, prints)
        ),
        key=lambda e: (e["path"], e["code"], e["fingerprint"]),
    )
    doc = {"version": VERSION, "shiplint": __version__, "findings": entries}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def write(path: str, findings: Sequence[Finding], prints: Sequence[str]) -> None:
    """Raises OSError when the file cannot be written."""
    text = dumps(findings, prints)
    with open(path, "w", encoding="utf-8", errors="backslashreplace", newline="\n") as f:
        f.write(text)


def subtract(
    findings: list[Finding], prints: list[str], known: dict[str, int]
) -> tuple[list[Finding], list[str], int]:
    """The findings (and their fingerprints) that the baseline does not absorb, and how many it did."""
    left = dict(known)
    kept: list[Finding] = []
    kept_prints: list[str] = []
    for f, fp in zip(findings, prints):
        if left.get(fp, 0) > 0:
            left[fp] -= 1
        else:
            kept.append(f)
            kept_prints.append(fp)
    return kept, kept_prints, len(findings) - len(kept)
