"""Configuration: `.shiplint.yaml` (or `.shiplint.yml`) in the working directory or a parent up to
the repository root, or `[tool.shiplint]` in a pyproject.toml found the same way. The first file
found wins. Validated against schemas/config.schema.json; a bad config is a one-line error that
names the file and line.

A hadolint config (`.hadolint.yaml` or `.hadolint.yml`, found the same way, or named by the
`hadolint-config` key) fills in what shiplint's config does not set: its `ignored` codes,
`override` severities, `trustedRegistries`, `label-schema`, `strict-labels` and
`failure-threshold`, read through the rules' `hadolint:` and `shellcheck:` aliases.
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
HADOLINT_NAMES = (".hadolint.yaml", ".hadolint.yml")
DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024


class ConfigError(Exception):
    pass


# Mappings whose keys are rule selectors.
_SELECTOR_MAPS = ("severity", "parameters")


class Config:
    __slots__ = (
        "_own_enable",
        "_own_ignore",
        "_peer_parameters",
        "_peer_severity",
        "cross_file_scope",
        "enable",
        "fail_on",
        "hadolint_config",
        "hadolint_path",
        "ignore",
        "kubernetes_version",
        "max_file_size",
        "parameters",
        "path",
        "per_path_ignores",
        "pod_templates",
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
        # Which objects the rules across files relate: one file's, one directory's, or the run's.
        self.cross_file_scope: str = d.get("cross-file-scope") or "directory"  # type: ignore[assignment]
        # Workload kinds whose pod template is at a path of their own: (apiVersion or None for any
        # version, kind, path as keys), e.g. (None, "Rollout", ("spec", "template")).
        self.pod_templates: list[tuple[str | None, str, tuple[str, ...]]] = [
            (t.get("apiVersion"), t["kind"], tuple(t["path"].split(".")))
            for t in d.get("pod-templates") or []  # type: ignore[attr-defined]
        ]
        # None: look for a hadolint config; False: do not; a path: read that one.
        self.hadolint_config: str | bool | None = d.get("hadolint-config")  # type: ignore[assignment]
        self.hadolint_path: str | None = None  # the hadolint config applied, if any
        # What this config file says itself (validated against the rules), apart from what a
        # hadolint config adds (peer ids that may name no rule of this version, skipped quietly).
        self._own_ignore = list(self.ignore)
        self._own_enable = list(self.enable)
        self._peer_severity: dict[str, str] = {}
        self._peer_parameters: dict[str, dict[str, object]] = {}

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
                ("enable", self._own_enable),
                ("ignore", self._own_ignore),
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
        self._merge_peer(rules)

    def _merge_peer(self, rules: list[Rule]) -> None:
        """Apply the hadolint config's severities and parameters to the rules they name, except
        where this config already sets that rule's severity or that parameter: shiplint's own
        config wins. A hadolint override of a rule that is off by default turns it on, as in
        hadolint (DL3057, DL1001)."""
        for selector, level in self._peer_severity.items():
            matched = [r for r in rules if r.matches(selector)]
            if not matched or any(r.matches(s) for r in matched for s in self.severity):
                continue
            self.severity[selector] = level
            if any(not r.enabled for r in matched) and not any(
                r.matches(s) for r in matched for s in self.ignore
            ):
                self.enable.append(selector)
        for selector, values in self._peer_parameters.items():
            matched = [r for r in rules if r.matches(selector)]
            own = {
                name
                for sel, given in self.parameters.items()
                if any(r.matches(sel) for r in matched)
                for name in given
            }
            kept = {
                k: v for k, v in values.items() if k not in own and any(k in r.parameters for r in matched)
            }
            if kept:
                self.parameters[selector] = kept

    def apply_hadolint(self, peer: HadolintConfig) -> None:
        """Fill in what this config does not set from a hadolint config."""
        self.hadolint_path = peer.path
        self.ignore.extend(s for s in peer.ignored if s not in self.ignore)
        self._peer_severity.update(peer.severity)
        if peer.trusted_registries:
            self._peer_parameters["hadolint:DL3026"] = {"trusted-registries": list(peer.trusted_registries)}
        if peer.label_schema:
            for code in LABEL_RULES:
                self._peer_parameters[f"hadolint:{code}"] = {"label-schema": dict(peer.label_schema)}
        if peer.strict_labels and "hadolint:DL3050" not in self.enable:
            self.enable.append("hadolint:DL3050")
        if self.fail_on is None and peer.fail_on is not None:
            self.fail_on = peer.fail_on


def discover(start: str, names: tuple[str, ...] = CONFIG_NAMES) -> str | None:
    """The config file that applies to `start`: the nearest one, searching up to the repository
    root (the first folder holding .git) or the filesystem root. With other `names` (the hadolint
    config's), only files of those names count."""
    folder = os.path.abspath(start)
    while True:
        for name in names:
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate):
                return candidate
        pyproject = os.path.join(folder, "pyproject.toml")
        if names == CONFIG_NAMES and os.path.isfile(pyproject) and _has_tool_table(pyproject):
            return pyproject
        parent = os.path.dirname(folder)
        if parent == folder or os.path.exists(os.path.join(folder, ".git")):
            return None
        folder = parent


def register_pod_templates(config: Config) -> None:
    """Put the config's custom workload kinds in place, and no other config's, before any manifest
    is parsed (the pod view reads them from one table per process; worker processes inherit it)."""
    import sys

    if not config.pod_templates and "linter.ir.kubernetes" not in sys.modules:
        return  # the table holds only the well-known kinds until the module is first used
    from linter.ir.kubernetes import register_pod_template, reset_pod_templates

    reset_pod_templates()
    for api_version, kind, keys in config.pod_templates:
        register_pod_template(kind, keys, api_version)


def load_for_run(path: str | None, start: str | None = None) -> Config:
    """The config of a run: `path` (--config) or the one discovered from `start` (the working
    directory), completed by a hadolint config: the one `hadolint-config` names, or the nearest
    `.hadolint.yaml` / `.hadolint.yml` found as shiplint's own config is (not the per-user ones
    under $XDG_CONFIG_HOME or $HOME: a run must not depend on who runs it). Raises ConfigError."""
    start = start or os.getcwd()
    if path is None:
        path = discover(start)
    config = load(path) if path is not None else Config()
    setting = config.hadolint_config
    if setting is False:
        return config
    if isinstance(setting, str):
        peer_path = os.path.join(config.root, setting)
        if not os.path.isfile(peer_path):
            where = config.where(["hadolint-config"])
            raise ConfigError(f"{config.path}:{where}: hadolint config {peer_path} does not exist")
    else:
        found = discover(start, HADOLINT_NAMES)
        if found is None:
            return config
        peer_path = found
    config.apply_hadolint(load_hadolint(peer_path))
    return config


def _has_tool_table(path: str) -> bool:
    try:
        with open(path, encoding="utf-8") as f:
            return "[tool.shiplint" in f.read()
    except (OSError, UnicodeDecodeError):
        return False


def _read_text(path: str, what: str) -> str:
    """A config file's text, or a ConfigError naming the file (and the line of bad UTF-8)."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise ConfigError(f"{path}: cannot read {what}: {e.strerror or e}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise ConfigError(f"{path}:{line}: the {what} is not valid UTF-8 (byte {e.start})") from None


def load(path: str) -> Config:
    text = _read_text(path, "config")
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


def _validate(  # type: ignore[no-untyped-def]
    path: str, data: object, where, schema: dict[str, object] | None = None, what: str = "config"
) -> None:
    import json

    from jsonschema import Draft202012Validator

    if schema is None:
        with open(schema_path("config.schema.json"), encoding="utf-8") as f:
            schema = json.load(f)
    validator = Draft202012Validator(schema)
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
                raise ConfigError(f"{path}:{where(keys)}: unknown {what} key {at!r}")
        at = ".".join(str(k) for k in keys) or "(top level)"
        raise ConfigError(f"{path}:{where(keys)}: invalid {what} at {at}: {err.message}")


# -- hadolint's config ---------------------------------------------------------------------------

# hadolint's severities -> shiplint's (shiplint has no "style"), and its failure thresholds.
HADOLINT_LEVELS = {"error": "error", "warning": "warning", "info": "info", "style": "info"}
HADOLINT_THRESHOLDS = {**HADOLINT_LEVELS, "ignore": "never", "none": "never"}
LABEL_RULES = ("DL3049", "DL3050", "DL3051", "DL3052", "DL3053", "DL3054", "DL3055", "DL3056", "DL3058")
LABEL_TYPES = ("text", "url", "rfc3339", "spdx", "hash", "semver", "email")
_CODE = {"type": "string", "pattern": "^[A-Za-z]+[0-9]+$"}
# The keys shiplint reads, with their types; hadolint's other keys (format, no-color,
# output-file, ...) are about hadolint's own output and are ignored.
HADOLINT_SCHEMA: dict[str, object] = {
    "type": "object",
    "properties": {
        "ignored": {"type": "array", "items": _CODE},
        "override": {
            "type": "object",
            "properties": {level: {"type": "array", "items": _CODE} for level in HADOLINT_LEVELS},
        },
        "trustedRegistries": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "label-schema": {"type": "object", "additionalProperties": {"enum": list(LABEL_TYPES)}},
        "strict-labels": {"type": "boolean"},
        "failure-threshold": {"enum": list(HADOLINT_THRESHOLDS)},
        "no-fail": {"type": "boolean"},
    },
}


def peer_selector(code: str) -> str:
    """A hadolint config's code as a shiplint selector: `DL3008` -> `hadolint:DL3008`,
    `SC2086` -> `shellcheck:SC2086`."""
    code = code.strip().upper()
    return f"shellcheck:{code}" if code.startswith("SC") else f"hadolint:{code}"


class HadolintConfig:
    """What shiplint takes from a `.hadolint.yaml`, as shiplint selectors and values."""

    __slots__ = (
        "fail_on",
        "ignored",
        "label_schema",
        "path",
        "severity",
        "strict_labels",
        "trusted_registries",
    )

    def __init__(self, data: dict[str, object], path: str) -> None:
        self.path = path
        self.ignored = [peer_selector(c) for c in data.get("ignored") or []]  # type: ignore[attr-defined]
        self.severity: dict[str, str] = {}
        override: dict[str, list[str]] = data.get("override") or {}  # type: ignore[assignment]
        for level, codes in override.items():
            if level not in HADOLINT_LEVELS:
                continue
            for code in codes or []:
                self.severity[peer_selector(code)] = HADOLINT_LEVELS[level]
        self.trusted_registries: list[str] = list(data.get("trustedRegistries") or [])  # type: ignore[call-overload]
        self.label_schema: dict[str, str] = dict(data.get("label-schema") or {})  # type: ignore[call-overload]
        self.strict_labels = bool(data.get("strict-labels"))
        threshold = data.get("failure-threshold")
        self.fail_on: str | None = HADOLINT_THRESHOLDS[threshold] if isinstance(threshold, str) else None
        if data.get("no-fail") is True:
            self.fail_on = "never"


def load_hadolint(path: str) -> HadolintConfig:
    """Read a hadolint config safely (YAML only, no tags that build objects); a mistake in a key
    shiplint reads is a ConfigError naming the file and line."""
    data, where = _load_yaml(path, _read_text(path, "hadolint config"))
    _validate(path, data, where, HADOLINT_SCHEMA, "hadolint config")
    return HadolintConfig(data, path)
