"""Image pinning and provenance: base images in Dockerfiles, container images in manifests."""

from __future__ import annotations

from linter.checks import Check

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from linter.checks import Context, Hit
    from linter.ir.dockerfile import Stage
    from linter.ir.images import ImageRef
    from linter.ir.kubernetes import ContainerView


def _shown(stage: Stage) -> str:
    word = stage.image_word or ""
    text = stage.image_text or word
    return text if text == word else f"{word} (resolves to {text})"


def base_image_untagged(stage: Stage, ctx: Context) -> Iterator[Hit]:
    img = stage.image
    if img is not None and stage.image_span is not None and not img.pinned and img.tag != "latest":
        yield stage.image_span, {"image": _shown(stage)}


def base_image_latest(stage: Stage, ctx: Context) -> Iterator[Hit]:
    img = stage.image
    if img is not None and stage.image_span is not None and not img.pinned and img.tag == "latest":
        yield stage.image_span, {"image": _shown(stage)}


def container_image_unpinned(c: ContainerView, ctx: Context) -> Iterator[Hit]:
    img = c.image
    if img is None:
        return
    reason = img.unpinned_reason
    if reason:
        node = c.node.get("image")
        assert node is not None
        yield node.span, {"image": img.raw, "reason": reason}


def container_image_no_digest(c: ContainerView, ctx: Context) -> Iterator[Hit]:
    """The image names no digest, so what a tag points at can change under the same manifest."""
    img = c.image
    if img is None or img.digest:
        return
    node = c.node.get("image")
    assert node is not None
    yield node.span, {"image": img.raw}


# Docker Hub is the registry of an image reference that names none; its official images live
# under `library/`.
DOCKER_HUB = "docker.io"
_DOCKER_HUB_ALIASES = frozenset(("docker.io", "index.docker.io", "registry-1.docker.io"))


def image_location(img: ImageRef) -> str:
    """`registry/repository` as the runtime pulls it: `nginx` is `docker.io/library/nginx`."""
    registry = (img.registry or DOCKER_HUB).lower()
    repository = img.repository
    if registry in _DOCKER_HUB_ALIASES:
        registry = DOCKER_HUB
        if "/" not in repository:
            repository = f"library/{repository}"
    return f"{registry}/{repository}"


def _allowed_prefix(entry: str) -> str:
    """An allow-list entry as a location prefix: a registry host (`ghcr.io`), or a registry and a
    path below it (`ghcr.io/acme`, `docker.io/library`). Hosts compare case-insensitively, and
    Docker Hub's other host names mean docker.io."""
    host, slash, path = entry.strip().rstrip("/").partition("/")
    host = host.lower()
    if host in _DOCKER_HUB_ALIASES:
        host = DOCKER_HUB
    return f"{host}/{path}" if slash else host


def container_image_registry(c: ContainerView, ctx: Context) -> Iterator[Hit]:
    """The image comes from none of the `registries` (hosts, or hosts with a path). With no
    registries configured, the check does nothing."""
    entries = [str(r) for r in ctx.params.get("registries", ()) if str(r).strip()]  # type: ignore[attr-defined]
    img = c.image
    if not entries or img is None:
        return
    where = image_location(img)
    for entry in entries:
        prefix = _allowed_prefix(entry)
        if where == prefix or where.startswith(prefix + "/"):
            return
    node = c.node.get("image")
    assert node is not None
    yield node.span, {"image": img.raw, "location": where, "registries": ", ".join(entries)}


CHECKS = {
    "base-image-untagged": Check(base_image_untagged, ("stage",)),
    "base-image-latest": Check(base_image_latest, ("stage",)),
    "container-image-unpinned": Check(container_image_unpinned, ("container",)),
    "container-image-no-digest": Check(container_image_no_digest, ("container",)),
    "container-image-registry": Check(
        container_image_registry,
        ("container",),
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["registries"],
            "properties": {"registries": {"type": "array", "items": {"type": "string", "minLength": 1}}},
        },
    ),
}
