"""Whole-Dockerfile checks."""

from __future__ import annotations

from linter.checks import Check

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
    if any(i.keyword == "HEALTHCHECK" for i in final.instructions):
        return
    stage: Stage | None = df.stages[final.base_stage] if final.base_stage is not None else None
    while stage is not None:
        # A stage inherits the HEALTHCHECK of the stage it builds on, and an `ONBUILD HEALTHCHECK`
        # there runs in the stage built on it, which passes it on. (The final stage's own
        # ONBUILD triggers only run in images built from the shipped one.)
        for i in stage.instructions:
            if i.keyword == "HEALTHCHECK" or (i.inner is not None and i.inner.keyword == "HEALTHCHECK"):
                return
        stage = df.stages[stage.base_stage] if stage.base_stage is not None else None
    yield final.from_instruction.keyword_span, {}


CHECKS = {"healthcheck-missing": Check(healthcheck_missing, ("dockerfile",))}
