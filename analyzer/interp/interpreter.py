"""Run a state machine locally, with mocked Tasks, the way Step Functions runs it.

``run(definition, input, mocks=..., context=..., seed=..., max_transitions=...)`` returns
an :class:`ExecutionResult`. Semantics follow /work/shared/docs/asl-semantics.md; Choice
rules and Retry/Catch matching are not restated here but taken from
:mod:`analyzer.semantics` (the same code the model checker encodes), so the two cannot
drift apart.

Everything runs on a virtual clock (no sleeping) and is deterministic for a given seed.
Parallel branches and Map iterations run one after the other in branch/item order, but
each starts at the virtual time the service would start it (all at once, or as
``MaxConcurrency`` slots free up), so durations, timeouts and "which failure came first"
come out as they would with real concurrency. Branches and iterations cannot see each
other's data or variables, so running them in turn gives the same outputs.

Choices where the documentation leaves room:

* JSONPath ``Assign`` reads the raw result, before ``ResultSelector``, as the vendored
  reference interpreter does; ``assign_reads_selected_result=True`` switches to the other
  reading (asl-semantics §3.1 step 5 marks this unverified).
* A missed heartbeat raises ``States.Timeout``, as does a call longer than ``TimeoutSeconds``.
* A Map whose items are not an array fails with ``States.QueryEvaluationError`` (the name
  the reference interpreter uses; the documentation names none).
* A distributed Map tolerates no failed item unless ``ToleratedFailure*`` says otherwise and
  then fails with ``States.ExceedToleratedFailureThreshold``; a failed item's place in the
  result holds its ``{"Error", "Cause"}``. An inline Map fails with the item's own error.
* A Task with no mocked response left ends the run with ``aslcheck.MockMissing`` and the
  transition limit with ``aslcheck.MaxTransitionsExceeded``; no Retry or Catch sees either.
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable

from analyzer.interp import jsonata_eval as ja
from analyzer.interp.clock import VirtualClock, parse_start
from analyzer.interp.failures import (
    INVALID_DEFINITION, MAX_TRANSITIONS, Abort, ExecutionTimeout, StatesError,
)
from analyzer.interp.history import History, json_value
from analyzer.interp.jsonpath_eval import PathEvaluationError, compile_path
from analyzer.interp.map_items import batch_items, parse_reader_data, written_results
from analyzer.interp.mocks import Mocks, from_value
from analyzer.interp.payload import assign_values, compact, evaluate_expression, evaluate_template
from analyzer.interp.result_path import merge_result
from analyzer.interp.scheduler import Scheduler
from analyzer.interp.variables import Variables
from analyzer.model.build import build_machine
from analyzer.model.nodes import (
    MISSING, ChoiceState, FailState, Machine, MapState, ParallelState, PassState, State, SucceedState, TaskState,
    WaitState,
)
from analyzer.semantics.choice import evaluate_choice_concrete
from analyzer.semantics.errors import first_match, retry_delay
from analyzer.semantics.values import parse_timestamp

SUCCEEDED, FAILED, TIMED_OUT = "SUCCEEDED", "FAILED", "TIMED_OUT"
RUNTIME = "States.Runtime"
PAYLOAD_LIMIT = 256 * 1024
DEFAULT_MAX_TRANSITIONS = 25000
DEFAULT_TASK_TIMEOUT = 99999999
#: Longest an execution may run (asl-semantics §6): one year for Standard, five minutes for Express.
MAX_DURATION = {"STANDARD": 365 * 24 * 3600, "EXPRESS": 300}


@dataclass
class ExecutionResult:
    status: str
    output: Any = None
    error: str | None = None
    cause: str | None = None
    path: list[str] = field(default_factory=list)
    trace: list[dict[str, Any]] = field(default_factory=list)
    transitions: int = 0
    elapsed_seconds: float = 0.0
    history: Any = field(default=None, repr=False, compare=False)
    #: the top-level Choice rules, Defaults and Catches taken, in order: ("rule", state, index),
    #: ("default", state) or ("catch", state, index) (the coverage goals of the model checker)
    branches: list[tuple] = field(default_factory=list, repr=False, compare=False)

    @property
    def succeeded(self) -> bool:
        return self.status == SUCCEEDED

    @property
    def events(self) -> list[dict[str, Any]]:
        """The history events (built on first use: serialising every state's data is the costly part)."""
        if self.history is None:
            return []
        cached = getattr(self, "_events", None)
        if cached is None:
            cached = self.history.events
            object.__setattr__(self, "_events", cached)
        return cached

    def to_dict(self, history: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"status": self.status, "output": self.output, "error": self.error,
                               "cause": self.cause, "path": self.path, "trace": self.trace,
                               "transitions": self.transitions, "elapsedSeconds": self.elapsed_seconds}
        if history:
            out["events"] = self.events
        return out


def is_placeholder(resource: str) -> bool:
    """Whether a Resource is an unresolved deployment placeholder such as ``${SendAction}``."""
    text = resource.strip()
    return text.startswith("${") and text.endswith("}")


def run(definition: Any, input: Any = None, mocks: Any = None, context: dict | None = None, seed: int = 0,
        max_transitions: int = DEFAULT_MAX_TRANSITIONS, history: bool = True, test_case: str | None = None,
        assign_reads_selected_result: bool = False, workflow_type: str = "STANDARD") -> ExecutionResult:
    """Execute ``definition`` (an ASL dict, JSON text, or a built :class:`Machine`) on ``input``.

    ``mocks`` is a :class:`Mocks`, or a parsed mock file of either supported format
    (``test_case`` picks the Step Functions Local test case). ``context`` overrides parts
    of the context object (``Execution``, ``StateMachine``, ``Task``; ``Execution.StartTime``
    also sets the virtual clock's start). ``workflow_type`` (``STANDARD`` or ``EXPRESS``) sets
    the longest duration an execution may have.
    """
    if isinstance(definition, str):
        definition = json.loads(definition)
    machine = definition if isinstance(definition, Machine) else build_machine(definition)
    if not isinstance(mocks, Mocks):
        mocks = from_value(mocks, test_case=test_case)
    interp = Interpreter(machine, mocks, context=context, seed=seed, max_transitions=max_transitions,
                         history=history, assign_reads_selected_result=assign_reads_selected_result,
                         workflow_type=workflow_type)
    return interp.execute({} if input is None else input)


class Interpreter:
    def __init__(self, machine: Machine, mocks: Mocks, context: dict | None = None, seed: int = 0,
                 max_transitions: int = DEFAULT_MAX_TRANSITIONS, history: bool = True,
                 assign_reads_selected_result: bool = False, workflow_type: str = "STANDARD") -> None:
        self.machine = machine
        self.mocks = mocks
        self.rng = random.Random(seed)
        self.max_transitions = max_transitions
        self.assign_reads_selected_result = assign_reads_selected_result
        overrides = context or {}
        start = None
        execution = overrides.get("Execution") if isinstance(overrides.get("Execution"), dict) else {}
        if isinstance(execution.get("StartTime"), str):
            start = parse_start(execution["StartTime"])
        timeout = machine.timeout_seconds
        timeout = timeout if isinstance(timeout, (int, float)) and not isinstance(timeout, bool) else None
        limit = MAX_DURATION.get(str(workflow_type).upper(), MAX_DURATION["STANDARD"])
        timeout = limit if timeout is None else min(timeout, limit)
        self.clock = VirtualClock(start, timeout) if start is not None else VirtualClock(timeout_seconds=timeout)
        self.history = History(self.clock, enabled=history)
        self.overrides = overrides
        self.transitions = 0
        self.path: list[str] = []
        self.trace: list[tuple] = []
        self.branches: list[tuple] = []
        self.execution_ctx: dict[str, Any] = {}
        self.machine_ctx: dict[str, Any] = {}
        self._dispatch: dict[type, Callable] = {
            PassState: self._pass, TaskState: self._task, ChoiceState: self._choice, WaitState: self._wait,
            SucceedState: self._succeed, FailState: self._fail, ParallelState: self._parallel,
            MapState: self._map,
        }

    # ------------------------------------------------------------------ execution

    def execute(self, data: Any) -> ExecutionResult:
        name = "local"
        self.machine_ctx = {"Id": "arn:aws:states:us-east-1:123456789012:stateMachine:LocalMachine",
                            "Name": "LocalMachine"}
        self.execution_ctx = {
            "Id": f"arn:aws:states:us-east-1:123456789012:execution:LocalMachine:{name}",
            "Input": data, "Name": name, "RoleArn": "arn:aws:iam::123456789012:role/LocalRole",
            "StartTime": self.clock.iso(), "RedriveCount": 0,
        }
        for key, target in (("Execution", self.execution_ctx), ("StateMachine", self.machine_ctx)):
            if isinstance(self.overrides.get(key), dict):
                target.update(self.overrides[key])
        self.history.add("ExecutionStarted", {"input": json_value(data),
                                              "roleArn": self.execution_ctx.get("RoleArn")})
        status, output, error, cause = SUCCEEDED, None, None, None
        ja.use_clock(lambda: int(round(self.clock.epoch() * 1000)))
        try:
            if _size(data) > PAYLOAD_LIMIT:
                raise StatesError("States.DataLimitExceeded", "The execution input exceeds 262144 bytes")
            output = self.run_scope(self.machine, data, Variables(), "", top=True)
            self.history.add("ExecutionSucceeded", {"output": json_value(output)})
        except StatesError as exc:
            status, error, cause = FAILED, exc.error, exc.cause
            self.history.failed("ExecutionFailed", exc.error, exc.cause)
        except Abort as exc:
            status, error, cause = FAILED, exc.error, exc.cause
            self.history.failed("ExecutionFailed", exc.error, exc.cause)
        except ExecutionTimeout as exc:
            status, error, cause = TIMED_OUT, exc.error, exc.cause
            self.history.failed("ExecutionTimedOut", exc.error, exc.cause)
        except RecursionError:
            status, error, cause = FAILED, INVALID_DEFINITION, "the definition nests too deeply to execute"
        finally:
            ja.use_clock(None)
        return ExecutionResult(
            # A Fail state without Error/Cause ends the execution with neither (as the service reports it).
            status=status, output=output, error=error or None, cause=cause or None, path=self.path,
            trace=[{"state": n, "scope": s, "type": t} for n, s, t in self.trace],
            transitions=self.transitions, elapsed_seconds=self.clock.elapsed,
            history=self.history if self.history.enabled else None, branches=self.branches,
        )

    def run_scope(self, machine: Machine, data: Any, variables: Variables, scope: str, top: bool = False) -> Any:
        """Run one scope (the machine, a branch, an iteration) from StartAt to its end; return its output."""
        name = machine.start_at
        states = machine.states
        while True:
            state = states.get(name) if isinstance(name, str) else None
            if state is None:
                where = f"scope '{scope}'" if scope else "the top level"
                raise Abort(INVALID_DEFINITION, f"there is no state named {name!r} in {where}")
            self._count_transition()
            if top:
                self.path.append(name)
            self.trace.append((name, scope, state.type))
            handler = self._dispatch.get(type(state))
            if handler is None:
                raise Abort(INVALID_DEFINITION, f"state {name!r} has an unknown Type {state.type!r}")
            if self.history.enabled:
                self.history.state_entered(state.type, name, data)
            nxt, data = handler(state, data, variables, scope)
            if nxt is None:
                return data
            name = nxt

    def _count_transition(self) -> None:
        self.transitions += 1
        if self.transitions > self.max_transitions:
            raise Abort(MAX_TRANSITIONS, f"the execution made more than {self.max_transitions} state transitions "
                                         "(raise --max-transitions if the loop is intended)")

    # ------------------------------------------------------------------ helpers

    def _task_token(self, state: State) -> str | None:
        """A callback token for ``.waitForTaskToken`` Tasks (``$$.Task.Token``), seeded like the rest.

        A Resource that is still a deployment placeholder (``${SendAction}``) may stand for a
        callback integration once substituted, so it gets a token too: the run then shows what
        the deployed machine does when it is one.
        """
        resource = getattr(state, "resource", None)
        if isinstance(resource, str) and (resource.endswith(".waitForTaskToken") or is_placeholder(resource)):
            return "token-" + "%032x" % self.rng.getrandbits(128)
        return None

    def _context(self, state: State, retry_count: int = 0, entered: float | None = None,
                 map_item: tuple | None = None, token: str | None = None) -> dict[str, Any]:
        ctx = {
            "Execution": self.execution_ctx,
            "State": {"EnteredTime": self.clock.iso(entered), "Name": state.name, "RetryCount": retry_count},
            "StateMachine": self.machine_ctx,
        }
        task = self.overrides.get("Task")
        if isinstance(task, dict):
            ctx["Task"] = task
        elif token is not None:
            ctx["Task"] = {"Token": token}
        if map_item is not None:
            ctx["Map"] = {"Item": {"Index": map_item[0], "Value": map_item[1]}}
        return ctx

    def _context_factory(self, state: State, retry_count: int = 0, map_item: tuple | None = None,
                         token: str | None = None):
        entered = self.clock.elapsed
        cache: list = []

        def build():
            if not cache:
                cache.append(self._context(state, retry_count, entered, map_item, token))
            return cache[0]

        return build

    def _select(self, text: Any, data: Any, ctx, variables: Variables, what: str) -> Any:
        """A JSONPath selection that must find something (else the uncatchable States.Runtime)."""
        if not isinstance(text, str):
            raise StatesError(RUNTIME, f"{what} must be a path string, not {compact(text)}")
        try:
            value = compile_path(text)(data, ctx, variables)
        except PathEvaluationError as exc:
            raise StatesError(RUNTIME, f"{what}: {exc}") from None
        if value is MISSING:
            raise StatesError(RUNTIME, f"Invalid path '{text}' : No results for path: {text} in {what} "
                                       f"(input '{_short(data)}')")
        return value

    def _input_path(self, state: State, raw: Any, ctx, variables: Variables) -> Any:
        ip = state.input_path
        if ip is MISSING or ip == "$":
            return raw
        if ip is None:
            return {}
        return self._select(ip, raw, ctx, variables, "InputPath")

    def _output_path(self, state: State, data: Any, ctx, variables: Variables) -> Any:
        op = state.output_path
        if op is MISSING or op == "$":
            return data
        if op is None:
            return {}
        return self._select(op, data, ctx, variables, "OutputPath")

    def _template(self, template: Any, data: Any, ctx, variables: Variables) -> Any:
        if not isinstance(template, dict):
            raise StatesError(RUNTIME, f"a payload template must be an object, not {compact(template)}")
        return evaluate_template(template, data, ctx, variables, self.rng)

    def _assign_jp(self, assign: Any, data: Any, ctx, variables: Variables) -> dict | None:
        if assign is MISSING:
            return None
        return assign_values(assign, data, ctx, variables, self.rng)

    def _bindings(self, variables: Variables, raw: Any, ctx: dict, **extra: Any) -> dict:
        states = {"input": raw, "context": ctx}
        states.update(extra)
        bindings = variables.visible()
        bindings["states"] = states
        return bindings

    def _assign_ja(self, assign: Any, bindings: dict) -> dict | None:
        if assign is MISSING:
            return None
        if not isinstance(assign, dict):
            raise StatesError(ja.QUERY_ERROR, "Assign must be an object")
        return {k: ja.evaluate_template(v, bindings, self.rng, f"Assign.{k}") for k, v in assign.items()}

    def _output_ja(self, output: Any, bindings: dict, default: Any) -> Any:
        if output is MISSING:
            return default
        return ja.evaluate_template(output, bindings, self.rng, "Output")

    def _number_field(self, state: State, literal: Any, path: Any, data: Any, ctx, variables, what: str,
                      bindings: dict | None = None) -> Any:
        """A numeric field given literally, as a ``*Path`` (JSONPath) or as an expression (JSONata)."""
        value = literal
        if path is not MISSING and bindings is None:
            value = self._select(path, data, ctx, variables, f"{what}Path")
        elif bindings is not None and ja.is_expression(literal):
            value = ja.evaluate(literal, bindings, self.rng, what)
        if value is MISSING:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            error = ja.QUERY_ERROR if bindings is not None else RUNTIME
            raise StatesError(error, f"{what} must be a number, not {compact(value)}")
        return value

    def _result_path(self, result_path: Any, raw: Any, result: Any) -> Any:
        if result_path is MISSING or result_path == "$":
            return result
        if result_path is None:
            return raw
        return merge_result(result_path, raw, result)

    # ------------------------------------------------------------------ Retry / Catch

    def _with_retry_catch(self, state, raw: Any, variables: Variables, scope: str,
                          attempt: Callable[[int], tuple[Any, dict | None]]) -> tuple[Any, Any]:
        counts = [0] * len(state.retry)
        retries = 0
        while True:
            try:
                output, assigned = attempt(retries)
            except StatesError as exc:
                err = exc
            else:
                variables.commit(assigned)
                self._exited(state, output)
                return _next(state), output
            i = first_match(state.retry, err.error)
            if i is not None:
                retrier = state.retry[i]
                if counts[i] < retrier.attempts:
                    max_delay = retrier.max_delay_seconds
                    max_delay = max_delay if isinstance(max_delay, (int, float)) and not isinstance(max_delay, bool) \
                        else None
                    delay = retry_delay(retrier.interval, retrier.backoff, counts[i], max_delay)
                    if retrier.jitter_strategy == "FULL":
                        delay = self.rng.uniform(0, delay)
                    counts[i] += 1
                    retries += 1
                    self._count_transition()
                    self.clock.advance(delay)
                    continue
            j = first_match(state.catch, err.error)
            if j is None:
                raise err
            if not scope:
                self.branches.append(("catch", state.name, j))
            return self._catch(state, state.catch[j], raw, variables, err)

    def _catch(self, state, catcher, raw: Any, variables: Variables, err: StatesError) -> tuple[Any, Any]:
        error_output = {"Error": err.error, "Cause": err.cause}
        ctx = self._context_factory(state)
        if state.is_jsonata:
            bindings = self._bindings(variables, raw, ctx(), errorOutput=error_output)
            assigned = self._assign_ja(catcher.assign, bindings)
            output = self._output_ja(catcher.output, bindings, error_output)
        else:
            assigned = self._assign_jp(catcher.assign, error_output, ctx, variables)
            output = self._result_path(catcher.result_path, raw, error_output)
        variables.commit(assigned)
        self._exited(state, output)
        if not isinstance(catcher.next, str):
            raise Abort(INVALID_DEFINITION, f"a Catch of state {state.name!r} has no Next")
        return catcher.next, output

    def _exited(self, state: State, output: Any) -> None:
        if self.history.enabled:
            self.history.state_exited(state.type, state.name, output)

    # ------------------------------------------------------------------ states

    def _pass(self, state: PassState, raw: Any, variables: Variables, scope: str):
        ctx = self._context_factory(state)
        if state.is_jsonata:
            result = state.result if state.result is not MISSING else raw
            bindings = self._bindings(variables, raw, ctx())
            assigned = self._assign_ja(state.assign, bindings)
            output = self._output_ja(state.output, bindings, result)
        else:
            effective = self._input_path(state, raw, ctx, variables)
            if state.parameters is not MISSING:
                result = self._template(state.parameters, effective, ctx, variables)
            elif state.result is not MISSING:
                result = state.result
            else:
                result = effective
            assigned = self._assign_jp(state.assign, result, ctx, variables)
            output = self._output_path(state, self._result_path(state.result_path, raw, result), ctx, variables)
        variables.commit(assigned)
        self._exited(state, output)
        return _next(state), output

    def _succeed(self, state: SucceedState, raw: Any, variables: Variables, scope: str):
        ctx = self._context_factory(state)
        if state.is_jsonata:
            output = self._output_ja(state.output, self._bindings(variables, raw, ctx()), raw)
        else:
            output = self._output_path(state, self._input_path(state, raw, ctx, variables), ctx, variables)
        self._exited(state, output)
        return None, output

    def _fail(self, state: FailState, raw: Any, variables: Variables, scope: str):
        ctx = self._context_factory(state)
        if state.is_jsonata:
            bindings = self._bindings(variables, raw, ctx())
            error = ja.evaluate_template(state.error, bindings, self.rng, "Error") if state.error is not MISSING \
                else None
            cause = ja.evaluate_template(state.cause, bindings, self.rng, "Cause") if state.cause is not MISSING \
                else None
        else:
            error, cause = state.error, state.cause
            if state.error_path is not MISSING:
                error = evaluate_expression(state.error_path, "ErrorPath", raw, ctx, variables, self.rng)
            if state.cause_path is not MISSING:
                cause = evaluate_expression(state.cause_path, "CausePath", raw, ctx, variables, self.rng)
        error = None if error is MISSING else error
        cause = None if cause is MISSING else cause
        raise StatesError(error if isinstance(error, str) else ("" if error is None else compact(error)),
                          cause if isinstance(cause, str) else ("" if cause is None else compact(cause)))

    def _choice(self, state: ChoiceState, raw: Any, variables: Variables, scope: str):
        ctx = self._context_factory(state)
        if state.is_jsonata:
            bindings = self._bindings(variables, raw, ctx())
            chosen = None
            for i, rule in enumerate(state.choices):
                if ja.evaluate_condition(rule.condition, bindings, self.rng, f"Condition of Choices[{i}]"):
                    chosen = rule
                    if not scope:
                        self.branches.append(("rule", state.name, i))
                    break
            assigned: dict = {}
            output = MISSING
            if chosen is not None:
                assigned.update(self._assign_ja(chosen.assign, bindings) or {})
                if chosen.output is not MISSING:
                    output = ja.evaluate_template(chosen.output, bindings, self.rng, "Output")
                nxt = chosen.next
            else:
                nxt = self._default(state)
                if not scope:
                    self.branches.append(("default", state.name))
            assigned.update(self._assign_ja(state.assign, bindings) or {})
            if output is MISSING:
                output = self._output_ja(state.output, bindings, raw)
        else:
            effective = self._input_path(state, raw, ctx, variables)

            def lookup(path: str) -> Any:
                try:
                    return compile_path(path)(effective, ctx, variables)
                except PathEvaluationError:
                    return MISSING

            kind, index = evaluate_choice_concrete(state.choices, lookup)
            if kind == "error":
                missing = _first_missing(state.choices[index], lookup)
                raise StatesError(RUNTIME, f"Invalid path '{missing}': The choice state's condition path "
                                           "references an invalid value.")
            assigned = {}
            if kind == "rule":
                rule = state.choices[index]
                assigned.update(self._assign_jp(rule.assign, effective, ctx, variables) or {})
                nxt = rule.next
            else:
                nxt = self._default(state)
            if not scope:
                self.branches.append((kind, state.name, index) if kind == "rule" else ("default", state.name))
            assigned.update(self._assign_jp(state.assign, effective, ctx, variables) or {})
            output = self._output_path(state, effective, ctx, variables)
        if not isinstance(nxt, str):
            raise Abort(INVALID_DEFINITION, f"the matched rule of Choice state {state.name!r} has no Next")
        variables.commit(assigned)
        self._exited(state, output)
        return nxt, output

    def _default(self, state: ChoiceState) -> str:
        if state.default is MISSING:
            raise StatesError("States.NoChoiceMatched",
                              f"No Matches! (the Choice state '{state.name}' has no Default)")
        return state.default

    def _wait(self, state: WaitState, raw: Any, variables: Variables, scope: str):
        ctx = self._context_factory(state)
        bindings = None
        if state.is_jsonata:
            bindings = self._bindings(variables, raw, ctx())
            effective = raw
        else:
            effective = self._input_path(state, raw, ctx, variables)
        error = ja.QUERY_ERROR if bindings is not None else RUNTIME
        if state.seconds is not MISSING or state.seconds_path is not MISSING:
            seconds = self._number_field(state, state.seconds, state.seconds_path if bindings is None else MISSING,
                                         effective, ctx, variables, "Seconds", bindings)
            if seconds is None or seconds < 0 or (isinstance(seconds, float) and not seconds.is_integer()):
                raise StatesError(error, f"The Wait state '{state.name}' needs a non-negative integer number of "
                                         f"seconds, not {compact(seconds)}")
            self.clock.advance(seconds)
        else:
            stamp = state.timestamp
            if state.timestamp_path is not MISSING and bindings is None:
                stamp = self._select(state.timestamp_path, effective, ctx, variables, "TimestampPath")
            elif bindings is not None and ja.is_expression(stamp):
                stamp = ja.evaluate(stamp, bindings, self.rng, "Timestamp")
            instant = parse_timestamp(stamp)
            if instant is None:
                raise StatesError(error, f"The Wait state '{state.name}' needs an RFC 3339 timestamp, not "
                                         f"{compact(stamp)}")
            self.clock.advance_to_epoch(instant)
        if bindings is not None:
            assigned = self._assign_ja(state.assign, bindings)
            output = self._output_ja(state.output, bindings, raw)
        else:
            assigned = self._assign_jp(state.assign, effective, ctx, variables)
            output = self._output_path(state, effective, ctx, variables)
        variables.commit(assigned)
        self._exited(state, output)
        return _next(state), output

    # ---- Task

    def _task(self, state: TaskState, raw: Any, variables: Variables, scope: str):
        if state.is_jsonata:
            return self._with_retry_catch(state, raw, variables, scope,
                                          lambda retries: self._task_jsonata(state, raw, variables, retries))
        return self._with_retry_catch(state, raw, variables, scope,
                                      lambda retries: self._task_jsonpath(state, raw, variables, retries))

    def _call_mock(self, state: TaskState, arguments: Any, timeout: Any, heartbeat: Any) -> Any:
        self.history.add("TaskScheduled", {"resource": state.resource, "parameters": json_value(arguments),
                                           "timeoutInSeconds": timeout, "heartbeatInSeconds": heartbeat})
        self.history.add("TaskStarted", {"resource": state.resource})
        response = self.mocks.next(state.name)
        limit = timeout if timeout is not None else DEFAULT_TASK_TIMEOUT
        if heartbeat is not None and response.seconds > heartbeat and heartbeat < limit:
            self.clock.advance(heartbeat)
            self.history.failed("TaskTimedOut", "States.Timeout", "The task missed its heartbeat")
            raise StatesError("States.Timeout", f"The Task '{state.name}' sent no heartbeat within "
                                                f"{heartbeat:g} seconds")
        if response.seconds > limit:
            self.clock.advance(limit)
            self.history.failed("TaskTimedOut", "States.Timeout", "The task timed out")
            raise StatesError("States.Timeout", f"The Task '{state.name}' did not finish within {limit:g} seconds")
        self.clock.advance(response.seconds)
        if response.is_throw:
            self.history.failed("TaskFailed", response.error, response.cause)
            raise StatesError(response.error, response.cause)
        result = self.mocks.returned(response)
        if _size(result) > PAYLOAD_LIMIT:
            raise StatesError("States.DataLimitExceeded",
                              f"The result of the Task '{state.name}' exceeds the maximum of 262144 bytes")
        self.history.add("TaskSucceeded", {"resource": state.resource, "output": json_value(result)})
        return result

    def _task_jsonpath(self, state: TaskState, raw: Any, variables: Variables, retries: int):
        ctx = self._context_factory(state, retries, token=self._task_token(state))
        effective = self._input_path(state, raw, ctx, variables)
        arguments = self._template(state.parameters, effective, ctx, variables) \
            if state.parameters is not MISSING else effective
        timeout = self._number_field(state, state.timeout_seconds, state.timeout_seconds_path, effective, ctx,
                                     variables, "TimeoutSeconds")
        heartbeat = self._number_field(state, state.heartbeat_seconds, state.heartbeat_seconds_path, effective,
                                       ctx, variables, "HeartbeatSeconds")
        result = self._call_mock(state, arguments, timeout, heartbeat)
        return self._finish_jsonpath(state, raw, result, ctx, variables)

    def _finish_jsonpath(self, state, raw: Any, result: Any, ctx, variables: Variables):
        """ResultSelector → (Assign) → ResultPath → OutputPath, shared by Task, Parallel and Map."""
        assigned = None
        if not self.assign_reads_selected_result:
            assigned = self._assign_jp(state.assign, result, ctx, variables)
        if state.result_selector is not MISSING:
            result = self._template(state.result_selector, result, ctx, variables)
        if self.assign_reads_selected_result:
            assigned = self._assign_jp(state.assign, result, ctx, variables)
        merged = self._result_path(state.result_path, raw, result)
        return _within_limit(state, self._output_path(state, merged, ctx, variables)), assigned

    def _task_jsonata(self, state: TaskState, raw: Any, variables: Variables, retries: int):
        ctx = self._context_factory(state, retries, token=self._task_token(state))()
        bindings = self._bindings(variables, raw, ctx)
        arguments = ja.evaluate_template(state.arguments, bindings, self.rng, "Arguments") \
            if state.arguments is not MISSING else raw
        timeout = self._number_field(state, state.timeout_seconds, MISSING, raw, None, variables,
                                     "TimeoutSeconds", bindings)
        heartbeat = self._number_field(state, state.heartbeat_seconds, MISSING, raw, None, variables,
                                       "HeartbeatSeconds", bindings)
        result = self._call_mock(state, arguments, timeout, heartbeat)
        return self._finish_jsonata(state, raw, result, ctx, variables)

    def _finish_jsonata(self, state, raw: Any, result: Any, ctx: dict, variables: Variables):
        bindings = self._bindings(variables, raw, ctx, result=result)
        assigned = self._assign_ja(state.assign, bindings)
        output = self._output_ja(state.output, bindings, result)
        return _within_limit(state, output), assigned

    # ---- Parallel

    def _parallel(self, state: ParallelState, raw: Any, variables: Variables, scope: str):
        return self._with_retry_catch(state, raw, variables, scope,
                                      lambda retries: self._parallel_attempt(state, raw, variables, scope, retries))

    def _parallel_attempt(self, state: ParallelState, raw: Any, variables: Variables, scope: str, retries: int):
        ctx = self._context_factory(state, retries)
        if state.is_jsonata:
            bindings = self._bindings(variables, raw, ctx())
            branch_input = ja.evaluate_template(state.arguments, bindings, self.rng, "Arguments") \
                if state.arguments is not MISSING else raw
        else:
            effective = self._input_path(state, raw, ctx, variables)
            branch_input = self._template(state.parameters, effective, ctx, variables) \
                if state.parameters is not MISSING else effective
        self.history.add("ParallelStateStarted")
        jobs = [self._scope_job(branch, branch_input, Variables(parent=variables), f"{scope}{state.name}/{i}/")
                for i, branch in enumerate(state.branches)]
        outcomes = self._run_concurrently(jobs, limit=None, stop_on_failure=True)
        failure = _earliest_failure(outcomes)
        if failure is not None:
            self.clock.elapsed = failure[0]
            self.history.add("ParallelStateFailed")
            raise failure[1]
        self._finish_at(outcomes)
        results = [o[2] for o in outcomes]
        self.history.add("ParallelStateSucceeded")
        if state.is_jsonata:
            return self._finish_jsonata(state, raw, results, ctx(), variables)
        return self._finish_jsonpath(state, raw, results, ctx, variables)

    # ---- Map

    def _map(self, state: MapState, raw: Any, variables: Variables, scope: str):
        return self._with_retry_catch(state, raw, variables, scope,
                                      lambda retries: self._map_attempt(state, raw, variables, scope, retries))

    def _map_items(self, state: MapState, raw: Any, effective: Any, ctx, variables: Variables,
                   bindings: dict | None) -> list:
        # The documentation names no error for a non-array; the service's reading recorded in [ls] is
        # States.QueryEvaluationError in both query languages.
        error = ja.QUERY_ERROR
        if state.item_reader is not MISSING:
            items = self._read_items(state)
        elif bindings is not None:
            items = state.items
            if items is MISSING:
                items = raw
            else:
                items = ja.evaluate_template(items, bindings, self.rng, "Items")
        else:
            items_path = state.items_path if state.items_path is not MISSING else "$"
            items = self._select(items_path, effective, ctx, variables, "ItemsPath")
        if not isinstance(items, list):
            raise StatesError(error, f"The Map state '{state.name}' needs an array of items, not "
                                     f"{_short(items)}")
        return items

    def _read_items(self, state: MapState) -> list:
        """ItemReader data comes from the mocks, under the Map state's name."""
        response = self.mocks.next(state.name)
        if response.is_throw:
            raise StatesError(response.error, response.cause)
        return parse_reader_data(self.mocks.returned(response), state.item_reader)

    def _map_attempt(self, state: MapState, raw: Any, variables: Variables, scope: str, retries: int):
        ctx = self._context_factory(state, retries)
        bindings = self._bindings(variables, raw, ctx()) if state.is_jsonata else None
        effective = raw if bindings is not None else self._input_path(state, raw, ctx, variables)
        items = self._map_items(state, raw, effective, ctx, variables, bindings)
        selector = state.item_selector if state.item_selector is not MISSING else state.parameters
        inputs = []
        for index, item in enumerate(items):
            if selector is MISSING:
                inputs.append(item)
                continue
            if bindings is not None:
                item_ctx = self._context(state, retries, None, (index, item))
                item_bindings = self._bindings(variables, raw, item_ctx)
                inputs.append(ja.evaluate_template(selector, item_bindings, self.rng, "ItemSelector"))
            else:
                item_ctx = self._context_factory(state, retries, (index, item))
                inputs.append(self._template(selector, effective, item_ctx, variables))
        if state.item_batcher is not MISSING:
            inputs = self._batch(state, inputs, effective, ctx, variables, bindings)
        tolerated = self._tolerance(state, effective, ctx, variables)
        self.history.add("MapStateStarted", {"length": len(inputs)})
        processor = state.processor
        if processor is None:
            raise Abort(INVALID_DEFINITION, f"the Map state {state.name!r} has no ItemProcessor")
        jobs = [self._scope_job(processor, item_input, Variables(parent=None if state.is_distributed else variables),
                                f"{scope}{state.name}/{index}/", state.name, index)
                for index, item_input in enumerate(inputs)]
        outcomes = self._run_concurrently(jobs, limit=self._max_concurrency(state, effective, ctx, variables),
                                          stop_on_failure=tolerated is None)
        if tolerated is None:
            failure = _earliest_failure(outcomes)
            if failure is not None:
                self.clock.elapsed = failure[0]
                self.history.add("MapStateFailed")
                raise failure[1]
        self._finish_at(outcomes)
        results = []
        failures = 0
        for outcome in outcomes:
            if isinstance(outcome[1], ExecutionTimeout):
                self.clock.elapsed = outcome[0]
                raise outcome[1]
            if outcome[1] is not None:
                failures += 1
                results.append({"Error": outcome[1].error, "Cause": outcome[1].cause})
            else:
                results.append(outcome[2])
        if tolerated is not None and failures:
            count, percentage = tolerated
            too_many = (count is not None and failures > count) or \
                (percentage is not None and failures * 100.0 / len(inputs) > percentage)
            if too_many:
                self.history.add("MapStateFailed")
                raise StatesError("States.ExceedToleratedFailureThreshold",
                                  f"The Map state '{state.name}' had {failures} failed item(s) of {len(inputs)}, "
                                  "more than its tolerated failure threshold")
        if state.result_writer is not MISSING:
            results = self._write_results(state, results, effective, ctx, variables, bindings)
        self.history.add("MapStateSucceeded")
        if bindings is not None:
            return self._finish_jsonata(state, raw, results, ctx(), variables)
        return self._finish_jsonpath(state, raw, results, ctx, variables)

    def _write_results(self, state: MapState, results: list, effective: Any, ctx, variables: Variables,
                       bindings: dict | None) -> Any:
        writer = state.result_writer if isinstance(state.result_writer, dict) else {}
        target = writer.get("Arguments" if bindings is not None else "Parameters", MISSING)
        if target is not MISSING:
            target = ja.evaluate_template(target, bindings, self.rng, "Arguments") if bindings is not None \
                else self._template(target, effective, ctx, variables)
        run_id = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        machine_arn = str(self.machine_ctx.get("Id", ""))
        region_account = machine_arn.split(":")[3:5] if machine_arn.count(":") >= 6 else ["us-east-1", "123456789012"]
        arn = (f"arn:aws:states:{region_account[0]}:{region_account[1]}:mapRun:"
               f"{self.machine_ctx.get('Name', 'LocalMachine')}/{state.name}:{run_id}")
        return written_results(results, writer, target, (arn, run_id))

    # ---- concurrency on the virtual clock

    def _scope_job(self, machine: Machine, data: Any, variables: Variables, scope: str,
                   map_name: str | None = None, index: int | None = None) -> Callable[[], Any]:
        def job():
            if map_name is None:
                return self.run_scope(machine, data, variables, scope)
            self.history.add("MapIterationStarted", {"name": map_name, "index": index})
            try:
                out = self.run_scope(machine, data, variables, scope)
            except (StatesError, ExecutionTimeout):
                self.history.add("MapIterationFailed", {"name": map_name, "index": index})
                raise
            self.history.add("MapIterationSucceeded", {"name": map_name, "index": index})
            return out

        return job

    def _run_concurrently(self, jobs: list, limit: int | None, stop_on_failure: bool) -> list[tuple]:
        """Run branch/iteration jobs as the service schedules them: all at once (or ``limit`` at
        a time), interleaved on the virtual clock (:mod:`analyzer.interp.scheduler`). With
        ``stop_on_failure`` every job still running when one fails is stopped, and none starts
        after it. Returns, per job that ended, ``(end time, exception or None, output)``."""
        return Scheduler(self.clock, (StatesError, ExecutionTimeout)).run(jobs, limit, stop_on_failure)

    def _finish_at(self, outcomes: list[tuple]) -> None:
        """The state ends when its last branch or iteration does."""
        if outcomes:
            self.clock.elapsed = max(self.clock.elapsed, max(o[0] for o in outcomes))

    def _max_concurrency(self, state: MapState, effective: Any, ctx, variables: Variables) -> int | None:
        value = state.max_concurrency
        if state.max_concurrency_path is not MISSING and not state.is_jsonata:
            value = self._select(state.max_concurrency_path, effective, ctx, variables, "MaxConcurrencyPath")
        value = _number(value)
        return int(value) if value is not None and value >= 1 else None

    def _tolerance(self, state: MapState, effective: Any, ctx, variables: Variables):
        """(count, percentage) when the Map tolerates failed items, else None (the first failure fails it)."""
        count = self._number_field(state, state.tolerated_failure_count, state.tolerated_failure_count_path,
                                   effective, ctx, variables, "ToleratedFailureCount") \
            if not state.is_jsonata else _number(state.tolerated_failure_count)
        percentage = self._number_field(state, state.tolerated_failure_percentage,
                                        state.tolerated_failure_percentage_path, effective, ctx, variables,
                                        "ToleratedFailurePercentage") \
            if not state.is_jsonata else _number(state.tolerated_failure_percentage)
        if not state.is_distributed:
            return None  # tolerated failures are a Map Run (distributed) feature
        if count is None and percentage is None:
            # A distributed Map run tolerates no failed item by default and then fails as a whole
            # with States.ExceedToleratedFailureThreshold; an inline Map fails with the item's error.
            return 0, None
        return count, percentage

    def _batch(self, state: MapState, inputs: list, effective: Any, ctx, variables: Variables,
               bindings: dict | None) -> list:
        batcher = state.item_batcher if isinstance(state.item_batcher, dict) else {}
        per_batch = batcher.get("MaxItemsPerBatch")
        if bindings is None and "MaxItemsPerBatchPath" in batcher:
            per_batch = self._select(batcher["MaxItemsPerBatchPath"], effective, ctx, variables,
                                     "MaxItemsPerBatchPath")
        max_bytes = batcher.get("MaxInputBytesPerBatch")
        if bindings is None and "MaxInputBytesPerBatchPath" in batcher:
            max_bytes = self._select(batcher["MaxInputBytesPerBatchPath"], effective, ctx, variables,
                                     "MaxInputBytesPerBatchPath")
        batch_input = batcher.get("BatchInput", MISSING)
        if batch_input is not MISSING:
            if bindings is not None:
                batch_input = ja.evaluate_template(batch_input, bindings, self.rng, "BatchInput")
            else:
                batch_input = self._template(batch_input, effective, ctx, variables)
        return batch_items(inputs, _number(per_batch), _number(max_bytes), batch_input)


# ---------------------------------------------------------------------- module helpers


def _next(state: State) -> str | None:
    if state.end is True:
        return None
    if isinstance(state.next, str):
        return state.next
    raise Abort(INVALID_DEFINITION, f"state {state.name!r} has neither Next nor End")


def _earliest_failure(outcomes: list[tuple]) -> tuple | None:
    """The failure the service would see first: earliest end time, then branch/item order."""
    failed = [o for o in outcomes if o[1] is not None]
    return min(failed, key=lambda o: o[0]) if failed else None


def _number(value: Any) -> Any:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _within_limit(state: State, output: Any) -> Any:
    """The output of a Task, Parallel or Map state, unless it is over the payload quota
    (asl-semantics §4: States.DataLimitExceeded, which no Catch takes). A Map or Parallel
    that gathers many results is the usual way a workflow runs into it."""
    if _size(output) > PAYLOAD_LIMIT:
        raise StatesError("States.DataLimitExceeded",
                          f"The output of the state '{state.name}' exceeds the maximum of {PAYLOAD_LIMIT} bytes")
    return output


def _size(value: Any) -> int:
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))


def _short(value: Any, limit: int = 200) -> str:
    text = compact(value)
    return text if len(text) <= limit else text[:limit] + "..."


def _first_missing(rule, lookup) -> str:
    """The first path of a rule that selects nothing (for the States.Runtime cause)."""
    for r in rule.walk():
        if isinstance(r.variable, str) and lookup(r.variable) is MISSING:
            return r.variable
        if r.operator and r.operator.endswith("Path") and isinstance(r.operand, str) \
                and lookup(r.operand) is MISSING:
            return r.operand
    return str(rule.variable)


__all__ = ["run", "Interpreter", "ExecutionResult", "merge_result", "SUCCEEDED", "FAILED", "TIMED_OUT"]
