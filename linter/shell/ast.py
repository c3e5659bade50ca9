"""The parsed form of the shell scripts in RUN: scripts, pipelines, simple commands, words and
redirections, each with an exact span in the Dockerfile.

Every node records offsets into its script's `text`; spans are computed from them through the
script's position map, which knows the Dockerfile's continuation lines (shell-form RUN), the
lines of a heredoc body, or the characters of a JSON string (exec form).
"""

from __future__ import annotations

from linter.ir.source import Span

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from linter.ir.dockerfile import Heredoc, Instruction

# The dialects whose scripts are parsed. A script of any other dialect (powershell, cmd, a
# heredoc with a python shebang) is kept with no pipelines and no commands.
POSIX_DIALECTS = frozenset(("sh", "bash", "dash", "ash", "ksh", "zsh"))


class Word:
    """One shell word. `raw` is the source text; `value` has quotes removed and backslash escapes
    resolved, with `$VAR`, `${...}`, `$(...)`, `` `...` `` and `$((...))` kept verbatim.
    `quoted` says that some part of it was quoted or escaped; `has_expansion` that it holds a
    parameter expansion, a command substitution or arithmetic (outside single quotes)."""

    __slots__ = ("end", "has_expansion", "quoted", "raw", "script", "start", "value")

    def __init__(
        self, raw: str, value: str, start: int, end: int, quoted: bool, has_expansion: bool, script: Script
    ) -> None:
        self.raw = raw
        self.value = value
        self.start = start  # offsets into script.text
        self.end = end
        self.quoted = quoted
        self.has_expansion = has_expansion
        self.script = script

    @property
    def span(self) -> Span:
        return self.script.span(self.start, self.end)

    @property
    def literal(self) -> bool:
        """Whether the word's value is known before run time (no expansion in it)."""
        return not self.has_expansion

    def __repr__(self) -> str:
        return f"Word({self.raw!r})"


class Redirect:
    """A redirection: `>file`, `2>&1`, `<<EOF`, `<<<word`, `&>log`. `fd` is the explicit file
    descriptor number, if written; `target` the word after the operator (the delimiter of a
    here-document; None when the operator has no word after it). For a here-document, `heredoc`
    is the Dockerfile heredoc that feeds it, when the script is a RUN's argument line."""

    __slots__ = ("end", "fd", "heredoc", "op", "script", "start", "target")

    def __init__(
        self, op: str, fd: int | None, target: Word | None, start: int, end: int, script: Script
    ) -> None:
        self.op = op
        self.fd = fd
        self.target = target
        self.start = start
        self.end = end
        self.script = script
        self.heredoc: Heredoc | None = None

    @property
    def span(self) -> Span:
        return self.script.span(self.start, self.end)

    def __repr__(self) -> str:
        return f"Redirect({self.op!r}, {self.target!r})"


class Command:
    """A simple command: assignments, words and redirections. `name` is the base name of
    argv[0] (`/usr/bin/apt-get` -> `apt-get`), or "" for a command of assignments only.

    `wrapper` is set on a command seen through a wrapper (`sudo apt-get ...` gives the `sudo`
    command and an `apt-get` command whose wrapper is the `sudo` one); the two share words."""

    __slots__ = ("argv", "assignments", "end", "pipeline", "redirects", "script", "start", "wrapper")

    def __init__(
        self,
        argv: list[Word],
        assignments: list[Word],
        redirects: list[Redirect],
        start: int,
        end: int,
        script: Script,
    ) -> None:
        self.argv = argv
        self.assignments = assignments
        self.redirects = redirects
        self.start = start
        self.end = end
        self.script = script
        self.pipeline: Pipeline = _NO_PIPELINE
        self.wrapper: Command | None = None

    @property
    def name(self) -> str:
        if not self.argv:
            return ""
        value = self.argv[0].value
        return value.rsplit("/", 1)[-1] if "/" in value else value

    @property
    def span(self) -> Span:
        return self.script.span(self.start, self.end)

    @property
    def instruction(self) -> Instruction:
        return self.script.instruction

    def args(self) -> list[Word]:
        return self.argv[1:]

    def options(self) -> list[Word]:
        """The argument words before a `--` that ends the options."""
        out = []
        for w in self.argv[1:]:
            if w.value == "--":
                break
            out.append(w)
        return out

    def has_option(self, *names: str) -> bool:
        """Whether any of `names` (`-y`, `--yes`) is given: short flags may be grouped (`-qy` has
        `-q` and `-y`), `--opt=value` has `--opt`. Options stop at `--`. A group is read up to its
        first character that is not a letter or digit, which starts an attached value
        (`-O/tmp/a.tar` has `-O` only)."""
        shorts = {n[1] for n in names if len(n) == 2 and n[0] == "-" and n[1] != "-"}
        longs = {n for n in names if n.startswith("--")}
        for w in self.options():
            v = w.value
            if v.startswith("--"):
                if v in longs or v.partition("=")[0] in longs:
                    return True
            elif v.startswith("-") and len(v) > 1 and shorts:
                for c in v[1:]:
                    if c in shorts:
                        return True
                    if not c.isalnum():
                        break
        return False

    def option_value(self, *names: str) -> str | None:
        """The value of the first of `names` given: `--opt=value`, `--opt value`, and for short
        names (which the caller lists because they take a value) `-o value` and `-ovalue`. None
        when absent (or given last with no value)."""
        longs = {n for n in names if n.startswith("--")}
        shorts = {n for n in names if len(n) == 2 and n[0] == "-" and n[1] != "-"}
        opts = self.options()
        for i, w in enumerate(opts):
            v = w.value
            if v.startswith("--"):
                key, eq, value = v.partition("=")
                if key in longs:
                    if eq:
                        return value
                    return opts[i + 1].value if i + 1 < len(opts) else None
            elif len(v) >= 2 and v[0] == "-" and v[:2] in shorts:
                if len(v) > 2:
                    return v[2:]
                return opts[i + 1].value if i + 1 < len(opts) else None
        return None

    def word(self, value: str) -> Word | None:
        """The first argument word whose value is `value`."""
        for w in self.argv[1:]:
            if w.value == value:
                return w
        return None

    def __repr__(self) -> str:
        return f"Command({' '.join(w.raw for w in self.argv)!r})"


class Pipeline:
    """Commands joined by `|` or `|&`. `commands` are its simple commands (a compound element such
    as `{ ...; }` or `( ... )` counts in `size` but not in `commands`); `pipes` are the offsets of
    its `|` operators; `operator` is the list operator after it (`&&`, `||`, `;`, `&`, newline)."""

    __slots__ = ("commands", "end", "negated", "operator", "pipes", "script", "size", "start")

    def __init__(self, script: Script, start: int) -> None:
        self.script = script
        self.commands: list[Command] = []
        self.negated = False
        self.start = start
        self.end = start
        self.operator: str | None = None
        self.pipes: list[int] = []
        self.size = 0

    @property
    def span(self) -> Span:
        return self.script.span(self.start, self.end)

    def pipe_span(self, index: int = 0) -> Span:
        """The span of the index-th `|` (or `|&`) of the pipeline."""
        at = self.pipes[index]
        width = 2 if self.script.text.startswith("|&", at) else 1
        return self.script.span(at, at + width)

    def __repr__(self) -> str:
        return f"Pipeline({self.commands!r}, {self.operator!r})"


class Script:
    """One shell script of a RUN: its text, dialect, and what the parser found in it. `heredoc`
    is set when the script is a heredoc body. `pipelines` and `commands` hold those at every
    nesting level, in source order."""

    __slots__ = (
        "_end_position",
        "_position",
        "commands",
        "dialect",
        "errors",
        "heredoc",
        "instruction",
        "pipelines",
        "text",
    )

    def __init__(
        self,
        text: str,
        dialect: str,
        instruction: Instruction,
        position: Callable[[int], tuple[int, int]],
        heredoc: Heredoc | None = None,
        end_position: Callable[[int], tuple[int, int]] | None = None,
    ) -> None:
        self.text = text
        self.dialect = dialect
        self.instruction = instruction
        self.heredoc = heredoc
        self._position = position
        # Where text[:end] ends in the file (exclusive column), when a character may stand for
        # several source characters (a JSON escape); by default just past the last character.
        self._end_position = end_position
        self.pipelines: list[Pipeline] = []
        self.commands: list[Command] = []
        self.errors: list[tuple[Span, str]] = []

    @property
    def is_posix(self) -> bool:
        return self.dialect in POSIX_DIALECTS

    def position(self, offset: int) -> tuple[int, int]:
        """The (line, 1-based column) in the Dockerfile of an offset into `text`."""
        return self._position(max(0, min(offset, len(self.text))))

    def span(self, start: int, end: int) -> Span:
        """The span of text[start:end] (a point at `start` when it is empty)."""
        line, col = self.position(start)
        while end - 1 > start and self.text[end - 1 : end] == "\n":
            end -= 1  # a word that ends with a line continuation ends on its line
        if end <= start:
            return Span(line, col, line, col + 1)
        if self._end_position is not None:
            end_line, end_col = self._end_position(min(end, len(self.text)))
        else:
            end_line, end_col = self.position(end - 1)
            end_col += 1
        if (end_line, end_col) <= (line, col):  # a mapping that is not monotonic: stay valid
            return Span(line, col, line, col + 1)
        return Span(line, col, end_line, end_col)

    def __repr__(self) -> str:
        return f"Script({self.dialect}, {self.text[:40]!r})"


_NO_PIPELINE: Pipeline = None  # type: ignore[assignment]  # replaced by the parser before use
