"""ImageRef: Docker's reference grammar `[registry/]repository[:tag][@digest]`."""

from __future__ import annotations

import pytest

from linter.ir.images import ImageRef

DIGEST = "sha256:" + "a" * 64


@pytest.mark.parametrize(
    ("raw", "registry", "repository", "tag", "digest"),
    [
        ("nginx", None, "nginx", None, None),
        ("nginx:1.27", None, "nginx", "1.27", None),
        ("nginx:latest", None, "nginx", "latest", None),
        ("library/nginx:1.27", None, "library/nginx", "1.27", None),
        # A port makes the first component a registry, not a tag.
        ("registry:5000/app", "registry:5000", "app", None, None),
        ("registry:5000/team/app:2", "registry:5000", "team/app", "2", None),
        ("localhost/app", "localhost", "app", None, None),
        ("localhost:5000/a/b:tag", "localhost:5000", "a/b", "tag", None),
        ("ghcr.io/owner/app:v1", "ghcr.io", "owner/app", "v1", None),
        ("docker.io/library/python:3.12-slim", "docker.io", "library/python", "3.12-slim", None),
        # Upper case in the first component also makes it a registry name.
        ("MyRegistry/app", "MyRegistry", "app", None, None),
        ("team/app", None, "team/app", None, None),
        (f"app@{DIGEST}", None, "app", None, DIGEST),
        (f"app:1.0@{DIGEST}", None, "app", "1.0", DIGEST),
        (f"registry:5000/app@{DIGEST}", "registry:5000", "app", None, DIGEST),
        ("  nginx:1.27  ", None, "nginx", "1.27", None),
    ],
)
def test_parse(raw, registry, repository, tag, digest):
    ref = ImageRef.parse(raw)
    assert (ref.registry, ref.repository, ref.tag, ref.digest) == (registry, repository, tag, digest)
    assert ref.raw == raw


@pytest.mark.parametrize(
    ("raw", "pinned"),
    [
        ("nginx", False),
        ("nginx:latest", False),
        ("registry:5000/app", False),  # the port is no tag
        ("nginx:1.27", True),
        (f"app@{DIGEST}", True),
        (f"app:latest@{DIGEST}", True),  # the digest wins over the moving tag
        ("nginx:", False),  # an empty tag (an ARG that expanded to nothing) pins nothing
    ],
)
def test_pinned(raw, pinned):
    assert ImageRef.parse(raw).pinned is pinned


@pytest.mark.parametrize(
    ("raw", "scratch"),
    [
        ("scratch", True),
        ("scratch:1", False),
        ("myorg/scratch", False),
        ("registry.example/scratch", False),
        (f"scratch@{DIGEST}", False),
    ],
)
def test_is_scratch(raw, scratch):
    assert ImageRef.parse(raw).is_scratch is scratch


def test_repr_names_every_part():
    text = repr(ImageRef.parse(f"registry:5000/app:1@{DIGEST}"))
    assert "registry='registry:5000'" in text
    assert "repository='app'" in text
    assert "tag='1'" in text
    assert DIGEST in text


@pytest.mark.parametrize(
    "raw",
    [
        "nginx",
        "nginx:1.27",
        "library/nginx:1.27-alpine3.20",
        "a__b/c-d.e/f---g:v_1.2-rc.3",
        "registry:5000/team/app:2",
        "localhost:5000/a/b",
        "[::1]:5000/app:1",
        "MyRegistry/app",  # upper case is allowed in the registry host
        "ghcr.io/owner/app:" + "t" * 128,
        f"app:1.0@{DIGEST}",
        "app@sha512:" + "b" * 128,
        "app@sha256+b64u.x-y_z:" + "c" * 32,
    ],
)
def test_valid_references(raw):
    ref = ImageRef.parse(raw)
    assert ref.problem is None
    assert ref.valid


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("${", "'${' is not a valid repository name"),
        (":tag", "the repository name is empty"),
        ("@sha256:abc", "the repository name is empty"),
        ("", "the repository name is empty"),
        ("python 3", "it contains whitespace"),
        (" nginx", "it contains whitespace"),
        ("nginx:", "the tag is empty"),
        ("nginx:bad!tag", "'bad!tag' is not a valid tag"),
        ("nginx:.hidden", "'.hidden' is not a valid tag"),
        ("nginx:" + "t" * 129, f"'{'t' * 129}' is not a valid tag"),
        ("nginx@sha256:abc", "'sha256:abc' is not a valid digest (algorithm:hex)"),
        ("nginx@" + "a" * 64, f"'{'a' * 64}' is not a valid digest (algorithm:hex)"),
        ("reg_istry.io/app", "'reg_istry.io' is not a valid registry host"),
        ("-registry.io/app", "'-registry.io' is not a valid registry host"),
        ("a..b", "'a..b' is not a valid repository name"),
        ("team//app", "'team//app' is not a valid repository name"),
        ("app-", "'app-' is not a valid repository name"),
        ("app___x", "'app___x' is not a valid repository name"),
        ("ünïcode", "'ünïcode' is not a valid repository name"),
        ("r.io/" + "a" * 251, "the name is longer than 255 characters"),
        # Docker refuses upper case in the repository; reported last and apart, so that a caller
        # can tolerate it (the Dockerfile parser does).
        ("baseImage", "the repository name must be lowercase"),
        ("team/MyApp:1", "the repository name must be lowercase"),
    ],
)
def test_invalid_references(raw, problem):
    ref = ImageRef.parse(raw)
    assert ref.problem == problem
    assert not ref.valid


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("nginx", "has no tag or digest"),
        ("registry:5000/app", "has no tag or digest"),
        ("nginx:", "has no tag or digest"),  # agrees with `pinned`
        ("nginx:latest", "uses the mutable 'latest' tag"),
        ("nginx:1.27", None),
        (f"nginx:latest@{DIGEST}", None),
        (f"nginx@{DIGEST}", None),
    ],
)
def test_unpinned_reason(raw, reason):
    ref = ImageRef.parse(raw)
    assert ref.unpinned_reason == reason
    assert (reason is None) is ref.pinned


# --- the checks ----------------------------------------------------------------------------------


def _findings(check, text):
    from linter.checks import Context
    from linter.ir.source import SourceFile
    from linter.parsers.dockerfile import parse_dockerfile

    source = SourceFile("Dockerfile", text, "dockerfile")
    df = parse_dockerfile(source)
    ctx = Context({}, source, df)
    return [(span.astuple(), args["image"]) for stage in df.stages for span, args in check(stage, ctx)]


def test_base_image_finding_spans_the_image_word_across_a_continuation():
    from linter.checks.images import base_image_latest, base_image_untagged

    # The word `busybox` starts at column 6 of line 1 and ends before column 4 of line 2.
    assert _findings(base_image_untagged, "FROM busy\\\nbox AS x\n") == [((1, 6, 2, 4), "busybox")]
    assert _findings(base_image_latest, "FROM --platform=$P \\\n  node:lat\\\nest\n") == [
        ((2, 3, 3, 4), "node:latest")
    ]


def test_base_image_finding_shows_what_an_arg_resolves_to():
    from linter.checks.images import base_image_untagged

    assert _findings(base_image_untagged, "ARG B=python\nFROM ${B} AS x\n") == [
        ((2, 6, 2, 10), "${B} (resolves to python)")
    ]


@pytest.mark.parametrize("text", ["FROM ${\n", "FROM :1\n", "FROM @sha256:abc\n", 'ARG B="a b"\nFROM $B\n'])
def test_invalid_base_image_is_no_pinning_finding(text):
    from linter.checks.images import base_image_latest, base_image_untagged

    assert _findings(base_image_untagged, text) == []
    assert _findings(base_image_latest, text) == []


def test_container_image_reasons():
    from linter.checks import Context
    from linter.checks.images import container_image_unpinned
    from linter.ir.source import SourceFile
    from linter.parsers.yaml import parse_manifest

    images = ["nginx", "'nginx:'", "nginx:latest", "nginx:1.27"]
    text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n" + "".join(
        f"    - name: {name}\n      image: {image}\n" for name, image in zip("abcd", images, strict=True)
    )
    source = SourceFile("pod.yaml", text, "kubernetes")
    manifest = parse_manifest(source)
    assert source.problems == []
    ctx = Context({}, source, manifest)
    found = [
        (c.name, args["reason"])
        for pod in manifest.pods()
        for c in pod.containers
        for _, args in container_image_unpinned(c, ctx)
    ]
    assert found == [
        ("a", "has no tag or digest"),
        ("b", "has no tag or digest"),
        ("c", "uses the mutable 'latest' tag"),
    ]
