"""Witnesses for explored paths, confirmed by a concrete run, and the greedy choice of test cases.

A path becomes a witness when the solver gives a model of its path condition (tidied by
:func:`analyzer.symbolic.witness.preferences`) and a concrete run of that input with those
mocks follows exactly the predicted states and ends the predicted way. Runs use the
project interpreter (``analyzer.interp.run``) when it is importable, else the replay in
:mod:`analyzer.symbolic.replay`. A *precise* path (no unmodelled construct on it) whose
run disagrees is an internal error; an imprecise one is merely unconfirmed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Optional

from analyzer.model.nodes import MISSING
from analyzer.symbolic.symexec import CUT, INPUT, Explorer, PathRecord, throws_for
from analyzer.symbolic.solver import z3
from analyzer.symbolic.terms import JSON_TEXT, Arr, Conc, Ref, Unmodelled, lookup
from analyzer.symbolic.witness import build_value, preference_tiers, timestamp_facts, timestamp_pins


@dataclass
class Witness:
    input: Any
    mocks: dict
    path: list
    status: str
    error: Optional[str]
    output: Any = None
    engine: str = ""

    def as_data(self) -> dict:
        data = {"input": self.input, "path": list(self.path)}
        if self.mocks:
            data["mocks"] = self.mocks
        return data


@dataclass
class Confirmation:
    witness: Optional[Witness]
    mismatch: Optional[str] = None  # set for a precise path whose run disagreed


def model_witness(explorer: Explorer, record: PathRecord) -> Optional[Witness]:
    checker = explorer.checker
    origins = {INPUT} | {o for e in record.events for o in (e.origin, e.error_origin, e.cause_origin) if o}
    explorer._flush_axioms()
    model = None
    for tier in preference_tiers(explorer.store, origins) + [[]]:
        if checker.check(*record.pc, *tier) == "sat":
            model = checker.model()
            if model is not None:
                break
    if model is None:
        return None
    try:
        model = _consistent_timestamps(checker, list(record.pc) + list(tier), model, explorer.store)
        if model is None:
            return None
        return _witness_from(explorer, record, model)
    except z3().Z3Exception:
        return None


def _consistent_timestamps(checker, base: list, model, store, rounds: int = 4):
    """A model whose strings agree with their timestamp view (see ``timestamp_facts``), each
    timestamp spelled as its instant where the path allows; None when no such model was found
    (the path then stays unknown: nothing is claimed dead on this account)."""
    facts: list = []
    for _ in range(rounds):
        pins = timestamp_pins(model, store)
        if pins and checker.check(*base, *facts, *pins) == "sat":
            pinned = checker.model()
            if pinned is not None and not timestamp_facts(pinned, store):
                return pinned
        new = timestamp_facts(model, store)
        if not new:
            return model
        facts += new
        if checker.check(*base, *facts) != "sat":
            return None
        model = checker.model()
        if model is None:
            return None
    return model if not timestamp_facts(model, store) else None


def _witness_from(explorer: Explorer, record: PathRecord, model) -> Optional[Witness]:
    value = build_value(model, explorer.store, INPUT)
    mocks: dict = {}
    returns: dict = {}  # task origin -> the Return mock, so parsed JSON strings can be written into it
    links = []
    for event in record.events:
        if event.link is not None:
            links.append(event.link)
            continue
        queue = mocks.setdefault(event.state, [])
        if event.origin is not None:
            result = build_value(model, explorer.store, event.origin)
            queue.append({"Return": {} if result is MISSING else result})
            returns[event.origin] = queue[-1]
        elif event.inner:
            mocks.pop(event.state, None)
            error = build_value(model, explorer.store, event.error_origin)
            cause = build_value(model, explorer.store, event.cause_origin)
            throw_inside(explorer.machine.states[event.state], error, cause, mocks)
        else:
            error = build_value(model, explorer.store, event.error_origin)
            cause = build_value(model, explorer.store, event.cause_origin)
            throws = throws_for(explorer.machine.states[event.state], error) if isinstance(error, str) else None
            if throws is None:
                return None
            queue.extend({"Throw": {"Error": error, "Cause": cause}} for _ in range(throws))
    value = {} if value is MISSING else value
    filtered: dict = {}  # (origin, steps) -> elements: several filters of one list share it
    for link in links:
        if len(link) == 3:  # written back only when the path tests the derived value (else the source stays)
            source, origin, kind = link
            if not _origin_tested(record.pc, explorer.store, origin):
                continue
            if kind == JSON_TEXT:  # States.JsonToString: the value whose JSON text the solver chose
                text = _from_json_text(build_value(model, explorer.store, origin))
            elif isinstance(source, Arr):  # a filter over known items: the first ones made to pass it
                elements = _passing(build_value(model, explorer.store, origin), kind[1], kind[2], kind[3])
                for item in source.items:
                    tested = lookup(item, kind[1])
                    if not elements:
                        break
                    if isinstance(tested, Conc) and tested.value != kind[2]:
                        continue  # this item fails the filter whatever the input
                    if not isinstance(tested, (Conc, Ref)):
                        break  # unknown whether it passes: the run decides
                    for ref, leaf in _leaves_into(item, elements.pop(0)):
                        value = _write_ref(value, returns, ref, leaf)
                continue
            else:  # a filter: the chosen elements, each made to pass it
                text = filtered.setdefault((source.origin, source.steps), [])
                text.extend(_passing(build_value(model, explorer.store, origin), kind[1], kind[2], kind[3]))
        else:
            source, origin = link
            parsed = build_value(model, explorer.store, origin)
            text = json.dumps({} if parsed is MISSING else parsed, separators=(",", ":"))
        value = _write_ref(value, returns, source, text)
    inner_task_mocks(explorer.machine, record.trace, mocks)
    if record.status == CUT:
        pad_for_continuation(explorer.machine, mocks)
    return Witness(value, mocks, list(record.trace), record.status, record.error)


def _write_ref(value: Any, returns: dict, ref: Ref, text: Any) -> Any:
    """Write ``text`` where ``ref`` names it: into the input (the new input is returned) or a Task's mock."""
    if ref.origin == INPUT:
        return _write_at(value, ref.steps, text)
    if ref.origin in returns:
        returns[ref.origin]["Return"] = _write_at(returns[ref.origin]["Return"], ref.steps, text)
    return value


def _leaves_into(term: Any, element: Any, depth: int = 0) -> list:
    """(Ref, value) pairs that make the value of ``term`` agree with ``element`` on its scalar leaves.

    Objects are followed key by key through the term (a Ref, or an object template whose
    fields are Refs); what the term fixes itself (a constant) is left alone, the run decides.
    """
    if isinstance(element, dict) and depth < 16:
        return [pair for key, sub in element.items() for pair in _leaves_into(lookup(term, (key,)), sub, depth + 1)]
    return [(term, element)] if isinstance(term, Ref) else []


def _origin_tested(conditions, store, origin) -> bool:
    """Whether the z3 ``conditions`` mention any value below ``origin`` other than through its
    root's presence and type (which the typing requirement itself states)."""
    z = z3()
    names, seen, stack = set(), set(), list(conditions)
    while stack:
        e = stack.pop()
        if not z.is_expr(e) or e.get_id() in seen:
            continue
        seen.add(e.get_id())
        if z.is_const(e) and e.decl().kind() == z.Z3_OP_UNINTERPRETED:
            names.add(e.decl().name())
        stack.extend(e.children())
    for (o, steps), v in list(store.values.items()):
        if o != origin:
            continue
        terms = (v.text, v.num, v.length, v.flag) if not steps else (v.present, v.tag, v.text, v.num, v.length)
        if any(str(t) in names for t in terms):
            return True
    return False


def _passing(chosen: Any, tested: tuple, literal: Any, suffix: tuple) -> list:
    """Elements that all pass ``[?(@.<tested> == literal)]`` and select the chosen entries at ``suffix``."""
    if not isinstance(chosen, list):
        return []
    out = []
    for entry in chosen:
        if suffix:
            element = _write_at({}, suffix, entry)
        else:
            element = dict(entry) if isinstance(entry, dict) else {}
        out.append(_write_at(element, tested, literal))
    return out


def _from_json_text(text: Any) -> Any:
    """The value whose compact JSON text is ``text``; else ``text`` itself (its JSON text contains it)."""
    if not isinstance(text, str):
        return ""
    try:
        value = json.loads(text)
    except ValueError:
        return text
    return value if json.dumps(value, separators=(",", ":")) == text else text


def _write_at(root: Any, steps: tuple, text: str) -> Any:
    """``root`` with the string ``text`` at ``steps`` (objects created on the way; arrays padded with null)."""
    if not steps:
        return text
    step = steps[0]
    if isinstance(step, int):
        arr = list(root) if isinstance(root, list) else []
        while len(arr) <= step:
            arr.append(None)
        arr[step] = _write_at(arr[step], steps[1:], text)
        return arr
    obj = dict(root) if isinstance(root, dict) else {}
    obj[step] = _write_at(obj.get(step), steps[1:], text)
    return obj


PAD_RUNS = 3  # extra plain results per Task so that a run can go on past a loop-bounded prefix


def pad_for_continuation(machine, mocks: dict) -> None:
    """After a prefix the run continues on its own: give every Task a few more ``{}`` results.

    Mocks are consumed in order, so the prefix behaves exactly as predicted; the padding
    only lets the run finish instead of stopping at a Task without a mock.
    """
    from analyzer.model.nodes import TaskState

    for state in machine.walk_states():
        if isinstance(state, TaskState):
            mocks.setdefault(state.name, []).extend({"Return": {}} for _ in range(PAD_RUNS))


def throw_inside(state, error, cause, mocks: dict) -> None:
    """Make every Task inside a Parallel/Map throw ``error``, so that the state itself fails with it."""
    from analyzer.model.nodes import MapState, ParallelState, TaskState

    if isinstance(state, MapState) and state.item_reader is not MISSING:
        # the ItemReader is mocked under the Map's name: reading the items fails with the error
        mocks[state.name] = [{"Throw": {"Error": error, "Cause": cause}} for _ in range(INNER_RUNS)]
        return
    scopes = state.branches if isinstance(state, ParallelState) else \
        ((state.processor,) if isinstance(state, MapState) and state.processor is not None else ())
    for scope in scopes:
        for inner in scope.walk_states():
            if isinstance(inner, TaskState):
                mocks[inner.name] = [{"Throw": {"Error": error, "Cause": cause}} for _ in range(INNER_RUNS)]


INNER_RUNS = 25  # mocked results per Task inside a Parallel branch or Map processor


def inner_task_mocks(machine, trace, mocks: dict) -> None:
    """Tasks inside a Parallel/Map get plain ``{}`` results after any the path modelled.

    The interpreter then runs the branches for real; whether the path is followed is still
    decided by the run, so a branch that needs more than ``{}`` just leaves the case unconfirmed.
    A Map with an ItemReader reads no items (its reader is mocked under the Map's name).
    """
    from analyzer.model.nodes import MapState, ParallelState, TaskState

    top = set(machine.states)
    padded: dict = {}
    for name in dict.fromkeys(trace):
        state = machine.states.get(name)
        if not isinstance(state, (ParallelState, MapState)):
            continue
        if isinstance(state, MapState) and state.item_reader is not MISSING and name not in mocks:
            mocks[name] = [{"Return": []} for _ in range(INNER_RUNS)]  # the ItemReader finds no items
        for scope in (state.branches if isinstance(state, ParallelState) else
                      ((state.processor,) if state.processor is not None else ())):
            for inner in scope.walk_states():
                if isinstance(inner, TaskState) and inner.name not in top and not padded.get(inner.name):
                    # after the results the path modelled (a Map over known items), so that a later,
                    # unmodelled visit of the same state still gets answers
                    mocks.setdefault(inner.name, []).extend({"Return": {}} for _ in range(INNER_RUNS))
                    padded[inner.name] = True


def run_concrete(machine, definition_value, value, mocks, expected_path=None):
    """(status, path, output, error, engine) of a concrete run, or None when it cannot be run."""
    try:
        from analyzer.interp.interpreter import run as interp_run  # the project interpreter, when present
    except ImportError:
        interp_run = None
    if interp_run is not None:
        try:
            res = interp_run(definition_value, value, mocks=mocks, history=False,
                             max_transitions=max(200, 20 * len(expected_path or ())))
        except Exception:  # noqa: BLE001 - an interpreter failure is reported as unconfirmed
            return None
        return (getattr(res, "status", None), list(getattr(res, "path", []) or []), getattr(res, "output", None),
                getattr(res, "error", None), "interpreter")
    from analyzer.symbolic.replay import replay

    try:
        r = replay(machine, value, mocks)
    except Unmodelled:
        return None
    return r.status, r.path, r.output, r.error, r.engine


def confirm(explorer: Explorer, definition_value, record: PathRecord) -> Confirmation:
    w = model_witness(explorer, record)
    if w is None:
        return Confirmation(None)
    ran = run_concrete(explorer.machine, definition_value, w.input, w.mocks, w.path)
    if ran is None:
        if record.imprecise:
            return Confirmation(None)
        return Confirmation(None, "the witness could not be run")
    status, path, output, error, engine = ran
    if w.status == CUT and path[:len(w.path)] == w.path:
        if str(error or "").startswith("aslcheck."):
            # the run follows the prefix and then never ends (the tool stopped it): nothing to
            # write as a case, and nothing contradicted
            return Confirmation(None)
        w.path, w.status, w.output, w.engine, w.error = list(path), status, output, engine, error
        return Confirmation(w)
    same_error = not str(error or "").startswith("aslcheck.")  # a tool-side stop (missing mock) confirms nothing
    if path == w.path and status == w.status and same_error:
        w.output, w.engine = output, engine
        if error is not None:
            w.error = error
        return Confirmation(w)
    if record.imprecise:
        return Confirmation(None)
    return Confirmation(None, f"predicted {w.status} via {w.path}, the run gave {status} via {path}")


@dataclass
class Selection:
    cases: list = field(default_factory=list)  # (Witness, covered goals)
    covered: set = field(default_factory=set)
    mismatches: list = field(default_factory=list)


def select_cases(explorer: Explorer, definition_value, goals: list, paths: list, budget: float = 3.0,
                 max_failures: int = 24) -> Selection:
    """Greedy set cover: repeatedly confirm the path that covers the most goals not yet covered.

    Confirming costs a solver model and an interpreter run, so the search stops after
    ``budget`` seconds or ``max_failures`` unconfirmed paths; what is left stays unknown.
    """
    import time

    deadline = time.perf_counter() + budget
    wanted = set(goals)
    sel = Selection()
    remaining = list(paths)
    failures = 0
    while remaining and time.perf_counter() < deadline and failures < max_failures:
        best, gain = None, set()
        for record in remaining:
            new = (set(record.goals) & wanted) - sel.covered
            if len(new) > len(gain):
                best, gain = record, new
        if best is None:
            break
        remaining.remove(best)
        c = confirm(explorer, definition_value, best)
        if c.mismatch:
            sel.mismatches.append(c.mismatch)
        if c.witness is not None:
            sel.cases.append((c.witness, sorted(gain, key=str)))
            sel.covered |= gain
        else:
            failures += 1
    return sel


def probe_states(machine, definition_value, wanted: set, max_transitions: int = 2000):
    """A plain run that enters states the solver's witnesses did not reach, or None.

    Some states are entered by every execution but sit behind constructs outside the model
    (intrinsics over arbitrary data, JSONata functions), so no witness is confirmed for them.
    The execution on the empty input, with every Task answering ``{}``, still enters
    whatever it enters before it ends or fails; the interpreter is the referee, so the states
    it entered are covered by a case that records exactly what happened. Only state goals are
    taken this way (which Choice rule matched is not visible in the run), and a run the tool
    itself stops (a transition limit) is not used.
    """
    from analyzer.interp.interpreter import run as interp_run
    from analyzer.model.nodes import TaskState

    tasks = sorted({s.name for s in machine.walk_states() if isinstance(s, TaskState)})
    mocks = {name: {"Return": {}} for name in tasks}
    try:
        result = interp_run(definition_value, {}, mocks=mocks, history=False, max_transitions=max_transitions)
    except Exception:  # noqa: BLE001 - a probe that cannot run covers nothing
        return None
    if str(result.error or "").startswith("aslcheck."):
        return None
    entered = {("state", t["state"]) for t in result.trace if t.get("scope") == ""}
    gained = entered & wanted
    if not gained:
        return None
    called = {name for t in result.trace if (name := t["state"]) in mocks}
    expect = {"status": result.status, "path": list(result.path), "output": result.output}
    if result.error:
        expect["error"] = result.error
    return {"input": {}, "mocks": {name: mocks[name] for name in sorted(called)}, "expect": expect}, gained
