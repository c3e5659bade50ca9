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
