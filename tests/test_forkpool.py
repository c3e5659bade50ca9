"""The process pool of `check`: results in task order, a failing task or a dead worker reported
as that task's result, and no worker left behind."""

from __future__ import annotations

import os
import signal

import pytest

from linter import forkpool

pytestmark = pytest.mark.skipif(not forkpool.available(), reason="needs os.fork")


def _square(n: int) -> int:
    return n * n


def _fails_on_three(n: int) -> int:
    if n == 3:
        raise ValueError("three")
    return n


def _dies_on_two(n: int) -> int:
    if n == 2:
        os.kill(os.getpid(), signal.SIGKILL)
    return n


def _worker_flag(n: int) -> tuple[int, bool]:
    return os.getpid(), forkpool.IN_WORKER


def _children() -> set[int]:
    """The live child processes of this one (Linux /proc), zombies excluded."""
    out = set()
    me = str(os.getpid())
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == me and fields[0] != "Z":
            out.add(int(entry))
    return out


def test_results_come_in_task_order() -> None:
    tasks = list(range(40))
    got = list(forkpool.run(_square, tasks, 3))
    assert got == [(n, n * n) for n in tasks]


def test_a_task_that_raises_is_its_result_and_the_others_go_on() -> None:
    got = dict(forkpool.run(_fails_on_three, [1, 2, 3, 4, 5], 2))
    assert isinstance(got[3], RuntimeError) and "ValueError: three" in str(got[3])
    assert [got[n] for n in (1, 2, 4, 5)] == [1, 2, 4, 5]


def test_a_dead_worker_fails_its_task_only() -> None:
    got = dict(forkpool.run(_dies_on_two, [1, 2, 3, 4, 5, 6], 2))
    assert isinstance(got[2], forkpool.WorkerLost)
    assert [got[n] for n in (1, 3, 4, 5, 6)] == [1, 3, 4, 5, 6]


def test_every_worker_dead_fails_the_rest_without_hanging() -> None:
    got = dict(forkpool.run(_dies_on_two, [2, 2, 7], 1))
    assert isinstance(got[2], forkpool.WorkerLost)
    assert isinstance(got[7], forkpool.WorkerLost)


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="reads /proc")
def test_workers_are_separate_processes_and_all_end() -> None:
    before = _children()
    got = [r for _, r in forkpool.run(_worker_flag, list(range(8)), 2)]
    assert all(flag for _, flag in got)
    assert os.getpid() not in {pid for pid, _ in got}
    assert not forkpool.IN_WORKER
    assert _children() == before


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="reads /proc")
def test_stopping_early_ends_the_workers() -> None:
    before = _children()
    results = forkpool.run(_square, list(range(20)), 2)
    assert next(results) == (0, 0)
    results.close()  # the caller gave up (an exception, Ctrl-C): no worker may outlive it
    assert _children() == before


def _dies_on_first_chunk(bounds: tuple[int, int]) -> object:
    if bounds[0] == 0:
        os.kill(os.getpid(), signal.SIGKILL)
    return _REAL_LINT_CHUNK(bounds)


def _real_lint_chunk() -> object:
    from linter import cli

    return cli._lint_chunk


_REAL_LINT_CHUNK = _real_lint_chunk()


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="check lints in one process on one core")
def test_check_reports_the_files_of_a_dead_worker_and_lints_the_rest(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import json
    from pathlib import Path

    from linter import cli

    folder = Path(str(tmp_path))
    for i in range(cli.PARALLEL_MIN_FILES + 6):
        (folder / f"p{i:03d}.yaml").write_text(
            f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p{i}\nspec:\n"
            "  containers:\n    - name: app\n      image: nginx:latest\n"
        )
    monkeypatch.setattr(cli, "_lint_chunk", _dies_on_first_chunk)
    monkeypatch.setenv("SHIPLINT_JOBS", "")
    code = cli.main(["check", "--format", "json", "--select", "KS101", str(folder)])
    out, err = capsys.readouterr()
    assert code == 2
    assert "internal error: not linted: " in err and "p000.yaml and " in err
    linted = {Path(f["path"]).name for f in json.loads(out)["findings"]}
    assert "p000.yaml" not in linted and f"p{cli.PARALLEL_MIN_FILES + 5:03d}.yaml" in linted


def _add(n: int) -> int:
    return n + _STATE["offset"]


def _set_offset(n: int) -> int:
    _STATE["offset"] = n
    return os.getpid()


_STATE = {"offset": 0}


def test_a_broadcast_reaches_every_worker_and_the_largest_go_first() -> None:
    with forkpool.Pool(2) as pool:
        assert list(pool.map(_add, [1, 2, 3], first=[2, 0, 1])) == [(1, 1), (2, 2), (3, 3)]
        pids = pool.broadcast(_set_offset, 100)
        assert len(set(pids)) == 2 and os.getpid() not in pids
        assert [r for _, r in pool.map(_add, list(range(6)))] == [100 + n for n in range(6)]
    assert _STATE["offset"] == 0  # the parent's own state is untouched


def _slow_identity(n: int) -> int:
    import time

    time.sleep(0.05 if n == 1 else 0)
    return n


def test_a_map_left_early_does_not_answer_the_next_one() -> None:
    with forkpool.Pool(2) as pool:
        first = pool.map(_slow_identity, [0, 1, 2, 3])
        assert next(first) == (0, 0)
        first.close()  # while a worker may still be on task 1
        assert list(pool.map(_add, [10, 20, 30, 40])) == [(10, 10), (20, 20), (30, 30), (40, 40)]
        assert pool.broadcast(_set_offset, 0) and len(pool.broadcast(_add, 1)) == 2
