"""What each Choice state can do on *any* input it might receive (no path context).

For every JSONPath Choice state (in every scope) the state's input is an unknown JSON
document and the shared Choice semantics are evaluated in the z3 domain. Per rule the
solver decides whether it can be the one taken (else it is dead: contradictory in itself,
or pre-empted by the earlier rules it overlaps), whether ``Default`` / ``States.NoChoiceMatched``
can happen (with an input that is replayed through the concrete Choice code before it is
believed), and whether a comparison can ever see an operand of the type it compares.
Everything here holds for every execution, so it needs no exploration bound.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from analyzer.model.nodes import MISSING, ChoiceRule, ChoiceState, Machine
from analyzer.semantics.choice import FAMILY_TYPE, OPERATORS, choice_outcomes, evaluate_choice_concrete, \
    evaluate_rule
from analyzer.symbolic.domain import Z3Domain, simplify_and, simplify_not
from analyzer.symbolic.solver import PROVED, UNKNOWN, VIOLATED, Budget, Checker, Verdict, z3
from analyzer.symbolic.terms import Conc, Env, Ref, Unmodelled, materialize
from analyzer.symbolic.values import Store, SymValue, constant, fresh
from analyzer.symbolic.witness import build_value, preferences

STATE_INPUT = ("state",)
EXEC_INPUT = ("execution",)


@dataclass
class RuleVerdict:
    index: int
    status: str  # reachable | dead | unknown
    reason: str = ""
    preempted_by: tuple = ()

    @property
    def verdict(self) -> Verdict:
        """The property "this rule is never taken" as a solver verdict."""
        status = {"dead": PROVED, "reachable": VIOLATED}.get(self.status, UNKNOWN)
        return Verdict(status, None, self.reason)


@dataclass
class TypeMismatch:
    rule: ChoiceRule
    top_index: int
    operand: str  # "Variable" or the *Path comparand key
    path: str
    expected: str


@dataclass
class ChoiceVerdict:
    pointer: str
    name: str
    rules: list = field(default_factory=list)
    #: True: some rule always matches or fails; False: ``witness`` matches none; None: unknown
    exhaustive: Optional[bool] = None
    witness: Any = None
    mismatches: list = field(default_factory=list)
    unknown_queries: int = 0

    def get(self, key, default=None):  # the mapping view ASL204 reads
        return getattr(self, key, default)

    @property
    def exhaustive_verdict(self) -> Verdict:
        """The property "NoChoiceMatched / Default can never happen" as a solver verdict."""
        if self.exhaustive is True:
            return Verdict(PROVED, None, "the rules decide every input")
        if self.exhaustive is False:
            return Verdict(VIOLATED, self.witness, "no rule matches the witness input")
        return Verdict(UNKNOWN, None, "undecided, or the witness could not be confirmed")


def _fresh_resolver(store: Store, env: Env, effective, state_flags: dict):
    def resolve(path: str) -> SymValue:
        term, exact = env.read(effective, path)
        if not exact or not isinstance(term, (Ref, Conc)):
            state_flags["imprecise"] = True
            return fresh()
        if isinstance(term, Conc):
            if term.value is MISSING and path.startswith("$$"):
                # an absent context field fails the whole Choice (ASL504 says so): no per-rule verdict
                state_flags["imprecise"] = True
                return fresh()
            return constant(term.value)
        return store.get(term.origin, term.steps)
    return resolve


def analyse_choice(state: ChoiceState, budget: Budget, reached: frozenset = frozenset()) -> ChoiceVerdict:
    """The verdicts of one Choice; ``reached`` holds goals a feasible path already took (no query needed).

    A rule some feasible execution takes is certainly takeable on some state input, so its
    query is skipped; likewise a reached ``Default`` (when no witness input is wanted).
    """
    verdict = ChoiceVerdict(state.pointer, state.name)
    if state.scope != "":
        reached = frozenset()  # goals are named by top-level state names
    m = z3()
    store = Store()
    env = Env(Ref(EXEC_INPUT))
    flags = {"imprecise": False}
    d = Z3Domain(_fresh_resolver(store, env, Ref(STATE_INPUT), flags))
    rules = state.choices
    if state.is_jsonata:
        outcomes, summary = _jsonata_outcomes(rules, store)
    else:
        outcomes = [evaluate_rule(r, d) for r in rules]
        summary = choice_outcomes(rules, d)
    checker = Checker(budget)
    checker.add(*store.take_pending())

    def ask(*conds) -> str:
        checker.add(*store.take_pending())
        return checker.check(*conds)

    for i, rule in enumerate(rules):
        if ("rule", state.name, i) in reached:
            verdict.rules.append(RuleVerdict(i, "reachable"))
            continue
        answer = ask(summary.rules[i])
        if answer == "sat":
            verdict.rules.append(RuleVerdict(i, "reachable"))
            continue
        if answer == "unknown":
            verdict.rules.append(RuleVerdict(i, "unknown", "could not decide within the solver budget"))
            continue
        alone = ask(outcomes[i].true)
        if alone == "unsat":
            verdict.rules.append(RuleVerdict(i, "dead", "its condition is contradictory in itself"))
            continue
        overlapping = tuple(j for j in range(i) if ask(outcomes[i].true, m.Or(outcomes[j].true, outcomes[j].error))
                            != "unsat")
        verdict.rules.append(RuleVerdict(i, "dead", "every input that satisfies it is decided by an earlier rule",
                                         overlapping))
    if ("default", state.name) in reached and state.default is not MISSING:
        answer = "reached"  # not exhaustive, and no witness is needed with a Default present
        verdict.exhaustive = False
    else:
        answer = ask(summary.default)
    if answer == "unsat":
        verdict.exhaustive = True
    elif answer == "sat":
        model = None
        if ask(summary.default, *preferences(store, {STATE_INPUT, EXEC_INPUT})) == "sat":
            model = checker.model()
        if model is None and ask(summary.default) == "sat":
            model = checker.model()
        try:
            witness = build_value(model, store, STATE_INPUT) if model is not None else None
            execution = build_value(model, store, EXEC_INPUT) if model is not None else None
            witness = {} if witness is MISSING else witness  # nothing read from the input: any input will do
            execution = {} if execution is MISSING else execution
        except m.Z3Exception:
            model = None
        if model is not None and (_confirm_jsonata_default(rules, witness) if state.is_jsonata
                                  else _confirm_default(rules, witness, execution)):
            verdict.exhaustive = False
            verdict.witness = witness
    if not state.is_jsonata:
        _type_mismatches(state, d, store, summary, outcomes, ask, verdict)
    verdict.unknown_queries = checker.unknowns
    return verdict


def _jsonata_outcomes(rules, store: Store):
    """Per-rule outcomes and the Choice summary for JSONata Conditions (unknown outside the subset)."""
    from analyzer.semantics.choice import ChoiceOutcomes, Outcome
    from analyzer.symbolic.jsonata import encode_condition

    m = z3()
    mapped: dict = {}
    outcomes = []
    for rule in rules:
        encoded = encode_condition(rule.condition, lambda steps: store.get(STATE_INPUT, steps), None, mapped)
        outcomes.append(Outcome(*encoded) if encoded is not None else Outcome(m.FreshBool("cond"), m.BoolVal(False)))
    undecided, taken, error = m.BoolVal(True), [], m.BoolVal(False)
    for o in outcomes:
        taken.append(simplify_and(undecided, o.true))
        error = m.Or(error, simplify_and(undecided, o.error))
        undecided = simplify_and(undecided, m.And(m.Not(o.true), m.Not(o.error)))
    return outcomes, ChoiceOutcomes(tuple(taken), undecided, error)


def _confirm_jsonata_default(rules, witness) -> bool:
    """Every Condition is false (not an error) on ``witness``, by the interpreter's JSONata engine."""
    import random

    try:
        from analyzer.interp import jsonata_eval as ja
    except ImportError:
        return False
    for rule in rules:
        try:
            out = ja.evaluate_raw(rule.condition, {"states": {"input": witness}}, random.Random(0)) \
                if isinstance(rule.condition, str) else rule.condition
        except Exception:  # noqa: BLE001 - an evaluation error is not "no rule matched"
            return False
        if out is not False:
            return False
    return True


def _confirm_default(rules, witness, execution) -> bool:
    env = Env(Conc(execution))

    def read(path: str):
        term, exact = env.read(Conc(witness), path)
        if not exact:
            raise Unmodelled(path)
        return materialize(term)

    try:
        return evaluate_choice_concrete(rules, read) == ("default", None)
    except Unmodelled:
        return False


def _leaves(rule: ChoiceRule, ctx, d):
    if rule.and_ is not None:
        acc = ctx
        for child in rule.and_:
            yield from _leaves(child, acc, d)
            acc = simplify_and(acc, evaluate_rule(child, d).true)
        return
    if rule.or_ is not None:
        acc = ctx
        for child in rule.or_:
            yield from _leaves(child, acc, d)
            o = evaluate_rule(child, d)
            acc = simplify_and(acc, simplify_and(simplify_not(o.true), simplify_not(o.error)))
        return
    if rule.not_ is not None:
        yield from _leaves(rule.not_, ctx, d)
        return
    yield rule, ctx


def _related_paths(state: ChoiceState) -> set:
    """Variables that some other test of the same Choice also constrains (itself, a prefix or an extension).

    A comparison on a path nothing else mentions can always see its type, so only these
    are worth a solver query.
    """
    paths = []
    for top in state.choices:
        for r in top.walk():
            for p in (r.variable, r.operand if (OPERATORS.get(r.operator or "") or _NO_SPEC).path_form else None):
                if isinstance(p, str):
                    paths.append(p)
    related = set()
    for i, a in enumerate(paths):
        for j, b in enumerate(paths):
            if i != j and (a == b or b.startswith(a + ".") or b.startswith(a + "[") or a.startswith(b + ".")
                           or a.startswith(b + "[")):
                related.add(a)
    return related


class _NoSpec:
    path_form = False


_NO_SPEC = _NoSpec()


def _type_mismatches(state, d, store, summary, outcomes, ask, verdict) -> None:
    """Comparisons whose operand is present at that point but can never have the compared type."""
    related = _related_paths(state)
    undecided = d.TRUE
    for i, rule in enumerate(state.choices):
        for leaf, ctx in _leaves(rule, undecided, d):
            spec = OPERATORS.get(leaf.operator or "")
            if spec is None or spec.family == "type" or not isinstance(leaf.variable, str):
                continue
            expected = FAMILY_TYPE[spec.family]
            operands = [("Variable", leaf.variable, d.lookup(leaf.variable))]
            if spec.path_form and isinstance(leaf.operand, str):
                operands.append((leaf.operator, leaf.operand, d.lookup(leaf.operand)))
            elif not spec.path_form and leaf.operand is not MISSING and spec.family != "match":
                operands.append((leaf.operator, leaf.operand, d.const(leaf.operand)))
            for key, path, value in operands:
                typed = d.is_timestamp(value) if spec.family == "timestamp" else d.has_type(value, expected)
                m = z3()
                if m.is_true(typed):
                    continue
                if not m.is_false(typed) and path not in related:
                    continue  # nothing else constrains this path: its type is free here
                if ask(ctx, value.present) != "sat":
                    continue
                if ask(ctx, typed) == "unsat":
                    want = "a timestamp string" if spec.family == "timestamp" else f"a {expected}"
                    verdict.mismatches.append(TypeMismatch(leaf, i, key, path if isinstance(path, str)
                                                           else repr(path), want))
        o = outcomes[i]
        undecided = simplify_and(undecided, simplify_and(simplify_not(o.true), simplify_not(o.error)))


def analyse_choices(machine: Machine, budget: Budget, reached: frozenset = frozenset()) -> dict[str, ChoiceVerdict]:
    out: dict[str, ChoiceVerdict] = {}
    for scope in machine.walk_scopes():
        for state in scope.states.values():
            if isinstance(state, ChoiceState) and state.choices:
                out[state.pointer] = analyse_choice(state, budget, reached)
    return out
