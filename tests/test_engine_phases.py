"""The engine's batch and whole-run phases: bulk preparation, per-finding aliases and severities,
and rules over every object of a run. Checks are stand-ins put where the engine looks them up."""

from __future__ import annotations

from pathlib import Path

import pytest

import linter.checks as checks
from linter import cli
from linter.checks import Check
from linter.config import Config
from linter.engine.catalog import Rule
from linter.engine.run import Engine
from linter.ir.source import Span


def _rule(code: str, target: str, check: str, language: str = "dockerfile", **extra: object) -> Rule:
    data: dict[str, object] = {
        "code": code,
        "name": code.lower(),
        "title": code,
        "severity": "warning",
        "enabled": True,
        "language": language,
        "target": target,
        "check": check,
        "message": "{what}",
        "rationale": "r",
        "remediation": "r",
        "examples": {"fail": [], "pass": []},
        "aliases": ["peer:P1"],
        **extra,
    }
    return Rule(data, "<test>")


@pytest.fixture
def fake_checks(monkeypatch: pytest.MonkeyPatch) -> dict[str, Check]:
    table: dict[str, Check] = {}
    real = checks.find_check
    monkeypatch.setattr(checks, "find_check", lambda ref: table.get(ref) or real(ref))
    return table


def _run(tmp_path: Path, engine: Engine, files: dict[str, str]) -> tuple[list[object], int]:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    findings, _, errors, _ = cli._run(engine, engine.config, [str(tmp_path)], None, False)
    return findings, errors  # type: ignore[return-value]


def test_prepare_sees_every_parsed_file_once_before_linting(
    tmp_path: Path, fake_checks: dict[str, Check]
) -> None:
    events: list[str] = []

    def prepare(items: list[tuple[object, object]], params: dict[str, object]) -> None:
        events.append(f"prepare {len(items)}")

    def fn(node: object, ctx: object) -> list[object]:
        events.append("lint")
        return []

    fake_checks["fake.run"] = Check(fn, ("instruction",), prepare=prepare)
    rule = _rule("ZZ001", "instruction", "fake.run", scope={"instructions": ["RUN"]})
    engine = Engine([rule], Config({}))
    _run(tmp_path, engine, {f"Dockerfile.{i}": "FROM a:1\nRUN true\n" for i in range(3)})
    assert events == ["prepare 3", "lint", "lint", "lint"]


def test_a_hit_adds_its_own_alias_and_severity_unless_configured(
    tmp_path: Path, fake_checks: dict[str, Check]
) -> None:
    def fn(node: object, ctx: object) -> list[object]:
        span = node.keyword_span  # type: ignore[attr-defined]
        return [(span, {"what": "x", "alias": "tool:X9", "severity": "error"})]

    fake_checks["fake.alias"] = Check(fn, ("instruction",))
    rule = _rule("ZZ002", "instruction", "fake.alias", scope={"instructions": ["RUN"]})
    found, _ = _run(tmp_path, Engine([rule], Config({})), {"Dockerfile": "FROM a:1\nRUN true\n"})
    assert [(f.aliases, f.severity) for f in found] == [(("peer:P1", "tool:X9"), "error")]  # type: ignore[attr-defined]

    configured = Engine([rule], Config({"severity": {"ZZ002": "info"}}))
    found, _ = _run(tmp_path, configured, {})
    assert [f.severity for f in found] == ["info"]  # type: ignore[attr-defined]

    # A finding's own alias silences it, with or without the tool prefix.
    for selector in ("X9", "tool:X9"):
        (tmp_path / "Dockerfile").write_text(f"FROM a:1\n# shiplint ignore={selector}\nRUN true\n")
        found, _ = _run(tmp_path, Engine([rule], Config({})), {})
        assert found == []
    # An ignore that names no rule drops only the findings that carry it as their own alias.
    (tmp_path / "Dockerfile").write_text("FROM a:1\nRUN true\n")
    found, _ = _run(tmp_path, Engine([rule], Config({}), ignore=["X9"]), {})
    assert found == []
    found, _ = _run(tmp_path, Engine([rule], Config({}), ignore=["X8"]), {})
    assert [f.code for f in found] == ["ZZ002"]  # type: ignore[attr-defined]


def test_a_rule_that_fails_to_prepare_is_reported_and_the_others_still_run(
    tmp_path: Path, fake_checks: dict[str, Check]
) -> None:
    def prepare(items: object, params: object) -> None:
        raise ValueError("boom")

    def fn(node: object, ctx: object) -> list[object]:
        return [(node.keyword_span, {"what": "seen"})]  # type: ignore[attr-defined]

    fake_checks["fake.broken"] = Check(lambda n, c: [], ("instruction",), prepare=prepare)
    fake_checks["fake.ok"] = Check(fn, ("instruction",))
    rules = [_rule("ZZ003", "instruction", "fake.broken"), _rule("ZZ004", "instruction", "fake.ok")]
    found, errors = _run(tmp_path, Engine(rules, Config({})), {"Dockerfile": "FROM a:1\n"})
    assert [f.code for f in found] == ["ZZ004"]  # type: ignore[attr-defined]
    assert errors == 1


class _Summary:
    def __init__(self, path: str, object_id: str, annotations: dict[str, str]) -> None:
        self.path = path
        self.object_id = object_id
        self.annotations = annotations
        self.template_annotations: dict[str, str] = {}
        self.span = Span(1, 1, 1, 5)


def test_project_rules_see_objects_of_every_file_and_honour_suppressions(
    tmp_path: Path, fake_checks: dict[str, Check], monkeypatch: pytest.MonkeyPatch
) -> None:
    import linter.ir as ir_package

    seen: list[list[str]] = []

    def summarize(manifest: object) -> list[_Summary]:
        return [
            _Summary(manifest.source.path, r.object_id, dict(r.annotations))  # type: ignore[attr-defined]
            for r in manifest.resources  # type: ignore[attr-defined]
        ]

    def fn(objects: list[_Summary], ctx: object) -> list[object]:
        seen.append(sorted(o.object_id for o in objects))
        return [(o, o.span, {"what": o.object_id}) for o in objects]

    module = type(ir_package)("linter.ir.inventory")
    module.summarize = summarize  # type: ignore[attr-defined]
    monkeypatch.setitem(__import__("sys").modules, "linter.ir.inventory", module)
    fake_checks["fake.project"] = Check(fn, ("project",))
    rule = _rule("ZZ005", "project", "fake.project", language="kubernetes")
    files = {
        "a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n",
        "b.yaml": (
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n"
            "  annotations:\n    shiplint.dev/ignore: ZZ005\n"
        ),
    }
    found, errors = _run(tmp_path, Engine([rule], Config({})), files)
    assert errors == 0
    assert len(seen) == 1 and len(seen[0]) == 2  # once, with both files' objects
    assert [(Path(f.path).name, f.object) for f in found] == [("a.yaml", seen[0][0])]  # type: ignore[attr-defined]
