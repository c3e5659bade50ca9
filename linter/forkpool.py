"""A small process pool for `check`: forked workers, tasks and results pickled over pipes.

Why not multiprocessing.Pool: importing and starting it took 30-35 ms on this machine (its
modules, two queues, three threads), about a tenth of a whole run over 250 manifests, all of it
before the first file is linted. And a worker that dies (killed, out of memory) leaves
multiprocessing.Pool waiting for ever; here the tasks it held come back as failures and the run
goes on.

Workers are forked, so they inherit the parent's state (the engine, the parsed definitions):
only the task (a few integers) goes to a worker, and only its result comes back. POSIX only;
the caller runs sequentially where `os.fork` is missing.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import struct

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import Any

# True in a worker process (so that a check does not start processes of its own there).
IN_WORKER = False

_HEADER = struct.Struct("<Q")


class WorkerLost(Exception):
    """A worker ended (or failed to report) while it held a task."""


def available() -> bool:
    return hasattr(os, "fork")


class Pool:
    """Forked workers that run functions (module-level, so that they pickle by name) on tasks:

        with Pool(2) as pool:
            for task, result in pool.map(lint_chunk, chunks): ...
            pool.broadcast(adopt, definitions)  # every worker runs it once

    A result is the exception instead when the task raised (or its worker died). Leaving the
    `with` block ends the workers (they are stopped if it is left by an exception)."""

    def __init__(self, workers: int) -> None:
        from linter.stopping import exit_on_sigterm

        # SIGTERM ends the parent through its `finally` blocks, which stop the workers, rather
        # than leaving them to finish their tasks for nobody (the workers inherit it too).
        self._restore = exit_on_sigterm()
        self._procs: list[_Worker] = []
        try:
            for _ in range(max(1, workers)):
                self._procs.append(_Worker.start(self._procs))
        except BaseException:
            self.close(force=True)
            raise

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, kind: object, value: object, tb: object) -> None:
        self.close(force=kind is not None)

    def close(self, force: bool = False) -> None:
        procs, self._procs = self._procs, []
        for w in procs:  # an idle worker ends when its task pipe closes; a busy one is stopped
            w.stop(force=force or w.task >= 0)
        self._restore()
        self._restore = lambda: None

    def map(
        self, function: Callable[[Any], Any], tasks: list[Any], first: list[int] | None = None
    ) -> Iterator[tuple[Any, Any | BaseException]]:
        """Yield (task, result) for every task, in the order of `tasks`; the workers take them in
        the order of `first` (indices, e.g. the largest first), when given. The first tasks are
        sent at once, so the caller may do something else before it reads the results."""
        import select

        self._drain()
        order = list(range(len(tasks))) if first is None else list(first)
        pending = order[::-1]  # popped from the end
        by_fd = {w.result_fd: w for w in self._procs}
        poller = select.poll()
        for w in self._procs:
            poller.register(w.result_fd, select.POLLIN)
            if pending:
                w.send(function, pending.pop(), tasks)
        return self._collect(function, tasks, pending, by_fd, poller)

    def _collect(
        self,
        function: Callable[[Any], Any],
        tasks: list[Any],
        pending: list[int],
        by_fd: dict[int, _Worker],
        poller: Any,
    ) -> Iterator[tuple[Any, Any | BaseException]]:
        results: dict[int, Any] = {}
        done = 0  # tasks yielded so far, in order
        try:
            while done < len(tasks):
                while done in results:
                    yield tasks[done], results.pop(done)
                    done += 1
                if done == len(tasks):
                    break
                if not self._procs:  # every worker was lost: what is left fails the same way
                    for i in pending:
                        results[i] = WorkerLost("no worker process left")
                    pending = []
                    continue
                for fd, _ in poller.poll():
                    w = by_fd[fd]
                    if w.task < 0:  # an idle worker's pipe closed: nothing to wait for there
                        poller.unregister(fd)
                        continue
                    index = w.task
                    try:
                        results[index] = w.receive()
                    except WorkerLost as e:
                        results[index] = e
                        poller.unregister(fd)
                        self._lose(w)
                        continue
                    if pending:
                        w.send(function, pending.pop(), tasks)
        except GeneratorExit:  # the caller stopped early: let the busy workers finish, unheard
            self._drain()
            raise
        finally:
            # Left by an exception (Ctrl-C): a worker still on a task of this map would answer
            # the next map or broadcast with this one's result. Stop it.
            for w in [w for w in self._procs if w.task >= 0]:
                self._lose(w)

    def broadcast(self, function: Callable[[Any], Any], argument: Any) -> list[Any | BaseException]:
        """Run function(argument) once in every worker; their results."""
        self._drain()
        for w in self._procs:
            w.send(function, 0, [argument])
        out: list[Any] = []
        for w in list(self._procs):
            try:
                out.append(w.receive())
            except WorkerLost as e:
                out.append(e)
                self._lose(w)
        return out

    def _drain(self) -> None:
        """Wait for (and drop) what workers still on a task of an earlier map answer: a map whose
        results were never read, or not all."""
        for w in [w for w in self._procs if w.task >= 0]:
            try:
                w.receive()
            except WorkerLost:
                self._lose(w)

    def _lose(self, w: _Worker) -> None:
        w.stop(force=True)
        self._procs.remove(w)


def run(
    function: Callable[[Any], Any], tasks: list[Any], workers: int
) -> Iterator[tuple[Any, Any | BaseException]]:
    """Yield (task, result) for every task, in the order of `tasks`, computed by `workers` forked
    processes (see Pool.map)."""
    with Pool(min(workers, len(tasks))) as pool:
        yield from pool.map(function, tasks)


class _Worker:
    __slots__ = ("pid", "result_fd", "task", "task_fd")

    def __init__(self, pid: int, task_fd: int, result_fd: int) -> None:
        self.pid = pid
        self.task_fd = task_fd
        self.result_fd = result_fd
        self.task = -1

    @classmethod
    def start(cls, others: list[_Worker]) -> _Worker:
        task_r, task_w = os.pipe()
        result_r, result_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: never returns into the caller's code
            code = 0
            try:
                # Only the parent may hold the other workers' pipes: a copy here would keep their
                # task pipes open, and they would never see the end of their tasks.
                for fd in [task_w, result_r] + [f for w in others for f in (w.task_fd, w.result_fd)]:
                    os.close(fd)
                _serve(task_r, result_w)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        os.close(task_r)
        os.close(result_w)
        return cls(pid, task_w, result_r)

    def send(self, function: Callable[[Any], Any], index: int, tasks: list[Any]) -> None:
        self.task = index
        with contextlib.suppress(OSError):  # the worker is gone: its result pipe says so
            _write(self.task_fd, pickle.dumps((function, tasks[index]), pickle.HIGHEST_PROTOCOL))

    def receive(self) -> Any:
        self.task = -1
        data = _read(self.result_fd)
        if data is None:
            raise WorkerLost("a worker process ended unexpectedly")
        ok, value = pickle.loads(data)
        if ok:
            return value
        return RuntimeError(value)

    def stop(self, force: bool) -> None:
        import signal

        for fd in (self.task_fd, self.result_fd):
            with contextlib.suppress(OSError):
                os.close(fd)
        try:
            if force:  # it may be busy: stop it (its `finally` blocks still run)
                os.kill(self.pid, signal.SIGTERM)
            os.waitpid(self.pid, 0)
        except (ChildProcessError, ProcessLookupError, OSError):
            pass


def _serve(task_fd: int, result_fd: int) -> None:
    global IN_WORKER
    IN_WORKER = True
    while True:
        data = _read(task_fd)
        if data is None:  # the parent closed the pipe: no more tasks
            return
        try:
            function, task = pickle.loads(data)
            reply: tuple[bool, Any] = (True, function(task))
        except Exception as e:
            reply = (False, f"{type(e).__name__}: {e}")
        try:
            payload = pickle.dumps(reply, pickle.HIGHEST_PROTOCOL)
        except Exception as e:  # a result that cannot be pickled is a defect: say which
            payload = pickle.dumps((False, f"{type(e).__name__}: {e}"), pickle.HIGHEST_PROTOCOL)
        _write(result_fd, payload)


def _write(fd: int, payload: bytes) -> None:
    view = memoryview(_HEADER.pack(len(payload)) + payload)
    while view:
        view = view[os.write(fd, view) :]


def _read(fd: int) -> bytes | None:
    """One frame, or None at the end of the pipe."""
    header = _read_exactly(fd, _HEADER.size)
    if header is None:
        return None
    return _read_exactly(fd, _HEADER.unpack(header)[0])


def _read_exactly(fd: int, size: int) -> bytes | None:
    chunks = []
    while size:
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)
