"""Container image references, parsed as Docker's reference grammar reads them.

`[registry/]repository[:tag][@digest]`. The first path component is a registry only when it
contains a dot or a colon, is `localhost`, or has upper-case letters, so `registry:5000/app` has a
registry and no tag, while `library/nginx:1.27` has a tag and no registry.
"""

from __future__ import annotations


class ImageRef:
    __slots__ = ("digest", "raw", "registry", "repository", "tag")

    def __init__(
        self, raw: str, registry: str | None, repository: str, tag: str | None, digest: str | None
    ) -> None:
        self.raw = raw
        self.registry = registry
        self.repository = repository
        self.tag = tag
        self.digest = digest

    @classmethod
    def parse(cls, raw: str) -> ImageRef:
        rest = raw.strip()
        digest = None
        if "@" in rest:
            rest, digest = rest.split("@", 1)
        registry = None
        first, slash, remainder = rest.partition("/")
        if slash and (("." in first) or (":" in first) or first == "localhost" or first.lower() != first):
            registry, rest = first, remainder
        tag = None
        last_slash = rest.rfind("/")
        colon = rest.rfind(":")
        if colon > last_slash:
            rest, tag = rest[:colon], rest[colon + 1 :]
        return cls(raw, registry, rest, tag, digest)

    @property
    def is_scratch(self) -> bool:
        return self.registry is None and self.repository == "scratch" and not self.tag and not self.digest

    @property
    def pinned(self) -> bool:
        """Pinned to something more specific than the default: a tag other than `latest`, or a digest."""
        return bool(self.digest) or (bool(self.tag) and self.tag != "latest")

    def __repr__(self) -> str:
        return (
            f"ImageRef(registry={self.registry!r}, repository={self.repository!r}, "
            f"tag={self.tag!r}, digest={self.digest!r})"
        )
