"""Whole-Dockerfile checks."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from linter.checks import Context, Hit
    from linter.ir.dockerfile import Dockerfile, Stage


def healthcheck_missing(df: Dockerfile, ctx: Context) -> Iterator[Hit]:
    """The final stage (the image that ships) declares no HEALTHCHECK, directly or via ONBUILD."""
    if not df.stages:
        return
    final = df.stages[-1]
    stage: Stage | None = final
    while stage is not None:  # a stage inherits the HEALTHCHECK of the stage it builds on
        if any(i.keyword == "HEALTHCHECK" for i in stage.instructions):
            return
        stage = df.stages[stage.base_stage] if stage.base_stage is not None else None
    yield final.from_instruction.keyword_span, {}


CHECKS = {"healthcheck-missing": healthcheck_missing}
