"""Parallel branches and Map iterations interleaved on the virtual clock.

The service runs the branches of a Parallel state (and the iterations of a Map) at the same
time, and stops all of them as soon as one fails. Running them one after another gets that
wrong whenever an earlier branch never ends: a polling loop in branch 1 would run forever
although branch 2 fails at once and stops it. So each job runs as a coroutine on a worker
thread, and exactly one job runs at any moment: a job runs until it would let virtual time
pass (a Wait, a mocked Task duration, a retry back-off), then hands control back, and the
scheduler resumes whichever job is due first (ties in branch or item order). Nothing ever
runs in parallel, so the history, the trace and the mock responses are consumed in one
deterministic order: the order of the virtual clock. A worker whose job ends within its turn
goes straight on with the next job due at that instant, so threads are only as many as the
jobs that wait at the same time.

A job that never lets time pass (a busy loop of Pass and Choice states) keeps the turn until
it ends or hits the transition limit: on the virtual clock it is still at the instant it
started, before any sibling's later failure.

Nesting composes: a scheduler that itself runs inside a job lets the outer clock advance
through the same hook before it resumes one of its own jobs, so an outer scheduler may stop
the whole inner state at that point.
"""

from __future__ import annotations

import heapq
import threading
from typing import Any, Callable, Optional

_current = threading.local()


class Stopped(BaseException):
    """Raised inside a job that the service would stop (a sibling failed first). It derives
    from BaseException so that no handler inside the job, Retry and Catch included, sees it."""


def pause_until(target: float) -> None:
    """Called by the clock before time moves to ``target``: inside a job, wait for the turn."""
    job = getattr(_current, "job", None)
    if job is not None:
        job.pause(target)


class _Job:
    def __init__(self, index: int, fn: Callable[[], Any], begin: float) -> None:
        self.index = index
        self.fn = fn
        self.wake = begin
        self.worker: Optional[_Worker] = None  # the thread it runs on, from its first turn
        self.stop = False
        self.finished = False
        self.outcome: Optional[tuple] = None  # (end time, exception or None, output)

    def pause(self, target: float) -> None:
        worker = self.worker
        self.wake = target
        worker.scheduler.turn.set()
        worker.wait_for_turn()
        if self.stop:
            raise Stopped()
        worker.scheduler.clock.elapsed = target


class _Worker:
    """A thread that runs jobs one after another. A job that ends within its turn (most do:
    only a Wait, a Task duration or a back-off lets time pass) leaves the thread to the next
    job due at the same instant, without a round trip through the scheduler, so a Map of many
    quick iterations runs on one thread."""

    def __init__(self, scheduler: "Scheduler") -> None:
        self.scheduler = scheduler
        self.job: Optional[_Job] = None
        self.go = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True, name="aslcheck-branch")
        self.thread.start()

    def wait_for_turn(self) -> None:
        self.go.wait()
        self.go.clear()

    def _loop(self) -> None:
        scheduler = self.scheduler
        while True:
            self.wait_for_turn()
            job = self.job
            if job is None:
                return
            while job is not None:
                self._run(job)
                job = scheduler.ended(job)
                if job is not None:
                    job.worker, self.job = self, job
            self.job = None
            scheduler.idle.append(self)
            scheduler.turn.set()

    def _run(self, job: _Job) -> None:
        scheduler = self.scheduler
        clock = scheduler.clock
        scheduler.current = job
        _current.job = job
        try:
            if job.stop:
                raise Stopped()
            clock.elapsed = job.wake
            out = job.fn()
            job.outcome = (clock.elapsed, None, out)
        except scheduler.failures as exc:
            job.outcome = (clock.elapsed, exc, None)
        except Stopped:
            pass
        except BaseException as exc:  # noqa: BLE001 - handed to the scheduler's thread and raised there
            scheduler.crash = exc
        finally:
            _current.job = None
            job.finished = True


class Scheduler:
    """Run ``jobs`` (at most ``limit`` at once) from the clock's current time; see the module doc.

    ``failures`` are the exceptions that end a job as a failure; any other exception (an
    aborted execution, an internal error) stops every job and is raised in the caller. Only
    the thread that holds the turn touches the scheduler's state.
    """

    def __init__(self, clock, failures: tuple) -> None:
        self.clock = clock
        self.failures = failures
        self.turn = threading.Event()
        self.idle: list[_Worker] = []
        self.workers: list[_Worker] = []
        self.ready: list = []  # heap of (wake time, job index, job)
        self.pending: list = []  # (index, fn) not started yet, the next one last
        self.started: list[_Job] = []
        self.current: Optional[_Job] = None
        self.crash: Optional[BaseException] = None
        self.first_failure: Optional[float] = None
        self.stop_on_failure = True
        self.stopping = False
        self.now = 0.0

    def _cut(self, at: float) -> bool:
        return self.stop_on_failure and self.first_failure is not None and at >= self.first_failure

    def _launch(self, at: float) -> None:
        index, fn = self.pending.pop()
        job = _Job(index, fn, at)
        self.started.append(job)
        heapq.heappush(self.ready, (at, index, job))

    def ended(self, job: _Job) -> Optional[_Job]:
        """Book a job that ended (called with the turn); return the next job due now, if any."""
        if self.crash is not None or self.stopping:
            return None
        if job.outcome is not None and job.outcome[1] is not None:
            if self.first_failure is None or job.outcome[0] < self.first_failure:
                self.first_failure = job.outcome[0]
        if self.pending and not self._cut(self.now):
            self._launch(self.now)
        if self.ready and self.ready[0][0] <= self.now and self.ready[0][2].worker is None \
                and not self._cut(self.now):
            return heapq.heappop(self.ready)[2]
        return None

    def _give_turn(self, job: _Job) -> None:
        if job.worker is None:
            job.worker = self.idle.pop() if self.idle else self._new_worker()
            job.worker.job = job
        self.current = job
        self.turn.clear()
        job.worker.go.set()
        self.turn.wait()

    def _new_worker(self) -> _Worker:
        worker = _Worker(self)
        self.workers.append(worker)
        return worker

    def run(self, jobs: list, limit: int | None, stop_on_failure: bool) -> list[tuple]:
        """Returns the ``(end time, exception or None, output)`` of every job that ended, in job
        order; a job that was stopped, or never started because a failure came first, is left out."""
        start = self.now = self.clock.elapsed
        self.stop_on_failure = stop_on_failure
        self.pending = list(enumerate(jobs))
        self.pending.reverse()
        for _ in range(min(limit or len(self.pending), len(self.pending))):
            self._launch(start)
        try:
            while self.ready:
                wake, _, job = heapq.heappop(self.ready)
                if self._cut(wake):
                    break
                if wake > self.now:
                    self.clock.elapsed = self.now
                    self.clock.advance(wake - self.now)  # inside an outer job: the outer clock's turn first
                    self.now = wake
                self._give_turn(job)
                if self.crash is not None:
                    raise self.crash
                last = self.current
                if last is not None and not last.finished:
                    heapq.heappush(self.ready, (last.wake, last.index, last))
        finally:
            self.stopping = True
            for job in self.started:
                if job.worker is not None and not job.finished:
                    job.stop = True
                    self._give_turn(job)
            for worker in self.workers:
                worker.job = None
                worker.go.set()
                worker.thread.join()
            self.clock.elapsed = start
        return [job.outcome for job in sorted(self.started, key=lambda j: j.index) if job.outcome is not None]
