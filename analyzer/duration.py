"""Worst-case duration of a state machine: an upper bound, with the states that make it up.

Why a bound and not an estimate: the limit rules need to know whether a path *can* run past
the workflow type's maximum, so every number here errs upwards. What the definition does
not fix (a ``SecondsPath`` Wait, a request-response Task with no ``TimeoutSeconds``, the
number of Map items) is not guessed: it is counted as zero and listed in ``unknown``, so a
message can say what the bound leaves out. A cycle in the flow graph has no static bound;
it makes the bound infinite and is listed in ``loops``.

Per state, as documented for the service:
* Wait: ``Seconds``; the Timestamp forms and ``SecondsPath`` are unknown.
* Task: ``TimeoutSeconds`` per attempt. Without it, callback tasks (``.waitForTaskToken``,
  activities) wait up to the default 99999999 s; other integrations end on their own terms
  and are unknown.
* Retry: every retrier can use all its ``MaxAttempts`` (each keeps its own counter), and
  the n-th retry of a retrier waits ``min(IntervalSeconds * BackoffRate**n, MaxDelaySeconds)``.
* Parallel: the slowest branch. Map: one pass of the processor (the item count is unknown).
* Scope: the longest path from ``StartAt`` over the graph with its cycles condensed.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from analyzer.graph.cfg import strongly_connected
from analyzer.model.nodes import (
    MapState,
    Machine,
    ParallelState,
    Retrier,
    State,
    TaskState,
    WaitState,
)

DEFAULT_TASK_TIMEOUT = 99_999_999
EXPRESS_LIMIT = 300
STANDARD_LIMIT = 365 * 24 * 3600
_CALLBACK = re.compile(r"\.waitForTaskToken$|^arn:[\w-]+:states:[^:]*:[^:]*:activity:")
_HUGE = 1e15  # beyond any limit: treated as unbounded to keep arithmetic finite and cheap


@dataclass(frozen=True)
class Part:
    """One state's share of a bound."""

    pointer: str
    name: str
    seconds: float
    why: str
    assumed: bool = False  # the number is a service default, not something the definition says


@dataclass
class Bound:
    seconds: float = 0.0
    parts: list[Part] = field(default_factory=list)
    unknown: list[Part] = field(default_factory=list)  # seconds is 0; why says what is unknown
    loops: list[tuple[str, ...]] = field(default_factory=list)  # state pointers of unbounded cycles

    @property
    def infinite(self) -> bool:
        return math.isinf(self.seconds)

    def add(self, other: "Bound") -> None:
        self.seconds += other.seconds
        self.parts.extend(other.parts)
        self.unknown.extend(other.unknown)
        self.loops.extend(other.loops)

    def top(self, n: int = 3) -> list[Part]:
        return sorted(self.parts, key=lambda p: (-p.seconds, p.pointer))[:n]


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def retry_delays(retrier: Retrier) -> float:
    """Total wait between attempts if ``retrier`` uses every one of its attempts."""
    attempts = max(retrier.attempts, 0)
    interval = max(float(retrier.interval), 0.0)
    rate = max(float(retrier.backoff), 1.0)
    cap = _number(retrier.max_delay_seconds)
    cap = cap if cap is not None and cap > 0 else math.inf
    total, delay = 0.0, interval
    for k in range(attempts):
        if delay >= cap or k >= 10_000:  # the rest of the schedule waits at most the cap each time
            total += (attempts - k) * min(delay, cap) if math.isfinite(cap) else math.inf
            break
        total += delay
        if total > _HUGE:
            return math.inf
        delay *= rate
    return total


def _retry_cost(state: State, attempt: float | None, why_attempt: str) -> tuple[float, str]:
    """Seconds of all attempts and delays, and how the number was reached."""
    retriers = tuple(getattr(state, "retry", ()))
    extra = sum(max(r.attempts, 0) for r in retriers)
    delays = sum(retry_delays(r) for r in retriers)
    attempts = 1 + extra
    seconds = delays + (attempt or 0.0) * attempts
    pieces = []
    if attempt:
        pieces.append(f"{why_attempt}" + (f" x {attempts} attempts" if attempts > 1 else ""))
    if delays:
        pieces.append(f"{format_seconds(delays)} of retry delays")
    return (math.inf if seconds > _HUGE else seconds), " + ".join(pieces)


class DurationAnalysis:
    """Bounds for one machine; results per scope are cached (a scope is analysed once)."""

    def __init__(self, graph: Any) -> None:
        self.graph = graph
        self._scopes: dict[str, Bound] = {}

    def machine(self) -> Bound:
        return self.scope(self.graph.machine)

    # -- states ---------------------------------------------------------------------
    def state(self, state: State) -> Bound:
        b = Bound()
        label = f"{state.type} {state.name!r}"
        if isinstance(state, WaitState):
            secs = _number(state.seconds)
            if secs is not None:
                if secs > 0:
                    b.seconds = secs
                    b.parts.append(Part(state.pointer, state.name, secs, f"Wait {state.name!r} {format_seconds(secs)}"))
            else:
                what = ("SecondsPath" if "SecondsPath" in state.raw
                        else "a timestamp" if ("Timestamp" in state.raw or "TimestampPath" in state.raw)
                        else "Seconds (not a literal number)")
                b.unknown.append(Part(state.pointer, state.name, 0, f"Wait {state.name!r} ({what})"))
        elif isinstance(state, TaskState):
            attempt, why = self._task_attempt(state)
            if attempt is None:
                b.unknown.append(Part(state.pointer, state.name, 0, f"Task {state.name!r} ({why})"))
            secs, how = _retry_cost(state, attempt, why)
            if secs:
                b.seconds = secs
                b.parts.append(Part(state.pointer, state.name, secs, f"{label}: {how}",
                                    assumed=attempt == DEFAULT_TASK_TIMEOUT and state.timeout_seconds != attempt))
        elif isinstance(state, (ParallelState, MapState)):
            inner = self._nested(state)
            b.unknown.extend(inner.unknown)
            b.loops.extend(inner.loops)
            if isinstance(state, MapState):
                b.unknown.append(Part(state.pointer, state.name, 0,
                                      f"Map {state.name!r} (counted as one pass: the number of items is unknown)"))
            retriers = tuple(getattr(state, "retry", ()))
            attempts = 1 + sum(max(r.attempts, 0) for r in retriers)
            delays = sum(retry_delays(r) for r in retriers)
            b.seconds = inner.seconds * attempts + delays
            if b.seconds > _HUGE:
                b.seconds = math.inf
            suffix = f" (x {attempts} attempts of {state.type} {state.name!r})" if attempts > 1 else ""
            b.parts.extend(Part(p.pointer, p.name, p.seconds * attempts, p.why + suffix, p.assumed)
                           for p in inner.parts)
            if delays:
                b.parts.append(Part(state.pointer, state.name, delays,
                                    f"{label}: {format_seconds(delays)} of retry delays"))
        return b

    def _task_attempt(self, state: TaskState) -> tuple[float | None, str]:
        timeout = _number(state.timeout_seconds)
        if timeout is not None and timeout > 0:
            return timeout, f"TimeoutSeconds {format_seconds(timeout)}"
        if "TimeoutSecondsPath" in state.raw:
            return None, "TimeoutSecondsPath"
        if isinstance(state.resource, str) and _CALLBACK.search(state.resource):
            return float(DEFAULT_TASK_TIMEOUT), "no TimeoutSeconds, so the default 99999999 s"
        return None, "no TimeoutSeconds"

    def _nested(self, state: State) -> Bound:
        scopes: Iterable[Machine]
        if isinstance(state, ParallelState):
            scopes = state.branches
        else:
            scopes = (state.processor,) if state.processor is not None else ()
        worst = Bound()
        unknown: list[Part] = []
        loops: list[tuple[str, ...]] = []
        for scope in scopes:
            b = self.scope(scope)
            unknown.extend(b.unknown)
            loops.extend(b.loops)
            if b.seconds > worst.seconds or not worst.parts:
                worst = Bound(b.seconds, list(b.parts))
        worst.unknown, worst.loops = unknown, loops
        return worst

    # -- scopes ---------------------------------------------------------------------
    def scope(self, scope: Machine) -> Bound:
        cached = self._scopes.get(scope.pointer)
        if cached is not None:
            return cached
        self._scopes[scope.pointer] = Bound()  # guards against malformed self-nesting
        result = self._longest_path(scope)
        self._scopes[scope.pointer] = result
        return result

    def _longest_path(self, scope: Machine) -> Bound:
        g = self.graph
        start = g.start_node(scope.pointer)
        if start is None:
            return Bound()
        reach = g.reachable(scope.pointer)
        adjacency = {n: [m for m in g.successors(n) if m in reach] for n in reach}
        components = list(strongly_connected(adjacency, [start], set(adjacency)))  # sinks first
        index = {n: i for i, comp in enumerate(components) for n in comp}
        own: list[Bound] = []
        best: list[float] = []
        nxt: list[int | None] = []
        for i, members in enumerate(components):
            members = sorted(members)
            cyclic = len(members) > 1 or members[0] in adjacency[members[0]]
            total = Bound()
            for m in members:
                total.add(self.state(g.states[m]))
            if cyclic and (total.seconds > 0 or total.unknown or
                           any(isinstance(g.states[m], (TaskState, MapState, ParallelState)) for m in members)):
                total.loops.append(tuple(members))
                total.seconds = math.inf
            own.append(total)
            succ = {index[t] for m in members for t in adjacency[m]} - {i}
            chosen = max(succ, key=lambda j: (best[j], -j), default=None)
            best.append(total.seconds + (best[chosen] if chosen is not None else 0.0))
            nxt.append(chosen)
        out = Bound()
        c: int | None = index[start]
        while c is not None:
            out.add(own[c])
            c = nxt[c]
        out.seconds = best[index[start]]
        # What is unknown anywhere in the scope matters even off the worst path.
        seen = {p.pointer for p in out.unknown}
        for b in own:
            out.unknown.extend(p for p in b.unknown if p.pointer not in seen)
            seen.update(p.pointer for p in b.unknown)
        return out


def format_seconds(seconds: float) -> str:
    if math.isinf(seconds):
        return "unbounded"
    s = int(round(seconds))
    if s < 120:
        return f"{s} s"
    if s < 2 * 3600:
        m, r = divmod(s, 60)
        return f"{m} min {r} s" if r else f"{m} min"
    if s < 2 * 86400:
        return f"{s / 3600:.1f} h"
    if s < 2 * 365 * 86400:
        return f"{s / 86400:.1f} days"
    return f"{s / (365 * 86400):.1f} years"


def worst_case(graph: Any) -> Bound:
    """The upper bound for the whole machine of ``graph`` (a ``StateGraph``)."""
    return DurationAnalysis(graph).machine()
