"""The bundled schema data: size, load time, consistency, and what a run imports."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys

from conftest import ROOT

from linter.kubeschema import bundled_versions, descriptions, newest, resolve_version, schemas

DATA = ROOT / "schemas" / "kubernetes"


def test_bundle_is_small():
    total = sum(p.stat().st_size for p in DATA.iterdir())
    assert total < 2 * 1024 * 1024


def test_eight_versions_and_notice():
    assert bundled_versions() == [f"1.{n}" for n in range(30, 38)]
    assert newest() == "1.37"
    with gzip.open(DATA / "api.json.gz") as f:
        assert json.load(f)["versions"] == bundled_versions()
    notice = (DATA / "NOTICE.md").read_text()
    assert "Apache" in notice and "kubernetes-validate" in notice
    assert "Apache License" in (DATA / "LICENSE-kubernetes-validate").read_text()


def test_resolve_version():
    assert resolve_version("latest") == resolve_version(None) == "1.37"
    assert resolve_version("v1.31.4") == "1.31"
    try:
        resolve_version("1.12")
    except ValueError as e:
        assert "1.30" in str(e)
    else:
        raise AssertionError("1.12 accepted")


def test_lookup():
    s = schemas("1.33")
    node = s.lookup("apps/v1", "Deployment")
    assert node is not None and "spec" in node.props
    assert s.lookup("apps/v1", "Nope") is None
    assert s.lookup("extensions/v1beta1", "Deployment") is None
    assert ("v1", "Pod") in s.kinds()


def test_descriptions_are_separate():
    d = descriptions("1.37")
    assert "image" in d["io.k8s.api.core.v1.Container"]
    raw = schemas("1.37").raw("io.k8s.api.core.v1.Container")
    assert raw is not None and "description" not in json.dumps(raw)


# How long one version takes to load is measured by bench/schemas.py (`load`), not here: a unit
# test does not time things.


IMPORTS = """
import sys
from linter.cli import main
try:
    main(["check", "--no-source", {path!r}])
except SystemExit:
    pass
names = ("jsonschema", "linter.kubeschema", "linter.checks.kubeschema")
print("LOADED:", *(m for m in names if m in sys.modules))
"""


def test_dockerfile_run_reads_no_schema_and_no_jsonschema():
    path = str(ROOT / "examples" / "Dockerfile")
    out = subprocess.run([sys.executable, "-c", IMPORTS.format(path=path)], capture_output=True, text=True,
                         cwd=ROOT)  # fmt: skip
    assert out.stdout.strip().splitlines()[-1] == "LOADED:"


def test_manifest_run_validates_without_jsonschema():
    path = str(ROOT / "examples" / "pod.yaml")
    out = subprocess.run([sys.executable, "-c", IMPORTS.format(path=path)], capture_output=True, text=True,
                         cwd=ROOT)  # fmt: skip
    last = out.stdout.strip().splitlines()[-1].split()
    assert last == ["LOADED:", "linter.kubeschema", "linter.checks.kubeschema"]
