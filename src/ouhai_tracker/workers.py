"""Worker processes with a time limit per task, that never outlive the process that started them.

``Pool(size, function, args, depth)`` starts ``size`` processes; ``submit`` queues a task on
the least busy one (up to ``depth`` each, so none waits idle while this process is busy),
``wait`` returns the tasks that finished, failed or ran out of time. A worker past the time
limit on its current task, or one that died (a crash in a C library, the kernel's OOM
killer), is killed and replaced, its task reported and the tasks queued behind it handed to
the new worker: one bad file costs one file.

Each worker asks the kernel to kill it when its parent dies (Linux's PR_SET_PDEATHSIG);
elsewhere a thread in the worker watches for the parent to go. SIGKILL, SIGTERM or SIGHUP of
`tracker import` therefore leaves no worker behind holding the database open.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable
from multiprocessing.connection import wait as wait_for

TIMEOUT = "timeout"  # the problem reported for a task that ran out of time


def _context():
    # fork where there is one: workers start in milliseconds and see the parent's modules.
    return multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)


class _Worker:
    def __init__(self, context, function: Callable, args: tuple) -> None:
        parent_end, child_end = context.Pipe()
        self.process = context.Process(target=_serve, args=(child_end, function, args, os.getpid()), daemon=True)
        self.process.start()
        child_end.close()
        self.connection = parent_end
        self.queue: deque[tuple[int, object]] = deque()  # (position, task) sent; the first is being worked on
        self.started = 0.0  # when the first in the queue began

    def send(self, position: int, task) -> None:
        self.connection.send(task)
        if not self.queue:
            self.started = time.monotonic()
        self.queue.append((position, task))

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.connection.close()


class Pool:
    """``size`` worker processes running ``function(task, *args)``, ``depth`` tasks queued on each."""

    def __init__(self, size: int, function: Callable, args: tuple = (), depth: int = 1) -> None:
        self.size, self.depth = size, depth
        self._start = lambda: _Worker(_context(), function, args)
        self._workers = [self._start() for _ in range(size)]

    def can_take(self) -> bool:
        return any(len(w.queue) < self.depth for w in self._workers)

    def submit(self, position: int, task) -> None:
        """Queue ``task`` on the least busy worker; ``position`` names it in ``wait``."""
        worker = min(self._workers, key=lambda w: len(w.queue))
        try:
            worker.send(position, task)
        except OSError:  # it died while idle: start another
            self._replace(worker).send(position, task)

    def wait(self, timeout: float, at_most: float | None = None) -> list[tuple[int, object, str | None]]:
        """Wait until a task ends or runs out of ``timeout`` seconds (or ``at_most`` seconds have
        passed); (position, result, problem) for each that did. ``problem`` is None for a result,
        TIMEOUT, or why the worker failed."""
        busy = [w for w in self._workers if w.queue]
        if not busy:
            return []
        left = min(w.started for w in busy) + timeout - time.monotonic()
        ready = wait_for([w.connection for w in busy], timeout=max(left if at_most is None else min(left, at_most), 0))
        ended: list[tuple[int, object, str | None]] = []
        for worker in busy:
            if worker.connection in ready:
                ended += self._collect(worker)
            elif time.monotonic() - worker.started >= timeout:
                position, _ = worker.queue.popleft()
                ended.append((position, None, TIMEOUT))
                self._replace(worker)
        return ended

    def _collect(self, worker: _Worker) -> list[tuple[int, object, str | None]]:
        """The results ``worker`` has sent so far (it may be several tasks ahead)."""
        ended: list[tuple[int, object, str | None]] = []
        while worker.queue:
            try:
                if ended and not worker.connection.poll():
                    break
                ok, value = worker.connection.recv()
            except (EOFError, OSError):  # it died: a crash in a C library, the OOM killer …
                worker.process.join(1)
                position, _ = worker.queue.popleft()
                code = worker.process.exitcode
                ended.append((position, None, f"killed by signal {-code}" if code is not None and code < 0
                              else f"exit status {code}"))
                self._replace(worker)
                break
            position, _ = worker.queue.popleft()
            worker.started = time.monotonic()  # the next in its queue begins now, if not before
            ended.append((position, value if ok else None, None if ok else value))
        return ended

    def _replace(self, worker: _Worker) -> _Worker:
        """Kill ``worker`` and start another in its place, with the tasks it had not begun."""
        worker.kill()
        fresh = self._workers[self._workers.index(worker)] = self._start()
        for position, task in worker.queue:
            fresh.send(position, task)
        return fresh

    def close(self) -> None:
        """Stop every worker: idle ones are asked to finish, busy ones are killed."""
        for worker in self._workers:
            if not worker.queue:
                try:
                    worker.connection.send(None)
                except OSError:
                    pass
        deadline = time.monotonic() + 1
        for worker in self._workers:
            if not worker.queue:
                worker.process.join(max(deadline - time.monotonic(), 0))
            worker.kill()
        self._workers = []


def _serve(connection, function: Callable, args: tuple, parent: int) -> None:
    """A worker's loop: tasks in, (ok, result or problem) out, until None or the parent goes."""
    _die_with(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the parent, which stops the workers
    while True:
        try:
            task = connection.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        try:
            connection.send((True, function(task, *args)))
        except Exception as err:  # noqa: BLE001 - reported for this task; the worker goes on
            connection.send((False, f"{type(err).__name__}: {err}"))


def _die_with(parent: int) -> None:
    """End this process when ``parent`` ends, however it ends."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1  # noqa: N806 - the kernel's name
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl failed")
    except (OSError, AttributeError):  # not Linux: watch for the parent instead
        threading.Thread(target=_watch, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # it died before the signal was asked for
        os._exit(1)


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)
