"""No false schema errors on the real-world manifests, at the oldest and newest bundled version.

The files that really are invalid are listed with the reason: the API server would refuse them.
"""

from __future__ import annotations

import pytest
from conftest import run_cli, shared_or_skip

# file (relative to the corpus) -> the one error it really has
PODMONITOR = "prometheus-operator__prometheus-operator/example__user-guides__scrapeclass__"
INVALID = {
    # The PodMonitor CRD of the same repository (example/prometheus-operator-crd) requires
    # spec.selector; this example leaves it out, so the API server rejects it.
    PODMONITOR
    + "scrapeclass-example-podmonitor.yaml": "spec: missing required field 'selector' in PodMonitor",
}


@pytest.mark.parametrize("version", ["1.30", "1.37"])
def test_no_schema_errors_on_the_real_world_corpus(tmp_path, version):
    corpus = shared_or_skip("corpus", "k8s", "realworld")
    config = tmp_path / "shiplint.yaml"
    config.write_text(f"parameters:\n  KS010:\n    kubernetes-version: '{version}'\n")
    out = run_cli("check", "--select", "KS010", "--no-source", "--config", str(config), str(corpus))
    found = {}
    for line in out.stdout.splitlines():
        if ": KS010 [error] " in line:
            where, message = line.split(": KS010 [error] ", 1)
            found[where.rsplit(":", 2)[0].removeprefix(str(corpus) + "/")] = message
    assert found == INVALID, out.stdout + out.stderr
