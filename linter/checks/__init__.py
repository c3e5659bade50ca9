"""Parameterised check implementations ("templates"), named by rule files as `<module>.<check>`.

A check is a function `(node, ctx) -> iterable of (span, message arguments)`. It reads the IR
only. Modules are imported on first use, so a run pays only for the checks it needs.
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from linter.ir.source import SourceFile, Span

    Hit = tuple[Span, dict[str, object]]
    CheckFn = Callable[[object, "Context"], Iterable[Hit]]

# The modules a rule file may name; nothing outside this package can be reached from a rule.
MODULES = frozenset(("dockerfile", "images", "parse", "probes", "resources"))


class Context:
    """What a check gets besides its node: its parameters and the file being linted."""

    __slots__ = ("document", "params", "source")

    def __init__(self, params: dict[str, object], source: SourceFile, document: object) -> None:
        self.params = params
        self.source = source
        self.document = document  # the Dockerfile or Manifest IR


def find_check(ref: str) -> CheckFn | None:
    module, _, name = ref.partition(".")
    if module not in MODULES:
        return None
    mod = importlib.import_module(f"linter.checks.{module}")
    fn: CheckFn | None = mod.CHECKS.get(name)
    return fn
