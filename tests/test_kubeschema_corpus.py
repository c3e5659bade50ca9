"""No false schema errors on the real-world manifests, at the oldest and newest bundled version."""

from __future__ import annotations

import pytest
from conftest import run_cli, shared_or_skip


@pytest.mark.parametrize("version", ["1.30", "1.37"])
def test_no_schema_errors_on_the_real_world_corpus(tmp_path, version):
    corpus = shared_or_skip("corpus", "k8s", "realworld")
    config = tmp_path / "shiplint.yaml"
    config.write_text(f"parameters:\n  KS010:\n    kubernetes-version: '{version}'\n")
    out = run_cli("check", "--select", "KS010", "--no-source", "--config", str(config), str(corpus))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "KS010" not in out.stdout
