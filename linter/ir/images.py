"""Container image references, parsed as Docker's reference grammar reads them.

`[registry/]repository[:tag][@digest]`. The first path component is a registry only when it
contains a dot or a colon, is `localhost`, or has upper-case letters, so `registry:5000/app` has a
registry and no tag, while `library/nginx:1.27` has a tag and no registry.

`ImageRef.parse` splits any text into those parts; `ImageRef.problem` says whether the result is
a reference Docker accepts, following the grammar of github.com/distribution/reference.
"""

from __future__ import annotations

import re

# The distribution/reference grammar (regexp.go). `\w` there is ASCII only, hence re.ASCII.
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
DOMAIN = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?"
PATH_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*"
PATH = rf"{PATH_COMPONENT}(?:/{PATH_COMPONENT})*"
TAG = r"[\w][\w.-]{0,127}"
DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"
NAME_MAX = 255  # NameTotalLengthMax: registry and repository together

NOT_LOWERCASE = "the repository name must be lowercase"
NO_TAG = "has no tag or digest"
LATEST = "uses the mutable 'latest' tag"


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
    def problem(self) -> str | None:
        """Why Docker would refuse this reference (`invalid reference format`), or None when the
        grammar accepts it. Upper case in the repository gives NOT_LOWERCASE, and only when the
        reference is otherwise valid, so that a caller may choose to tolerate it."""
        if any(c.isspace() for c in self.raw):
            return "it contains whitespace"
        if not self.repository:
            return "the repository name is empty"
        if self.registry is not None and not re.fullmatch(DOMAIN, self.registry, re.ASCII):
            return f"{self.registry!r} is not a valid registry host"
        if self.tag is not None and not re.fullmatch(TAG, self.tag, re.ASCII):
            return f"{self.tag!r} is not a valid tag" if self.tag else "the tag is empty"
        if self.digest is not None and not re.fullmatch(DIGEST, self.digest, re.ASCII):
            return f"{self.digest!r} is not a valid digest (algorithm:hex)"
        if len(self.repository) + (len(self.registry) + 1 if self.registry else 0) > NAME_MAX:
            return f"the name is longer than {NAME_MAX} characters"
        if not re.fullmatch(PATH, self.repository.lower(), re.ASCII):
            return f"{self.repository!r} is not a valid repository name"
        if self.repository.lower() != self.repository:
            return NOT_LOWERCASE
        return None

    @property
    def valid(self) -> bool:
        return self.problem is None

    @property
    def is_scratch(self) -> bool:
        return self.registry is None and self.repository == "scratch" and not self.tag and not self.digest

    @property
    def pinned(self) -> bool:
        """Pinned to something more specific than the default: a tag other than `latest`, or a digest."""
        return bool(self.digest) or (bool(self.tag) and self.tag != "latest")

    @property
    def unpinned_reason(self) -> str | None:
        """None when pinned; otherwise NO_TAG or LATEST, as a finding words it."""
        if self.pinned:
            return None
        return LATEST if self.tag == "latest" else NO_TAG

    def __repr__(self) -> str:
        return (
            f"ImageRef(registry={self.registry!r}, repository={self.repository!r}, "
            f"tag={self.tag!r}, digest={self.digest!r})"
        )
