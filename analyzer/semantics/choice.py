"""JSONPath Choice semantics, written once over an abstract domain.

The interpreter evaluates Choice rules with :class:`ConcreteDomain` (Python booleans on
real JSON values); the symbolic executor evaluates the *same code* with a z3 domain whose
booleans are formulas. Everything that makes Choice subtle lives here and only here
(asl-semantics §4.2):

* each rule has three outcomes: true, false, or the uncatchable ``States.Runtime`` error
  when any operator other than ``IsPresent`` reads a missing path (the Variable or a
  ``*Path`` comparand);
* a type mismatch is *false*, never an error (``NumericEquals`` on a string is false);
* ``And``/``Or`` short-circuit left to right, so ``And[IsPresent x, StringEquals x]`` is
  safe and the reverse order is not; ``Not(error)`` is an error;
* rules are tried in order and the first true one wins; if a rule errors, the state fails
  with ``States.Runtime``; if none matches, ``Default`` or ``States.NoChoiceMatched``.

A domain supplies only primitives: boolean connectives, constants, ``lookup`` of a
reference path, ``is_present``, ``has_type``, ``compare`` within a JSON type,
``is_timestamp``/``compare_timestamps`` and ``glob_match``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from analyzer.model.nodes import MISSING, ChoiceRule

B = TypeVar("B")  # the domain's boolean type
V = TypeVar("V")  # the domain's value type


@dataclass(frozen=True)
class OperatorSpec:
    family: str  # string | numeric | boolean | timestamp | match | type
    relation: str | None  # eq | lt | gt | le | ge (None for match/type)
    path_form: bool  # the comparand is a reference path, not a literal
    type_test: str | None = None  # for Is* tests: null | number | string | boolean | timestamp | present


_RELATIONS = {"Equals": "eq", "LessThan": "lt", "GreaterThan": "gt", "LessThanEquals": "le",
              "GreaterThanEquals": "ge"}
_FAMILIES = {"String": "string", "Numeric": "numeric", "Boolean": "boolean", "Timestamp": "timestamp"}
_TYPE_TESTS = {"IsNull": "null", "IsPresent": "present", "IsNumeric": "number", "IsString": "string",
               "IsBoolean": "boolean", "IsTimestamp": "timestamp"}
#: The JSON type a comparison family requires of both operands.
FAMILY_TYPE = {"string": "string", "numeric": "number", "boolean": "boolean", "timestamp": "string",
               "match": "string"}


def _operator_table() -> dict[str, OperatorSpec]:
    table: dict[str, OperatorSpec] = {}
    for prefix, family in _FAMILIES.items():
        for suffix, relation in _RELATIONS.items():
            if family == "boolean" and relation != "eq":
                continue
            table[prefix + suffix] = OperatorSpec(family, relation, False)
            table[prefix + suffix + "Path"] = OperatorSpec(family, relation, True)
    table["StringMatches"] = OperatorSpec("match", None, False)
    for op, test in _TYPE_TESTS.items():
        table[op] = OperatorSpec("type", None, False, test)
    return table


OPERATORS: dict[str, OperatorSpec] = _operator_table()


class Domain(Protocol[B, V]):
    TRUE: B
    FALSE: B

    def and_(self, a: B, b: B) -> B: ...
    def or_(self, a: B, b: B) -> B: ...
    def not_(self, a: B) -> B: ...
    def const(self, value: Any) -> V: ...
    def lookup(self, path: str) -> V: ...
    def is_present(self, v: V) -> B: ...
    def has_type(self, v: V, json_type: str) -> B: ...
    def compare(self, family: str, relation: str, a: V, b: V) -> B: ...
    def is_timestamp(self, v: V) -> B: ...
    def glob_match(self, v: V, pattern: str) -> B: ...


@dataclass(frozen=True)
class Outcome(Generic[B]):
    """``true``: the rule evaluated to true; ``error``: it raised States.Runtime. Both false: false."""

    true: Any
    error: Any


def evaluate_rule(rule: ChoiceRule, d: Domain) -> Outcome:
    if rule.and_ is not None:
        true, error = d.TRUE, d.FALSE
        for child in rule.and_:
            o = evaluate_rule(child, d)
            error = d.or_(error, d.and_(true, o.error))  # reached only while all before were true
            true = d.and_(true, o.true)
        return Outcome(true, error)
    if rule.or_ is not None:
        undecided, true, error = d.TRUE, d.FALSE, d.FALSE  # undecided: every earlier child was false
        for child in rule.or_:
            o = evaluate_rule(child, d)
            error = d.or_(error, d.and_(undecided, o.error))
            true = d.or_(true, d.and_(undecided, o.true))
            undecided = d.and_(undecided, d.and_(d.not_(o.true), d.not_(o.error)))
        return Outcome(true, error)
    if rule.not_ is not None:
        o = evaluate_rule(rule.not_, d)
        return Outcome(d.and_(d.not_(o.true), d.not_(o.error)), o.error)
    return evaluate_data_test(rule, d)


def evaluate_data_test(rule: ChoiceRule, d: Domain) -> Outcome:
    op = rule.operator
    spec = OPERATORS.get(op or "")
    if spec is None or not isinstance(rule.variable, str):
        # Validation reports malformed rules; at run time AWS would have refused the definition.
        return Outcome(d.FALSE, d.FALSE)
    value = d.lookup(rule.variable)
    present = d.is_present(value)
    if spec.type_test == "present":
        return Outcome(present if rule.operand is True else d.not_(present), d.FALSE)
    error = d.not_(present)
    if spec.path_form:
        if not isinstance(rule.operand, str):
            return Outcome(d.FALSE, d.FALSE)
        operand = d.lookup(rule.operand)
        error = d.or_(error, d.not_(d.is_present(operand)))
    else:
        operand = d.const(rule.operand) if rule.operand is not MISSING else d.const(None)
    test = data_test(spec, value, operand, rule.operand, d)
    return Outcome(d.and_(d.not_(error), test), error)


def data_test(spec: OperatorSpec, value: Any, operand: Any, literal: Any, d: Domain) -> Any:
    """The truth of one comparison on present values: false on any type mismatch."""
    if spec.family == "type":
        if spec.type_test == "timestamp":
            holds = d.is_timestamp(value)
        else:
            holds = d.has_type(value, spec.type_test)
        return holds if literal is True else d.not_(holds)
    if spec.family == "match":
        if not isinstance(literal, str):
            return d.FALSE
        return d.and_(d.has_type(value, "string"), d.glob_match(value, literal))
    if spec.family == "timestamp":
        both = d.and_(d.is_timestamp(value), d.is_timestamp(operand))
        return d.and_(both, d.compare("timestamp", spec.relation, value, operand))
    json_type = FAMILY_TYPE[spec.family]
    both = d.and_(d.has_type(value, json_type), d.has_type(operand, json_type))
    return d.and_(both, d.compare(spec.family, spec.relation, value, operand))


@dataclass(frozen=True)
class ChoiceOutcomes:
    """Conditions (in the domain) for each way a Choice state can end."""

    rules: tuple  # condition under which rule i is the one taken
    default: Any  # no rule matched (Default taken, or States.NoChoiceMatched without one)
    error: Any  # some rule raised States.Runtime before any matched


def choice_outcomes(rules: tuple[ChoiceRule, ...], d: Domain) -> ChoiceOutcomes:
    undecided = d.TRUE
    taken = []
    error = d.FALSE
    for rule in rules:
        o = evaluate_rule(rule, d)
        taken.append(d.and_(undecided, o.true))
        error = d.or_(error, d.and_(undecided, o.error))
        undecided = d.and_(undecided, d.and_(d.not_(o.true), d.not_(o.error)))
    return ChoiceOutcomes(tuple(taken), undecided, error)


# --------------------------------------------------------------------------- concrete


class ConcreteDomain:
    """Python booleans over real JSON values; ``lookup`` is supplied by the caller."""

    TRUE = True
    FALSE = False

    def __init__(self, lookup) -> None:
        self._lookup = lookup  # path -> value, or MISSING

    def and_(self, a: bool, b: bool) -> bool:
        return a and b

    def or_(self, a: bool, b: bool) -> bool:
        return a or b

    def not_(self, a: bool) -> bool:
        return not a

    def const(self, value: Any) -> Any:
        return value

    def lookup(self, path: str) -> Any:
        return self._lookup(path)

    def is_present(self, v: Any) -> bool:
        return v is not MISSING

    def has_type(self, v: Any, json_type: str) -> bool:
        from analyzer.semantics.values import json_type as type_of

        return v is not MISSING and type_of(v) == json_type

    def compare(self, family: str, relation: str, a: Any, b: Any) -> bool:
        # The shared code combines this with type guards using and_, which here is not lazy:
        # answer False for ill-typed operands instead of raising.
        if not (self.has_type(a, FAMILY_TYPE[family]) and self.has_type(b, FAMILY_TYPE[family])):
            return False
        if family == "timestamp" and not (self.is_timestamp(a) and self.is_timestamp(b)):
            return False
        if family == "numeric":
            x, y = float(a), float(b)  # Step Functions compares IEEE-754 doubles
        elif family == "string":
            from analyzer.semantics.values import utf16_key

            x, y = utf16_key(a), utf16_key(b)
        elif family == "timestamp":
            from analyzer.semantics.values import parse_timestamp

            x, y = parse_timestamp(a), parse_timestamp(b)
        else:
            x, y = a, b
        if relation == "eq":
            return x == y
        if relation == "lt":
            return x < y
        if relation == "gt":
            return x > y
        if relation == "le":
            return x <= y
        return x >= y

    def is_timestamp(self, v: Any) -> bool:
        from analyzer.semantics.values import parse_timestamp

        return parse_timestamp(v) is not None

    def glob_match(self, v: Any, pattern: str) -> bool:
        from analyzer.semantics.values import glob_regex

        return isinstance(v, str) and glob_regex(pattern).fullmatch(v) is not None


def evaluate_choice_concrete(rules: tuple[ChoiceRule, ...], lookup) -> tuple[str, int | None]:
    """Run a JSONPath Choice on concrete data: ``("rule", i)``, ``("default", None)`` or ``("error", i)``.

    The loop mirrors :func:`choice_outcomes` but stops at the first decisive rule, as the
    service does, so later rules are never evaluated.
    """
    d = ConcreteDomain(lookup)
    for i, rule in enumerate(rules):
        o = evaluate_rule(rule, d)
        if o.error:
            return "error", i
        if o.true:
            return "rule", i
    return "default", None
