"""Dockerfile text -> Dockerfile IR, with exact spans.

A small lexer of our own rather than dockerfile-parse: measured here, importing dockerfile-parse
alone costs about 20 ms (1.6 times a bare Python start), and it gives neither columns nor flags
nor heredocs, and it expands unknown variables to empty strings. The lexer follows BuildKit's
parser: parser directives, escape characters, line continuations with comment and blank lines
inside them, heredocs, JSON versus shell form, and ARG expansion in FROM.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from linter.ir.dockerfile import Dockerfile, Flag, Heredoc, Instruction, Scope, Stage
from linter.ir.images import NOT_LOWERCASE, ImageRef
from linter.ir.source import SourceFile, Span

KEYWORDS = frozenset(
    (
        "FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT",
        "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL",
    )
)  # fmt: skip
HEREDOC_KEYWORDS = frozenset(("RUN", "COPY", "ADD"))
# Instructions whose arguments may be a JSON array (exec form); HEALTHCHECK's follows its type word.
JSON_KEYWORDS = frozenset(("RUN", "CMD", "ENTRYPOINT", "SHELL", "COPY", "ADD", "VOLUME"))
DIRECTIVES = frozenset(("syntax", "escape", "check"))
DIRECTIVE = re.compile(r"#\s*([A-Za-z][A-Za-z0-9]*)\s*=\s*(.+?)\s*$")
# A heredoc is a shell word `[fd]<<[-]NAME` (BuildKit's reHeredoc); NAME may be quoted.
HEREDOC_WORD = re.compile(r"(\d*)<<(-?)([^<]+)$")
# ${VAR}, ${VAR:-word}, ${VAR:+word}, $VAR; any other ${...} form (`#`, `%`, `/` patterns) is
# matched as a whole so that it can be treated as unknown rather than left in the text.
VARIABLE = re.compile(
    r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*)|\{[^}]*\})"
)
WORD = re.compile(r"\S+")


class _Logical:
    """A logical line: physical lines joined at continuations, with a map back to positions."""

    __slots__ = ("origins", "starts", "text")

    def __init__(self) -> None:
        self.text = ""
        self.starts: list[int] = []  # offset in text where each segment starts
        self.origins: list[tuple[int, int]] = []  # (line, 0-based column) of each segment

    def add(self, line: int, column0: int, text: str) -> None:
        self.starts.append(len(self.text))
        self.origins.append((line, column0))
        self.text += text

    def position(self, offset: int) -> tuple[int, int]:
        i = max(bisect_right(self.starts, offset) - 1, 0)
        line, col0 = self.origins[i]
        return line, col0 + (offset - self.starts[i]) + 1

    def span(self, start: int, end: int) -> Span:
        line, col = self.position(start)
        if end <= start:
            return Span(line, col, line, col + 1)
        end_line, end_col = self.position(end - 1)
        return Span(line, col, end_line, end_col + 1)


def expand(text: str, scope: Scope, unset_empty: bool = False) -> str | None:
    """Expand `$VAR`, `${VAR}`, `${VAR:-default}` and `${VAR:+alt}` as BuildKit does. Returns None
    when the result depends on a variable whose value is unknown before the build.

    With `unset_empty`, a build without build arguments is what counts: an ARG with no default,
    and a name never declared, are unset (empty), as BuildKit expands them then."""
    unknown = False

    def sub(m: re.Match[str]) -> str:
        nonlocal unknown
        name = m.group(1) or m.group(4)
        if name is None:  # ${VAR#pattern} and the like: its value is not worked out here
            unknown = True
            return ""
        op, word = m.group(2), m.group(3)
        declared = name in scope.values
        value = scope.values.get(name)
        if unset_empty and value is None:
            declared = False
        elif declared and value is None:
            unknown = True
            return ""
        if op in (":-", "-"):
            if value is None or (op == ":-" and value == ""):
                return word or ""
            return value
        if op in (":+", "+"):
            return (word or "") if value is not None and (op == "+" or value != "") else ""
        if not declared and unset_empty:
            return ""
        if not declared:
            # Not declared as ARG or ENV: BuildKit expands it to an empty string, which in a
            # FROM line is almost never what the author meant. Treat it as unknown.
            unknown = True
            return ""
        return value or ""

    out = VARIABLE.sub(sub, text) if "$" in text else text
    return None if unknown else out


def expand_word(word: str, scope: Scope, esc: str = "\\", unset_empty: bool = False) -> str | None:
    """One shell word as BuildKit's lexer reads a FROM image: quotes removed, the escape character
    applied, variables expanded (not inside single quotes). Returns None when the result depends
    on an unknown value; raises ValueError for an unterminated quote or `${`."""
    if "$" not in word and "'" not in word and '"' not in word and esc not in word:
        return word
    out: list[str] = []
    quote = ""
    i, n = 0, len(word)
    while i < n:
        c = word[i]
        if quote == "'":
            if c == "'":
                quote = ""
            else:
                out.append(c)
        elif c == "'" and not quote:
            quote = c
        elif c == '"':
            quote = "" if quote else c
        elif c == esc and i + 1 < n and (not quote or word[i + 1] in ('"', "$", esc)):
            # Outside quotes the escape character takes the next one literally; inside double
            # quotes only before `"`, `$` and itself (BuildKit's processDoubleQuote).
            i += 1
            out.append(word[i])
        elif c == "$" and word.startswith("${", i) and "}" not in word[i:]:
            raise ValueError("unterminated variable")
        elif c == "$" and (m := VARIABLE.match(word, i)) is not None:
            value = expand(m.group(), scope, unset_empty)
            if value is None:
                return None
            out.append(value)
            i = m.end()
            continue
        else:
            out.append(c)
        i += 1
    if quote:
        raise ValueError("unterminated quote")
    return "".join(out)


def _split_assignments(args: str, keyword: str = "ARG") -> list[tuple[str, str | None]]:
    """`ARG A=1 B` / `ENV A=1 B="x y"` -> [(name, value or None)]. Quotes are removed.

    ENV and LABEL also have the legacy form `ENV NAME the value`: when the first word has no `=`,
    the rest of the line is the value of that one name (BuildKit's parseNameVal)."""
    if keyword != "ARG":
        first = WORD.match(args)
        if first is not None and "=" not in first.group():
            rest = args[first.end() :].strip()
            return [(_shell_words(first.group(), split=False)[0], _shell_words(rest, split=False)[0])]
    out: list[tuple[str, str | None]] = []
    for word in _shell_words(args):
        name, eq, value = word.partition("=")
        out.append((name, value if eq else None))
    return out


CHECK_OPTIONS = ("skip", "error", "experimental")
# What Go's strconv.ParseBool accepts.
GO_BOOLEANS = frozenset(["1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"])


def check_directive_problem(value: str) -> str | None:
    """Why BuildKit refuses a `# check=` directive (its ParseLintOptions), or None: options are
    `key=value` separated by `;`, the keys skip, error and experimental, and error a boolean."""
    for part in value.strip().split(";"):
        key, eq, val = part.partition("=")
        key = key.strip()
        if not eq:
            return f"invalid check option {part.strip()!r}: options are skip=, error= and experimental="
        if key not in CHECK_OPTIONS:
            return f"invalid check option {key!r}: options are skip=, error= and experimental="
        if key == "error" and val.strip() not in GO_BOOLEANS:
            return f"check option error={val.strip()!r} is not a boolean"
    return None


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def _continues(line: str, esc: str) -> bool:
    """Whether a line continues on the next: it ends with the escape character, not itself escaped.
    BuildKit's regex is `([^E])E[ \\t]*$|^E[ \\t]*$`, so `foo\\\\` does not continue."""
    body = line.rstrip(" \t")
    return body.endswith(esc) and (len(body) == 1 or body[-2] != esc)


def _raw_words(text: str, pos: int) -> list[tuple[int, int]]:
    """(start, end) of each whitespace-separated word of `text` from `pos`, quotes and backslash
    escapes kept inside words, as BuildKit's lexer splits a line to look for heredocs."""
    words: list[tuple[int, int]] = []
    n = len(text)
    i = pos
    while i < n:
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            break
        start, quote = i, ""
        while i < n:
            c = text[i]
            if quote:
                if c == quote:
                    quote = ""
                elif c == "\\" and quote == '"' and i + 1 < n:
                    i += 1
            elif c.isspace():
                break
            elif c in "\"'":
                quote = c
            elif c == "\\" and i + 1 < n:
                i += 1
            i += 1
        words.append((start, i))
    return words


def _shell_words(text: str, split: bool = True, esc: str = "\\") -> list[str]:
    """Shell-like words with quotes and escapes removed (`esc` is the Dockerfile's escape
    character, `\\` or a backtick); with `split=False`, the whole text as one word (whitespace
    kept)."""
    words: list[str] = []
    cur: list[str] = []
    quote = ""
    in_word = False
    i = 0
    while i < len(text):
        c = text[i]
        if quote:
            if c == quote:
                quote = ""
            elif c == esc and quote == '"' and i + 1 < len(text):
                i += 1
                cur.append(text[i])
            else:
                cur.append(c)
        elif c in "\"'":
            quote = c
            in_word = True
        elif c.isspace() and split:
            if in_word:
                words.append("".join(cur))
                cur, in_word = [], False
        elif c == esc and i + 1 < len(text):
            i += 1
            cur.append(text[i])
            in_word = True
        else:
            cur.append(c)
            in_word = True
        i += 1
    if in_word or not split:
        words.append("".join(cur))
    return words


class _Parser:
    def __init__(self, source: SourceFile) -> None:
        self.source = source
        lines = source.lines
        if lines and lines[0].startswith("\ufeff"):
            # A byte-order mark is not part of the first line (BuildKit drops it; so do editors).
            lines = [lines[0][1:], *lines[1:]]
        self.lines = lines
        self.df = Dockerfile(source)
        # Each FROM's logical line and where its arguments start in it, for the alias span.
        self._from_text: dict[int, tuple[_Logical, int]] = {}

    def parse(self) -> Dockerfile:
        lines = self.lines
        n = len(lines)
        i = self._directives()
        comments: list[tuple[int, str]] = []
        while i < n:
            line = lines[i]
            stripped = line.strip()
            if not stripped:
                comments = []
                i += 1
                continue
            if stripped.startswith("#"):
                comments.append((i + 1, line))
                self.df.comments.append((i + 1, line))
                i += 1
                continue
            i = self._instruction(i, tuple(comments))
            comments = []
        self._build_stages()
        if not self.df.instructions:
            self.source.problem("dockerfile-syntax", self.source.end_span(), "the file has no instructions")
        return self.df

    def _directives(self) -> int:
        """Parser directives (`# syntax=`, `# escape=`, `# check=`) at the very top. As in
        BuildKit, the first line that is not a known directive (a blank line, another comment, an
        unknown `# name=value`) ends them, and a repeated directive is an error."""
        for i, line in enumerate(self.lines):
            m = DIRECTIVE.match(line.strip())
            if not m or m.group(1).lower() not in DIRECTIVES:
                return i
            name, value = m.group(1).lower(), m.group(2)
            if name in self.df.directives:
                self.source.problem(
                    "dockerfile-syntax",
                    Span(i + 1, 1, i + 1, len(line) + 1),
                    f"only one {name} parser directive can be used",
                )
                return i
            col = line.index(value, line.index("=") + 1) + 1
            self.df.directives[name] = (value, Span(i + 1, col, i + 1, col + len(value)))
            if name == "check":
                bad = check_directive_problem(value)
                if bad:
                    self.source.problem("dockerfile-syntax", Span(i + 1, col, i + 1, col + len(value)), bad)
            if name == "escape":
                if value in ("\\", "`"):
                    self.df.escape = value
                else:
                    self.source.problem(
                        "dockerfile-syntax",
                        Span(i + 1, 1, i + 1, len(line) + 1),
                        f"invalid escape character {value!r}: use '\\' or '`'",
                    )
        return len(self.lines)

    def _instruction(self, i: int, comments: tuple[tuple[int, str], ...]) -> int:
        lines, n, esc = self.lines, len(self.lines), self.df.escape
        logical = _Logical()
        while True:
            line = lines[i]
            if _continues(line, esc):
                logical.add(i + 1, 0, line.rstrip(" \t")[:-1])
                i += 1
                # Comment lines and blank lines inside a continuation are skipped, as BuildKit does.
                while i < n and (not lines[i].strip() or lines[i].lstrip().startswith("#")):
                    i += 1
                if i >= n:
                    break
                continue
            logical.add(i + 1, 0, line)
            i += 1
            break
        text = logical.text
        m = re.match(r"\s*(\S+)\s*", text)
        if m is None:  # only continuation characters
            return i
        raw_kw = m.group(1)
        kw = raw_kw.upper()
        end_line = max(ln for ln, _ in logical.origins)
        span = Span(
            logical.position(m.start(1))[0],
            logical.position(m.start(1))[1],
            end_line,
            len(lines[end_line - 1]) + 1,
        )
        ins, i = self._make(kw, raw_kw, m.start(1), m.end(), logical, span, comments, i)
        if ins is not None:
            self.df.instructions.append(ins)
        return i

    def _make(
        self,
        kw: str,
        raw_kw: str,
        kw_start: int,
        args_start: int,
        logical: _Logical,
        span: Span,
        comments: tuple[tuple[int, str], ...],
        next_line: int,
    ) -> tuple[Instruction | None, int]:
        text = logical.text
        kw_span = logical.span(kw_start, kw_start + len(raw_kw))
        if kw not in KEYWORDS:
            self.source.problem("dockerfile-syntax", kw_span, f"unknown instruction {raw_kw!r}")
            return None, next_line
        flags, pos = self._flags(logical, args_start) if kw != "ONBUILD" else ([], args_start)
        args = text[pos:].strip()
        args_end = pos + len(text[pos:].rstrip())
        args_span = logical.span(pos, args_end) if args else kw_span
        inner: Instruction | None = None
        json_args: list[str] | None = None
        heredocs: list[Heredoc] = []
        if kw == "ONBUILD":
            m = re.match(r"(\S+)\s*", text[pos:])
            if m is None:
                self.source.problem("dockerfile-syntax", kw_span, "ONBUILD needs an instruction")
            else:
                inner_kw = m.group(1).upper()
                if inner_kw in ("ONBUILD", "FROM", "MAINTAINER"):
                    # BuildKit refuses these too, but they have a rule of their own (hadolint's
                    # DL3043), apart from the other syntax errors.
                    self.source.problem(
                        "dockerfile-onbuild",
                        logical.span(pos, pos + len(m.group(1))),
                        f"{inner_kw} is not allowed inside ONBUILD",
                    )
                else:
                    inner, next_line = self._make(
                        inner_kw, m.group(1), pos, pos + m.end(), logical, span, (), next_line
                    )
        else:
            if kw in JSON_KEYWORDS and args.startswith("["):
                json_args = self._json(args, args_span)
            elif kw == "HEALTHCHECK":
                # `HEALTHCHECK [flags] CMD ["curl", ...]`: the JSON follows the type word.
                words = list(WORD.finditer(args))
                if len(words) > 1 and words[1].group().startswith("["):
                    json_args = self._json(
                        args[words[1].start() :], logical.span(pos + words[1].start(), args_end)
                    )
            # As BuildKit, a JSON-form instruction has no heredocs: `<<` is then only text.
            if kw in HEREDOC_KEYWORDS and json_args is None and "<<" in args:
                next_line = self._heredocs(logical, pos, heredocs, next_line)
            self._validate(kw, args, args_span, kw_span, heredocs)
        ins = Instruction(
            kw,
            raw_kw,
            args,
            tuple(flags),
            json_args,
            span,
            kw_span,
            args_span,
            tuple(heredocs),
            inner,
            comments,
        )
        if args:
            base = pos + (len(text[pos:]) - len(text[pos:].lstrip()))
            ins._positions = lambda offset: logical.position(base + offset)
        if kw == "FROM":
            self._from_text[id(ins)] = (logical, pos)
        return ins, next_line

    def _flags(self, logical: _Logical, pos: int) -> tuple[list[Flag], int]:
        """Leading `--name[=value]` words, as BuildKit's extractBuilderFlags reads them (for every
        instruction): quotes and backslashes are removed from a flag, and a bare `--` ends the
        flags. Returns the flags and where the arguments start."""
        text, n = logical.text, len(logical.text)
        flags: list[Flag] = []
        while True:
            while pos < n and text[pos].isspace():
                pos += 1
            if not text.startswith("--", pos):
                return flags, pos
            start, quote = pos, ""
            word: list[str] = []
            while pos < n:
                c = text[pos]
                if quote:
                    if c == quote:
                        quote = ""
                    elif c == "\\" and pos + 1 < n:
                        pos += 1
                        word.append(text[pos])
                    else:
                        word.append(c)
                elif c.isspace():
                    break
                elif c in "\"'":
                    quote = c
                elif c == "\\" and pos + 1 < n:
                    pos += 1
                    word.append(text[pos])
                else:
                    word.append(c)
                pos += 1
            flag = "".join(word)
            if flag == "--":
                while pos < n and text[pos].isspace():
                    pos += 1
                return flags, pos
            name, eq, value = flag[2:].partition("=")
            flags.append(Flag(name, value if eq else None, logical.span(start, pos)))

    def _json(self, args: str, span: Span) -> list[str] | None:
        import json

        try:
            # Go's decoder has no NaN or Infinity: such text is no JSON, so shell form.
            value = json.loads(args, parse_constant=_no_constant)
        except ValueError:
            return None  # not JSON: BuildKit takes it as shell form
        except RecursionError:
            # Arrays nested past Python's recursion limit: certainly not a list of strings.
            self.source.problem("dockerfile-syntax", span, "a JSON-form argument list must hold only strings")
            return None
        if not isinstance(value, list):
            return None
        if not all(isinstance(v, str) for v in value):
            self.source.problem("dockerfile-syntax", span, "a JSON-form argument list must hold only strings")
            return None
        return value

    def _validate(self, kw: str, args: str, args_span: Span, kw_span: Span, heredocs: list[Heredoc]) -> None:
        problem = self.source.problem
        if not args and kw not in ("CMD", "ENTRYPOINT", "HEALTHCHECK"):
            problem("dockerfile-syntax", kw_span, f"{kw} needs arguments")
            return
        if kw in ("ENV", "LABEL"):
            words = _shell_words(args)
            if words and "=" not in words[0] and len(words) < 2:
                problem("dockerfile-syntax", args_span, f"{kw} {words[0]} has no value")
            elif words and "=" in words[0]:
                for w in words:
                    if "=" not in w:
                        problem("dockerfile-syntax", args_span, f"{kw}: {w!r} is not of the form key=value")
                        break
                    if not w.partition("=")[0]:
                        problem("dockerfile-syntax", args_span, f"{kw}: a name cannot be blank")
                        break

    def _heredocs(self, logical: _Logical, pos: int, out: list[Heredoc], next_line: int) -> int:
        """Heredoc words (`<<EOF`, `<<-EOF`, `<<"EOF"`, `2<<EOF`) in the instruction, and their
        bodies from the lines that follow it, one after the other. A `<<` inside quotes or glued
        to a word (`cat<<EOF`, `$((1<<2))`) is no heredoc, as in BuildKit."""
        lines, n, text = self.lines, len(self.lines), logical.text
        for wstart, wend in _raw_words(text, pos):
            m = HEREDOC_WORD.match(text, wstart, wend)
            if m is None:
                continue
            strip_tabs, rest = m.group(2) == "-", m.group(3)
            delim = _shell_words(rest, split=False)[0]
            quoted = any(q in rest for q in "\"'")
            if not delim:
                continue
            marker = logical.span(wstart, wend)
            start = next_line
            body: list[str] = []
            indents: list[int] = []
            while next_line < n:
                line = lines[next_line]
                next_line += 1
                stripped = line.lstrip("\t") if strip_tabs else line
                if stripped == delim:
                    break
                body.append(stripped)
                indents.append(len(line) - len(stripped))
            else:
                self.source.problem("dockerfile-syntax", marker, f"heredoc {delim!r} is not terminated")
            if next_line > start:
                body_span = Span(start + 1, 1, next_line, len(lines[next_line - 1]) + 1)
            else:  # no line left in the file: point at the marker rather than past the end
                body_span = marker
            out.append(
                Heredoc(
                    delim,
                    "\n".join(body) + "\n" if body else "",
                    strip_tabs,
                    quoted,
                    marker,
                    body_span,
                    tuple(indents),
                )
            )
        return next_line

    def _build_stages(self) -> None:
        df = self.df
        names: dict[str, int] = {}
        stage: Stage | None = None
        for ins in df.instructions:
            if ins.keyword == "FROM":
                stage = self._stage(ins, len(df.stages), names)
                df.stages.append(stage)
                if stage.alias:
                    names.setdefault(stage.alias.lower(), stage.index)
                if stage.base_stage is not None:
                    # A stage built on an earlier stage starts where that stage ended. BuildKit
                    # (dispatchState.init) copies the base stage's state, whose environment holds
                    # its ENVs and also its ARGs (ARGs are inherited by stages based on the stage
                    # that declares them: moby/buildkit#5381; only unrelated stages do not see
                    # them), and then re-applies the ENVs of the base's image config, so an ENV
                    # wins over an ARG of the same name declared after it.
                    base = df.stages[stage.base_stage]
                    stage.scope = base.scope.copy()
                    stage.scope.values.update(base.env.values)
                    stage.env = base.env.copy()
                continue
            if stage is None:
                # Only ARG belongs before the first FROM. BuildKit's parser accepts anything
                # there and fails at build time; that is a rule's business, not a parse error.
                if ins.keyword == "ARG":
                    for name, value in _split_assignments(ins.args):
                        # A global ARG's default may use the global ARGs before it.
                        df.global_args.values[name] = (
                            expand(value, df.global_args) if value is not None else None
                        )
                continue
            ins.stage = stage
            stage.instructions.append(ins)
            if ins.keyword == "ENV":
                # Every pair of one ENV is expanded against the scope from before the instruction:
                # `ENV A=2 B=$A` gives B the earlier A (BuildKit expands the whole instruction,
                # then applies it).
                before = stage.scope.copy()
                for name, value in _split_assignments(ins.args, "ENV"):
                    expanded = expand(value, before) if value is not None else None
                    stage.scope.values[name] = expanded
                    stage.env.values[name] = expanded
            elif ins.keyword == "ARG":
                # BuildKit (since v0.14, moby/buildkit#4856) expands each ARG default in turn,
                # after the pairs before it in the same instruction are declared: in
                # `ARG A=2 B=$A`, B is 2. (The classic builder expanded the whole instruction
                # first, as for ENV.)
                for name, value in _split_assignments(ins.args):
                    if value is None:
                        # A re-declared global ARG takes the global default, already expanded.
                        stage.scope.values[name] = df.global_args.values.get(name)
                    else:
                        stage.scope.values[name] = expand(value, stage.scope)

    def _stage(self, ins: Instruction, index: int, names: dict[str, int]) -> Stage:
        logical, pos = self._from_text[id(ins)]
        found = list(WORD.finditer(logical.text, pos))
        words = [w.group() for w in found]
        image_word = words[0] if words else None
        image_span = logical.span(found[0].start(), found[0].end()) if found else None
        alias = alias_span = None
        if len(words) >= 3 and words[1].lower() == "as":
            alias = words[2]
            alias_span = logical.span(found[2].start(), found[2].end())
        if words and (len(words) not in (1, 3) or (len(words) == 3 and alias is None)):
            self.source.problem(
                "dockerfile-syntax", ins.args_span, "FROM takes an image and an optional 'AS name'"
            )
        platform_flag = ins.flag("platform")
        text: str | None = None
        invalid: str | None = None
        if image_word:
            try:
                text = expand_word(image_word, self.df.global_args, self.df.escape)
            except ValueError as e:
                invalid = str(e)
        base_stage = names.get(text.lower()) if text else None
        image = None
        if text is not None and base_stage is None:
            ref = ImageRef.parse(text)
            # Upper case in the repository is tolerated: Docker refuses it, but real files
            # (checkov's fixtures, `FROM baseImage`) use it, and such a name is still a base
            # image that the pinning rules can judge.
            problem = ref.problem
            invalid = None if problem == NOT_LOWERCASE else problem
            image = None if ref.is_scratch or invalid else ref
        if invalid and image_span is not None:
            resolved = f" (resolves to {text!r})" if text is not None and text != image_word else ""
            message = f"invalid image reference {image_word!r}{resolved}: {invalid}"
            self.source.problem("dockerfile-syntax", image_span, message)
        stage = Stage(
            index,
            ins,
            image_word,
            image_span,
            text,
            image,
            base_stage,
            alias,
            alias_span,
            platform_flag.value if platform_flag else None,
        )
        return stage


def parse_dockerfile(source: SourceFile) -> Dockerfile:
    return _Parser(source).parse()
