"""A CustomResourceDefinition validates its custom resources wherever they are in the run: in
another file, in a file linted before it, and in a parallel run where another worker lints it."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import lint_paths
from test_kubeschema_validation import CRD

from linter import cli

# A Widget of the CRD's v1, with one field its schema does not have (`shape`, line 8).
WIDGET = """\
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
spec:
  size: 3
  colour: red
  shape: round
"""


def _lint(paths: list[Path], jobs: str, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int, int, str]]:
    monkeypatch.setenv("SHIPLINT_JOBS", jobs)
    found = lint_paths(paths, ["KS010", "KS013"])
    return [(Path(f.path).name, f.span.line, f.span.column, f.code) for f in found]


@pytest.mark.parametrize("jobs", ["1", "0"])
def test_a_crd_in_another_file_validates_its_resources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    # The resource's file sorts first, so it is linted before the CRD's.
    (tmp_path / "a-widget.yaml").write_text(WIDGET)
    (tmp_path / "z-crd.yaml").write_text(CRD)
    # Enough other files for the parallel path (a worker pool) when jobs is not 1.
    for i in range(cli.PARALLEL_MIN_FILES):
        (tmp_path / f"m-{i:03}.yaml").write_text(
            f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\n"
        )
    found = _lint(sorted(tmp_path.iterdir()), jobs, monkeypatch)
    # `shape` is not in the CRD's schema; the kind is known, so there is no "no schema" finding.
    assert found == [("a-widget.yaml", 8, 3, "KS010")]


def test_without_its_crd_a_custom_kind_has_no_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a-widget.yaml").write_text(WIDGET)
    assert _lint([tmp_path / "a-widget.yaml"], "1", monkeypatch) == [
        ("a-widget.yaml", 2, 1, "KS013")
    ]  # at `kind`
