"""Path-sensitive symbolic execution of a state machine's top-level scope.

Starting at ``StartAt`` with the execution input as an unknown document, every state's
data flow (InputPath, Parameters, ResultSelector, ResultPath, OutputPath, Pass Result, and
for JSONata the plain-path and literal ``Output``/``Assign``/``Arguments`` of
:mod:`analyzer.symbolic.jsonata_flow`) is applied to symbolic terms
(:mod:`analyzer.symbolic.terms`); a Task result is a fresh unknown document (it becomes a
mock), a Catch edge is taken by mocking an error, Choice forks on the outcomes of the
shared Choice semantics evaluated in the z3 domain, Parallel branches are explored and
their paths combined, and a Map is explored over arrays of 0, 1 and 2 items (its result
on longer arrays stays unknown). Workflow variables bound by a modelled ``Assign`` ride
along each path. A loop is unrolled up to ``loop_unroll`` *forking* turns per state per
path: a turn decided by concrete data (a counter, a fixed list) does not use up the bound.

The search is a depth-first walk that keeps the path condition as a list of solver
assumptions. It records which states, Choice rules, Defaults and Catches some feasible
path takes, the paths themselves (for witnesses and test cases), and whether the walk
was *complete*: no path cut by the loop bound or the path budget, no solver query left
undecided, and no value modelled on a subset of its inputs only. Only a complete walk may
call something infeasible. Constructs outside the exact model (filters, most intrinsics
and JSONata, results of long Maps) become unknown values: that keeps every infeasibility
claim sound, and a witness that depends on them is simply not confirmed by the run.

A Catch on a Parallel or Map whose scopes hold no Task can only see the finite set of errors
:func:`analyzer.symbolic.raised.possible_errors` lists, and an error from inside a Map needs a
non-empty array of items; a JSONPath Choice branch is taken only with the paths its ``Assign``
objects read present.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Optional

from analyzer.model.nodes import (MISSING, ChoiceState, FailState, MapState, Machine, ParallelState, PassState,
                                  State, SucceedState, TaskState, WaitState)
from analyzer.semantics.choice import choice_outcomes
from analyzer.semantics.errors import ALL, TASK_FAILED, TIMEOUT, UNCATCHABLE, matches
from analyzer.symbolic.domain import Z3Domain, simplify_and
from analyzer.symbolic.jsonata_flow import Evaluation, assign, evaluate
from analyzer.symbolic.raised import QUERY as QUERY_ERROR, own_errors, possible_errors
from analyzer.symbolic.solver import Budget, Checker, z3
from analyzer.symbolic.terms import (INT32, Arr, Conc, Env, FirstToken, Flow, Havoc, Obj, Overlay, Ref, Slice, Sum,
                                     Term, lookup,
                                     place_result, select, template)
from analyzer.symbolic.values import ARR, NUM, OBJ, STR, Store, SymValue, constant, fresh, timestamp_view

INPUT = ("input",)
CUT = "CUT"  # the status of a path prefix stopped by the loop bound
MAX_THROWS = 10
MAP_ITEMS = 2  # a Map is explored exactly over arrays of 1..MAP_ITEMS items (and 0)
DETERMINISTIC_TURNS = 32  # visits of one state on one path when no turn forks (a concrete infinite loop)
MAX_COMBINATIONS = 16  # combined paths of the branches of one Parallel state  # a mocked error is thrown once per attempt; more retries than this are not mocked


@dataclass(frozen=True)
class Event:
    """One mocked Task outcome on a path: a result (``origin``) or a thrown error."""

    state: str
    origin: Optional[tuple] = None
    error_origin: Optional[tuple] = None  # a thrown error: its name and cause are solver strings
    cause_origin: Optional[tuple] = None
    #: the error comes from inside a Parallel/Map: its Tasks throw it (the run decides whether it propagates)
    inner: bool = False
    #: not a mock: (string term, origin) of a ``States.StringToJson`` (see :attr:`Flow.links`)
    link: Optional[tuple] = None


@dataclass
class PathRecord:
    """One feasible path: the states in order, how it ended, and its path condition."""

    trace: tuple
    status: str  # SUCCEEDED | FAILED
    error: Optional[str]
    pc: tuple
    events: tuple
    goals: tuple
    imprecise: bool
    missing_read: Optional[dict] = None  # a read of a value the machine itself never wrote
    output: Any = None  # the output term of a SUCCEEDED path (used to compose Parallel branches)


@dataclass
class Exploration:
    paths: list = field(default_factory=list)
    reached: set = field(default_factory=set)  # goals some feasible path takes
    complete: bool = True
    cut_reasons: list = field(default_factory=list)
    queries: int = 0
    unknowns: int = 0
    seconds: float = 0.0


@dataclass
class _Frame:
    state: str
    doc: Term
    pc: tuple
    visits: tuple  # ((name, counted turns, all turns, path-condition length at the last turn), ...)
    trace: tuple
    events: tuple
    goals: tuple
    imprecise: bool
    #: workflow variables bound on this path: ((name, Term), ...); an unbound name is unknown
    variables: tuple = ()


def state_goal(name: str) -> tuple:
    return ("state", name)


class Explorer:
    """Explores one scope (the top level) of a machine; see the module docstring."""

    def __init__(self, machine: Machine, solver_settings=None, time_budget: float = 3.0,
                 check_requirements: bool = True) -> None:
        self.machine = machine
        #: False (lint): requirements such as "this path is present" join the path condition
        #: unchecked, so only Choice and Catch branches cost a query. Reached goals then
        #: over-approximate, which keeps every "never reached" claim sound.
        self.check_requirements = check_requirements
        self.store = Store()
        self.checker = Checker(Budget.from_settings(solver_settings))
        self.unroll = max(1, int(getattr(solver_settings, "loop_unroll", 2) or 2))
        self.max_paths = max(1, int(getattr(solver_settings, "max_paths", 256) or 256))
        self.time_budget = time_budget
        self.env = Env(Ref(INPUT))
        self.result = Exploration()
        self._task_visits = 0
        self.start_doc: Term = Ref(INPUT)  # a Parallel branch starts from the branch input instead
        self.start_pc: tuple = ()
        self.approximated = False  # a JSONata path was read as if it could not step through an array
        self._branch_paths: list = []  # the succeeding paths of each branch of the last Parallel explored
        self._branch_failures: list = []  # the paths of those branches that end in a Fail state
        #: the last Map explored had a known list of items and every way it can succeed was explored
        self._map_exact = False

    # ------------------------------------------------------------------ terms → z3

    def sym(self, term: Term) -> tuple[SymValue, bool]:
        """(value, exact) of a term."""
        if isinstance(term, Conc):
            return constant(term.value), True
        if isinstance(term, Ref):
            return self.store.get(term.origin, term.steps), True
        if isinstance(term, (Obj, Overlay)):
            return constant({}), True
        if isinstance(term, Arr):
            return constant([]), True  # only the type matters to Choice rules
        if isinstance(term, Sum):
            return self._sum(term)
        if isinstance(term, FirstToken):
            return self._first_token(term)
        if isinstance(term, Slice):
            return self._slice(term)
        return fresh(), False

    def _slice(self, term: Slice) -> tuple[SymValue, bool]:
        """``[k:]``: present when the sliced value is; an array of the remaining items (empty for non-arrays)."""
        m = z3()
        v, exact = self.sym(term.base)
        if not exact or v.length is None:
            return fresh(), False
        rest = m.If(m.And(v.tag == ARR, v.length > term.start), v.length - term.start, 0)
        return SymValue(v.present, m.IntVal(ARR), m.RealVal(0), m.StringVal(""), m.BoolVal(False), m.RealVal(0),
                        m.BoolVal(False), length=rest), True

    def _first_token(self, term: FirstToken) -> tuple[SymValue, bool]:
        """The text before the first delimiter, or all of it (the ``split0`` requirement holds)."""
        m = z3()
        v, exact = self.sym(term.source)
        if not exact:
            return fresh(), False
        d = m.StringVal(term.delimiter)
        text = m.If(m.Contains(v.text, d), m.SubString(v.text, 0, m.IndexOf(v.text, d, 0)), v.text)
        return SymValue(m.BoolVal(True), m.IntVal(STR), m.RealVal(0), text, m.BoolVal(False), m.RealVal(0),
                        m.BoolVal(False)), True

    def _sum(self, term: Sum) -> tuple[SymValue, bool]:
        """``States.MathAdd``: each part rounded half up (``floor(x + 1/2)``), then added."""
        m = z3()
        total = m.IntVal(0)
        for part in term.parts:
            v, exact = self.sym(part)
            if not exact:
                return fresh(), False
            total = total + m.ToInt(v.num + m.RealVal("1/2"))
        return SymValue(m.BoolVal(True), m.IntVal(NUM), m.ToReal(total), m.StringVal(""), m.BoolVal(False),
                        m.RealVal(0), m.BoolVal(False)), True

    def _flush_axioms(self) -> None:
        pending = self.store.take_pending()
        if pending:
            self.checker.add(*pending)

    def feasible(self, pc: tuple) -> str:
        self._flush_axioms()
        return self.checker.check(*pc)

    # ------------------------------------------------------------------ search

    def run(self) -> Exploration:
        started = time.perf_counter()
        deadline = started + self.time_budget
        start = self.machine.start_at
        if not isinstance(start, str) or start not in self.machine.states:
            self.result.complete = False
            self.result.cut_reasons.append("no valid StartAt")
            return self.result
        stack = [_Frame(start, self.start_doc, self.start_pc, (), (), (), (), False)]
        while stack:
            if time.perf_counter() > deadline or len(self.result.paths) >= self.max_paths:
                self.result.complete = False
                self.result.cut_reasons.append("path budget exhausted" if stack else "")
                break
            frame = stack.pop()
            stack.extend(reversed(self._step(frame)))
        self.result.queries = self.checker.queries
        self.result.unknowns = self.checker.unknowns
        if self.checker.unknowns:
            self.result.complete = False
            self.result.cut_reasons.append("a solver query was undecided")
        self.result.seconds = time.perf_counter() - started
        return self.result

    def _finish(self, f: _Frame, status: str, error: Optional[str] = None, missing: Optional[dict] = None,
                extra_goals: tuple = (), output: Any = None) -> None:
        self.result.paths.append(PathRecord(f.trace, status, error, f.pc, f.events, f.goals + extra_goals,
                                            f.imprecise, missing, output))

    def _step(self, f: _Frame) -> list:
        state = self.machine.states.get(f.state)
        if state is None:
            return []
        visits = {v[0]: tuple(v[1:]) for v in f.visits}
        count, total, pc_len = visits.get(f.state, (0, 0, -1))
        # A turn of a loop that added nothing to the path condition was decided by concrete
        # data (a counter, a fixed list): it costs no fork, so it does not use up the bound.
        if pc_len != len(f.pc):
            count += 1
        total += 1
        if count > self.unroll or total > DETERMINISTIC_TURNS:
            self.result.complete = False
            self.result.cut_reasons.append(f"loop bound {self.unroll} reached at {f.state}")
            self._finish(f, CUT)  # a prefix: its witness is confirmed by a run that starts this way
            return []
        visits[f.state] = (count, total, len(f.pc))
        goal = state_goal(f.state)
        self.result.reached.add(goal)
        f = _Frame(f.state, f.doc, f.pc, tuple(sorted((k,) + v for k, v in visits.items())), f.trace + (f.state,),
                   f.events, f.goals + (goal,), f.imprecise, f.variables)
        self.env.task, self.env.variables = task_context(state), dict(f.variables)
        if state.is_jsonata:
            return self._step_jsonata(state, f)
        if f.variables:  # JSONPath Assign is not modelled: what it binds (here or in a rule) becomes unknown
            variables = forget(f.variables, state.assign)
            for rule in getattr(state, "choices", ()):
                variables = forget(variables, rule.assign)
            f = _Frame(*_fields(f, variables=variables))
        self.env.variables = dict(f.variables)  # what ``$name`` paths of this state read
        flow = Flow(f.doc, imprecise=state.assign is not MISSING)  # JSONPath Assign is not modelled
        if isinstance(state, FailState):
            self._finish(f, "FAILED", state.error if isinstance(state.error, str) else None)
            return []
        effective = select(self.env, f.doc, state.input_path, flow)
        if isinstance(state, ChoiceState):
            return self._choice(state, f, effective, flow)
        if isinstance(state, SucceedState):
            out = select(self.env, effective, state.output_path, flow)
            g = self._guard(f, flow, state)
            if g is not None:
                self._finish(g, "SUCCEEDED", output=out)
            return []
        if isinstance(state, WaitState):
            wait_needs(self.env, state, effective, flow)
            out = select(self.env, effective, state.output_path, flow)
            return self._continue(state, f, out, flow)
        if isinstance(state, PassState):
            if state.parameters is not MISSING:
                result = template(self.env, effective, state.parameters, flow)
            elif state.result is not MISSING:
                result = Conc(state.result)
            else:
                result = effective
            doc = place_result(f.doc, result, state.result_path, flow)
            out = select(self.env, doc, state.output_path, flow)
            return self._continue(state, f, out, flow)
        if isinstance(state, (TaskState, ParallelState, MapState)):
            return self._task_like(state, f, effective, flow)
        return []

    def _step_jsonata(self, state: State, f: _Frame) -> list:
        """JSONata states: plain-path and literal ``Output``/``Assign`` are terms (:mod:`.jsonata_flow`).

        Any other expression gives an unknown value; Choice conditions outside the encoded
        subset are unknown booleans.
        """
        if isinstance(state, FailState):
            self._finish(f, "FAILED", state.error if isinstance(state.error, str) else None)
            return []
        if isinstance(state, ChoiceState):
            return self._jsonata_choice(state, f)
        if isinstance(state, (TaskState, ParallelState, MapState)):
            return self._task_like(state, f, Havoc("jsonata"), Flow(f.doc), jsonata=True)
        flow = Flow(f.doc)
        ev = Evaluation()
        roots = self._roots(f)
        out = evaluate(state.output, roots, ev) if state.output is not MISSING else f.doc
        variables = assign(getattr(state, "assign", MISSING), roots, ev, f.variables)
        self._apply(ev, flow)
        f = _Frame(*_fields(f, variables=variables))
        if isinstance(state, SucceedState):
            g = self._guard(f, flow, state)
            if g is not None:
                self._finish(g, "SUCCEEDED", output=out)
            return []
        if isinstance(state, WaitState):
            if any(_is_expression(getattr(state, k, MISSING)) for k in ("seconds", "timestamp")):
                flow.imprecise = True
        elif not isinstance(state, PassState):
            return []
        return self._continue(state, f, out, flow)

    def _roots(self, f: _Frame, result: Optional[Term] = None):
        """What a JSONata plain path starts from: the state input, the result, a bound variable."""
        variables = dict(f.variables)

        def roots(name: str) -> Optional[Term]:
            if name == "input":
                return f.doc
            if name == "result":
                return result
            if name == "execution":
                return self.env.execution_input
            return variables.get(name)

        return roots

    def _apply(self, ev: "Evaluation", flow: Flow) -> None:
        flow.must_exist.extend(ev.must_exist)
        if not ev.exact:
            flow.imprecise = True
        if ev.approximate:
            # a JSONata step into an array maps over it; a term step does not
            self._approximated("a JSONata path may step through an array")

    def _approximated(self, why: str) -> None:
        """Some value was modelled on a subset of the executions: no "unreachable" claims then."""
        if not self.approximated:
            self.approximated = True
            self.result.complete = False
            self.result.cut_reasons.append(why)

    def _jsonata_choice(self, state: ChoiceState, f: _Frame) -> list:
        """JSONata Conditions in the documented subset are exact; others are unknown booleans."""
        from analyzer.symbolic.jsonata import encode_condition

        m = z3()
        imprecise = [False]
        variables = dict(f.variables)

        def read(steps: tuple) -> SymValue:
            v, exact = self.sym(lookup(f.doc, steps))
            if not exact:
                imprecise[0] = True
            return v

        def read_var(name: str, steps: tuple) -> Optional[SymValue]:
            term = variables.get(name)
            if term is None:
                return None
            v, exact = self.sym(lookup(term, steps))
            if not exact:
                imprecise[0] = True
            return v

        out: list = []
        mapped_values: dict = {}
        undecided = m.BoolVal(True)
        roots = self._roots(f)
        for i, rule in enumerate(state.choices):
            notes: dict = {}
            encoded = encode_condition(rule.condition, read, notes, mapped_values, read_var)
            if notes.get("mapped"):
                imprecise[0] = True
            if encoded is None:
                imprecise[0] = True
                taken_here, error = m.FreshBool("cond"), m.BoolVal(False)
            else:
                taken_here, error = encoded
            taken = simplify_and(undecided, taken_here)
            undecided = simplify_and(undecided, m.And(m.Not(taken_here), m.Not(error)))
            h, doc_after = self._choice_exit(state, f, roots, rule, taken, imprecise[0])
            if h is not None:
                out += self._branch(h, doc_after, [], rule.next, ("rule", state.name, i), imprecise[0])
        h, doc_after = self._choice_exit(state, f, roots, None, undecided, imprecise[0])
        if h is not None:
            out += self._default(state, h, doc_after, [], imprecise[0])
        return out

    def _choice_exit(self, state: ChoiceState, f: _Frame, roots, rule, taken, imprecise: bool) -> tuple:
        """(frame, output) when leaving a JSONata Choice by ``rule`` (None: the Default).

        The rule's ``Assign`` then the state's; the rule's ``Output`` if it has one, else the state's.
        They are evaluated only on that exit, so the exit's condition (``taken``) joins the path
        condition first: an Output that fails fails only the runs that take its rule.
        """
        m = z3()
        output = MISSING
        if m.is_false(m.simplify(taken)):
            return None, output
        if not m.is_true(m.simplify(taken)):
            pc = f.pc + (taken,)
            if self.feasible(pc) != "sat":
                return None, output
            f = _Frame(*_fields(f, pc=pc))
        f = _Frame(*_fields(f, imprecise=f.imprecise or imprecise))
        ev = Evaluation()
        variables = f.variables
        if rule is not None:
            variables = assign(rule.assign, roots, ev, variables)
            if rule.output is not MISSING:
                output = evaluate(rule.output, roots, ev)
        variables = assign(state.assign, roots, ev, variables)
        if output is MISSING:
            output = evaluate(state.output, roots, ev) if state.output is not MISSING else f.doc
        flow = Flow(output)
        self._apply(ev, flow)
        g = self._guard(_Frame(*_fields(f, variables=variables)), flow, state)
        return g, output

    # ------------------------------------------------------------------ helpers

    def _guard(self, f: _Frame, flow: Flow, state: State) -> Optional[_Frame]:
        """Apply a transfer's requirements: the continuing frame, or None (path crashes or is infeasible)."""
        m = z3()
        conds = []
        imprecise = f.imprecise or flow.imprecise
        if flow.fails is not None:
            self._finish(f, "FAILED", flow.fails)
            return None
        if flow.approximate:
            self._approximated("an intrinsic is modelled on a subset of its inputs")
        for term, kind in flow.typed:
            v, exact = self.sym(term)
            if exact:
                c = kind_condition(v, kind)
                if isinstance(term, Conc):
                    c = m.simplify(c)
                    if m.is_true(c):
                        continue
                    if m.is_false(c):
                        return None  # the state fails on every input of this path
                conds.append(c)
        for term in flow.must_exist:
            if isinstance(term, Conc) and term.value is MISSING:
                g = _Frame(*_fields(f, imprecise=imprecise))
                if not state.is_jsonata:
                    self._finish(g, "FAILED", "States.Runtime",
                                 missing={"state": state.name, "pointer": state.pointer})
                elif not any(isinstance(c.error_equals, (list, tuple)) and matches(QUERY_ERROR, c.error_equals)
                             for c in getattr(state, "catch", ())):
                    # JSONata: a field that evaluates to nothing is the catchable
                    # States.QueryEvaluationError (a matching Catch is explored from the frame
                    # before these requirements, see _task_like)
                    self._finish(g, "FAILED", QUERY_ERROR, missing={"state": state.name, "pointer": state.pointer})
                return None
            v, exact = self.sym(term)
            if not exact:
                imprecise = True
                continue
            if not m.is_true(v.present):
                conds.append(v.present)
        for term in flow.must_be_object:
            v, exact = self.sym(term)
            if not exact:
                imprecise = True
                continue
            c = m.simplify(m.Or(m.Not(v.present), v.tag == OBJ))
            if m.is_false(c):
                return None  # States.ResultPathMatchFailure on every input of this path
            if not m.is_true(c):
                conds.append(c)
        if conds:
            pc = f.pc + tuple(conds)
            if self.check_requirements and self.feasible(pc) != "sat":
                return None
        else:
            pc = f.pc
        events = f.events + tuple(Event(state.name, link=link) for link in flow.links)
        return _Frame(f.state, f.doc, pc, f.visits, f.trace, events, f.goals, imprecise, f.variables)

    def _continue(self, state: State, f: _Frame, doc: Term, flow: Flow) -> list:
        g = self._guard(f, flow, state)
        if g is None:
            return []
        return self._goto(state, g, doc, state.next)

    def _goto(self, state: State, f: _Frame, doc: Term, target: Any) -> list:
        if state.end is True:  # End wins over a Next (an invalid definition has both), as the interpreter does
            self._finish(_Frame(f.state, doc, f.pc, f.visits, f.trace, f.events, f.goals, f.imprecise, f.variables), "SUCCEEDED",
                         output=doc)
            return []
        if not isinstance(target, str) or target not in self.machine.states:
            return []
        return [_Frame(target, doc, f.pc, f.visits, f.trace, f.events, f.goals, f.imprecise, f.variables)]

    def _branch(self, f: _Frame, doc: Term, conds: list, target: Any, goal: tuple, imprecise: bool) -> list:
        m = z3()
        conds = [c for c in conds if not m.is_true(c)]
        if any(m.is_false(c) for c in conds):
            return []
        pc = f.pc + tuple(conds)
        if conds:
            verdict = self.feasible(pc)
            if verdict != "sat":
                return []
        self.result.reached.add(goal)
        g = _Frame(f.state, doc, pc, f.visits, f.trace, f.events, f.goals + (goal,), f.imprecise or imprecise, f.variables)
        if not isinstance(target, str) or target not in self.machine.states:
            return []
        return [_Frame(target, g.doc, g.pc, g.visits, g.trace, g.events, g.goals, g.imprecise, g.variables)]

    def _default(self, state: ChoiceState, f: _Frame, doc: Term, conds: list, imprecise: bool) -> list:
        if state.default is not MISSING:
            return self._branch(f, doc, conds, state.default, ("default", state.name), imprecise)
        m = z3()
        conds = [c for c in conds if not m.is_true(c)]
        if any(m.is_false(c) for c in conds):
            return []
        pc = f.pc + tuple(conds)
        if conds and self.feasible(pc) != "sat":
            return []
        self.result.reached.add(("default", state.name))
        self._finish(_Frame(f.state, doc, pc, f.visits, f.trace, f.events, f.goals, f.imprecise or imprecise, f.variables),
                     "FAILED", "States.NoChoiceMatched", extra_goals=(("default", state.name),))
        return []

    def _choice(self, state: ChoiceState, f: _Frame, effective: Term, flow: Flow) -> list:
        g = self._guard(f, flow, state)
        if g is None:
            return []
        surely_missing: list = []
        exact = [True]

        def resolve(path: str) -> SymValue:
            term, ok = self.env.read(effective, path)
            if not ok:
                exact[0] = False
            v, ok2 = self.sym(term)
            if not ok2:
                exact[0] = False
            if v.surely_missing:
                surely_missing.append(path)
            return v

        d = Z3Domain(resolve)
        outcomes = choice_outcomes(state.choices, d)
        imprecise = d.imprecise or not exact[0]
        out_flow = Flow(effective)
        doc_after = select(self.env, effective, state.output_path, out_flow)
        h = self._guard(g, out_flow, state)  # OutputPath is applied after the choice, whichever branch
        if h is None:
            return []
        succ = []
        for i, rule in enumerate(state.choices):
            k = self._assign_needs(state, h, effective, rule.assign, state.assign)
            if k is not None:
                succ += self._branch(k, doc_after, [outcomes.rules[i]], rule.next, ("rule", state.name, i), imprecise)
        k = self._assign_needs(state, h, effective, state.assign)
        if k is not None:
            succ += self._default(state, k, doc_after, [outcomes.default], imprecise)
        if surely_missing:
            m = z3()
            err = outcomes.error
            if not m.is_false(err):
                pc = g.pc + (err,)
                if self.feasible(pc) == "sat":
                    self._finish(_Frame(g.state, effective, pc, g.visits, g.trace, g.events, g.goals,
                                        g.imprecise or imprecise, g.variables), "FAILED", "States.Runtime",
                                 missing={"state": state.name, "pointer": state.pointer,
                                          "paths": sorted(set(surely_missing))})
        return succ

    def _assign_needs(self, state: ChoiceState, f: _Frame, effective: Term, *assigns: Any) -> Optional[_Frame]:
        """The frame once the JSONPath ``Assign`` objects evaluated after the choice have what they read.

        The matched rule's ``Assign`` and the state's own are both evaluated against the effective
        input, whichever way the choice went; a ``.$`` path that selects nothing is the uncatchable
        States.Runtime (asl-semantics §3.1), so a branch is only taken with those paths present.
        The values bound stay unmodelled (the variables are forgotten on entry to the state).
        """
        flow = Flow(effective)
        for a in assigns:
            if isinstance(a, dict):
                template(self.env, effective, a, flow)
        if not (flow.must_exist or flow.typed or flow.must_be_object or flow.fails or flow.links):
            return f
        saved = list(self.result.paths)
        g = self._guard(f, flow, state)
        self.result.paths[:] = saved  # the States.Runtime end is not a goal; keep the paths list as it was
        return g

    def _task_like(self, state: State, f: _Frame, effective: Term, flow: Flow, jsonata: bool = False) -> list:
        not_array: list = []
        if isinstance(state, MapState) and not jsonata and state.item_reader is MISSING:
            not_array = self._items_not_array(state, f, effective, flow)
        if isinstance(state, MapState) and not jsonata and state.items_path is not MISSING \
                and state.item_reader is MISSING:
            flow.need(self.env, effective, state.items_path, "array")
        if isinstance(state, MapState) and not jsonata:
            for path in (state.max_concurrency_path, state.tolerated_failure_count_path):
                if path is not MISSING:
                    flow.need(self.env, effective, path, "seconds")  # a non-negative integer
            if state.tolerated_failure_percentage_path is not MISSING:
                flow.need(self.env, effective, state.tolerated_failure_percentage_path, "number")
                flow.imprecise = True  # its range is left to the run
        params = getattr(state, "parameters", MISSING)
        branch_input = effective
        if params is not MISSING and not jsonata:
            branch_input = template(self.env, effective, params, flow)  # a Task's result is fresh anyway
        if not jsonata:
            task_needs(state, self.env, effective, flow)
        else:
            ev = Evaluation()
            if getattr(state, "arguments", MISSING) is not MISSING:
                evaluate(state.arguments, self._roots(f), ev)
            if isinstance(state, MapState) and state.item_reader is MISSING:
                effective = evaluate(state.items, self._roots(f), ev) if state.items is not MISSING else f.doc
                if not isinstance(effective, Havoc):
                    flow.typed.append((effective, "array"))
            self._apply(ev, flow)
        g = self._guard(f, flow, state)
        query: list = []
        if jsonata and (flow.must_exist or flow.typed):
            # a field of Arguments (or the Items) that evaluates to nothing is the catchable
            # States.QueryEvaluationError: its catcher is taken without what those fields need
            query = self._catches(state, f, jsonata, fixed_error=QUERY_ERROR)
        if g is None:
            return query
        succ: list = []
        # success: a fresh result (a Task's becomes a mock; Parallel/Map results are not modelled)
        if isinstance(state, TaskState):
            self._task_visits += 1
            origin = ("task", state.name, self._task_visits)
            result: Term = Ref(origin)
            event = Event(state.name, origin=origin)
            imprecise = False
        elif isinstance(state, ParallelState) and not jsonata:
            self._branch_paths, self._branch_failures = [], []
            succ += self._parallel(state, f, g, branch_input)
            return succ + self._catches(state, g, jsonata) + self._inner_task_catches(state, g) \
                + self._inner_fail_catches(state, g)
        elif isinstance(state, MapState) and not jsonata and state.item_reader is MISSING:
            self._map_exact = False
            succ += self._empty_map(state, f, g, effective)
            items, exact = self.env.read(effective, state.items_path if state.items_path is not MISSING else "$")
            for n in range(1, MAP_ITEMS + 1):
                succ += self._map_iterations(state, f, g, effective, items if exact else Havoc(), n)
            if self._map_exact:  # a known list, every iteration explored: no other way to succeed
                return succ + self._catches(state, g, jsonata, self._items_term(state, effective, jsonata)) \
                    + not_array
            result, event, imprecise = Havoc("result"), None, True
        elif isinstance(state, MapState) and state.item_reader is MISSING and state.item_selector is MISSING:
            for n in range(0, MAP_ITEMS + 1):  # JSONata: ``Items`` (else the input) was evaluated above
                succ += self._map_iterations(state, f, g, effective, effective, n)
            result, event, imprecise = Havoc("result"), None, True
        else:
            result, event, imprecise = Havoc("result"), None, True
        succ += self._with_result(state, f, g, result, g.pc, g.events + ((event,) if event else ()),
                                  g.imprecise or imprecise)
        return succ + self._catches(state, g, jsonata, self._items_term(state, effective, jsonata)) + not_array \
            + query

    def _items_term(self, state: State, effective: Term, jsonata: bool) -> Optional[Term]:
        """The items of a JSONPath Map without an ItemReader, when the path reads them exactly."""
        if not isinstance(state, MapState) or jsonata or state.item_reader is not MISSING:
            return None
        term, exact = self.env.read(effective, state.items_path if state.items_path is not MISSING else "$")
        return term if exact and isinstance(term, Ref) else None

    def _items_not_array(self, state: MapState, f: _Frame, effective: Term, flow: Flow) -> list:
        """The catches a JSONPath Map takes when its items are present but not an array.

        The interpreter (and the service, as recorded in asl-semantics) then fails the Map with
        ``States.QueryEvaluationError`` before any iteration runs, so the path is exact: the
        witness input holds a non-array at ``ItemsPath``. It only adds witnesses; the general
        catch paths already over-approximate which catches are reachable.
        """
        m = z3()
        if state.result_writer is not MISSING:
            return []  # the output is the writer's summary or a transformed array: left to the general successor
        items_path = state.items_path if state.items_path is not MISSING else "$"
        term, exact = self.env.read(effective, items_path)
        if not exact or not isinstance(term, Ref) or not getattr(state, "catch", ()):
            return []
        v, exact = self.sym(term)
        if not exact:
            return []
        base = Flow(flow.term, list(flow.must_exist) + [term], list(flow.must_be_object), list(flow.typed),
                    flow.imprecise, flow.fails, flow.approximate, list(flow.links))
        saved = list(self.result.paths)
        g = self._guard(f, base, state)
        self.result.paths[:] = saved  # a crash of the guard is already recorded by the main successor
        if g is None:
            return []
        g = _Frame(*_fields(g, pc=g.pc + (v.present, v.tag != ARR)))
        if self.feasible(g.pc) != "sat":
            return []
        out: list = []
        for i, catcher in enumerate(state.catch):
            out += self._catch(state, g, i, catcher, False, fixed_error=QUERY_ERROR)
        return out

    def _with_result(self, state: State, f: _Frame, g: _Frame, result: Term, pc: tuple, events: tuple,
                     imprecise: bool) -> list:
        """Go on from a Task/Parallel/Map with ``result``: JSONata ``Output``/``Assign``, or the JSONPath
        ``ResultSelector``, ``ResultPath`` and ``OutputPath``."""
        ok = Flow(result)
        variables = g.variables
        if state.is_jsonata:
            ev = Evaluation()
            roots = self._roots(g, result)
            out = evaluate(state.output, roots, ev) if state.output is not MISSING else result
            variables = assign(state.assign, roots, ev, variables)
            self._apply(ev, ok)
        else:
            selected = template(self.env, result, state.result_selector, ok) \
                if getattr(state, "result_selector", MISSING) is not MISSING else result
            doc = place_result(f.doc, selected, getattr(state, "result_path", MISSING), ok)
            out = select(self.env, doc, state.output_path, ok)
        h = _Frame(g.state, g.doc, pc, g.visits, g.trace, events, g.goals, imprecise, variables)
        return self._continue(state, h, out, ok)

    def _map_iterations(self, state: MapState, f: _Frame, g: _Frame, effective: Term, items: Term, n: int) -> list:
        """A Map over exactly ``n`` items: each iteration explored from its item, results combined.

        The items are the symbolic array's first ``n`` elements (its length is fixed to ``n``
        on these paths); ``ItemSelector``/``Parameters`` see ``$$.Map.Item``. The Tasks of the
        iterations become mocks in item order. Larger arrays keep the unknown result of the
        caller's other successor, so nothing is claimed about them.
        """
        import itertools

        m = z3()
        if state.processor is None or any(v is not MISSING for v in (
                state.item_batcher, state.result_writer, state.tolerated_failure_count,
                state.tolerated_failure_count_path, state.tolerated_failure_percentage,
                state.tolerated_failure_percentage_path)):
            return []
        if not isinstance(items, (Ref, Conc)):
            return []
        if isinstance(items, Conc):
            if not isinstance(items.value, list) or len(items.value) != n:
                return []
            cond = m.BoolVal(True)
        else:
            v = self.store.get(items.origin, items.steps)
            cond = m.And(v.present, v.tag == ARR, v.length == n)
        pc = g.pc + (cond,)
        if not m.is_true(cond) and self.feasible(pc) != "sat":
            return []
        selector = state.item_selector if state.item_selector is not MISSING else state.parameters
        per_item = []
        # With the items known, these paths are every way the Map can succeed when every
        # iteration was explored to the end and no combination was dropped undecided; the
        # caller then needs no unknown-result successor (see ``_map_exact``).
        exact = isinstance(items, Conc)
        for index in range(n):
            item = lookup(items, (index,))
            flow = Flow(item)
            if selector is not MISSING:
                self.env.map_item = (index, item)
                try:
                    item = template(self.env, effective, selector, flow)
                finally:
                    self.env.map_item = None
            if flow.imprecise or flow.must_be_object or flow.typed or flow.links:
                return []  # what the selector needs is left to the general successor
            pc += tuple(self.sym(t)[0].present for t in flow.must_exist if not isinstance(t, Conc))
            if any(isinstance(t, Conc) and t.value is MISSING for t in flow.must_exist):
                return []
            outer_complete, self.result.complete = self.result.complete, True
            per_item.append(self._explore_scope(state, state.processor, item, pc, self.time_budget / 8))
            exact = exact and self.result.complete  # this iteration was explored to the end
            self.result.complete = outer_complete and self.result.complete
        combos = 1
        for done in per_item:
            combos *= len(done)
        if combos == 0:
            self._map_exact = exact  # no iteration can succeed: the Map only fails (its catches)
            return []
        if combos > MAX_COMBINATIONS:
            self.result.complete = False
            self.result.cut_reasons.append(f"too many iteration combinations at {state.name}")
            return []
        out: list = []
        for combo in itertools.product(*per_item) if per_item else [()]:
            cpc = pc + tuple(c for p in combo for c in p.pc[len(pc):])
            if len(combo) > 1:
                answer = self.feasible(cpc)
                if answer != "sat":
                    exact = exact and answer == "unsat"
                    continue
            events = g.events + tuple(e for p in combo for e in p.events)
            # several iterations with Tasks: which one takes which mock is the scheduler's business
            tasks = sum(1 for p in combo if any(e.origin for e in p.events))
            imprecise = g.imprecise or tasks > 1 or any(p.imprecise or p.output is None for p in combo)
            result_term: Term = Arr(tuple(p.output if p.output is not None else Havoc("iteration") for p in combo))
            out += self._with_result(state, f, g, result_term, cpc, events, imprecise)
        self._map_exact = exact
        return out

    def _empty_map(self, state: MapState, f: _Frame, g: _Frame, effective: Term) -> list:
        """A Map over an empty array is exact: no iteration runs and the result is ``[]``.

        (Non-empty arrays give an unknown result on the other successor.)
        """
        m = z3()
        if state.result_writer is not MISSING:
            return []  # the output is the writer's summary or a transformed array: left to the general successor
        items_path = state.items_path if state.items_path is not MISSING else "$"
        items, exact = self.env.read(effective, items_path)
        if not exact or not isinstance(items, (Ref, Conc)):
            return []
        if isinstance(items, Conc):
            if items.value != []:
                return []
            cond = m.BoolVal(True)
            self._map_exact = True  # a known empty list: this is the only way the Map ends
        else:
            v = self.store.get(items.origin, items.steps)
            cond = m.And(v.present, v.tag == ARR, v.length == 0)
        pc = g.pc + (cond,)
        if not m.is_true(cond) and self.feasible(pc) != "sat":
            return []
        return self._with_result(state, f, g, Conc([]), pc, g.events, g.imprecise)

    def _catches(self, state: State, g: _Frame, jsonata: bool, items: Optional[Term] = None,
                 fixed_error: Optional[str] = None) -> list:
        out: list = []
        for i, catcher in enumerate(getattr(state, "catch", ())):
            out += self._catch(state, g, i, catcher, jsonata, items=items, fixed_error=fixed_error)
        return out

    def _parallel(self, state: ParallelState, f: _Frame, g: _Frame, branch_input: Term) -> list:
        """Explore each branch from the branch input; the result is the array of branch outputs.

        Branch paths are combined (at most ``MAX_COMBINATIONS``); the Tasks inside become mocks
        in branch order, which is the order the interpreter runs them in. When the branches are
        too many or too long, the result is an unknown value instead.
        """
        import itertools

        summaries, failures = [], []
        for branch in state.branches:
            summaries.append(self._explore_scope(state, branch, branch_input, g.pc, self.time_budget / 4, failures))
        self._branch_paths, self._branch_failures = summaries, failures
        combos = 1
        for done in summaries:
            combos *= len(done)
        if combos == 0:
            return []  # some branch never succeeds: the state only fails (its catches are explored apart)
        if combos > MAX_COMBINATIONS:
            self.result.complete = False
            self.result.cut_reasons.append(f"too many branch combinations at {state.name}")
            return []
        out: list = []
        for combo in itertools.product(*summaries):
            pc = g.pc + tuple(c for p in combo for c in p.pc[len(g.pc):])
            if len(combo) > 1 and self.feasible(pc) != "sat":
                continue
            events = g.events + tuple(e for p in combo for e in p.events)
            imprecise = g.imprecise or any(p.imprecise or p.output is None for p in combo)
            result: Term = Arr(tuple(p.output if p.output is not None else Havoc("branch") for p in combo))
            out += self._with_result(state, f, g, result, pc, events, imprecise)
        return out

    def _inner_task_catches(self, state: ParallelState, g: _Frame) -> list:
        """Catch paths on which a branch reaches a Task with everything that Task needs present.

        The witness makes every Task inside throw the caught error; a branch that reaches its
        first Task on the path of one of its explored runs fails there with that error. The
        general catch paths do not carry what the branch needs on the way (a missing path would be
        the uncatchable States.Runtime), so these add witnesses; they claim nothing new.
        """
        for paths in self._branch_paths:
            for p in paths:
                if any(e.origin for e in p.events):
                    h = _Frame(*_fields(g, pc=g.pc + p.pc[len(g.pc):]))
                    out: list = []
                    for i, catcher in enumerate(state.catch):
                        out += self._catch(state, h, i, catcher, False)
                    return out
        return []

    def _inner_fail_catches(self, state: ParallelState, g: _Frame, per_catcher: int = 2) -> list:
        """Catch paths on which one branch runs into a Fail state whose error the catcher takes.

        The branch's path condition picks an input that drives that branch into its Fail state,
        and each sibling is held, where the solver allows, to a path of its own that does not
        fail (it succeeds, or is still looping at the bound), so that it does not fail first.
        Which branch fails first is still a race on the clock, so these paths stay imprecise:
        the run of the witness decides, and a witness the run does not confirm is not used.
        """
        out: list = []
        taken: dict = {}
        for b, (failing, _) in enumerate(self._branch_failures):
            for p in failing:
                index = next((i for i, c in enumerate(state.catch)
                              if isinstance(c.error_equals, (list, tuple)) and matches(p.error, c.error_equals)), None)
                if index is None or taken.get(index, 0) >= per_catcher:
                    continue
                pc, events = g.pc + p.pc[len(g.pc):], g.events + p.events
                for other, (_, calm) in enumerate(self._branch_failures):
                    if other == b:
                        continue
                    for q in calm:
                        extended = pc + q.pc[len(g.pc):]
                        if self.feasible(extended) == "sat":
                            pc, events = extended, events + q.events
                            break
                h = _Frame(*_fields(g, pc=pc, events=events))
                found = self._catch(state, h, index, state.catch[index], False, fixed_error=p.error, inner_event=False)
                if found:
                    taken[index] = taken.get(index, 0) + 1
                    out += found
        return out

    def _explore_scope(self, state: State, scope: Machine, start: Term, pc: tuple, budget: float,
                       failures: Optional[list] = None) -> list:
        """The succeeding paths of a Parallel branch or a Map iteration started from ``start``
        (its paths that end in a Fail state with a named error are added to ``failures``).

        The sub-explorer shares this one's store, solver and Task numbering, so its path
        conditions and mocks combine with the enclosing path; a cut inside it makes the
        whole exploration incomplete.
        """
        sub = Explorer(scope, None, time_budget=max(0.05, budget), check_requirements=self.check_requirements)
        sub.store, sub.checker, sub.env, sub.unroll = self.store, self.checker, self.env, self.unroll
        sub._task_visits = self._task_visits
        sub.start_doc, sub.start_pc = start, pc
        variables = self.env.variables
        result = sub.run()
        self.env.task, self.env.variables = task_context(state), variables
        self._task_visits = sub._task_visits
        if sub.approximated:
            self.approximated = True
        if not result.complete:
            self.result.complete = False
            self.result.cut_reasons.extend(r for r in result.cut_reasons if r)
        if failures is not None:
            failing = [p for p in result.paths if p.status == "FAILED" and isinstance(p.error, str)
                       and p.trace and isinstance(scope.states.get(p.trace[-1]), FailState)]
            calm = [p for p in result.paths if p.status in ("SUCCEEDED", CUT)]
            failures.append((failing, calm))
        return [p for p in result.paths if p.status == "SUCCEEDED"]

    def _catch(self, state: State, f: _Frame, i: int, catcher, jsonata: bool,
               fixed_error: Optional[str] = None, items: Optional[Term] = None, inner_event: bool = True) -> list:
        """Catch[i] taken: the error is any name it matches and no earlier catcher matches
        (or exactly ``fixed_error`` when the path already decided which error the state raises)."""
        m = z3()
        self._task_visits += 1
        error_origin, cause_origin = ("error", state.name, self._task_visits), ("cause", state.name, self._task_visits)
        name, cause = self.store.get(error_origin, ()), self.store.get(cause_origin, ())
        catchers = getattr(state, "catch", ())
        conds = [name.tag == STR, cause.tag == STR, error_matches(name.text, catcher.error_equals)]
        conds += [m.Not(error_matches(name.text, c.error_equals)) for c in catchers[:i]]
        raised = possible_errors(state)  # a Parallel/Map without Tasks fails only with these names
        if fixed_error is not None:
            conds.append(name.text == m.StringVal(fixed_error))
        elif raised is not None:
            conds.append(m.Or(*[name.text == m.StringVal(e) for e in sorted(raised)]) if raised else m.BoolVal(False))
            if items is not None:
                # an error from inside the processor needs an iteration, so a non-empty array of items
                v, exact = self.sym(items)
                own = own_errors(state) or set()
                if exact:
                    conds.append(m.Or(*[name.text == m.StringVal(e) for e in sorted(own)],
                                      m.And(v.present, v.tag == ARR, v.length >= 1)))
        result: Term = Obj((("Error", Ref(error_origin)), ("Cause", Ref(cause_origin))))
        precise = isinstance(state, TaskState) and not jsonata
        inner = isinstance(state, (ParallelState, MapState))
        if inner and not inner_event:
            inner = False  # a Fail state on the branch path raises the error: no Task is made to throw it
        event = Event(state.name, error_origin=error_origin, cause_origin=cause_origin, inner=inner) \
            if isinstance(state, TaskState) or inner else None  # a JSONata Task is mocked too
        flow = Flow(result)
        doc = Havoc("jsonata") if jsonata else place_result(f.doc, result, catcher.result_path, flow)
        goal = ("catch", state.name, i)
        g = _Frame(f.state, f.doc, f.pc + tuple(conds), f.visits, f.trace, f.events + ((event,) if event else ()),
                   f.goals, f.imprecise or not precise, forget(f.variables, catcher.assign))
        if not flow.must_be_object and self.feasible(g.pc) != "sat":
            return []
        g = self._guard(g, flow, state)
        if g is None:
            return []
        self.result.reached.add(goal)
        g = _Frame(g.state, g.doc, g.pc, g.visits, g.trace, g.events, g.goals + (goal,), g.imprecise, g.variables)
        if not isinstance(catcher.next, str) or catcher.next not in self.machine.states:
            return []
        return [_Frame(catcher.next, doc, g.pc, g.visits, g.trace, g.events, g.goals, g.imprecise, g.variables)]


def forget(variables: tuple, assignments: Any) -> tuple:
    """The variables after an ``Assign`` that is not modelled: what it binds becomes unknown."""
    if assignments is MISSING or assignments is None or not variables:
        return variables
    if not isinstance(assignments, dict):
        return ()
    names = {"$" + (k[:-2] if k.endswith(".$") else k) for k in assignments if isinstance(k, str)}
    return tuple((k, v) for k, v in variables if k not in names)


def task_context(state: State) -> Term:
    """``$$.Task`` while ``state`` runs: absent for a Task without a callback, else unknown.

    The token exists only for ``.waitForTaskToken`` integrations; a Resource that is still a
    deployment placeholder may become one, and other states are left unknown.
    """
    resource = getattr(state, "resource", MISSING) if isinstance(state, TaskState) else MISSING
    if isinstance(resource, str) and not resource.endswith(".waitForTaskToken") \
            and not (resource.strip().startswith("${") and resource.strip().endswith("}")):
        return Conc(MISSING)
    return Havoc("$$.Task")


def error_matches(text, error_equals) -> Any:
    """z3: an error named ``text`` is intercepted by a Retry/Catch entry with ``error_equals``."""
    m = z3()
    uncatchable = m.And(*[text != m.StringVal(n) for n in sorted(UNCATCHABLE)])
    options = []
    for n in error_equals if isinstance(error_equals, (list, tuple)) else ():
        if not isinstance(n, str):
            continue
        if n == ALL:
            options.append(uncatchable)
        elif n == TASK_FAILED:
            options.append(m.And(uncatchable, text != m.StringVal(TIMEOUT)))
        elif n not in UNCATCHABLE and all(" " <= ch <= "~" for ch in n):
            options.append(text == m.StringVal(n))
        elif n not in UNCATCHABLE:
            options.append(m.FreshBool("name"))  # outside the ASCII string model: may match, never ruled out
    return m.Or(*options) if options else m.BoolVal(False)


def _is_expression(value: Any) -> bool:
    return isinstance(value, str) and value.strip().startswith("{%")


def _has_expression(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_has_expression(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_expression(v) for v in value)
    return _is_expression(value)


def wait_needs(env: Env, state: WaitState, effective: Term, flow: Flow) -> None:
    """What a Wait needs to succeed: a readable, well-typed ``SecondsPath``/``TimestampPath``, a valid literal."""
    from analyzer.semantics.values import parse_timestamp

    if state.seconds_path is not MISSING:
        flow.need(env, effective, state.seconds_path, "seconds")
    elif state.timestamp_path is not MISSING:
        flow.need(env, effective, state.timestamp_path, "timestamp")
    elif state.seconds is not MISSING:
        s = state.seconds
        if isinstance(s, bool) or not isinstance(s, (int, float)) or s < 0 or not float(s).is_integer():
            flow.imprecise = True  # rejected by validation, or a placeholder a deployment fills in
    elif state.timestamp is not MISSING and parse_timestamp(state.timestamp) is None:
        flow.imprecise = True


def task_needs(state: State, env: Env, effective: Term, flow: Flow) -> None:
    """``TimeoutSecondsPath``/``HeartbeatSecondsPath`` must name positive integers; some fields are not modelled."""
    for field_name in ("timeout_seconds_path", "heartbeat_seconds_path"):
        path = getattr(state, field_name, MISSING)
        if path is not MISSING:
            flow.need(env, effective, path, "positive")
    if getattr(state, "credentials", MISSING) is not MISSING or state.assign is not MISSING:
        flow.imprecise = True


def kind_condition(v: SymValue, kind: str):
    m = z3()
    if kind == "timestamp":
        return timestamp_view(v)
    if kind == "seconds":
        return m.And(v.present, v.tag == NUM, m.IsInt(v.num), v.num >= 0, v.num <= 99999999)
    if kind in ("string", "array", "object"):
        return m.And(v.present, v.tag == {"string": STR, "array": ARR, "object": OBJ}[kind])
    if kind == "number":
        return m.And(v.present, v.tag == NUM)
    if kind.startswith("atmost:"):
        return m.And(v.present, v.tag == ARR, v.length <= int(kind[7:]))
    if kind.startswith("split0:"):
        d = m.StringVal(kind[7:])
        return m.And(v.present, v.tag == STR, m.Length(v.text) > 0, m.Not(m.PrefixOf(d, v.text)))
    if kind == "int32":
        rounded = m.ToInt(v.num + m.RealVal("1/2"))
        return m.And(v.present, v.tag == NUM, rounded >= INT32[0], rounded <= INT32[1])
    return m.And(v.present, v.tag == NUM, m.IsInt(v.num), v.num > 0)


def _fields(f: _Frame, **changes):
    values = dict(state=f.state, doc=f.doc, pc=f.pc, visits=f.visits, trace=f.trace, events=f.events,
                  goals=f.goals, imprecise=f.imprecise, variables=f.variables)
    values.update(changes)
    return tuple(values.values())


def throws_for(state: State, error: str) -> Optional[int]:
    """How many times a mocked error must be thrown to get past the retriers (None: more than MAX_THROWS)."""
    for retrier in getattr(state, "retry", ()):
        if matches(error, retrier.error_equals):
            throws = 1 + max(0, retrier.attempts)
            return throws if throws <= MAX_THROWS else None
    return 1


def goals_of(machine: Machine, coverage: str = "branches") -> list[tuple]:
    """Every coverage goal of the top-level scope, in document order."""
    goals: list[tuple] = []
    for name, state in machine.states.items():
        goals.append(state_goal(name))
        if coverage != "branches":
            continue
        if isinstance(state, ChoiceState):
            for i in range(len(state.choices)):
                goals.append(("rule", name, i))
            if state.default is not MISSING:
                goals.append(("default", name))
        for i in range(len(getattr(state, "catch", ()) or ())):
            goals.append(("catch", name, i))
    return goals
