"""Which files to lint, and as what.

Directories are walked for Dockerfiles (`Dockerfile`, `Dockerfile.*`, `Dockerfile-*`,
`*.Dockerfile` and the same forms of `Containerfile`, in any case) and for `*.yaml`, `*.yml` and
`*.json` files that hold Kubernetes objects. The walk honours .gitignore files (from the
repository root down) and skips tool folders such as .git, node_modules and virtualenvs, and Helm
templates (files containing `{{`). A file named on the command line is linted whatever its name:
by name when the name says what it is, else by its content.
"""

from __future__ import annotations

import os
import re
import stat

DOCKERFILE_NAME = re.compile(
    r"(?:dockerfile|containerfile)(?:[.-].*)?|.+\.(?:dockerfile|containerfile)", re.IGNORECASE
)
YAML_SUFFIXES = (".yaml", ".yml", ".json")
SKIP_DIRS = frozenset(
    (
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        ".venv",
        "venv",
        "__pycache__",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
    )
)
_K8S_KEYS = re.compile(r'^\s*(?:-\s+)?"?(apiVersion|kind)"?\s*:', re.MULTILINE)
# The same keys anywhere in a line: compact JSON (`{"apiVersion":"v1","kind":"Pod"}`) and YAML flow
# mappings (`{apiVersion: v1, kind: Pod}`) hold them after a brace or a comma.
_K8S_KEYS_INLINE = re.compile(r'(?:^|[{,])\s*(?:-\s+)?"?(apiVersion|kind)"?\s*:', re.MULTILINE)
# Not Dockerfiles, though their names start like one: BuildKit's per-Dockerfile ignore files
# (`Dockerfile.dockerignore`, `app.Dockerfile.dockerignore`) and documentation.
NOT_DOCKERFILE_SUFFIXES = (*YAML_SUFFIXES, ".md", ".txt", ".dockerignore")
_FROM_LINE = re.compile(r"^\s*FROM\s+\S", re.MULTILINE | re.IGNORECASE)


class Candidate:
    __slots__ = ("explicit", "identity", "kind", "path", "root", "size")

    def __init__(self, path: str, kind: str | None, explicit: bool, root: str | None = None) -> None:
        self.path = path
        self.kind = kind  # "dockerfile", "kubernetes", or None: decide by content
        self.explicit = explicit
        self.root = root  # the folder given on the command line that the walk found it in
        # From the walk's stat of the file, when it made one: the size, and (device, inode) when
        # the file has one name (a hard link's other names are other files to lint, as before).
        self.identity: tuple[int, int] | None = None
        self.size = -1


def nothing_found(folder: str) -> str:
    return f"{folder}: no Dockerfiles or Kubernetes manifests found"


def kind_by_name(name: str) -> str | None:
    base = os.path.basename(name)
    if DOCKERFILE_NAME.fullmatch(base) and not base.lower().endswith(NOT_DOCKERFILE_SUFFIXES):
        return "dockerfile"
    if base.lower().endswith(YAML_SUFFIXES):
        return "kubernetes"
    return None


def kind_by_content(text: str) -> str:
    """For a file whose name says nothing: a Dockerfile if a FROM line comes before anything that
    looks like YAML, else a manifest."""
    f = _FROM_LINE.search(text)
    k = _K8S_KEYS.search(text)
    if f and (not k or f.start() < k.start()):
        return "dockerfile"
    return "kubernetes"


# shiplint's own inputs (a cluster model for `simulate`) look like objects but are not manifests.
_SHIPLINT_INPUT = re.compile(r"""^\s*["']?apiVersion["']?\s*:\s*["']?shiplint/""", re.MULTILINE)


def looks_like_kubernetes(text: str) -> bool:
    """For YAML found by walking: lint only files that hold objects with apiVersion and kind,
    and leave Helm templates (which are not YAML until rendered) and shiplint's own cluster
    models alone."""
    if "{{" in text or _SHIPLINT_INPUT.search(text):
        return False
    keys: set[str] = set()
    for m in _K8S_KEYS_INLINE.finditer(text):
        keys.add(m.group(1))
        if len(keys) == 2:
            return True
    return False


class _GitIgnore:
    """The subset of gitignore semantics that matters for finding files: globs with `*`, `**`,
    `?` and classes, negation, anchoring by a leading or inner slash, and directory-only
    patterns."""

    def __init__(self) -> None:
        self.rules: list[tuple[str, re.Pattern[str], bool, bool]] = []  # (base, regex, negate, dir_only)

    def load(self, folder: str) -> None:
        try:
            with open(os.path.join(folder, ".gitignore"), encoding="utf-8", errors="replace") as f:
                lines = f.read().splitlines()
        except OSError:
            return
        for raw in lines:
            line = raw.rstrip()
            if not line or line.startswith("#"):
                continue
            negate = line.startswith("!")
            if negate:
                line = line[1:]
            dir_only = line.endswith("/")
            line = line.rstrip("/")
            # A slash at the start or in the middle anchors the pattern to the .gitignore's folder.
            anchored = "/" in line
            line = line.lstrip("/")
            if not line:
                continue
            regex = _glob_regex(line, anchored)
            self.rules.append((folder, regex, negate, dir_only))

    def ignored(self, path: str, is_dir: bool) -> bool:
        result = False
        for base, regex, negate, dir_only in self.rules:
            if dir_only and not is_dir:
                continue
            rel = os.path.relpath(path, base)
            if rel.startswith(".."):
                continue
            if regex.match(rel.replace(os.sep, "/")):
                result = not negate
        return result


def _glob_regex(pattern: str, anchored: bool) -> re.Pattern[str]:
    out = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            j = pattern.find("]", i + 1)
            if j == -1:
                out.append(re.escape(c))
            else:
                body = pattern[i + 1 : j].replace("\\", "\\\\")
                out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
                i = j
        else:
            out.append(re.escape(c))
        i += 1
    prefix = "" if anchored else "(?:.*/)?"
    return re.compile(prefix + "".join(out) + "(?:/.*)?$")


def _repo_root(folder: str) -> str | None:
    cur = os.path.abspath(folder)
    while True:
        if os.path.exists(os.path.join(cur, ".git")):
            return cur
        parent = os.path.dirname(cur)
        if parent == cur:
            return None
        cur = parent


def walk(root: str, notes: list[str] | None = None) -> list[Candidate]:
    """The candidates under a folder; folders that cannot be read are added to `notes`."""

    def unreadable(e: OSError) -> None:
        if notes is not None:
            notes.append(f"{e.filename}: cannot read the folder: {e.strerror}")

    ignore = _GitIgnore()
    top = _repo_root(root)
    absolute = os.path.abspath(root)
    if top is not None:  # .gitignore files above the folder being walked apply to it too
        chain = []
        cur = absolute
        while True:
            chain.append(cur)
            if cur == top:
                break
            cur = os.path.dirname(cur)
        for folder in reversed(chain[1:]):
            ignore.load(folder)
    found: list[Candidate] = []
    for folder, dirs, files in os.walk(root, onerror=unreadable):
        if top is not None:
            ignore.load(os.path.abspath(folder))
        dirs[:] = sorted(
            d
            for d in dirs
            if d not in SKIP_DIRS and not ignore.ignored(os.path.abspath(os.path.join(folder, d)), True)
        )
        for name in sorted(files):
            kind = kind_by_name(name)
            if kind is None:
                continue
            path = os.path.join(folder, name)
            if top is not None and ignore.ignored(os.path.abspath(path), False):
                continue
            try:
                info = os.stat(path)
            except OSError:  # kept, so that reading it reports why
                found.append(Candidate(path, kind, False, root))
                continue
            if not stat.S_ISREG(info.st_mode):  # a FIFO, socket or device: opening one can block
                # for ever, and none holds a file to lint
                continue
            cand = Candidate(path, kind, False, root)
            cand.size = info.st_size
            if info.st_nlink == 1:  # one name only: any path to it resolves to that name
                cand.identity = (info.st_dev, info.st_ino)
            found.append(cand)
    return found


def discover(paths: list[str]) -> tuple[list[Candidate], list[str]]:
    """Candidates in the order given (directories walked in sorted order), and the messages for
    paths that hold nothing to lint. A file reached twice (`shiplint check . Dockerfile`, or `-`
    given twice) is linted once, under the path it was first reached by.

    A folder whose YAML turns out to hold no Kubernetes object is only known to hold nothing once
    its files are read: the caller says so then, with `nothing_found`."""
    out: list[Candidate] = []
    notes: list[str] = []
    seen: set[object] = set()

    def add(cand: Candidate) -> None:
        # The same file by another path (a symlink, `./`) is the same: for a file with one name,
        # its (device, inode) says so without resolving the path; else its real path does.
        key: object = cand.path
        if cand.identity is not None:
            key = cand.identity
        elif cand.path != "-":
            try:
                info = os.stat(cand.path)
                single = info.st_nlink == 1
            except OSError:
                single = False
            key = (info.st_dev, info.st_ino) if single else os.path.realpath(cand.path)
        if key not in seen:
            seen.add(key)
            out.append(cand)

    for p in paths:
        if p == "-":
            add(Candidate("-", None, True))
        elif os.path.isdir(p):
            found = walk(p, notes)
            if not found:
                notes.append(nothing_found(p))
            for cand in found:
                add(cand)
        else:
            # A missing or unreadable file is an SL001 finding (an error), as ruff reports E902:
            # the other files are linted and reported, and the run fails at the default threshold.
            add(Candidate(p, kind_by_name(p), True))
    return out, notes
