"""Configuration: `.shiplint.yaml` (or `.shiplint.yml`) in the working directory or a parent up to
the repository root, or `[tool.shiplint]` in a pyproject.toml found the same way. The first file
found wins. Validated against schemas/config.schema.json; a bad config is a one-line error that
names the file and line.
"""

from __future__ import annotations

import os

from linter.resources import schema_path

CONFIG_NAMES = (".shiplint.yaml", ".shiplint.yml")
DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024


class ConfigError(Exception):
    pass


class Config:
    __slots__ = (
        "enable",
        "fail_on",
        "ignore",
        "max_file_size",
        "parameters",
        "path",
        "per_path_ignores",
        "root",
        "rule_folders",
        "select",
        "severity",
    )

    def __init__(self, data: dict[str, object] | None = None, path: str | None = None) -> None:
        d = data or {}
        self.path = path
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
        self.max_file_size: int = d.get("max-file-size") or DEFAULT_MAX_FILE_SIZE  # type: ignore[assignment]


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
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: cannot read config: {getattr(e, 'strerror', None) or e}") from None
    if path.endswith(".toml"):
        data, where = _load_toml(path, text)
    else:
        data, where = _load_yaml(path, text)
    _validate(path, data, where)
    return Config(data, path)


def _load_toml(path: str, text: str):  # type: ignore[no-untyped-def]
    import tomllib

    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: not valid TOML: {e}") from None
    data = doc.get("tool", {}).get("shiplint", {})
    lines = text.splitlines()

    def where(keys: list[object]) -> int:
        # tomllib keeps no positions: find the key's line within the [tool.shiplint] tables.
        start = next((i for i, ln in enumerate(lines) if ln.strip().startswith("[tool.shiplint")), 0)
        for key in reversed([k for k in keys if isinstance(k, str)]):
            for i in range(start, len(lines)):
                stripped = lines[i].strip()
                if stripped.startswith((key, f'"{key}"')) or stripped.endswith(f".{key}]"):
                    return i + 1
        return start + 1

    return data, where


def _load_yaml(path: str, text: str):  # type: ignore[no-untyped-def]
    from linter.ir.kubernetes import YMap, locate
    from linter.ir.source import SourceFile
    from linter.parsers.yaml import parse_single

    source = SourceFile(path, text, "config")
    node = parse_single(source)
    for p in source.problems:
        raise ConfigError(f"{path}:{p.span.line}:{p.span.column}: {p.message}")
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
        at = ".".join(str(k) for k in keys) or "(top level)"
        raise ConfigError(f"{path}:{where(keys)}: invalid config at {at}: {err.message}")
