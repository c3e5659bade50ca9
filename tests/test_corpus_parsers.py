"""The parsers over the shared corpus of real files (../shared/corpus): no crash, every span inside
its file, problems on exactly the files that are broken, and agreement with dockerfile-parse.

Skipped when ../shared is absent (a fresh clone elsewhere)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from conftest import shared_or_skip
from helpers import span_outside

from linter.ir.dockerfile import Dockerfile, Instruction
from linter.ir.kubernetes import Manifest, YMap, YNode, YSeq
from linter.ir.source import SourceFile, Span
from linter.parsers.dockerfile import parse_dockerfile
from linter.parsers.yaml import parse_manifest

# BuildKit's negative parser fixtures, and one real file with a stray `~` line.
BROKEN_DOCKERFILES = {
    "moby__buildkit/frontend/dockerfile/parser/testfiles-negative/env_no_value/Dockerfile",
    "moby__buildkit/frontend/dockerfile/parser/testfiles-negative/only_comments/Dockerfile",
    "moby__buildkit/frontend/dockerfile/parser/testfiles-negative/shykes-nested-json/Dockerfile",
    "bridgecrewio__checkov/tests/dockerfile/checks/example_UpdateNotAlone/failure/Dockerfile",
}

# Duplicate keys in two real manifests and in a kube-linter fixture; Helm templates, which are not
# YAML until rendered.
BROKEN_MANIFESTS = {
    "realworld/kubernetes__examples/_archived__openshift-origin__etcd-controller.yaml": "yaml-duplicate-key",
    "realworld/kubernetes__examples/_archived__openshift-origin__etcd-discovery-controller.yaml": (
        "yaml-duplicate-key"
    ),
    "kube-linter/tests/checks/cel.yml": "yaml-duplicate-key",
    "kube-linter/tests/testdata/mychart/templates/deployment.yaml": "yaml-syntax",
    "kube-linter/tests/testdata/mychart/templates/hpa.yaml": "yaml-syntax",
    "kube-linter/tests/testdata/mychart/templates/ingress.yaml": "yaml-syntax",
    "kube-linter/tests/testdata/mychart/templates/service.yaml": "yaml-syntax",
    "kube-linter/tests/testdata/mychart/templates/serviceaccount.yaml": "yaml-syntax",
    "kube-linter/tests/testdata/mychart/templates/tests/test-connection.yaml": "yaml-syntax",
    "kube-linter/tests/testdata/subchart/templates/deployment.yaml": "yaml-syntax",
}


def _read(path: Path) -> str:
    # As the CLI reads files: UTF-8, a byte-order mark dropped.
    return path.read_bytes().decode("utf-8-sig")


@pytest.fixture(scope="module")
def dockerfiles() -> dict[str, tuple[SourceFile, Dockerfile]]:
    root = shared_or_skip("corpus", "dockerfile")
    parsed: dict[str, tuple[SourceFile, Dockerfile]] = {}
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix in (".tsv", ".jsonl"):
            continue
        source = SourceFile(str(path), _read(path), "dockerfile")
        parsed[path.relative_to(root).as_posix()] = (source, parse_dockerfile(source))
    assert len(parsed) > 300
    return parsed


@pytest.fixture(scope="module")
def manifests() -> dict[str, tuple[SourceFile, Manifest]]:
    root = shared_or_skip("corpus", "k8s")
    parsed: dict[str, tuple[SourceFile, Manifest]] = {}
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix not in (".yaml", ".yml", ".json"):
            continue
        source = SourceFile(str(path), _read(path), "kubernetes")
        parsed[path.relative_to(root).as_posix()] = (source, parse_manifest(source))
    assert len(parsed) > 600
    return parsed


def _instruction_spans(ins: Instruction) -> list[tuple[str, Span]]:
    out = [("instruction", ins.span), ("keyword", ins.keyword_span), ("args", ins.args_span)]
    out += [(f"flag {f.name}", f.span) for f in ins.flags]
    for doc in ins.heredocs:
        out += [("heredoc", doc.span), ("heredoc body", doc.body_span)]
    if ins.inner is not None:
        out += [(f"inner {what}", span) for what, span in _instruction_spans(ins.inner)]
    return out


def _node_spans(node: YNode, path: str = "") -> list[tuple[str, Span]]:
    out = [(path or "/", node.span)]
    if isinstance(node, YMap):
        for name, (key, child) in node.entries.items():
            out.append((f"{path}/{name} (key)", key.span))
            out += _node_spans(child, f"{path}/{name}")
    elif isinstance(node, YSeq):
        for i, item in enumerate(node.items):
            out += _node_spans(item, f"{path}/{i}")
    return out


# --- Dockerfiles ---------------------------------------------------------------------------------


def test_every_dockerfile_span_lies_inside_its_file(dockerfiles):
    bad = []
    for name, (source, df) in dockerfiles.items():
        spans = [
            (f"{i.keyword}@{i.span.line} {what}", s)
            for i in df.instructions
            for what, s in _instruction_spans(i)
        ]
        spans += [(f"alias of stage {s.index}", s.alias_span) for s in df.stages if s.alias_span]
        spans += [(f"directive {k}", span) for k, (_, span) in df.directives.items()]
        spans += [(f"problem {p.message}", p.span) for p in source.problems]
        bad += [f"{name}: {what} {span}" for what, span in spans if span_outside(source, span)]
    assert not bad, "\n".join(bad[:20])


def test_exactly_the_broken_dockerfiles_have_problems(dockerfiles):
    with_problems = {name for name, (source, _) in dockerfiles.items() if source.problems}
    assert with_problems == BROKEN_DOCKERFILES
    for name in BROKEN_DOCKERFILES:
        assert {p.kind for p in dockerfiles[name][0].problems} == {"dockerfile-syntax"}


def test_buildkit_positive_fixtures_have_instructions(dockerfiles):
    fixtures = {n: v for n, v in dockerfiles.items() if "/parser/testfiles/" in n}
    assert len(fixtures) >= 30
    assert all(df.instructions for _, df in fixtures.values())


def test_stages_cover_every_instruction_after_the_first_from(dockerfiles):
    bad = []
    for name, (_, df) in dockerfiles.items():
        in_stages = [i for s in df.stages for i in [s.from_instruction, *s.instructions]]
        first_from = next(
            (n for n, i in enumerate(df.instructions) if i.keyword == "FROM"), len(df.instructions)
        )
        if in_stages != df.instructions[first_from:]:
            bad.append(name)
        bad += [f"{name}: stage {s.index} image_text ''" for s in df.stages if s.image_text == ""]
    assert not bad, bad[:10]


# Well-understood differences from dockerfile-parse, where BuildKit (and we) read the file otherwise:
# - a blank line inside a continuation: BuildKit skips it and the instruction goes on;
#   dockerfile-parse ends the instruction there and reads the next line as an instruction;
# - a continuation on the last line: dockerfile-parse drops the instruction;
# - an escaped escape (`\\`) at the end of a line: BuildKit does not continue; dockerfile-parse does;
# - heredocs (`<<EOF`), which dockerfile-parse does not know;
# - an unknown instruction is a problem for us, an instruction for dockerfile-parse.
GAP_IN_CONTINUATION = re.compile(r"[\\`][ \t]*\n(?:[ \t]*#[^\n]*\n)*[ \t]*(?:\n|$)")
ESCAPED_ESCAPE_AT_EOL = re.compile(r"\\\\[ \t]*$", re.MULTILINE)


def _known_difference(text: str) -> str | None:
    if "<<" in text:
        return "heredoc"
    if GAP_IN_CONTINUATION.search(text):
        return "blank line inside a continuation"
    if text.rstrip().endswith(("\\", "`")):
        return "continuation at the end of the file"
    if ESCAPED_ESCAPE_AT_EOL.search(text):
        return "escaped escape at the end of a line"
    return None


def test_agrees_with_dockerfile_parse(dockerfiles):
    from dockerfile_parse import DockerfileParser

    compared, skipped, disagree = 0, {}, []
    for name, (source, df) in dockerfiles.items():
        reason = _known_difference(source.text)
        if reason:
            skipped[name] = reason
            continue
        try:
            structure = DockerfileParser(fileobj=io.BytesIO(source.text.encode("utf-8"))).structure
        except Exception:  # files dockerfile-parse cannot handle are not compared
            continue
        unknown_lines = {p.span.line for p in source.problems if p.message.startswith("unknown instruction")}
        theirs = [
            (item["instruction"], item["startline"] + 1, item["endline"] + 1)
            for item in structure
            if item["instruction"] != "COMMENT" and item["startline"] + 1 not in unknown_lines
        ]
        ours = [(i.keyword, i.span.line, i.span.end_line) for i in df.instructions]
        compared += 1
        if ours != theirs:
            first = next((a, b) for a, b in zip([*ours, None], [*theirs, None], strict=False) if a != b)
            disagree.append(f"{name}: ours {first[0]} dockerfile-parse {first[1]}")
    assert not disagree, "\n".join(disagree)
    assert compared >= 250, f"only {compared} files compared; skipped {skipped}"
    # The BuildKit fixtures for each known difference are among the skipped files: the
    # predicates above must keep matching them.
    fixtures = "moby__buildkit/frontend/dockerfile/parser/testfiles/"
    assert skipped[fixtures + "continueIndent/Dockerfile"] == "blank line inside a continuation"
    assert skipped[fixtures + "continue-at-eof/Dockerfile"] == "continuation at the end of the file"
    assert skipped[fixtures + "trailing-backslash/Dockerfile"] == "escaped escape at the end of a line"


# --- Kubernetes manifests ------------------------------------------------------------------------


def test_every_manifest_span_lies_inside_its_file(manifests):
    bad = []
    checked = 0
    for name, (source, manifest) in manifests.items():
        spans = [s for r in manifest.resources for s in _node_spans(r.node)]
        spans += [(f"problem {p.message}", p.span) for p in source.problems]
        checked += len(spans)
        bad += [f"{name}: {what} {span}" for what, span in spans if span_outside(source, span)]
    assert not bad, "\n".join(bad[:20])
    assert checked > 50_000


def test_exactly_the_broken_manifests_have_problems(manifests):
    found = {
        name: {p.kind for p in source.problems} for name, (source, _) in manifests.items() if source.problems
    }
    assert found == {name: {kind} for name, kind in BROKEN_MANIFESTS.items()}


def test_real_manifests_give_resources_and_pods(manifests):
    realworld = {n: m for n, (_, m) in manifests.items() if n.startswith("realworld/")}
    assert len(realworld) > 250
    resources = [r for m in realworld.values() for r in m.resources]
    pods = [p for m in realworld.values() for p in m.pods()]
    assert len(resources) > 400
    assert len(pods) > 100
    assert all(r.kind and r.api_version for r in resources)
    assert all(p.containers for p in pods if p.spec.seq("containers"))
