"""Parameterised check implementations ("templates"), named by rule files as `<module>.<check>`.

A check is a function `(node, ctx) -> iterable of (span, message arguments)`. It reads the IR
only. Each module lists its checks in `CHECKS` with the node kinds they accept and a JSON Schema of
their parameters, so that a rule file (or a config) that pairs a check with the wrong target or
gives it a bad parameter is refused at load, never found out halfway through a run. Modules are
imported on first use, so a run pays only for the checks it needs.
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from typing import Any

    from linter.ir.source import SourceFile, Span

    Hit = tuple[Span, dict[str, object]]
    CheckFn = Callable[[Any, "Context"], Iterable[Hit]]
    # Called once per batch of parsed files, before any of them is linted: (source, IR) pairs.
    PrepareFn = Callable[[list[tuple[SourceFile, object]], dict[str, object]], None]


class Share:
    """What a check with `prepare` implements so that a parallel run need not gather the whole
    run's definitions before linting (each is called with the rule's parameters):

    - `defer(params, on)`: with `on`, files are linted before the definitions of other files are
      known; the check notes which files looked for one (in the workers, set before they fork).
      Either way, what was adopted no longer binds: a new run starts;
    - `take(params)`: what this process gathered since the last call, and the files that looked
      for a definition they did not have (picklable; sent from a worker with its batch);
    - `adopt(params, taken)`: everything taken, in the order of the files (nothing more, after a
      sequential run gathered them all first); these are now the run's definitions, which a
      batch's `prepare` does not replace. Returns the paths of the files to lint again."""

    @staticmethod
    def defer(params: dict[str, object], on: bool) -> None:
        return None

    @staticmethod
    def take(params: dict[str, object]) -> object:
        return None

    @staticmethod
    def adopt(params: dict[str, object], taken: list[object]) -> set[str]:
        return set()


# The modules a rule file may name; nothing outside this package can be reached from a rule.
MODULES = frozenset(
    (
        "commands",
        "crossref",
        "dockerfile",
        "images",
        "instructions",
        "kubeschema",
        "metadata",
        "packages",
        "parse",
        "probes",
        "resources",
        "security",
        "shellcheck",
        "workloads",
    )
)


class Context:
    """What a check gets besides its node: its parameters and the file being linted."""

    __slots__ = ("document", "params", "source")

    def __init__(self, params: dict[str, object], source: SourceFile, document: object) -> None:
        self.params = params
        self.source = source
        self.document = document  # the Dockerfile or Manifest IR


NO_PARAMETERS: dict[str, object] = {"type": "object", "additionalProperties": False}


class Check:
    """A check function with what it accepts: the IR node kinds (rule targets) and a JSON Schema of
    its parameters.

    `prepare`, when given, sees every parsed file of a batch before any of them is linted (a
    sequential run is one batch; a parallel run has one per worker chunk), so that work that is
    cheaper in bulk (running ShellCheck over the distinct scripts, gathering CRDs) is done once.

    A hit's args may carry two keys the engine reads: `alias` (one more alias for that finding,
    e.g. `shellcheck:SC2086`) and `severity` (that finding's severity, unless the config sets the
    rule's)."""

    __slots__ = ("fn", "parameters", "prepare", "share", "targets")

    def __init__(
        self,
        fn: CheckFn,
        targets: tuple[str, ...],
        parameters: dict[str, object] | None = None,
        prepare: PrepareFn | None = None,
        share: type[Share] | None = None,
    ) -> None:
        self.fn = fn
        self.targets = targets
        self.parameters = parameters or NO_PARAMETERS
        self.prepare = prepare
        self.share = share

    def parameter_errors(self, params: dict[str, object]) -> list[tuple[list[object], str]]:
        """(path, message) of each way `params` break the check's parameter schema."""
        from linter.checks.schema_condition import Condition

        return list(Condition(self.parameters).errors(params))


def find_check(ref: str) -> Check | None:
    module, _, name = ref.partition(".")
    if module not in MODULES:
        return None
    mod = importlib.import_module(f"linter.checks.{module}")
    found: Check | None = mod.CHECKS.get(name)
    return found
