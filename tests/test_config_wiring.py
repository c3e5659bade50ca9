"""Config keys that act before any file is parsed: custom workload kinds (`pod-templates`) and the
set the rules across files relate (`cross-file-scope`), read from a real config file."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli

WIDGET = """\
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
spec:
  template:
    spec:
      containers:
        - name: app
          image: app:1.0
"""


def _codes(tmp_path: Path, config: str, *args: str) -> list[tuple[str, str]]:
    (tmp_path / ".git").mkdir(exist_ok=True)  # the config is found up to the repository root
    (tmp_path / ".shiplint.yaml").write_text(config)
    out = run_cli("check", "--format", "json", *args, cwd=tmp_path)
    assert out.returncode in (0, 1), out.stderr
    return [(Path(f["path"]).name, f["code"]) for f in json.loads(out.stdout)["findings"]]


def test_a_configured_custom_kind_is_linted_as_a_workload(tmp_path: Path) -> None:
    (tmp_path / "widget.yaml").write_text(WIDGET)
    plain = _codes(tmp_path, "select: [KS201]\n", "widget.yaml")
    assert plain == []
    configured = _codes(
        tmp_path,
        "select: [KS201]\n"
        "pod-templates:\n  - {kind: Widget, apiVersion: example.com/v1, path: spec.template}\n",
        "widget.yaml",
    )
    assert configured == [("widget.yaml", "KS201")]


def test_cross_file_scope_from_the_config(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "svc.yaml").write_text(
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n"
        "  ports: [{port: 80}]\n"
    )
    (tmp_path / "b" / "pod.yaml").write_text(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels: {app: web}\n"
        "spec:\n  containers: [{name: web, image: 'nginx:1.27'}]\n"
    )
    assert _codes(tmp_path, "select: [KS701]\n", ".") == [("svc.yaml", "KS701")]
    assert _codes(tmp_path, "select: [KS701]\ncross-file-scope: run\n", ".") == []
