"""A CustomResourceDefinition validates its custom resources wherever they are in the run: in
another file, in a file linted before it, and in a parallel run where another worker lints it."""

from __future__ import annotations

from pathlib import Path

import pytest

from linter import cli
from linter.config import Config
from linter.engine.catalog import load_builtin
from linter.engine.run import Engine

CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                size: {type: integer}
"""

WIDGET = """\
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
spec:
  size: 3
  colour: red
"""


def _lint(paths: list[Path], jobs: str, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int, int, str]]:
    monkeypatch.setenv("SHIPLINT_JOBS", jobs)
    engine = Engine(load_builtin(), Config({}), ["KS010", "KS013"])
    findings, _, errors, _ = cli._run(engine, engine.config, [str(p) for p in paths], None, False)
    assert errors == 0
    return [(Path(f.path).name, f.span.line, f.span.column, f.code) for f in findings]


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
    # `colour` is not in the CRD's schema; the kind is known, so there is no "no schema" finding.
    assert found == [("a-widget.yaml", 7, 3, "KS010")]


def test_without_its_crd_a_custom_kind_has_no_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a-widget.yaml").write_text(WIDGET)
    assert _lint([tmp_path / "a-widget.yaml"], "1", monkeypatch) == [
        ("a-widget.yaml", 2, 1, "KS013")
    ]  # at `kind`
