"""Catalog tests: every rule file is valid, ids are unique, examples exist, and the generated
files (linter/_catalog.py, docs/rules.md) match rules/."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from helpers import RULES

from linter.engine import catalog
from linter.engine.catalog import CatalogError, Rule, check_unique, compile_folder
from linter.resources import rules_dir, schema_path

ROOT = Path(__file__).resolve().parent.parent


def test_every_rule_file_is_schema_valid_and_compiles():
    compiled = compile_folder(rules_dir())
    assert len(compiled) == len(os.listdir(rules_dir())) == len(RULES)


def test_codes_names_and_aliases_are_unique():
    seen: dict[str, str] = {}
    for rule in RULES:
        for key in (rule.code, rule.name, *rule.aliases):
            assert key not in seen, f"{key} is used by {seen[key]} and {rule.code}"
            seen[key] = rule.code


def test_file_names_follow_code_and_name():
    for rule in RULES:
        assert os.path.basename(rule.origin) == f"{rule.code}-{rule.name}.yaml"


def test_every_rule_has_failing_and_passing_examples():
    for rule in RULES:
        assert rule.examples["fail"], rule.code
        assert rule.examples["pass"], rule.code


def test_every_rule_is_implemented():
    for rule in RULES:
        assert (rule.check is None) != (rule.condition is None), rule.code


def test_compiled_catalog_is_current():
    from linter import _catalog

    assert catalog.fingerprint(rules_dir()) == _catalog.FINGERPRINT
    with open(catalog.COMPILED, encoding="utf-8") as f:
        assert f.read() == catalog.write_compiled(), "run `make catalog`"


def test_generated_docs_are_current():
    from linter.report.docs import catalog_markdown

    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert text == catalog_markdown(RULES), "run `make docs`"


def test_stale_compiled_catalog_falls_back_to_the_yaml(tmp_path, monkeypatch):
    # An edited rule file (a different size) must win over the compiled module.
    folder = tmp_path / "rules"
    shutil.copytree(rules_dir(), folder)
    target = folder / "DF001-base-image-untagged.yaml"
    target.write_text(target.read_text().replace("severity: warning", "severity: error"))
    monkeypatch.setattr(catalog, "rules_dir", lambda: str(folder))
    rules = {r.code: r for r in catalog.load_builtin()}
    assert rules["DF001"].severity == "error"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d.pop("examples"), "examples"),
        (lambda d: d.update(severity="fatal"), "severity"),
        (lambda d: d.update(check="os.system"), "check"),
        (lambda d: d.update(check="images.no-such-check"), "unknown check"),
        (lambda d: d["examples"].update({"pass": []}), "pass"),
        (lambda d: d.update(target="container", language="kubernetes"), "applies to stage"),
        (lambda d: d.update(parameters={"tag": "x"}), "invalid parameters"),
        (
            lambda d: d.update(
                check="resources.resource-missing",
                target="container",
                language="kubernetes",
                parameters={"resource": "cpu", "kind": "request"},
            ),
            "invalid parameters at parameters/kind",
        ),
    ],
)
def test_invalid_rule_files_are_rejected(tmp_path, edit, message):
    data = _raw("DF001-base-image-untagged.yaml")
    edit(data)
    (tmp_path / "X.yaml").write_text(json.dumps(data))  # JSON is YAML
    with pytest.raises(CatalogError, match=message):
        compile_folder(str(tmp_path))


def test_duplicate_ids_across_folders_are_rejected():
    rules = [
        Rule(_raw("DF001-base-image-untagged.yaml"), "a"),
        Rule(_raw("DF001-base-image-untagged.yaml"), "b"),
    ]
    with pytest.raises(CatalogError, match="already used"):
        check_unique(rules)


def test_rule_schema_is_a_valid_json_schema():
    from jsonschema import Draft202012Validator

    with open(schema_path("rule.schema.json"), encoding="utf-8") as f:
        Draft202012Validator.check_schema(json.load(f))
    with open(schema_path("config.schema.json"), encoding="utf-8") as f:
        Draft202012Validator.check_schema(json.load(f))
    with open(schema_path("output.schema.json"), encoding="utf-8") as f:
        Draft202012Validator.check_schema(json.load(f))


def test_selectors_match_codes_prefixes_names_and_aliases():
    rule = next(r for r in RULES if r.code == "DF001")
    for selector in ("DF001", "df001", "DF", "base-image-untagged", "hadolint:DL3006", "DL3006", "all"):
        assert rule.matches(selector), selector
    for selector in ("DF002", "KS", "base-image", "hadolint:DL3007", "D"):
        assert not rule.matches(selector), selector


def _raw(name: str) -> dict[str, object]:
    from ruamel.yaml import YAML

    with open(os.path.join(rules_dir(), name), encoding="utf-8") as f:
        data: dict[str, object] = YAML(typ="safe", pure=True).load(f)
    return data


@pytest.mark.parametrize("what", ["catalog", "docs"])
def test_devtools_check_passes_and_detects_drift(what, tmp_path):
    import subprocess

    from linter import devtools

    p = subprocess.run(
        [sys.executable, "-m", "linter.devtools", what, "--check"], capture_output=True, text=True
    )
    assert p.returncode == 0, p.stderr
    # Against a stale file, --check fails and leaves the file alone.
    stale = tmp_path / "stale"
    stale.write_text("old\n")
    assert devtools._write_or_check(str(stale), "new\n", True, f"make {what}") == 1
    assert stale.read_text() == "old\n"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d.update(message="image {0} is bad"), "must be a name"),
        (lambda d: d.update(message="image {image is bad"), "invalid message template"),
        (
            lambda d: (d.pop("check"), d.update(condition={"schema": {"required": ["x"]}})),
            "a condition applies to a mapping",
        ),
    ],
)
def test_rules_that_would_fail_at_lint_time_are_rejected_at_load(tmp_path, edit, message):
    data = _raw("DF001-base-image-untagged.yaml")
    edit(data)
    (tmp_path / "X.yaml").write_text(json.dumps(data))
    with pytest.raises(CatalogError, match=message):
        compile_folder(str(tmp_path))


def test_code_prefixes_match_in_any_case():
    rule = next(r for r in RULES if r.code == "KS201")
    assert rule.matches("ks2") and rule.matches("KS2") and not rule.matches("ks3")
