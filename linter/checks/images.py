"""Image pinning: base images in Dockerfiles, container images in manifests."""

from __future__ import annotations

from linter.ir.source import Span

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from linter.checks import Context, Hit
    from linter.ir.dockerfile import Stage
    from linter.ir.images import ImageRef
    from linter.ir.kubernetes import ContainerView


def _image_span(stage: Stage) -> Span:
    """The span of the image word of a FROM line."""
    a = stage.from_instruction.args_span
    word = stage.from_instruction.args.split(None, 1)[0]
    return Span(a.line, a.column, a.line, a.column + len(word))


def _shown(stage: Stage) -> str:
    word = stage.from_instruction.args.split(None, 1)[0]
    text = stage.image_text or word
    return text if text == word else f"{word} (resolves to {text})"


def base_image_untagged(stage: Stage, ctx: Context) -> Iterator[Hit]:
    img = stage.image
    if img is not None and img.tag is None and img.digest is None:
        yield _image_span(stage), {"image": _shown(stage)}


def base_image_latest(stage: Stage, ctx: Context) -> Iterator[Hit]:
    img = stage.image
    if img is not None and img.tag == "latest" and img.digest is None:
        yield _image_span(stage), {"image": _shown(stage)}


def _unpinned_reason(img: ImageRef) -> str | None:
    if img.digest:
        return None
    if img.tag is None:
        return "has no tag or digest"
    if img.tag == "latest":
        return "uses the mutable 'latest' tag"
    return None


def container_image_unpinned(c: ContainerView, ctx: Context) -> Iterator[Hit]:
    img = c.image
    if img is None:
        return
    reason = _unpinned_reason(img)
    if reason:
        node = c.node.get("image")
        assert node is not None
        yield node.span, {"image": img.raw, "reason": reason}


CHECKS = {
    "base-image-untagged": base_image_untagged,
    "base-image-latest": base_image_latest,
    "container-image-unpinned": container_image_unpinned,
}
