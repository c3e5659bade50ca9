"""Image pinning: base images in Dockerfiles, container images in manifests."""

from __future__ import annotations

from linter.checks import Check

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from linter.checks import Context, Hit
    from linter.ir.dockerfile import Stage
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


CHECKS = {
    "base-image-untagged": Check(base_image_untagged, ("stage",)),
    "base-image-latest": Check(base_image_latest, ("stage",)),
    "container-image-unpinned": Check(container_image_unpinned, ("container",)),
}
