"""The Dockerfile IR: a file of stages, each a list of instructions, with exact spans."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from linter.ir.images import ImageRef
    from linter.ir.source import SourceFile, Span


class Flag:
    """An instruction flag such as `--platform=$BUILDPLATFORM` or `--link`."""

    __slots__ = ("name", "span", "value")

    def __init__(self, name: str, value: str | None, span: Span) -> None:
        self.name = name
        self.value = value
        self.span = span


class Heredoc:
    """A here-document attached to RUN, COPY or ADD (`<<EOF`, `<<-EOF`, `<<"EOF"`)."""

    __slots__ = ("body", "body_span", "delimiter", "indents", "quoted", "span", "strip_tabs")

    def __init__(
        self,
        delimiter: str,
        body: str,
        strip_tabs: bool,
        quoted: bool,
        span: Span,
        body_span: Span,
        indents: tuple[int, ...] = (),
    ) -> None:
        self.delimiter = delimiter
        self.body = body
        self.strip_tabs = strip_tabs
        self.quoted = quoted
        self.span = span  # the `<<EOF` marker in the instruction
        self.body_span = body_span  # the body lines, terminator included
        self.indents = indents  # tabs `<<-` removed from each body line

    def position(self, offset: int) -> tuple[int, int]:
        """The (line, 1-based column) in the Dockerfile of an offset into `body`."""
        row = self.body.count("\n", 0, offset)
        start = self.body.rfind("\n", 0, offset) + 1
        indent = self.indents[row] if row < len(self.indents) else 0
        return self.body_span.line + row, offset - start + indent + 1


class Instruction:
    """One instruction. `args` is the argument text with line continuations joined and flags
    removed; `json_args` is set when the arguments are in JSON (exec) form."""

    __slots__ = (
        "_positions",
        "_shell",
        "args",
        "args_span",
        "comments",
        "flags",
        "heredocs",
        "inner",
        "json_args",
        "keyword",
        "keyword_span",
        "raw_keyword",
        "span",
        "stage",
    )

    def __init__(
        self,
        keyword: str,
        raw_keyword: str,
        args: str,
        flags: tuple[Flag, ...],
        json_args: list[str] | None,
        span: Span,
        keyword_span: Span,
        args_span: Span,
        heredocs: tuple[Heredoc, ...] = (),
        inner: Instruction | None = None,
        comments: tuple[tuple[int, str], ...] = (),
    ) -> None:
        self.keyword = keyword
        self.raw_keyword = raw_keyword
        self.args = args
        self.flags = flags
        self.json_args = json_args
        self.span = span
        self.keyword_span = keyword_span
        self.args_span = args_span
        self.heredocs = heredocs
        self.inner = inner  # the wrapped instruction of ONBUILD
        self.comments = comments  # (line, text) of the comment lines directly above
        self.stage: Stage | None = None  # None for ARGs before the first FROM
        # Maps an offset into `args` to its (line, column) in the file; set by the parser.
        self._positions: Callable[[int], tuple[int, int]] | None = None
        self._shell: object = None  # the parsed shell scripts, cached by linter.shell

    def position(self, offset: int) -> tuple[int, int]:
        """The (line, 1-based column) in the Dockerfile of an offset into `args`: continuation
        lines, and the comment lines skipped inside them, are accounted for."""
        if self._positions is None:
            return self.args_span.line, self.args_span.column + offset
        return self._positions(offset)

    @property
    def form(self) -> str:
        return "json" if self.json_args is not None else "shell"

    def flag(self, name: str) -> Flag | None:
        for f in self.flags:
            if f.name == name:
                return f
        return None

    def __repr__(self) -> str:
        return f"Instruction({self.keyword} {self.args!r} @{self.span!r})"


class Scope:
    """Build arguments and environment variables visible at a point. A value of None means the
    variable is declared but its value is unknown until build time (an ARG with no default)."""

    __slots__ = ("values",)

    def __init__(self, values: dict[str, str | None] | None = None) -> None:
        self.values: dict[str, str | None] = dict(values or {})

    def copy(self) -> Scope:
        return Scope(self.values)


class Stage:
    """A build stage: a FROM and the instructions up to the next FROM."""

    __slots__ = (
        "alias",
        "alias_span",
        "base_stage",
        "env",
        "from_instruction",
        "image",
        "image_span",
        "image_text",
        "image_word",
        "index",
        "instructions",
        "platform",
        "scope",
    )

    def __init__(
        self,
        index: int,
        from_instruction: Instruction,
        image_word: str | None,
        image_span: Span | None,
        image_text: str | None,
        image: ImageRef | None,
        base_stage: int | None,
        alias: str | None,
        alias_span: Span | None,
        platform: str | None,
    ) -> None:
        self.index = index
        self.from_instruction = from_instruction
        self.image_word = image_word  # the base as written (continuations joined); None if absent
        self.image_span = image_span  # where that word is, across continuation lines if need be
        self.image_text = image_text  # the base after ARG expansion; None when it has unknowns
        self.image = image  # None for scratch, another stage, or an unresolvable reference
        self.base_stage = base_stage  # index of the stage this one builds on, if any
        self.alias = alias
        self.alias_span = alias_span
        self.platform = platform
        self.instructions: list[Instruction] = []
        self.scope = Scope()  # ARG and ENV values as the stage ends
        self.env = Scope()  # ENV values alone as the stage ends: what its image config holds


class Dockerfile:
    __slots__ = ("comments", "directives", "escape", "global_args", "instructions", "source", "stages")

    def __init__(self, source: SourceFile) -> None:
        self.source = source
        # (line, text) of every comment line the parser reads as a comment, in order: not the
        # parser directives, not lines of heredoc bodies, not comment lines inside a line
        # continuation (those belong to the instruction). Suppressions are read from these.
        self.comments: list[tuple[int, str]] = []
        self.directives: dict[str, tuple[str, Span]] = {}
        self.escape = "\\"
        self.instructions: list[Instruction] = []
        self.global_args = Scope()  # ARGs declared before the first FROM
        self.stages: list[Stage] = []
