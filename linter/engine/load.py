"""Reading inputs into SourceFiles and parsing them into their IR, once each.

Files and standard input go through the same path: at most `max-file-size` bytes are kept, and
whatever goes wrong (unreadable, binary, not UTF-8, too large) becomes a problem on the
SourceFile, which a rule (SL001) reports. Nothing here raises on bad input.
"""

from __future__ import annotations

from linter.ir.source import SourceFile, Span

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import BinaryIO

    from linter.ir.dockerfile import Dockerfile
    from linter.ir.kubernetes import Manifest

CHUNK = 1 << 20
HEAD = 65536  # how much of a file is enough to tell what it holds


class Loaded:
    """A source, and the start of its bytes as text for judging what it holds ("" when binary,
    None when nothing could be read)."""

    __slots__ = ("head", "source")

    def __init__(self, source: SourceFile, head: str | None) -> None:
        self.source = source
        self.head = head


def load(path: str, kind: str | None, max_size: int, stream: BinaryIO | None = None) -> Loaded:
    """Read `path` (or `stream`, reported under the name `path`). With `kind` None, the kind is
    decided from the content."""
    what = "the input" if stream is not None else "the file"
    try:
        if stream is None:
            with open(path, "rb") as f:
                data, size = _bounded(f, max_size)
        else:
            data, size = _bounded(stream, max_size)
    except OSError as e:
        source = SourceFile(path, "", kind or "unknown")
        source.problem("unreadable", source.end_span(), f"cannot read {what}: {e.strerror or e}")
        return Loaded(source, None)
    head = "" if b"\0" in data[:8192] else data[:HEAD].decode("utf-8", errors="replace")
    source = SourceFile(path, "", kind or _kind_of(head))
    if size > max_size:
        source.problem(
            "too-large",
            source.end_span(),
            f"{what} is {size / 1048576:.1f} MiB, over the {max_size / 1048576:.0f} MiB "
            "limit (max-file-size); it was not parsed",
        )
    elif not head and data:
        source.problem("binary", source.end_span(), f"{what} is binary, not text")
    else:
        try:
            source.text = data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            line = data[: e.start].count(b"\n") + 1
            col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
            source.problem("encoding", Span.point(line, col), f"{what} is not valid UTF-8 (byte {e.start})")
    return Loaded(source, head)


def _bounded(f: BinaryIO, max_size: int) -> tuple[bytes, int]:
    """At most max_size + 1 bytes, and the total size. The rest of a stream is read and dropped
    (so a writer is not cut off); the rest of a device such as /dev/zero is never read."""
    data = f.read(max_size + 1)
    size = len(data)
    if size > max_size and not f.seekable():
        while chunk := f.read(CHUNK):
            size += len(chunk)
            if size > 64 * max_size:  # an endless stream: stop counting
                break
    elif size > max_size:
        size = max(f.seek(0, 2), size)  # devices report 0
    return data, size


def _kind_of(head: str) -> str:
    from linter.discover import kind_by_content

    return kind_by_content(head)


def parse(source: SourceFile) -> Dockerfile | Manifest | None:
    """Parse a source once into its IR, or None when it could not be read."""
    if source.problems and not source.text:
        return None
    if source.kind == "dockerfile":
        from linter.parsers.dockerfile import parse_dockerfile

        return parse_dockerfile(source)
    from linter.parsers.yaml import parse_manifest

    return parse_manifest(source)
