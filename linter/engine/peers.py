"""Other linters' suppression annotations, read as shiplint selectors.

A manifest that already silences a check for kube-linter, Polaris, kube-score or checkov should not
have shiplint report the same concern on that object. Each annotation becomes the selector of the
peer's id (`kube-linter:<check>`, `polaris:<check>`, `kube-score:<check>`, `checkov:<id>`), which
`Rule.matches` accepts through the rules' aliases, so it silences exactly the shiplint rules that
claim that peer check and nothing else.

| annotation | selector |
|---|---|
| `ignore-check.kube-linter.io/<check>: <reason>` | `kube-linter:<check>` |
| `kube-linter.io/ignore-all: <reason>` | `kube-linter:*` |
| `polaris.fairwinds.com/<check>-exempt: "true"` | `polaris:<check>` |
| `polaris.fairwinds.com/exempt: "true"` | `polaris:*` |
| `kube-score/ignore: <check>,<check>` | `kube-score:<check>` for each |
| `checkov.io/skip<N>: <id>[=<comment>]` | `checkov:<id>` |

A whole-tool exemption (`kube-linter.io/ignore-all`, `polaris.fairwinds.com/exempt`) silences the
rules that have an alias of that tool, not every shiplint rule: the user exempted the object from
that tool's checks, and shiplint rules that tool does not have were never part of the decision.
It is given as `<tool>:*`, which `Rule.matches` must read as "any alias of <tool>".

As the tools themselves do, kube-linter's annotations count whatever their value (the value is the
reason), Polaris' only with the value `true`.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

KUBE_LINTER_CHECK = "ignore-check.kube-linter.io/"
KUBE_LINTER_ALL = "kube-linter.io/ignore-all"
POLARIS_PREFIX = "polaris.fairwinds.com/"
POLARIS_ALL = "polaris.fairwinds.com/exempt"
KUBE_SCORE_IGNORE = "kube-score/ignore"
CHECKOV_SKIP = re.compile(r"checkov\.io/skip[0-9]+$")

# A peer check id as the selector syntax can carry it (letters, digits, `_`, `.`, `-`).
_ID = re.compile(r"[A-Za-z0-9_.\-]+")


def tool_wildcard(tool: str) -> str:
    """The selector that names every rule with an alias of `tool`."""
    return f"{tool}:*"


def object_ignores(annotations: Mapping[str, str]) -> frozenset[str]:
    """The selectors that the peer linters' suppression annotations of one object stand for.
    Unknown annotations, and malformed ids in known ones, are ignored."""
    out: set[str] = set()
    for key, value in annotations.items():
        if key.startswith(KUBE_LINTER_CHECK):
            check = key[len(KUBE_LINTER_CHECK) :].strip()
            if _ID.fullmatch(check):
                out.add(f"kube-linter:{check}")
        elif key == KUBE_LINTER_ALL:
            out.add(tool_wildcard("kube-linter"))
        elif key.startswith(POLARIS_PREFIX):
            if str(value).strip().lower() != "true":
                continue
            if key == POLARIS_ALL:
                out.add(tool_wildcard("polaris"))
                continue
            name = key[len(POLARIS_PREFIX) :]
            if name.endswith("-exempt"):
                check = name[: -len("-exempt")]
                if _ID.fullmatch(check):
                    out.add(f"polaris:{check}")
        elif key == KUBE_SCORE_IGNORE:
            for check in str(value).split(","):
                check = check.strip()
                if _ID.fullmatch(check):
                    out.add(f"kube-score:{check}")
        elif CHECKOV_SKIP.match(key):
            check = str(value).split("=", 1)[0].strip()
            if _ID.fullmatch(check):
                out.add(f"checkov:{check.upper()}")
    return frozenset(out)
