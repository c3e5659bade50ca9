"""A CustomResourceDefinition validates its custom resources wherever they are in the run: in
another file, in a file linted before it, and in a parallel run where another worker lints it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli
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


def _report(folder: Path, jobs: str) -> dict[str, object]:
    out = run_cli("check", "--format", "json", "--fail-on", "never", str(folder), env={"SHIPLINT_JOBS": jobs})
    assert out.returncode == 0, out.stderr
    report: dict[str, object] = json.loads(out.stdout)
    return report


def test_many_resources_whose_crd_is_in_another_file_are_linted_again_in_parallel(tmp_path: Path) -> None:
    # More custom resources than a parallel run lints again in one worker, before their CRD.
    count = cli.PARALLEL_MIN_FILES + 10
    for i in range(count):
        (tmp_path / f"a-widget-{i:03}.yaml").write_text(WIDGET.replace("name: w", f"name: w{i}"))
    (tmp_path / "z-crd.yaml").write_text(CRD)
    parallel = _report(tmp_path, "")
    assert parallel == _report(tmp_path, "1")
    codes = [(Path(f["path"]).name, f["code"]) for f in parallel["findings"]]  # type: ignore[attr-defined,index]
    assert codes.count(("a-widget-000.yaml", "KS010")) == 1
    assert sum(1 for _, code in codes if code == "KS010") == count
    assert not any(code == "KS013" for _, code in codes)  # every Widget found its schema


@pytest.mark.parametrize("widget", ["0-widget.yaml", "b-widget.yaml", "zz-widget.yaml"])
def test_a_crd_defined_twice_is_the_last_one_in_parallel_too(tmp_path: Path, widget: str) -> None:
    # Two files define Widget v1; the later file's definition wins for the resources of other
    # files (here: `shape` becomes a known field), wherever the resource is and wherever a batch
    # of the sequential run ends, and in a parallel run too.
    (tmp_path / widget).write_text(WIDGET)
    # The first CRD and b-widget fall in the first batch of a sequential run, the second CRD in
    # the second batch.
    (tmp_path / "a-crd.yaml").write_text(CRD)
    (tmp_path / "z-crd.yaml").write_text(
        CRD.replace(
            "                colour: {type: string, enum: [red, green]}\n",
            "                colour: {type: string, enum: [red, green]}\n"
            "                shape: {type: string}\n",
        )
    )
    for i in range(cli.PARALLEL_MIN_FILES):
        (tmp_path / f"m-{i:03}.yaml").write_text(
            f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\n"
        )
    parallel = _report(tmp_path, "")
    assert parallel == _report(tmp_path, "1")
    found = [f for f in parallel["findings"] if Path(f["path"]).name == widget]  # type: ignore[attr-defined,index]
    assert not any(f["code"] in ("KS010", "KS013") for f in found)


def test_a_crd_in_a_file_that_is_not_linted_defines_nothing(tmp_path: Path) -> None:
    # A walk skips YAML that does not look like Kubernetes objects (a Helm template): its CRD is
    # not the run's, in a sequential run of several batches as in a parallel one.
    (tmp_path / "a-widget.yaml").write_text(WIDGET)
    # (valid YAML, with a template expression in a string: a walk cannot tell it is not a chart's)
    (tmp_path / "z-crd.yaml").write_text(
        CRD.replace(
            "  name: widgets.example.com\n",
            "  name: widgets.example.com\n  annotations: {note: '{{ .Chart.Name }}'}\n",
        )
    )
    for i in range(cli.PARALLEL_MIN_FILES + 2):
        (tmp_path / f"m-{i:03}.yaml").write_text(
            f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\n"
        )
    parallel = _report(tmp_path, "")
    assert parallel == _report(tmp_path, "1")
    codes = [f["code"] for f in parallel["findings"] if Path(f["path"]).name == "a-widget.yaml"]  # type: ignore[attr-defined,index]
    assert codes == ["KS013"]


def test_workers_that_cannot_take_the_definitions_leave_the_relinting_to_the_parent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for i in range(cli.PARALLEL_MIN_FILES + 4):  # enough to be linted again by every worker
        (tmp_path / f"a-widget-{i:03}.yaml").write_text(WIDGET.replace("name: w", f"name: w{i}"))
    (tmp_path / "z-crd.yaml").write_text(CRD)
    monkeypatch.setattr(cli, "_adopt_definitions", _refuse_definitions)
    monkeypatch.setenv("SHIPLINT_JOBS", "")
    cli.main(["check", "--format", "json", "--select", "KS010,KS013", str(tmp_path)])
    found = json.loads(capsys.readouterr().out)["findings"]
    assert {f["code"] for f in found} == {"KS010"} and len(found) == cli.PARALLEL_MIN_FILES + 4


def _refuse_definitions(taken: object) -> None:
    raise RuntimeError("cannot adopt")
