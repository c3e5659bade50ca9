"""Linting a manifest leaves no reference cycles: its nodes are freed as soon as the run drops
them, not at the cyclic collector's next pass (which cost a quarter of a large schema check)."""

from __future__ import annotations

import gc

from linter.config import Config
from linter.engine.catalog import load_builtin
from linter.engine.run import Engine
from linter.ir.source import SourceFile
from linter.parsers.yaml import parse_manifest

MANIFEST = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      initContainers:
        - name: init
          image: busybox:1.36
      containers:
        - name: web
          image: nginx:latest
          securityContext: {privileged: true}
"""


def test_a_linted_manifest_is_freed_without_the_cyclic_collector() -> None:
    engine = Engine(load_builtin(), Config({}), None)
    gc.collect()
    was = gc.isenabled()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)  # what the collector finds is kept in gc.garbage, to look at
    try:
        source = SourceFile("web.yaml", MANIFEST, "kubernetes")
        document = parse_manifest(source)
        engine.prepare([(source, document)])
        assert engine.lint(source, document)  # the pod, container and security rules all ran
        engine.summarize(document)
        del source, document
        gc.collect()
        names = {type(o).__name__ for o in gc.garbage}
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if was:
            gc.enable()
    assert not names & {"YMap", "YSeq", "YScalar", "Span", "Resource", "PodView", "ContainerView"}
