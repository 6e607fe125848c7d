"""The typed model of a state machine: frozen dataclasses, one per construct.

Fields hold the value as written, or :data:`MISSING` when the key is absent (``null``
is meaningful in ASL: ``"ResultPath": null`` discards the result). Values of the wrong
JSON type are kept as they are; the schema rule reports them, the model never rejects
them, so every later pass sees the whole document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()

JSONPATH = "JSONPath"
JSONATA = "JSONata"

STATE_TYPES = ("Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map")


def present(value: Any) -> bool:
    return value is not MISSING


@dataclass(frozen=True)
class Retrier:
    pointer: str
    error_equals: tuple[str, ...]
    interval_seconds: Any = MISSING
    max_attempts: Any = MISSING
    backoff_rate: Any = MISSING
    max_delay_seconds: Any = MISSING
    jitter_strategy: Any = MISSING
    comment: Any = MISSING
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)

    # Effective values with the documented defaults.
    @property
    def interval(self) -> float:
        v = self.interval_seconds
        return v if isinstance(v, (int, float)) and not isinstance(v, bool) else 1

    @property
    def attempts(self) -> int:
        v = self.max_attempts
        return v if isinstance(v, int) and not isinstance(v, bool) else 3

    @property
    def backoff(self) -> float:
        v = self.backoff_rate
        return v if isinstance(v, (int, float)) and not isinstance(v, bool) else 2.0


@dataclass(frozen=True)
class Catcher:
    pointer: str
    error_equals: tuple[str, ...]
    next: Any = MISSING
    result_path: Any = MISSING
    output: Any = MISSING
    assign: Any = MISSING
    comment: Any = MISSING
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class ChoiceRule:
    """A Choice rule; ``top_level`` rules carry ``Next``, nested ones (inside And/Or/Not) do not."""

    pointer: str
    top_level: bool
    next: Any = MISSING
    comment: Any = MISSING
    assign: Any = MISSING
    output: Any = MISSING
    condition: Any = MISSING  # JSONata
    variable: Any = MISSING
    operator: str | None = None  # the comparison key, e.g. "NumericEquals"
    operand: Any = MISSING
    operators: tuple[str, ...] = ()  # every comparison/logic key present (more than one is an error)
    and_: tuple["ChoiceRule", ...] | None = None
    or_: tuple["ChoiceRule", ...] | None = None
    not_: "ChoiceRule | None" = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)

    @property
    def logic(self) -> str | None:
        if self.and_ is not None:
            return "And"
        if self.or_ is not None:
            return "Or"
        if self.not_ is not None:
            return "Not"
        return None

    def children(self) -> tuple["ChoiceRule", ...]:
        if self.and_ is not None:
            return self.and_
        if self.or_ is not None:
            return self.or_
        if self.not_ is not None:
            return (self.not_,)
        return ()

    def walk(self) -> Iterator["ChoiceRule"]:
        yield self
        for child in self.children():
            yield from child.walk()


@dataclass(frozen=True)
class State:
    name: str
    pointer: str  # e.g. "/States/Fetch" or "/States/P/Branches/0/States/Load"
    type: Any
    scope: str  # pointer of the enclosing machine ("" for the top level)
    query_language: str  # effective query language
    raw: Mapping[str, Any] = field(repr=False)
    comment: Any = MISSING
    next: Any = MISSING
    end: Any = MISSING
    input_path: Any = MISSING
    output_path: Any = MISSING
    output: Any = MISSING
    assign: Any = MISSING

    @property
    def is_jsonata(self) -> bool:
        return self.query_language == JSONATA

    @property
    def is_terminal(self) -> bool:
        return self.end is True or self.type in ("Succeed", "Fail")

    def field_pointer(self, *keys: str | int) -> str:
        from analyzer.load.pointer import join

        return join(self.pointer, *keys)


@dataclass(frozen=True)
class PassState(State):
    result: Any = MISSING
    result_path: Any = MISSING
    parameters: Any = MISSING


@dataclass(frozen=True)
class TaskState(State):
    resource: Any = MISSING
    parameters: Any = MISSING
    arguments: Any = MISSING
    result_selector: Any = MISSING
    result_path: Any = MISSING
    timeout_seconds: Any = MISSING
    timeout_seconds_path: Any = MISSING
    heartbeat_seconds: Any = MISSING
    heartbeat_seconds_path: Any = MISSING
    credentials: Any = MISSING
    retry: tuple[Retrier, ...] = ()
    catch: tuple[Catcher, ...] = ()


@dataclass(frozen=True)
class ChoiceState(State):
    choices: tuple[ChoiceRule, ...] = ()
    default: Any = MISSING


@dataclass(frozen=True)
class WaitState(State):
    seconds: Any = MISSING
    timestamp: Any = MISSING
    seconds_path: Any = MISSING
    timestamp_path: Any = MISSING


@dataclass(frozen=True)
class SucceedState(State):
    pass


@dataclass(frozen=True)
class FailState(State):
    error: Any = MISSING
    cause: Any = MISSING
    error_path: Any = MISSING
    cause_path: Any = MISSING


@dataclass(frozen=True)
class ParallelState(State):
    branches: tuple["Machine", ...] = ()
    parameters: Any = MISSING
    arguments: Any = MISSING
    result_selector: Any = MISSING
    result_path: Any = MISSING
    retry: tuple[Retrier, ...] = ()
    catch: tuple[Catcher, ...] = ()


@dataclass(frozen=True)
class MapState(State):
    processor: "Machine | None" = None
    processor_key: str = "ItemProcessor"  # or the legacy "Iterator"
    mode: str = "INLINE"
    execution_type: Any = MISSING
    items_path: Any = MISSING
    items: Any = MISSING
    item_selector: Any = MISSING
    parameters: Any = MISSING
    max_concurrency: Any = MISSING
    max_concurrency_path: Any = MISSING
    item_reader: Any = MISSING
    item_batcher: Any = MISSING
    result_writer: Any = MISSING
    tolerated_failure_percentage: Any = MISSING
    tolerated_failure_percentage_path: Any = MISSING
    tolerated_failure_count: Any = MISSING
    tolerated_failure_count_path: Any = MISSING
    label: Any = MISSING
    result_selector: Any = MISSING
    result_path: Any = MISSING
    retry: tuple[Retrier, ...] = ()
    catch: tuple[Catcher, ...] = ()

    @property
    def is_distributed(self) -> bool:
        return self.mode == "DISTRIBUTED"


@dataclass(frozen=True)
class Machine:
    """A scope: the top-level machine, a Parallel branch or a Map processor."""

    pointer: str  # "" for the top level
    start_at: Any
    states: Mapping[str, State]
    query_language: str
    comment: Any = MISSING
    timeout_seconds: Any = MISSING
    version: Any = MISSING
    owner: str | None = None  # pointer of the Parallel/Map state that owns a nested scope
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)

    def walk_states(self) -> Iterator[State]:
        """Every state of this scope and of all nested scopes, parents before children."""
        for state in self.states.values():
            yield state
            for scope in nested_scopes(state):
                yield from scope.walk_states()

    def walk_scopes(self) -> Iterator["Machine"]:
        yield self
        for state in self.states.values():
            for scope in nested_scopes(state):
                yield from scope.walk_scopes()


def nested_scopes(state: State) -> tuple[Machine, ...]:
    if isinstance(state, ParallelState):
        return state.branches
    if isinstance(state, MapState) and state.processor is not None:
        return (state.processor,)
    return ()


ERROR_HANDLING_TYPES = (TaskState, ParallelState, MapState)
