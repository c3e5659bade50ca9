"""What users see, compared with stored snapshots: the reports of examples/ in every format.

After an intended change of output, refresh them with `SHIPLINT_UPDATE_SNAPSHOTS=1 make test`
and review the diff."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_cli import run_main

from linter import __version__

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CASES = {
    "examples.txt": ("check", "examples"),
    "examples-no-source.txt": ("check", "examples", "--no-source"),
    "examples.json": ("check", "examples", "--format", "json"),
    "examples.sarif": ("check", "examples", "--format", "sarif"),
    "examples-github.txt": ("check", "examples", "--format", "github"),
    "examples-gitlab.json": ("check", "examples", "--format", "gitlab"),
    "examples-junit.xml": ("check", "examples", "--format", "junit"),
    "examples-checkstyle.xml": ("check", "examples", "--format", "checkstyle"),
    "rules.txt": ("rules",),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_snapshot(name):
    r = run_main(*CASES[name], cwd=ROOT)
    assert r.returncode in (0, 1), r.stderr
    got = r.stdout.replace(f'"shiplint": "{__version__}"', '"shiplint": "<version>"')
    got = got.replace(f'"version": "{__version__}"', '"version": "<version>"')
    got = got.replace(f'"semanticVersion": "{__version__}"', '"semanticVersion": "<version>"')
    path = HERE / "snapshots" / name
    if os.environ.get("SHIPLINT_UPDATE_SNAPSHOTS"):
        path.write_text(got, encoding="utf-8")
    assert path.exists(), f"no snapshot {path}: run with SHIPLINT_UPDATE_SNAPSHOTS=1"
    assert got == path.read_text(encoding="utf-8")
