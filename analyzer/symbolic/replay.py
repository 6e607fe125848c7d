"""Concrete replay of a witness, used to confirm it when the project interpreter is not available.

The replay runs the top-level scope on a concrete input with the mocked Task outcomes,
through the same data-flow functions (:mod:`analyzer.symbolic.terms`) on concrete terms,
and decides every Choice with :func:`analyzer.semantics.choice.evaluate_choice_concrete`
(the interpreter's own Choice code). :func:`confirm` prefers the interpreter
(``analyzer.interp.run``) whenever it can be imported.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from analyzer.model.nodes import (MISSING, ChoiceState, FailState, MapState, Machine, ParallelState, PassState,
                                  SucceedState, TaskState, WaitState)
from analyzer.semantics.choice import evaluate_choice_concrete
from analyzer.semantics.errors import matches
from analyzer.symbolic.symexec import task_needs, wait_needs
from analyzer.symbolic.terms import (Conc, Env, Flow, Unmodelled, materialize, place_result, select, template,
                                     value_has_kind)


@dataclass
class Run:
    status: str
    path: list
    output: Any = None
    error: Optional[str] = None
    engine: str = "replay"


class _Fail(Exception):
    def __init__(self, error: str) -> None:
        self.error = error


def _check(flow: Flow) -> None:
    if flow.imprecise:
        raise Unmodelled("a construct outside the model")
    for term in flow.must_exist:
        if materialize(term) is MISSING:
            raise _Fail("States.Runtime")
    for term, kind in flow.typed:
        if not value_has_kind(materialize(term), kind):
            raise _Fail("States.Runtime")
    for term in flow.must_be_object:
        v = materialize(term)
        if v is not MISSING and not isinstance(v, dict):
            raise _Fail("States.ResultPathMatchFailure")


def replay(machine: Machine, value: Any, mocks: dict, max_steps: int = 1000) -> Run:
    """Run the top-level scope concretely; raises :class:`Unmodelled` outside the modelled subset."""
    env = Env(Conc(value))
    pending = {k: list(v) for k, v in (mocks or {}).items()}
    doc = Conc(value)
    name = machine.start_at
    path: list = []
    for _ in range(max_steps):
        state = machine.states.get(name) if isinstance(name, str) else None
        if state is None:
            raise Unmodelled(f"no state {name!r}")
        if state.is_jsonata or isinstance(state, (ParallelState, MapState)):
            raise Unmodelled("JSONata and Parallel/Map are not replayed")
        path.append(name)
        if state.assign is not MISSING:
            raise Unmodelled("Assign is not replayed")
        try:
            if isinstance(state, FailState):
                return Run("FAILED", path, None, state.error if isinstance(state.error, str) else None)
            flow = Flow(doc)
            effective = select(env, doc, state.input_path, flow)
            _check(flow)
            if isinstance(state, SucceedState):
                flow = Flow(doc)
                out = select(env, effective, state.output_path, flow)
                _check(flow)
                return Run("SUCCEEDED", path, materialize(out))
            if isinstance(state, ChoiceState):
                def read(p: str, eff=effective):
                    term, exact = env.read(eff, p)
                    if not exact:
                        raise Unmodelled(f"path {p!r}")
                    return materialize(term)

                kind, index = evaluate_choice_concrete(state.choices, read)
                if kind == "error":
                    raise _Fail("States.Runtime")
                flow = Flow(doc)
                out = select(env, effective, state.output_path, flow)
                _check(flow)
                target = state.choices[index].next if kind == "rule" else state.default
                if kind == "default" and target is MISSING:
                    raise _Fail("States.NoChoiceMatched")
                doc, name = Conc(materialize(out)), target
                continue
            if isinstance(state, WaitState):
                flow = Flow(doc)
                wait_needs(env, state, effective, flow)
                out = select(env, effective, state.output_path, flow)
                _check(flow)
            elif isinstance(state, PassState):
                flow = Flow(doc)
                if state.parameters is not MISSING:
                    result = template(env, effective, state.parameters, flow)
                elif state.result is not MISSING:
                    result = Conc(state.result)
                else:
                    result = effective
                out = select(env, place_result(doc, result, state.result_path, flow), state.output_path, flow)
                _check(flow)
            elif isinstance(state, TaskState):
                flow = Flow(doc)
                if state.parameters is not MISSING:
                    template(env, effective, state.parameters, flow)
                task_needs(state, env, effective, flow)
                _check(flow)
                outcome = _task_outcome(state, pending)
                if "Throw" in outcome:
                    err = outcome["Throw"]
                    for catcher in state.catch:
                        if matches(err.get("Error", ""), catcher.error_equals):
                            flow = Flow(doc)
                            caught = Conc({"Error": err.get("Error"), "Cause": err.get("Cause")})
                            doc2 = place_result(doc, caught, catcher.result_path, flow)
                            _check(flow)
                            doc, name = Conc(materialize(doc2)), catcher.next
                            break
                    else:
                        raise _Fail(err.get("Error", "States.TaskFailed"))
                    continue
                flow = Flow(doc)
                result = Conc(outcome.get("Return"))
                if state.result_selector is not MISSING:
                    result = template(env, result, state.result_selector, flow)
                out = select(env, place_result(doc, result, state.result_path, flow), state.output_path, flow)
                _check(flow)
            else:
                raise Unmodelled(f"state type {state.type!r}")
        except _Fail as failure:
            return Run("FAILED", path, None, failure.error)
        if state.end is True:
            return Run("SUCCEEDED", path, materialize(out))
        doc, name = Conc(materialize(out)), state.next
    raise Unmodelled("step limit")


def _task_outcome(state: TaskState, pending: dict) -> dict:
    """The next mocked outcome after retries: a Throw that a retrier retries consumes the next mock."""
    attempts: dict[int, int] = {}
    while True:
        queue = pending.get(state.name)
        if not queue:
            raise Unmodelled(f"no mock left for {state.name!r}")
        outcome = queue.pop(0)
        if "Throw" not in outcome:
            return outcome
        error = outcome["Throw"].get("Error", "")
        for i, retrier in enumerate(state.retry):
            if matches(error, retrier.error_equals):
                if attempts.get(i, 0) < retrier.attempts:
                    attempts[i] = attempts.get(i, 0) + 1
                    break
                return outcome
        else:
            return outcome
