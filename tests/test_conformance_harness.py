"""The shared conformance harness reads shiplint's JSON and `shiplint rules --format json`: that
contract must hold (it exits 2 when it cannot run shiplint, e.g. on an unexpected exit code).
The figures themselves are measured and reported in the issues, not asserted here."""

from __future__ import annotations

import subprocess
import sys

from conftest import shared_or_skip


def test_conformance_harness_runs_on_shiplint():
    tool = shared_or_skip("tools", "conformance")
    p = subprocess.run(
        [sys.executable, str(tool), "all", "--shiplint", f"{sys.executable} -m linter"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert p.returncode == 0, p.stdout + p.stderr
    for suite in ("hadolint: DL recall", "polaris: agreement", "kube-linter: agreement"):
        assert suite in p.stdout, p.stdout
