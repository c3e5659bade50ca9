"""Problems the parsers recorded on a file, reported through ordinary rules so that they can be
selected, ignored and re-graded like any other."""

from __future__ import annotations

from linter.checks import Check

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from linter.checks import Context, Hit
    from linter.ir.source import SourceFile


def problems(node: SourceFile, ctx: Context) -> Iterator[Hit]:
    kinds = ctx.params["problem"]
    wanted = {kinds} if isinstance(kinds, str) else set(kinds)  # type: ignore[call-overload]
    for p in node.problems:
        if p.kind in wanted:
            yield p.span, {"detail": p.message}


CHECKS = {
    "problems": Check(
        problems,
        ("file",),
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["problem"],
            "properties": {
                "problem": {
                    "anyOf": [
                        {"type": "string", "minLength": 1},
                        {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
                    ]
                }
            },
        },
    )
}
