"""Configuration: `.shiplint.yaml` (or `.shiplint.yml`) in the working directory or a parent up to
the repository root, or `[tool.shiplint]` in a pyproject.toml found the same way. The first file
found wins. Validated against schemas/config.schema.json; a bad config is a one-line error that
names the file and line.
"""

from __future__ import annotations

import os
import re

from linter.resources import schema_path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from linter.engine.catalog import Rule

CONFIG_NAMES = (".shiplint.yaml", ".shiplint.yml")
DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024


class ConfigError(Exception):
    pass


# Mappings whose keys are rule selectors.
_SELECTOR_MAPS = ("severity", "parameters")


class Config:
    __slots__ = (
        "enable",
        "fail_on",
        "ignore",
        "kubernetes_version",
        "max_file_size",
        "parameters",
        "path",
        "per_path_ignores",
        "root",
        "rule_folders",
        "schema_folders",
        "select",
        "severity",
        "where",
    )

    def __init__(
        self,
        data: dict[str, object] | None = None,
        path: str | None = None,
        where: Callable[[list[object]], int] | None = None,
    ) -> None:
        d = data or {}
        self.path = path
        # The line of the config file holding a key path (for errors found after loading).
        self.where: Callable[[list[object]], int] = where or (lambda keys: 1)
        self.root = os.path.dirname(os.path.abspath(path)) if path else os.getcwd()
        self.select: list[str] | None = d.get("select")  # type: ignore[assignment]
        self.enable: list[str] = d.get("enable") or []  # type: ignore[assignment]
        self.ignore: list[str] = d.get("ignore") or []  # type: ignore[assignment]
        self.severity: dict[str, str] = d.get("severity") or {}  # type: ignore[assignment]
        self.parameters: dict[str, dict[str, object]] = d.get("parameters") or {}  # type: ignore[assignment]
        self.per_path_ignores: dict[str, list[str]] = d.get("per-path-ignores") or {}  # type: ignore[assignment]
        folders: list[str] = d.get("rule-folders") or []  # type: ignore[assignment]
        self.rule_folders = [os.path.join(self.root, f) for f in folders]
        self.fail_on: str | None = d.get("fail-on")  # type: ignore[assignment]
        self.kubernetes_version: str | None = d.get("kubernetes-version")  # type: ignore[assignment]
        schema_folders: list[str] = d.get("schema-folders") or []  # type: ignore[assignment]
        self.schema_folders = [os.path.join(self.root, f) for f in schema_folders]
        self.max_file_size: int = d.get("max-file-size") or DEFAULT_MAX_FILE_SIZE  # type: ignore[assignment]

    def parameter_overrides(self, kubernetes_version: str | None = None) -> dict[str, object]:
        """Values that apply to every rule with a parameter of that name: the Kubernetes version
        (the command line's, else the config's) and the schema folders. ValueError for a version
        with no bundled schema."""
        overrides: dict[str, object] = {}
        version = kubernetes_version or self.kubernetes_version
        if version is not None:
            from linter.kubeschema import resolve_version

            overrides["kubernetes-version"] = resolve_version(version)
        if self.schema_folders:
            overrides["schema-folders"] = list(self.schema_folders)
        return overrides

    def check_rules(self, rules: list[Rule]) -> None:
        """Every rule selector of the config must name a rule, and every parameter must be one the
        rule has: a typo would otherwise silently run nothing, or change nothing."""

        def fail(keys: list[object], message: str) -> ConfigError:
            return ConfigError(f"{self.path}:{self.where(keys)}: {message}")

        def known(selector: str) -> bool:
            return any(r.matches(selector) for r in rules)

        lists: list[tuple[list[object], list[str]]] = [  # (key path, selectors)
            ([key], values)
            for key, values in (
                ("select", self.select or []),
                ("enable", self.enable),
                ("ignore", self.ignore),
            )
        ]
        lists.extend((["per-path-ignores", glob], values) for glob, values in self.per_path_ignores.items())
        for keys, values in lists:
            for i, selector in enumerate(values):
                if not known(selector):
                    raise fail([*keys, i], f"{keys[0]}: no rule {selector!r} (see shiplint rules)")
        for key in _SELECTOR_MAPS:
            for selector in getattr(self, key):
                if not known(selector):
                    raise fail([key, selector], f"{key}: no rule {selector!r} (see shiplint rules)")
        for selector, given in self.parameters.items():
            accepted = {name for r in rules if r.matches(selector) for name in r.parameters}
            for name in given:
                if name not in accepted:
                    raise fail(
                        ["parameters", selector, name],
                        f"parameters: {selector} has no parameter {name!r}"
                        + (f" (it has {', '.join(sorted(accepted))})" if accepted else " (it takes none)"),
                    )
            for rule in rules:
                if rule.check is None or not rule.matches(selector):
                    continue
                from linter.checks import find_check

                check = find_check(rule.check)
                merged = {**rule.parameters, **given}
                for path, message in check.parameter_errors(merged) if check else ():
                    where: list[object] = ["parameters", selector]
                    if path and path[0] in given:
                        where.append(path[0])
                    raise fail(where, f"parameters: {selector} ({rule.code}): {message}")


def discover(start: str) -> str | None:
    """The config file that applies to `start`: the nearest one, searching up to the repository
    root (the first folder holding .git) or the filesystem root."""
    folder = os.path.abspath(start)
    while True:
        for name in CONFIG_NAMES:
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate):
                return candidate
        pyproject = os.path.join(folder, "pyproject.toml")
        if os.path.isfile(pyproject) and _has_tool_table(pyproject):
            return pyproject
        parent = os.path.dirname(folder)
        if parent == folder or os.path.exists(os.path.join(folder, ".git")):
            return None
        folder = parent


def _has_tool_table(path: str) -> bool:
    try:
        with open(path, encoding="utf-8") as f:
            return "[tool.shiplint" in f.read()
    except (OSError, UnicodeDecodeError):
        return False


def load(path: str) -> Config:
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise ConfigError(f"{path}: cannot read config: {e.strerror or e}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise ConfigError(f"{path}:{line}: the config is not valid UTF-8 (byte {e.start})") from None
    if path.endswith(".toml"):
        data, where = _load_toml(path, text)
    else:
        data, where = _load_yaml(path, text)
    _validate(path, data, where)
    config = Config(data, path, where)
    for i, folder in enumerate(config.rule_folders):
        if not os.path.isdir(folder):
            raise ConfigError(f"{path}:{where(['rule-folders', i])}: rule folder {folder} does not exist")
    return config


_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


def _toml_key_parts(line: str) -> list[str]:
    """The key path a TOML line sets or opens (`a.b = 1` -> [a, b]; `[tool.x]` -> [tool, x])."""
    stripped = line.strip()
    if stripped.startswith("["):
        head = stripped.strip("[]")
    elif "=" in stripped and not stripped.startswith("#"):
        head = stripped.split("=", 1)[0]
    else:
        return []
    return [part.strip().strip("\"'") for part in head.split(".")]


def _load_toml(path: str, text: str):  # type: ignore[no-untyped-def]
    import tomllib

    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        message = str(e)
        m = _TOML_POSITION.search(message)
        if m:
            position = f"{m.group(1)}:{m.group(2)}"
            message = message[: m.start()].strip()
        else:  # "(at end of document)"
            position = str(max(len(text.splitlines()), 1))
            message = message.split("(at", 1)[0].strip()
        raise ConfigError(f"{path}:{position}: not valid TOML: {message}") from None
    tool = doc.get("tool", {})
    data = tool.get("shiplint", {}) if isinstance(tool, dict) else {}
    lines = text.splitlines()

    def where(keys: list[object]) -> int:
        # tomllib keeps no positions: follow the keys down from the [tool.shiplint] table, each
        # found at or after the line of the one before it.
        start = next((i for i, ln in enumerate(lines) if ln.strip().startswith("[tool.shiplint")), 0)
        found = start
        for key in (k for k in keys if isinstance(k, str)):
            here = lines[found] if found < len(lines) else ""
            if key in _toml_key_parts(here) or (not here.lstrip().startswith("[") and key in here):
                continue  # on the same line: a dotted key, or a key of an inline table
            for i in range(found + 1, len(lines)):
                if key in _toml_key_parts(lines[i]):
                    found = i
                    break
        return found + 1

    return data, where


def _load_yaml(path: str, text: str):  # type: ignore[no-untyped-def]
    from linter.ir.kubernetes import YMap, locate
    from linter.ir.source import SourceFile
    from linter.parsers.yaml import parse_single

    source = SourceFile(path, text, "config")
    node = parse_single(source)
    for p in source.problems:
        # The parser words duplicate keys for manifests; a config only needs the first clause.
        message = p.message.split(";")[0] if p.kind == "yaml-duplicate-key" else p.message
        raise ConfigError(f"{path}:{p.span.line}:{p.span.column}: {message}")
    if node is None:
        return {}, lambda keys: 1
    if not isinstance(node, YMap):
        raise ConfigError(f"{path}:{node.span.line}: the config must be a mapping")

    def where(keys: list[object]) -> int:
        return locate(node, keys).line

    return node.to_python(), where


def _validate(path: str, data: object, where) -> None:  # type: ignore[no-untyped-def]
    import json

    from jsonschema import Draft202012Validator

    with open(schema_path("config.schema.json"), encoding="utf-8") as f:
        validator = Draft202012Validator(json.load(f))
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        err = errors[0]
        keys = list(err.absolute_path)
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            # The error is on the mapping; point at the first key that is not allowed.
            allowed = err.schema.get("properties", {}) if isinstance(err.schema, dict) else {}
            extra = [k for k in err.instance if k not in allowed]
            if extra:
                keys.append(extra[0])
                at = ".".join(str(k) for k in keys)
                raise ConfigError(f"{path}:{where(keys)}: unknown config key {at!r}")
        at = ".".join(str(k) for k in keys) or "(top level)"
        raise ConfigError(f"{path}:{where(keys)}: invalid config at {at}: {err.message}")
