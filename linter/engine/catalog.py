"""The rule catalog: rule files (YAML, one per rule) validated against schemas/rule.schema.json.

Reading ~100 YAML files and validating them would cost a pre-commit hook 200 ms on every commit,
so the built-in catalog is compiled once into the Python module `linter/_catalog.py` (`make
catalog`; a test fails when it is stale), which loads from its .pyc without even a JSON parser.
At start-up the compiled catalog is used when its fingerprint (file names and sizes) still
matches rules/; otherwise the YAML is compiled in memory. User rule folders named in
the config are always compiled from YAML, with the same validation. Rule files are data only: a
rule can name a built-in check or carry a JSON-Schema condition, never code of its own.
"""

from __future__ import annotations

import os
import re

from linter.resources import packaged, rules_dir, schema_path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from linter.config import Config

COMPILED = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "_catalog.py")


_PREFIX = re.compile(r"[A-Za-z]{2,4}[0-9]{0,2}")
# Targets a JSON-Schema condition can be written against (they are YAML mappings).
CONDITION_TARGETS = frozenset(("resource", "pod", "container"))


class CatalogError(Exception):
    """A rule file that is not valid; the message names the file (and line where known)."""


class Rule:
    __slots__ = (
        "aliases",
        "check",
        "code",
        "condition",
        "enabled",
        "examples",
        "language",
        "message",
        "name",
        "origin",
        "parameters",
        "rationale",
        "remediation",
        "scope",
        "severity",
        "target",
        "title",
    )

    def __init__(self, data: dict[str, object], origin: str) -> None:
        self.code: str = data["code"]  # type: ignore[assignment]
        self.name: str = data["name"]  # type: ignore[assignment]
        self.title: str = data["title"]  # type: ignore[assignment]
        self.severity: str = data["severity"]  # type: ignore[assignment]
        self.enabled: bool = data["enabled"]  # type: ignore[assignment]
        self.language: str = data["language"]  # type: ignore[assignment]
        self.target: str = data["target"]  # type: ignore[assignment]
        self.scope: dict[str, list[str]] = data.get("scope") or {}  # type: ignore[assignment]
        self.check: str | None = data.get("check")  # type: ignore[assignment]
        self.condition: dict[str, object] | None = data.get("condition")  # type: ignore[assignment]
        self.parameters: dict[str, object] = data.get("parameters") or {}  # type: ignore[assignment]
        self.message: str = data["message"]  # type: ignore[assignment]
        self.rationale: str = data["rationale"]  # type: ignore[assignment]
        self.remediation: str = data["remediation"]  # type: ignore[assignment]
        self.aliases: tuple[str, ...] = tuple(data.get("aliases") or ())  # type: ignore[arg-type]
        self.examples: dict[str, list[dict[str, object]]] = data["examples"]  # type: ignore[assignment]
        self.origin = origin  # the rule file it came from

    def matches(self, selector: str) -> bool:
        """Whether a selector (code, code prefix, name, alias or `all`) names this rule."""
        s = selector.strip()
        low = s.lower()
        if low == "all" or low == self.name or s.upper() == self.code:
            return True
        if _PREFIX.fullmatch(s) and self.code.startswith(s.upper()):  # a code prefix: DF, ks2
            return True
        if low.endswith(":*"):  # every rule with an alias of that tool: `kube-linter:*`
            return any(a.lower().startswith(low[:-1]) for a in self.aliases)
        return any(low == a.lower() or low == a.split(":", 1)[1].lower() for a in self.aliases)

    @property
    def help_uri(self) -> str | None:
        """The rule's section of docs/rules.md; None for a rule of the user's own rule folders."""
        from linter import PROJECT_URL

        if os.path.dirname(os.path.realpath(self.origin)) != os.path.realpath(rules_dir()):
            return None
        return f"{PROJECT_URL}/blob/main/docs/rules.md#{self.code.lower()}-{self.name}"

    def summary(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name": self.name,
            "title": self.title,
            "severity": self.severity,
            "enabled": self.enabled,
            "language": self.language,
            "target": self.target,
            "aliases": list(self.aliases),
            "parameters": self.parameters,
        }


def load_rules(config: Config) -> list[Rule]:
    """The built-in rules and those of the config's rule folders; raises CatalogError for a bad
    rule file and ConfigError when the config names a rule or a parameter that does not exist."""
    rules = load_builtin()
    for folder in config.rule_folders:
        rules.extend(Rule(d, os.path.join(folder, str(d.pop("_file")))) for d in compile_folder(folder))
    if config.rule_folders:
        check_unique(rules)
    config.check_rules(rules)
    return rules


def fingerprint(folder: str) -> list[list[object]]:
    """File names and content checksums: what the compiled catalog was made from. Not mtimes,
    which a wheel install rewrites."""
    from zlib import crc32

    out: list[list[object]] = []
    for name in sorted(os.listdir(folder)):
        if name.endswith((".yaml", ".yml")):
            with open(os.path.join(folder, name), "rb") as f:
                out.append([name, crc32(f.read())])
    return out


def load_builtin() -> list[Rule]:
    folder = rules_dir()
    try:
        from linter import _catalog

        # An installed wheel's rules cannot have been edited since the catalog was compiled with
        # them; only a source checkout pays for the check (reading every rule file, ~1 ms).
        if packaged() or fingerprint(folder) == _catalog.FINGERPRINT:
            return [Rule(dict(d), os.path.join(folder, str(d["_file"]))) for d in _catalog.RULES]
    except ImportError:
        pass
    return [Rule(d, os.path.join(folder, str(d["_file"]))) for d in compile_folder(folder)]


def compile_folder(folder: str) -> list[dict[str, object]]:
    """Read and validate every rule file of a folder; raise CatalogError on the first bad one."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    validator = _rule_validator()
    yaml = YAML(typ="safe", pure=True)
    out: list[dict[str, object]] = []
    try:
        names = sorted(n for n in os.listdir(folder) if n.endswith((".yaml", ".yml")))
    except OSError as e:
        raise CatalogError(f"{folder}: cannot read rule folder: {e.strerror}") from None
    for name in names:
        path = os.path.join(folder, name)
        try:
            with open(path, encoding="utf-8") as f:
                data = yaml.load(f)
        except (OSError, UnicodeDecodeError) as e:
            raise CatalogError(f"{path}: cannot read rule file: {e}") from None
        except YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            where = f":{mark.line + 1}" if mark is not None else ""
            raise CatalogError(f"{path}{where}: not valid YAML: {getattr(e, 'problem', e)}") from None
        errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
        if errors:
            err = errors[0]
            at = "/".join(str(p) for p in err.absolute_path) or "(top)"
            raise CatalogError(f"{path}: invalid rule at {at}: {err.message}")
        if data.get("check"):
            _check_implementation(data, path)
        if data.get("condition"):
            if data["target"] not in CONDITION_TARGETS:
                raise CatalogError(
                    f"{path}: a condition applies to a mapping: target must be one of "
                    f"{', '.join(sorted(CONDITION_TARGETS))}, not {data['target']!r}"
                )
            _check_condition(data["condition"]["schema"], path)
        _check_message(data["message"], path)
        data["_file"] = name
        out.append(data)
    return out


def _check_implementation(data: dict[str, Any], path: str) -> None:
    """The named check exists, accepts the rule's target, and takes the rule's parameters."""
    from linter.checks import find_check

    ref = data["check"]
    check = find_check(ref)
    if check is None:
        raise CatalogError(f"{path}: unknown check {ref!r}")
    if data["target"] not in check.targets:
        raise CatalogError(
            f"{path}: check {ref} applies to {', '.join(check.targets)}, not to target {data['target']!r}"
        )
    for where, message in check.parameter_errors(data.get("parameters") or {}):
        at = "/".join(str(p) for p in ["parameters", *where])
        raise CatalogError(f"{path}: invalid parameters at {at}: {message}")


def _check_message(message: str, path: str) -> None:
    """A message is a template of named {fields}: positional or malformed fields would fail on
    every finding."""
    from string import Formatter

    try:
        fields = [f for _, f, _, _ in Formatter().parse(message) if f is not None]
    except ValueError as e:
        raise CatalogError(f"{path}: invalid message template: {e}") from None
    for field in fields:
        if not field.isidentifier():
            raise CatalogError(f"{path}: message field {{{field}}} must be a name such as {{container}}")


def _check_condition(schema: dict[str, object], path: str) -> None:
    """A condition must be a valid JSON Schema whose references all point inside itself: a
    remote `$ref` would make linting depend on, and reach, the network."""
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as e:
        at = "/".join(str(p) for p in e.absolute_path) or "(top)"
        raise CatalogError(f"{path}: invalid condition schema at {at}: {e.message}") from None
    stack: list[object] = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                local = isinstance(value, str) and value.startswith("#")
                if key in ("$ref", "$dynamicRef", "$id") and not local:
                    raise CatalogError(
                        f"{path}: condition uses {key} {value!r}: only local references (#...) are allowed"
                    )
                stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)


def _rule_validator() -> Any:
    import json

    from jsonschema import Draft202012Validator

    with open(schema_path("rule.schema.json"), encoding="utf-8") as f:
        return Draft202012Validator(json.load(f))


def check_unique(rules: list[Rule]) -> None:
    """Codes, names and aliases must each name one rule."""
    seen: dict[str, str] = {}
    for r in rules:
        for key in (r.code, r.name, *r.aliases):
            if key in seen and seen[key] != r.origin:
                raise CatalogError(f"{r.origin}: {key!r} is already used by {seen[key]}")
            seen[key] = r.origin


def write_compiled() -> str:
    """The text of linter/_catalog.py for the rules/ folder as it is now."""
    from pprint import pformat

    folder = rules_dir()
    rules = compile_folder(folder)
    check_unique([Rule(dict(d), os.path.join(folder, str(d["_file"]))) for d in rules])
    return (
        '"""The compiled rule catalog. Generated from rules/ by `make catalog`: do not edit."""\n\n'
        f"FINGERPRINT = {pformat(fingerprint(folder), width=100)}\n\n"
        f"RULES: list[dict[str, object]] = {pformat(rules, width=100, sort_dicts=True)}\n"
    )
