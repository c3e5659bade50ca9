"""A recursive-descent parser of POSIX shell (with the bash forms Dockerfiles use), written for
RUN: exact offsets for every word, error recovery, bounded nesting, and speed.

It reads the grammar of the POSIX shell command language: lists (`;`, `&`, newline), and-or lists
(`&&`, `||`), pipelines (`|`, `|&`, `!`), simple commands (assignments, words, redirections),
compound commands (`{ }`, `( )`, if, while, until, for, select, case, `(( ))`, `[[ ]]`) and
function definitions. Words may hold single and double quotes, `$'...'`, backslash escapes,
parameter expansions, `$(...)` and backquoted command substitutions (parsed: their commands are
found too), `$((...))` arithmetic and process substitutions. Here-documents inside a script have
their bodies skipped at the next newline.

A syntax error never raises: it is recorded in `Script.errors`, and parsing resumes after the
next list operator or newline, so the commands after it are still found. Nesting deeper than
MAX_DEPTH is recorded as an error rather than followed, so no input can exhaust the stack.

Plain runs of characters are taken by regular expressions, a chunk at a time: the corpus's 1,451
RUN scripts (500 kB) parse in a few tens of milliseconds (bench/shell_parse.py).
"""

from __future__ import annotations

import re

from linter.shell.ast import Command, Pipeline, Redirect, Script, Word

TYPE_CHECKING = False
if TYPE_CHECKING:
    from linter.ir.source import Span

MAX_DEPTH = 40  # nested constructs ($(...), subshells, groups, if, loops) followed at most
MAX_ERRORS = 20  # after this many syntax errors in one script, the rest is not parsed

# A run of characters that need no attention inside an unquoted word.
_PLAIN = re.compile(r"[^ \t\n;&|<>()'\"\\$`]+")
# Inside double quotes.
_DQ_PLAIN = re.compile(r'[^"\\$`]+')
# Blanks, escaped newlines (line continuations inside a heredoc body) and comments.
_BLANK = re.compile(r"(?:[ \t]+|\\\n)*(?:#[^\n]*)?")
# A redirection operator, with its file descriptor (`2>`) or bash's `{var}>`.
_REDIRECT = re.compile(r"(\d+|\{[A-Za-z_][A-Za-z0-9_]*\})?(<<<|<<-|<<|<&|<>|<|>>|>&|>\||>|&>>|&>)")
# A word that may be a reserved word: plain characters up to a delimiter.
_RESERVED_CANDIDATE = re.compile(r"[^ \t\n;&|<>()'\"\\$`]+")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])?\+?=")
_SPECIAL_PARAMETER = re.compile(r"[0-9@*#?$!-]")

# A word of plain characters only (most words are), after blanks, followed by a delimiter.
_FAST_WORD = re.compile(r"[ \t]*+(?!#)([^ \t\n;&|<>()'\"\\$`]++)(?![^ \t\n;&|<>()])")
_SINGLE_QUOTED = re.compile(r"'[^']*'")
_QUOTED_PART = re.compile(r"'([^']*)'|\"([^\"]*)\"")

RESERVED = frozenset(
    (
        "if", "then", "elif", "else", "fi", "do", "done", "case", "esac", "while", "until", "for",
        "select", "{", "}", "!", "function", "[[", "((",
    )
)  # fmt: skip
# Words that end a list; seen where a command should start, they close the enclosing construct.
# One of them at a position, followed by a delimiter (`((` needs none).
_RESERVED_WORD = re.compile(
    r"\(\(|(?:if|then|elif|else|fi|do|done|case|esac|while|until|for|select|function|\{|\}|!|\[\[)"
    r"(?![^ \t\n;&|<>()])"
)
_CLOSERS = frozenset(("then", "elif", "else", "fi", "do", "done", "esac", "}"))
_THEN = frozenset(("then",))
_IF_PARTS = frozenset(("elif", "else", "fi"))
_FI = frozenset(("fi",))
_DO = frozenset(("do",))
_DONE = frozenset(("done",))
_ESAC = frozenset(("esac",))
_BRACE = frozenset(("}",))
_NOTHING: frozenset[str] = frozenset()

SHELLS = frozenset(("sh", "bash", "dash", "ash", "ksh", "mksh", "zsh"))
_ANSI_C = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "a": "\a",
    "b": "\b",
    "e": "\x1b",
    "E": "\x1b",
    "f": "\f",
    "v": "\v",
}


class _SyntaxError(Exception):
    def __init__(self, pos: int, message: str) -> None:
        super().__init__(message)
        self.pos = pos
        self.message = message


class _Out:
    """What the parsers of one script (and of the ranges nested in it) collect."""

    __slots__ = ("commands", "heredocs", "pipelines", "seq")

    def __init__(self) -> None:
        self.commands: list[tuple[int, int, Command]] = []  # (start, sequence, command)
        self.pipelines: list[tuple[int, int, Pipeline]] = []
        self.heredocs: list[Redirect] = []  # every `<<` / `<<-` redirection, in source order
        self.seq = 0


def parse(script: Script) -> list[Redirect]:
    """Parse `script.text` and fill in its pipelines, commands and errors. Returns the
    here-document redirections (`<<`, `<<-`) in source order."""
    out = _Out()
    _Parser(script, out, 0, len(script.text), 0).run()
    out.commands.sort(key=lambda t: (t[0], t[1]))
    out.pipelines.sort(key=lambda t: (t[0], t[1]))
    script.commands = [c for _, _, c in out.commands]
    script.pipelines = [p for _, _, p in out.pipelines]
    return out.heredocs


class _Parser:
    __slots__ = ("depth", "i", "n", "out", "pending", "s", "script")

    def __init__(self, script: Script, out: _Out, start: int, end: int, depth: int) -> None:
        self.script = script
        self.s = script.text
        self.out = out
        self.i = start
        self.n = end
        self.depth = depth
        self.pending: list[tuple[str, bool]] = []  # here-documents whose bodies follow the next newline

    # -- top level and recovery ------------------------------------------------------------------

    def run(self) -> None:
        errors = self.script.errors
        while True:
            start = self.i
            try:
                self._list(_NOTHING)
                if self.i >= self.n:
                    return
                raise _SyntaxError(self.i, f"unexpected {self._token_text()!r}")
            except _SyntaxError as e:
                if len(errors) < MAX_ERRORS:
                    errors.append((self._error_span(e.pos), e.message))
                if len(errors) >= MAX_ERRORS:
                    return
                self._recover(max(e.pos, start))
                if self.i <= start:
                    self.i = start + 1
                if self.i >= self.n:
                    return

    def _error_span(self, pos: int) -> Span:
        """A one-character span at `pos`, moved back off a line break or the end of the text (a
        span must not end past its line)."""
        s = self.s
        pos = min(pos, len(s) - 1)
        while pos > 0 and s[pos] == "\n":
            pos -= 1
        if pos < 0 or s[pos : pos + 1] in ("", "\n"):
            return self.script.span(max(pos, 0), max(pos, 0))
        return self.script.span(pos, pos + 1)

    def _recover(self, pos: int) -> None:
        """Resume after the next list operator or newline at or after `pos`."""
        s, n = self.s, self.n
        self.pending = []
        while pos < n and s[pos] not in ";&|\n":
            pos += 1
        while pos < n and s[pos] in ";&|\n":
            pos += 1
        self.i = pos

    def _token_text(self) -> str:
        m = _RESERVED_CANDIDATE.match(self.s, self.i, self.n)
        return m.group() if m else self.s[self.i : self.i + 2].strip() or self.s[self.i : self.i + 1]

    # -- lexical helpers ----------------------------------------------------------------------

    def _blank(self) -> None:
        i = self.i
        if i < self.n and self.s[i] in " \t\\#":
            self.i = _BLANK.match(self.s, i, self.n).end()  # type: ignore[union-attr]  # always matches

    def _linebreak(self) -> None:
        """Blanks, comments and newlines; here-document bodies are skipped after a newline."""
        s, n = self.s, self.n
        while True:
            if self.i < n and s[self.i] in " \t\\#":
                self._blank()
            if self.i < n and s[self.i] == "\n":
                self.i += 1
                if self.pending:
                    self._bodies()
                continue
            return

    def _bodies(self) -> None:
        s, n = self.s, self.n
        for delim, strip_tabs in self.pending:
            while self.i < n:
                eol = s.find("\n", self.i, n)
                end = n if eol < 0 else eol
                line = s[self.i : end]
                self.i = end + 1 if eol >= 0 else n
                if (line.lstrip("\t") if strip_tabs else line) == delim:
                    break
        self.pending = []

    def _reserved(self) -> str | None:
        """The reserved word at the current position, if one is there."""
        m = _RESERVED_WORD.match(self.s, self.i, self.n)
        return m.group() if m is not None else None

    def _expect(self, word: str) -> None:
        if self._reserved() != word:
            found = self._token_text() if self.i < self.n else "the end of the script"
            raise _SyntaxError(min(self.i, max(self.n - 1, 0)), f"expected {word!r}, found {found!r}")
        self.i += len(word)

    def _enter(self) -> None:
        if self.depth >= MAX_DEPTH:
            raise _SyntaxError(self.i, "nested too deeply to be analysed")
        self.depth += 1

    # -- grammar ---------------------------------------------------------------------------------

    def _list(self, closers: frozenset[str]) -> None:
        """And-or lists separated by `;`, `&` and newlines, up to a closing word of `closers`, a
        `)`, a `;;` or the end."""
        s = self.s
        while True:
            self._linebreak()
            if self.i >= self.n:
                return
            c = s[self.i]
            if c == ")":
                return
            if c == ";" and self.i + 1 < self.n and s[self.i + 1] in ";&":
                return  # a case item ends
            if c in ";&":
                raise _SyntaxError(self.i, f"unexpected {c!r}: a command is missing")
            word = self._reserved()
            if word is not None and word in _CLOSERS:
                if word in closers:
                    return
                raise _SyntaxError(self.i, f"unexpected {word!r}")
            last = self._and_or()
            if self.i < self.n and s[self.i] in " \t\\#":
                self._blank()
            if self.i >= self.n:
                return
            c = s[self.i]
            if c == ";":
                if self.i + 1 < self.n and s[self.i + 1] in ";&":
                    last.operator = ";"
                    return
                last.operator = ";"
                self.i += 1
            elif c == "&":
                last.operator = "&"
                self.i += 1
            elif c == "\n":
                last.operator = "\n"
            elif c == ")":
                return
            else:
                word = self._reserved()
                if word is not None and word in closers:
                    return  # `fi }`: a closer right after a compound command
                raise _SyntaxError(self.i, f"unexpected {self._token_text()!r}")

    def _and_or(self) -> Pipeline:
        s = self.s
        last = self._pipeline()
        while True:
            i = self.i
            if i < self.n and s[i] in " \t\\#":
                self._blank()
                i = self.i
            if i + 1 < self.n and s[i] == s[i + 1] and s[i] in "&|":
                last.operator = s[i : i + 2]
                self.i += 2
                self._linebreak()
                last = self._pipeline()
            else:
                return last

    def _pipeline(self) -> Pipeline:
        s = self.s
        self._blank()
        p = Pipeline(self.script, self.i)
        if s.startswith("!", self.i) and self._reserved() == "!":
            p.negated = True
            self.i += 1
            self._blank()
        end = self._command(p)
        while True:
            i = self.i
            if i < self.n and s[i] in " \t\\#":
                self._blank()
                i = self.i
            if i < self.n and s[i] == "|" and not s.startswith("||", i):
                p.pipes.append(i)
                self.i += 2 if s.startswith("|&", i) else 1
                self._linebreak()
                end = self._command(p)
            else:
                break
        p.end = end
        out = self.out
        out.seq += 1
        out.pipelines.append((p.start, out.seq, p))
        return p

    def _command(self, p: Pipeline) -> int:
        """One element of a pipeline; returns the offset where it ends."""
        self._blank()
        s = self.s
        if self.i >= self.n:
            raise _SyntaxError(max(self.n - 1, 0), "a command is missing at the end")
        c = s[self.i]
        word = self._reserved()
        if c == "(" or word in ("{", "if", "while", "until", "for", "select", "case", "((", "function"):
            self._enter()
            try:
                self._compound("(" if c == "(" and word != "((" else word or "")
            finally:
                self.depth -= 1
            end = self.i
            end = self._redirects(end)
            p.size += 1
            return end
        if word == "[[":
            return self._conditional(p)
        if word is not None and word in _CLOSERS:
            raise _SyntaxError(self.i, f"unexpected {word!r}")
        return self._simple(p)

    def _compound(self, kind: str) -> None:
        s = self.s
        if kind == "(":
            self.i += 1
            self._list(_NOTHING)
            if self.i >= self.n or s[self.i] != ")":
                raise _SyntaxError(min(self.i, self.n - 1), "expected ')'")
            self.i += 1
        elif kind == "((":
            self.i = self._arithmetic(self.i + 2)
        elif kind == "{":
            self.i += 1
            self._list(_BRACE)
            self._expect("}")
        elif kind == "if":
            self.i += 2
            self._list(_THEN)
            self._expect("then")
            self._list(_IF_PARTS)
            while True:
                word = self._reserved()
                if word == "elif":
                    self.i += 4
                    self._list(_THEN)
                    self._expect("then")
                    self._list(_IF_PARTS)
                elif word == "else":
                    self.i += 4
                    self._list(_FI)
                    self._expect("fi")
                    return
                else:
                    self._expect("fi")
                    return
        elif kind in ("while", "until"):
            self.i += len(kind)
            self._list(_DO)
            self._expect("do")
            self._list(_DONE)
            self._expect("done")
        elif kind in ("for", "select"):
            self._for(kind)
        elif kind == "case":
            self._case()
        elif kind == "function":
            self.i += len("function")
            self._blank()
            self._word()
            self._blank()
            if s.startswith("()", self.i):
                self.i += 2
            elif self.i < self.n and s[self.i] == "(":
                self.i += 1
                self._blank()
                if self.i < self.n and s[self.i] == ")":
                    self.i += 1
            self._linebreak()
            self._command(Pipeline(self.script, self.i))

    def _for(self, kind: str) -> None:
        s = self.s
        self.i += len(kind)
        self._blank()
        if s.startswith("((", self.i):
            self.i = self._arithmetic(self.i + 2)
        else:
            m = _NAME.match(s, self.i, self.n)
            if m is None:
                raise _SyntaxError(min(self.i, self.n - 1), f"expected a variable name after {kind!r}")
            self.i = m.end()
            self._linebreak()
            if s.startswith("in", self.i) and self._is_word_end(self.i + 2):
                self.i += 2
                while True:
                    self._blank()
                    if self.i >= self.n or s[self.i] in ";\n":
                        break
                    if s[self.i] in "&|<>()":
                        raise _SyntaxError(self.i, f"unexpected {s[self.i]!r} in a {kind} list")
                    self._word()
        self._blank()
        if self.i < self.n and s[self.i] == ";":
            self.i += 1
        self._linebreak()
        if self._reserved() == "{":  # bash also takes `for x in y; { ...; }`
            self._command(Pipeline(self.script, self.i))
            return
        self._expect("do")
        self._list(_DONE)
        self._expect("done")

    def _is_word_end(self, i: int) -> bool:
        return i >= self.n or self.s[i] in " \t\n;&|<>()"

    def _case(self) -> None:
        s = self.s
        self.i += 4
        self._blank()
        if self.i >= self.n:
            raise _SyntaxError(self.n - 1, "expected a word after 'case'")
        self._word()
        self._linebreak()
        if not (s.startswith("in", self.i) and self._is_word_end(self.i + 2)):
            raise _SyntaxError(min(self.i, self.n - 1), "expected 'in'")
        self.i += 2
        while True:
            self._linebreak()
            if self.i >= self.n:
                raise _SyntaxError(self.n - 1, "expected 'esac'")
            if self._reserved() == "esac":
                self.i += 4
                return
            if s[self.i] == "(":
                self.i += 1
            while True:  # patterns: `a|b)`
                self._blank()
                if self.i >= self.n:
                    raise _SyntaxError(self.n - 1, "expected ')' after a case pattern")
                if s[self.i] not in "|)":
                    self._word()
                    self._blank()
                if self.i < self.n and s[self.i] == "|":
                    self.i += 1
                    continue
                if self.i < self.n and s[self.i] == ")":
                    self.i += 1
                    break
                raise _SyntaxError(min(self.i, self.n - 1), "expected ')' after a case pattern")
            self._list(_ESAC)
            self._blank()
            for term in (";;&", ";;", ";&"):
                if s.startswith(term, self.i):
                    self.i += len(term)
                    break
            else:
                if self._reserved() != "esac":
                    found = self._token_text() if self.i < self.n else "the end of the script"
                    raise _SyntaxError(min(self.i, self.n - 1), f"expected ';;' or 'esac', found {found!r}")

    def _conditional(self, p: Pipeline) -> int:
        """`[[ ... ]]`: kept as a command named `[[`, its operators as words."""
        s = self.s
        start = self.i
        argv = [self._word_at(self.i, self.i + 2, "[[", "[[", False, False)]
        self.i += 2
        while True:
            self._linebreak()
            if self.i >= self.n:
                raise _SyntaxError(start, "'[[' is not closed by ']]'")
            m = _RESERVED_CANDIDATE.match(s, self.i, self.n)
            if m is not None and m.group() == "]]" and self._is_word_end(m.end()):
                argv.append(self._word_at(self.i, m.end(), "]]", "]]", False, False))
                self.i = m.end()
                break
            for op in ("&&", "||", "<", ">", "(", ")", "!"):
                if s.startswith(op, self.i):
                    argv.append(self._word_at(self.i, self.i + len(op), op, op, False, False))
                    self.i += len(op)
                    break
            else:
                argv.append(self._word())
        end = self._redirects(self.i)
        self._add(p, argv, [], [], start, end)
        return end

    def _redirects(self, end: int) -> int:
        """Redirections after a compound command; returns where the command ends."""
        s = self.s
        while True:
            self._blank()
            if self.i < self.n and s[self.i] in "<>&0123456789{":
                m = _REDIRECT.match(s, self.i, self.n)
                if m is not None and not (s.startswith("(", m.end()) and m.group(2) in ("<", ">")):
                    r = self._redirect(m)
                    end = r.end
                    continue
            return end

    def _simple(self, p: Pipeline) -> int:
        s, n = self.s, self.n
        start = self.i
        argv: list[Word] = []
        assignments: list[Word] = []
        redirects: list[Redirect] = []
        end = start
        fast = _FAST_WORD.match
        script = self.script
        while True:
            m = fast(s, self.i, n)
            if m is not None:
                raw = m.group(1)
                we = m.end()
                if not (we < n and s[we] in "<>" and (raw.isdigit() or raw[0] == "{")):  # not `2>`
                    ws = m.start(1)
                    self.i = end = we
                    word = Word(raw, raw, ws, we, False, False, script)
                    if not argv and "=" in raw and _ASSIGNMENT.match(raw):
                        if raw.endswith("=") and we < n and s[we] == "(":
                            word = self._array(word)  # a=(1 2 3)
                            end = word.end
                        assignments.append(word)
                    else:
                        argv.append(word)
                    continue
            i = self.i
            if i < n and s[i] in " \t\\#":
                self._blank()
                i = self.i
            if i >= n:
                break
            c = s[i]
            if c in "<>&0123456789{":
                m = _REDIRECT.match(s, i, n)
                if m is not None and not (s.startswith("(", m.end()) and m.group(2) in ("<", ">")):
                    r = self._redirect(m)
                    redirects.append(r)
                    end = r.end
                    continue
            if c in ";&|\n)":
                break
            if c == "(":
                if len(argv) == 1 and not assignments and not redirects and not argv[0].quoted:
                    self._function_body()
                    p.size += 1
                    return self.i
                raise _SyntaxError(i, "unexpected '('")
            word = self._word()
            end = word.end
            if not argv and _ASSIGNMENT.match(word.raw):
                if word.raw.endswith("=") and self.i < n and s[self.i] == "(":
                    word = self._array(word)  # a=(1 2 3)
                    end = word.end
                assignments.append(word)
                continue
            argv.append(word)
        if not argv and not assignments and not redirects:
            if self.i >= n:
                raise _SyntaxError(max(n - 1, 0), "a command is missing at the end")
            raise _SyntaxError(self.i, f"unexpected {self._token_text()!r}: a command is missing")
        self._add(p, argv, assignments, redirects, start, end)
        return end

    def _function_body(self) -> None:
        """After `name`, at `(`: `name() compound-command`."""
        s = self.s
        self.i += 1
        self._blank()
        if self.i >= self.n or s[self.i] != ")":
            raise _SyntaxError(min(self.i, self.n - 1), "expected ')' in a function definition")
        self.i += 1
        self._linebreak()
        self._command(Pipeline(self.script, self.i))

    def _array(self, word: Word) -> Word:
        """`name=(...)`: the word is extended to the closing parenthesis."""
        s = self.s
        depth = 0
        i = self.i
        while i < self.n:
            c = s[i]
            if c == "\\":
                i += 2
                continue
            if c in "'\"":
                j = s.find(c, i + 1, self.n)
                i = self.n if j < 0 else j + 1
                continue
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
                if depth == 0:
                    i += 1
                    break
            i += 1
        else:
            raise _SyntaxError(self.i, "unterminated array assignment")
        raw = s[word.start : i]
        self.i = i
        return Word(raw, raw, word.start, i, True, "$" in raw or "`" in raw, self.script)

    def _redirect(self, m: re.Match[str]) -> Redirect:
        s = self.s
        start = self.i
        fd_text, op = m.group(1), m.group(2)
        fd = int(fd_text) if fd_text and fd_text.isdigit() and len(fd_text) < 10 else None
        self.i = m.end()
        self._blank()
        i = self.i
        if i >= self.n or (s[i] in ";&|\n()<>" and not s.startswith(("<(", ">("), i)):
            raise _SyntaxError(min(i, max(self.n - 1, 0)), f"{op!r} needs a word after it")
        target = self._word()
        r = Redirect(op, fd, target, start, target.end, self.script)
        if op in ("<<", "<<-"):
            self.pending.append((target.value, op == "<<-"))
            self.out.heredocs.append(r)
        return r

    def _add(
        self,
        p: Pipeline,
        argv: list[Word],
        assignments: list[Word],
        redirects: list[Redirect],
        start: int,
        end: int,
    ) -> None:
        cmd = Command(argv, assignments, redirects, start, end, self.script)
        cmd.pipeline = p
        p.commands.append(cmd)
        p.size += 1
        out = self.out
        out.seq += 1
        out.commands.append((start, out.seq, cmd))
        if argv:
            self._unwrap(cmd)

    # -- words -----------------------------------------------------------------------------------

    def _word_at(self, start: int, end: int, raw: str, value: str, quoted: bool, exp: bool) -> Word:
        return Word(raw, value, start, end, quoted, exp, self.script)

    def _word(self) -> Word:
        s, n = self.s, self.n
        start = i = self.i
        value: list[str] = []
        quoted = exp = False
        while i < n:
            m = _PLAIN.match(s, i, n)
            if m is not None:
                value.append(m.group())
                i = m.end()
                if i >= n:
                    break
            c = s[i]
            if c == "'":
                j = s.find("'", i + 1, n)
                if j < 0:
                    raise _SyntaxError(i, "unterminated single quote")
                value.append(s[i + 1 : j])
                quoted = True
                i = j + 1
            elif c == '"':
                self.i = i
                exp = self._double_quoted(value) or exp
                i = self.i
                quoted = True
            elif c == "\\":
                if i + 1 >= n:
                    value.append("\\")
                    i += 1
                elif s[i + 1] == "\n":
                    i += 2  # a line continuation
                else:
                    value.append(s[i + 1])
                    quoted = True
                    i += 2
            elif c == "$":
                self.i = i
                q, e = self._dollar(value)
                quoted = quoted or q
                exp = exp or e
                i = self.i
            elif c == "`":
                self.i = i
                self._backquoted(value)
                exp = True
                i = self.i
            elif c in "<>" and i == start and s.startswith("(", i + 1):
                self.i = i + 2
                self._substitution(i)
                value.append(s[i : self.i])
                exp = True
                i = self.i
            else:
                break
        if i == start:
            raise _SyntaxError(min(i, max(n - 1, 0)), f"unexpected {s[i : i + 1]!r}")
        self.i = i
        return Word(s[start:i], "".join(value), start, i, quoted, exp, self.script)

    def _double_quoted(self, value: list[str]) -> bool:
        """At `"`: appends the content's value; returns whether it holds an expansion."""
        s, n = self.s, self.n
        start = self.i
        i = start + 1
        exp = False
        while True:
            m = _DQ_PLAIN.match(s, i, n)
            if m is not None:
                value.append(m.group())
                i = m.end()
            if i >= n:
                raise _SyntaxError(start, "unterminated double quote")
            c = s[i]
            if c == '"':
                self.i = i + 1
                return exp
            if c == "\\":
                nxt = s[i + 1 : i + 2]
                if nxt in ("$", "`", '"', "\\"):
                    value.append(nxt)
                    i += 2
                elif nxt == "\n":
                    i += 2
                else:
                    value.append("\\")
                    i += 1
            elif c == "$":
                self.i = i
                _, e = self._dollar(value, in_quotes=True)
                exp = exp or e
                i = self.i
            else:  # a backquote
                self.i = i
                self._backquoted(value)
                exp = True
                i = self.i

    def _dollar(self, value: list[str], in_quotes: bool = False) -> tuple[bool, bool]:
        """At `$`: appends the expansion verbatim (or the decoded `$'...'`); returns (quoted,
        expansion)."""
        s, n = self.s, self.n
        i = self.i
        nxt = s[i + 1 : i + 2]
        if nxt == "(":
            if s.startswith("((", i + 1):
                end = self._arithmetic(i + 3)
            else:
                self.i = i + 2
                self._substitution(i)
                end = self.i
            value.append(s[i:end])
            self.i = end
            return False, True
        if nxt == "{":
            end = self._braced(i + 2)
            value.append(s[i:end])
            self.i = end
            return False, True
        if nxt == "'" and not in_quotes:
            return self._ansi_c(value), False
        if nxt == '"' and not in_quotes:
            self.i = i + 1
            return True, self._double_quoted(value)
        m = _NAME.match(s, i + 1, n)
        if m is None:
            m = _SPECIAL_PARAMETER.match(s, i + 1, n)
        if m is not None:
            value.append(s[i : m.end()])
            self.i = m.end()
            return False, True
        value.append("$")
        self.i = i + 1
        return False, False

    def _ansi_c(self, value: list[str]) -> bool:
        s, n = self.s, self.n
        start = self.i
        i = start + 2
        out: list[str] = []
        while i < n:
            c = s[i]
            if c == "'":
                value.append("".join(out))
                self.i = i + 1
                return True
            if c == "\\" and i + 1 < n:
                e = s[i + 1]
                if e in _ANSI_C:
                    out.append(_ANSI_C[e])
                    i += 2
                elif e == "x":
                    m = re.compile(r"[0-9A-Fa-f]{1,2}").match(s, i + 2, n)
                    if m is not None:
                        out.append(chr(int(m.group(), 16)))
                        i = m.end()
                    else:
                        out.append("\\x")
                        i += 2
                else:
                    out.append(e)
                    i += 2
                continue
            out.append(c)
            i += 1
        raise _SyntaxError(start, "unterminated $'...' string")

    def _substitution(self, dollar: int) -> None:
        """After `$(` (or `<(`, `>(`): the commands up to the matching `)`."""
        self._enter()
        try:
            self._list(_NOTHING)
        finally:
            self.depth -= 1
        if self.i >= self.n or self.s[self.i] != ")":
            raise _SyntaxError(dollar, "unterminated command substitution")
        self.i += 1

    def _backquoted(self, value: list[str]) -> None:
        """At a backquote: the commands up to the closing one, parsed as a nested range."""
        s, n = self.s, self.n
        start = self.i
        i = start + 1
        while i < n:
            c = s[i]
            if c == "\\":
                i += 2
                continue
            if c == "`":
                break
            i += 1
        else:
            raise _SyntaxError(start, "unterminated backquote")
        self.nested(start + 1, i)
        value.append(s[start : i + 1])
        self.i = i + 1

    def nested(self, start: int, end: int) -> None:
        """Parse text[start:end] as a script of its own (backquotes, `sh -c '...'`), into the same
        output; an error there is recorded and does not stop the enclosing parse."""
        if self.depth >= MAX_DEPTH:
            errors = self.script.errors
            if len(errors) < MAX_ERRORS:
                errors.append((self.script.span(start, start + 1), "nested too deeply to be analysed"))
            return
        _Parser(self.script, self.out, start, end, self.depth + 1).run()

    def _arithmetic(self, i: int) -> int:
        """From just inside `((` / `$((`: the offset just past the matching `))`."""
        s, n = self.s, self.n
        start = i - 2
        depth = 0
        while i < n:
            c = s[i]
            if c == "(":
                depth += 1
            elif c == ")":
                if depth == 0:
                    if i + 1 < n and s[i + 1] == ")":
                        return i + 2
                    raise _SyntaxError(i, "expected '))'")
                depth -= 1
            elif c == "\\":
                i += 1
            i += 1
        raise _SyntaxError(start, "unterminated arithmetic expression")

    def _braced(self, i: int) -> int:
        """From just inside `${`: the offset just past the matching `}`; command substitutions
        inside (`${x:-$(cmd)}`) are parsed."""
        self._enter()
        try:
            return self._braced_end(i)
        finally:
            self.depth -= 1

    def _braced_end(self, i: int) -> int:
        s, n = self.s, self.n
        start = i - 2
        depth = 0
        while i < n:
            c = s[i]
            if c == "}":
                if depth == 0:
                    return i + 1
                depth -= 1
            elif c == "{":
                depth += 1
            elif c == "\\":
                i += 1
            elif c == "'":
                j = s.find("'", i + 1, n)
                if j < 0:
                    break
                i = j
            elif c == '"':
                self.i = i
                self._double_quoted([])
                i = self.i
                continue
            elif c == "$" and s.startswith("$(", i):
                self.i = i
                self._dollar([])
                i = self.i
                continue
            elif c == "`":
                self.i = i
                self._backquoted([])
                i = self.i
                continue
            i += 1
        raise _SyntaxError(start, "unterminated ${...}")

    # -- wrappers --------------------------------------------------------------------------------

    def _unwrap(self, cmd: Command) -> None:
        """A command run by a wrapper (`sudo`, `env`, `nice`, `time`, `xargs`, ...) is also a
        command of its own; a `sh -c '...'` string is parsed as a nested script."""
        for _ in range(8):  # sudo env nice ... : bounded
            name = cmd.name
            if name in SHELLS:
                self._shell_c(cmd)
                return
            rule = WRAPPERS.get(name)
            if rule is None:
                return
            k, assigns = _wrapped_start(cmd.argv, rule)
            if k is None or k >= len(cmd.argv):
                return
            inner = Command(cmd.argv[k:], assigns, cmd.redirects, cmd.argv[k].start, cmd.end, self.script)
            inner.pipeline = cmd.pipeline
            inner.wrapper = cmd
            out = self.out
            out.seq += 1
            out.commands.append((inner.start, out.seq, inner))
            cmd = inner

    def _shell_c(self, cmd: Command) -> None:
        """`sh -c 'script'`: the script string is parsed when it is a literal whose text is its
        value (single quotes, or double quotes without escapes), so that offsets stay exact."""
        argv = cmd.argv
        i = 1
        has_c = False
        while i < len(argv):
            v = argv[i].value
            if len(v) > 1 and v[0] in "-+" and v[-1] in "oO" and not v.startswith("--"):
                i += 2  # -o pipefail, -euxo pipefail
                continue
            if v == "--":
                i += 1
                break
            if len(v) > 1 and v[0] in "-+" and not v.startswith("--"):
                if "c" in v[1:] and v[0] == "-":
                    has_c = True
                i += 1
                continue
            if v.startswith("--"):
                i += 1
                continue
            break
        if not has_c or i >= len(argv):
            return
        w = argv[i]
        raw = w.raw
        inside = raw[1:-1]
        single = raw[0] == raw[-1] == "'" and "'" not in inside
        double = raw[0] == raw[-1] == '"' and not any(q in inside for q in '"\\`')
        if len(raw) >= 2 and (single or double):
            self.nested(w.start + 1, w.end - 1)
        elif not w.quoted and not w.has_expansion and raw == w.value:
            self.nested(w.start, w.end)


def _quoted_word(raw: str, start: int, end: int, script: Script) -> Word:
    """A word of plain, single-quoted and simple double-quoted parts (see _FAST_WORD)."""
    if '"' not in raw:
        value = raw.replace("'", "")
    elif "'" not in raw:
        value = raw.replace('"', "")
    else:
        value = _QUOTED_PART.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), raw)
    exp = "$" in raw and "$" in _SINGLE_QUOTED.sub("", raw)
    return Word(raw, value, start, end, True, exp, script)


# Wrappers: name -> (options that take a value, whether NAME=value words may follow the options,
# how many operands come before the command).
_Wrapper = tuple[frozenset[str], bool, int]
WRAPPERS: dict[str, _Wrapper] = {
    "sudo": (frozenset(("-u", "-g", "-h", "-p", "-C", "-D", "-r", "-t", "-T", "-U", "--user", "--group",
                        "--prompt", "--chdir", "--role", "--type", "--close-from", "--other-user", "--host")),
             True, 0),
    "doas": (frozenset(("-u", "-C")), False, 0),
    "env": (frozenset(("-u", "-C", "-S", "--unset", "--chdir", "--split-string")), True, 0),
    "nice": (frozenset(("-n", "--adjustment")), False, 0),
    "nohup": (frozenset(), False, 0),
    "busybox": (frozenset(), False, 0),
    "time": (frozenset(("-f", "-o", "--format", "--output")), False, 0),
    "timeout": (frozenset(("-k", "-s", "--kill-after", "--signal")), False, 1),
    "xargs": (frozenset(("-a", "-d", "-E", "-I", "-L", "-n", "-P", "-s", "--arg-file", "--delimiter",
                         "--max-args", "--max-procs", "--max-chars", "--max-lines", "--replace",
                         "--eof", "--process-slot-var")),
              False, 0),
    "exec": (frozenset(("-a",)), False, 0),
    "gosu": (frozenset(), False, 1),
    "su-exec": (frozenset(), False, 1),
    "chroot": (frozenset(("--userspec", "--groups")), False, 1),
    "stdbuf": (frozenset(("-i", "-o", "-e")), False, 0),
    "ionice": (frozenset(("-c", "-n", "-p", "-P", "-u")), False, 0),
    "setpriv": (frozenset(("--reuid", "--regid", "--groups", "--inh-caps", "--bounding-set")), False, 0),
}  # fmt: skip


def _wrapped_start(argv: list[Word], rule: _Wrapper) -> tuple[int | None, list[Word]]:
    """The index in argv of the wrapped command, and the NAME=value words before it."""
    takes_value, assignments_ok, operands = rule
    i = 1
    assigns: list[Word] = []
    while i < len(argv):
        v = argv[i].value
        if v == "--":
            i += 1
            break
        if v == "-" or (v.startswith("-") and len(v) > 1):
            key = v.partition("=")[0]
            if key in takes_value and "=" not in v:
                i += 2
            elif len(v) > 2 and not v.startswith("--") and v[:2] in takes_value:
                i += 1  # -uroot
            else:
                i += 1
            continue
        break
    while assignments_ok and i < len(argv) and _ASSIGNMENT.match(argv[i].value):
        assigns.append(argv[i])
        i += 1
    i += operands
    if i >= len(argv):
        return None, assigns
    return i, assigns
