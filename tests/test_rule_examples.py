"""Every example of every rule file runs here: failing examples must give the rule's findings on
exactly the lines listed, passing examples must give none."""

from __future__ import annotations

import pytest
from helpers import DEFAULT_NAMES, RULES, lint_text

CASES = [
    pytest.param(rule, outcome, i, ex, id=f"{rule.code}-{rule.name}-{outcome}{i}")
    for rule in RULES
    for outcome in ("fail", "pass")
    for i, ex in enumerate(rule.examples[outcome])
]


@pytest.mark.parametrize(("rule", "outcome", "index", "example"), CASES)
def test_example(tmp_path, rule, outcome, index, example):
    filename = example.get("filename") or DEFAULT_NAMES[rule.language]
    params = {rule.code: example["parameters"]} if example.get("parameters") else None
    findings = lint_text(
        tmp_path,
        example["code"],
        filename,
        select=[rule.code],
        parameters=params,
        encoding=example.get("encoding", "utf-8"),
        also=example.get("also"),
    )
    mine = [f for f in findings if f.code == rule.code]
    others = [f for f in findings if f.code != rule.code]
    assert not others, f"--select {rule.code} let other rules through: {others}"
    lines = [f.span.line for f in mine]
    if outcome == "fail":
        assert lines == example["lines"], f"{rule.code} {outcome}[{index}]: got {mine}"
        for f in mine:
            assert f.aliases[: len(rule.aliases)] == rule.aliases  # a finding may add its own
            assert f.span.line <= f.span.end_line
            assert f.span.end_line > f.span.line or f.span.end_column > f.span.column
    else:
        assert not mine, f"{rule.code} pass[{index}] gave findings: {mine}"
