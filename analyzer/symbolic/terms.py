"""Symbolic JSON documents as small term trees, and the JSONPath data-flow fields over them.

A state's input is a :class:`Term`:

* :class:`Conc`: a concrete JSON value (or ``MISSING``), e.g. a Pass ``Result``;
* :class:`Ref`: the value at ``steps`` under an unknown *origin* (the execution input, a
  Task result), lazily given z3 variables by :class:`~analyzer.symbolic.values.Store`;
* :class:`Obj`: an object whose keys are known (a ``Parameters`` template), values are terms;
* :class:`Overlay`: a document with one value written at a path (``ResultPath``);
* :class:`Havoc`: a value the executor does not model (filters, intrinsics, JSONata).

Reading a path through these terms never needs the solver: it rewrites to a smaller
term. The transfer functions report what they *require* to be present (a read of a
reference path that might be missing is a ``States.Runtime`` failure) and what they
require to be an object (``ResultPath`` into a non-object is ``States.ResultPathMatchFailure``).
With only concrete origins the same functions compute concrete documents, which is how
witnesses are replayed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from analyzer.lang.placeholders import as_deployed
from analyzer.model.nodes import MISSING


class Term:
    __slots__ = ()


@dataclass(frozen=True)
class Conc(Term):
    value: Any


@dataclass(frozen=True)
class Ref(Term):
    origin: tuple
    steps: tuple = ()


@dataclass(frozen=True)
class Obj(Term):
    items: tuple  # ((key, Term), ...)


@dataclass(frozen=True)
class Arr(Term):
    items: tuple  # (Term, ...): an array whose length is known (a Parallel result)


@dataclass(frozen=True)
class Overlay(Term):
    base: Term
    steps: tuple
    value: Term


@dataclass(frozen=True)
class Sum(Term):
    """``States.MathAdd``: the sum of its parts, each rounded to the nearest integer (half up) first."""

    parts: tuple  # (Term, ...)


@dataclass(frozen=True)
class Slice(Term):
    """``path[start:]`` of a value: its items from ``start`` on (``[]`` for anything but an array)."""

    base: Term
    start: int


@dataclass(frozen=True)
class FirstToken(Term):
    """``States.ArrayGetItem(States.StringSplit(source, delimiter), 0)`` for a one-character delimiter."""

    source: Term
    delimiter: str


@dataclass(frozen=True)
class Havoc(Term):
    why: str = ""


class Unmodelled(Exception):
    """A path or template outside what the executor models exactly."""


# --------------------------------------------------------------------------- paths


def _parsed(text: Any):
    """The parsed JSONPath of ``text``, or None when it is not a string or not a path."""
    from analyzer.lang.jsonpath import PathSyntaxError, parse_path

    if not isinstance(text, str):
        return None
    try:
        return parse_path(text)
    except PathSyntaxError:
        return None


def path_steps(text: Any) -> Optional[tuple[str, tuple]]:
    """``(root, steps)`` of a reference path (root ``$``, ``$$`` or ``$name``), or None if it is not one."""
    from analyzer.lang.jsonpath import Field, Index

    path = _parsed(text)
    if path is None or not path.is_reference or path.function is not None:
        return None
    steps: list = []
    for seg in path.segments:
        if isinstance(seg, Field):
            steps.append(seg.name)
        elif isinstance(seg, Index) and seg.index >= 0:
            steps.append(seg.index)
        else:
            return None
    return path.root, tuple(steps)


def lookup(term: Term, steps: tuple) -> Term:
    """The value at ``steps`` inside ``term`` (``Conc(MISSING)`` when certainly absent)."""
    while steps:
        if isinstance(term, Conc):
            value = term.value
            for step in steps:
                if isinstance(step, int):
                    if isinstance(value, list) and step < len(value):
                        value = value[step]
                    else:
                        return Conc(MISSING)
                elif isinstance(value, dict) and step in value:
                    value = value[step]
                else:
                    return Conc(MISSING)
            return Conc(value)
        if isinstance(term, Ref):
            return Ref(term.origin, term.steps + tuple(steps))
        if isinstance(term, Havoc):
            return term
        if isinstance(term, Slice):
            if not isinstance(steps[0], int):
                return Conc(MISSING)
            term, steps = term.base, (steps[0] + term.start,) + tuple(steps[1:])
            continue
        if isinstance(term, Arr):
            step = steps[0]
            if not isinstance(step, int) or step >= len(term.items):
                return Conc(MISSING)
            term, steps = term.items[step], steps[1:]
            continue
        if isinstance(term, Obj):
            step = steps[0]
            if isinstance(step, int):
                return Conc(MISSING)
            for key, value in term.items:
                if key == step:
                    term, steps = value, steps[1:]
                    break
            else:
                return Conc(MISSING)
            continue
        if isinstance(term, Overlay):
            n = len(term.steps)
            if steps[:n] == term.steps:
                term, steps = term.value, steps[n:]
                continue
            if term.steps[:len(steps)] == steps:  # reading an object that the write passes through
                return Overlay(lookup(term.base, steps), term.steps[len(steps):], term.value)
            term = term.base
            continue
        return Havoc("unknown term")
    return term


def materialize(term: Term) -> Any:
    """The concrete JSON value of a term built only from concrete parts (``MISSING`` when absent)."""
    if isinstance(term, Conc):
        return term.value
    if isinstance(term, Arr):
        return [materialize(t) for t in term.items]
    if isinstance(term, Obj):
        out = {}
        for key, value in term.items:
            v = materialize(value)
            if v is not MISSING:
                out[key] = v
        return out
    if isinstance(term, Overlay):
        base = materialize(term.base)
        value = materialize(term.value)
        if not term.steps:
            return value
        return _write(base, term.steps, value)
    raise Unmodelled(f"cannot make {type(term).__name__} concrete")


def _write(base: Any, steps: tuple, value: Any) -> Any:
    import copy

    root = copy.deepcopy(base) if isinstance(base, dict) else {}
    node = root
    for step in steps[:-1]:
        nxt = node.get(step)
        if not isinstance(nxt, dict):
            nxt = {}
            node[step] = nxt
        node = nxt
    node[steps[-1]] = value
    return root


# --------------------------------------------------------------------------- data flow


@dataclass
class Flow:
    """The result of one transfer: the new term plus what must hold for it not to fail."""

    term: Term
    must_exist: list = field(default_factory=list)  # terms that must be present (else States.Runtime)
    must_be_object: list = field(default_factory=list)  # terms that must be absent or objects
    #: (term, kind) that must be present with a type: "seconds" (a non-negative integer), "timestamp"
    typed: list = field(default_factory=list)
    imprecise: bool = False
    #: the transfer fails on every input with this error (a template that is not an object)
    fails: Optional[str] = None
    #: a value was modelled on a subset of its inputs only (see :func:`intrinsic_term`): no infeasibility claims
    approximate: bool = False
    #: (string term, origin): ``States.StringToJson`` parsed the string into the value named by origin.
    #: The solver keeps them apart; the witness writes the string as the JSON text of that value.
    links: list = field(default_factory=list)

    def need(self, env: "Env", doc: Term, path: Any, kind: str) -> None:
        term, exact = env.read(doc, path)
        if not exact:
            self.imprecise = True
            return
        self.must_exist.append(term)
        self.typed.append((term, kind))


#: The top-level keys of the context object (``$$``); any other key is certainly absent.
CONTEXT_KEYS = frozenset({"Execution", "State", "StateMachine", "Task", "Map"})


class Env:
    """What paths can see besides the state input: the context object (``$$``).

    ``$$.Execution.Input`` is the execution input term. ``$$.Task`` is set per state by the
    explorer (:attr:`task`): absent for a Task that is not a ``.waitForTaskToken`` callback,
    unknown where it may be present. A key outside :data:`CONTEXT_KEYS` is certainly absent.
    """

    def __init__(self, execution_input: Term) -> None:
        self.execution_input = execution_input
        self.task: Term = Havoc("$$.Task")
        #: (index, value term) of the Map item whose ``ItemSelector`` is being evaluated
        self.map_item: Optional[tuple] = None
        #: workflow variables bound on the path being explored (``{"$name": term}``); set per state
        #: by the explorer. A JSONPath ``$name.a.b`` names object members, exactly as a term step does.
        self.variables: dict = {}

    def read(self, doc: Term, text: Any) -> tuple[Term, bool]:
        """(term, exact) for a path in ``$``, ``$$.Execution.Input`` or a bound variable."""
        parsed = path_steps(text)
        if parsed is None:
            return self._read_slice(doc, text)
        root, steps = parsed
        if root == "$":
            return lookup(doc, steps), True
        if root not in ("$", "$$") and root in self.variables:
            term = lookup(self.variables[root], steps)
            return term, not isinstance(term, Havoc)
        if root == "$$" and steps[:2] == ("Execution", "Input"):
            return lookup(self.execution_input, steps[2:]), True
        if root == "$$" and steps[:2] == ("Map", "Item") and self.map_item is not None and len(steps) > 2:
            index, value = self.map_item
            if steps[2] == "Index":
                return lookup(Conc(index), steps[3:]), True
            if steps[2] == "Value":
                return lookup(value, steps[3:]), True
        if root == "$$" and steps and isinstance(steps[0], str):
            if steps[0] == "Task" and isinstance(self.task, Conc):
                return lookup(self.task, steps[1:]), True
            if steps[0] not in CONTEXT_KEYS:
                return Conc(MISSING), True
        return Havoc(f"path {text!r}"), False

    def _read_slice(self, doc: Term, text: Any) -> tuple[Term, bool]:
        """``$.list[k:]``: a :class:`Slice` of what the prefix reads (concrete lists are sliced now)."""
        parsed = _slice_path(text)
        if parsed is None:
            return Havoc(f"path {text!r}"), False
        base, exact = self.read(doc, parsed[0])
        if not exact or not isinstance(base, (Ref, Conc, Slice)):
            return Havoc(f"path {text!r}"), False
        if isinstance(base, Conc):
            if base.value is MISSING:
                return base, True
            return Conc(base.value[parsed[1]:] if isinstance(base.value, list) else []), True
        return Slice(base, parsed[1]), True


def _slice_path(text: Any) -> Optional[tuple[str, int]]:
    """``(prefix path, start)`` of a reference path ending in ``[start:]``, else None."""
    from analyzer.lang.jsonpath import Slice as SliceSegment

    path = _parsed(text)
    if path is None or not path.segments or path.function is not None:
        return None
    last = path.segments[-1]
    if not isinstance(last, SliceSegment) or last.stop is not None or last.step not in (None, 1) \
            or not isinstance(last.start, int) or last.start < 0:
        return None
    bracket = text.rstrip().rfind("[")
    return (text[:bracket], last.start) if bracket > 0 else None


def select(env: Env, doc: Term, path: Any, flow: Flow) -> Term:
    """``InputPath``/``OutputPath``: missing key → whole doc; ``null`` → ``{}``; else the value at the path."""
    if path is MISSING or path == "$":
        return doc
    if path is None:
        return Conc({})
    term, exact = env.read(doc, path)
    if not exact:
        flow.imprecise = True
        return term
    flow.must_exist.append(term)
    return term


def template(env: Env, doc: Term, tmpl: Any, flow: Flow) -> Term:
    """A ``Parameters``/``ResultSelector`` payload template evaluated against ``doc`` (it must be an object)."""
    if not isinstance(tmpl, dict):
        flow.imprecise = True  # rejected by validation, or a placeholder a deployment fills in
        if not isinstance(tmpl, str):
            flow.fails = "States.Runtime"  # an array or a scalar is never a payload template
        return Havoc("template")
    return _template(env, doc, tmpl, flow)


def _template(env: Env, doc: Term, tmpl: Any, flow: Flow) -> Term:
    if isinstance(tmpl, dict):
        items = []
        for key, value in tmpl.items():
            if isinstance(key, str) and key.endswith(".$") and len(key) > 2:
                name = key[:-2]
                if isinstance(value, str) and value.startswith("$"):
                    term, exact = env.read(doc, value)
                    if not exact:
                        flow.imprecise = True
                        term = _filtered(env, doc, value, flow) or term
                    else:
                        flow.must_exist.append(term)
                    items.append((name, term))
                else:  # an intrinsic function: its path arguments must exist with the right type
                    intrinsic_needs(env, doc, value, flow)
                    modelled = intrinsic_term(env, doc, value, flow)
                    if modelled is None:
                        flow.imprecise = True
                        modelled = _parsed_json(env, doc, value, flow) or _json_text(env, doc, value, flow) \
                            or Havoc(f"intrinsic {value!r}")
                    items.append((name, modelled))
            else:
                items.append((key, _template(env, doc, value, flow)))
        return Obj(tuple(items))
    if isinstance(tmpl, list):
        if _has_dynamic(tmpl):
            flow.imprecise = True  # array values are not modelled, but what they read must exist
            for item in tmpl:
                _template(env, doc, item, flow)
            return Havoc("template array")
        return Conc(tmpl)
    return Conc(tmpl)


def _has_dynamic(value: Any) -> bool:
    if isinstance(value, dict):
        return any((isinstance(k, str) and k.endswith(".$")) or _has_dynamic(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_dynamic(v) for v in value)
    return False


def place_result(raw: Term, result: Term, result_path: Any, flow: Flow) -> Term:
    """``ResultPath``: missing or ``$`` → the result; ``null`` → the raw input; a path → written into it."""
    if result_path is MISSING or result_path == "$":
        return result
    if result_path is None:
        return raw
    parsed = path_steps(result_path)
    if parsed is None or parsed[0] != "$" or any(isinstance(s, int) for s in parsed[1]):
        flow.imprecise = True
        return Havoc(f"ResultPath {result_path!r}")
    steps = parsed[1]
    if not steps:
        return result
    for i in range(len(steps)):
        flow.must_be_object.append(lookup(raw, steps[:i]))
    return Overlay(raw, steps, result)


def value_has_kind(value: Any, kind: str) -> bool:
    """The concrete counterpart of :attr:`Flow.typed`."""
    from analyzer.semantics.values import parse_timestamp

    if kind == "timestamp":
        return parse_timestamp(value) is not None
    if kind in ("string", "array", "object"):
        return isinstance(value, {"string": str, "array": list, "object": dict}[kind])
    if kind.startswith("atmost:"):  # an array of at most n items (a filter over n items)
        return isinstance(value, list) and len(value) <= int(kind[7:])
    if kind == "number":  # intrinsics round other numbers themselves: only the type is a requirement
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind.startswith("split0:"):  # a non-empty string that does not start with the delimiter
        return isinstance(value, str) and value != "" and not value.startswith(kind[7:])
    if kind == "int32":  # a States.MathAdd argument: rounded half up, then within 32 bits
        import math

        return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) \
            and INT32[0] <= math.floor(value + 0.5) <= INT32[1]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    if kind == "seconds":
        return value >= 0 and float(value).is_integer() and value <= 99999999
    return value > 0 and float(value).is_integer()  # "positive": TimeoutSeconds / HeartbeatSeconds


#: Argument kinds of intrinsic functions (the last kind repeats for variadic ones); "any" needs presence only.
INTRINSIC_KINDS = {
    "States.Format": ("string", "any"), "States.StringToJson": ("string",), "States.JsonToString": ("any",),
    "States.Array": ("any",), "States.ArrayPartition": ("array", "number"), "States.ArrayContains": ("array", "any"),
    "States.ArrayRange": ("number",), "States.ArrayGetItem": ("array", "number"), "States.ArrayLength": ("array",),
    "States.ArrayUnique": ("array",), "States.Base64Encode": ("string",), "States.Base64Decode": ("string",),
    "States.Hash": ("any", "string"), "States.JsonMerge": ("object", "object", "any"),
    "States.MathRandom": ("number",), "States.MathAdd": ("number",), "States.StringSplit": ("string",),
    "States.UUID": ("any",),
}


_PARSED = [0]


def _parsed_json(env: "Env", doc: Term, text: Any, flow: Flow) -> Optional[Term]:
    """``States.StringToJson($.path)``: the parsed value is a fresh unknown, linked to the string for witnesses."""
    from analyzer.lang.intrinsics import Call, IntrinsicSyntaxError, parse_intrinsic
    from analyzer.lang.jsonpath import Path

    try:
        call = parse_intrinsic(as_deployed(text))
    except (IntrinsicSyntaxError, TypeError, ValueError):
        return None
    if not isinstance(call, Call) or call.name != "States.StringToJson" or len(call.args) != 1 \
            or not isinstance(call.args[0], Path):
        return None
    source, exact = env.read(doc, call.args[0].text or str(call.args[0]))
    if not exact or not isinstance(source, Ref):
        return None
    _PARSED[0] += 1
    origin = ("json", _PARSED[0])
    flow.links.append((source, origin))
    return Ref(origin)


def _json_text(env: "Env", doc: Term, text: Any, flow: Flow) -> Optional[Term]:
    """``States.JsonToString($.path)``: a fresh string, linked back to the value for witnesses.

    The string is unconstrained beyond being a string (so no path is ruled out because of
    it, exactly as with an unknown value); the witness then writes, at the path, the value whose
    JSON text the solver chose, or that text itself when it is not compact JSON. The run
    confirms or rejects the case, so an approximate choice costs a witness, never soundness.
    """
    from analyzer.lang.intrinsics import Call, IntrinsicSyntaxError, parse_intrinsic
    from analyzer.lang.jsonpath import Path

    try:
        call = parse_intrinsic(as_deployed(text))
    except (IntrinsicSyntaxError, TypeError, ValueError):
        return None
    if not isinstance(call, Call) or call.name != "States.JsonToString" or len(call.args) != 1 \
            or not isinstance(call.args[0], Path):
        return None
    source, exact = env.read(doc, call.args[0].text or str(call.args[0]))
    if not exact or not isinstance(source, Ref):
        return None
    _PARSED[0] += 1
    origin = ("jsontext", _PARSED[0])
    flow.typed.append((Ref(origin), "string"))
    flow.links.append((source, origin, JSON_TEXT))
    return Ref(origin)


#: marks a link whose value is to be written from a JSON text (``States.JsonToString``), not the reverse
JSON_TEXT = "json-text"


def _filtered(env: "Env", doc: Term, text: str, flow: Flow) -> Optional[Term]:
    """``$.list[?(@.a.b == literal)].x.y``: a fresh array, linked back to the list for witnesses.

    Which elements pass the filter is not modelled: the result is an unconstrained array (no
    path is ruled out because of it). A witness whose path tests the result writes, at the list,
    one element per chosen entry, with ``a.b`` set to the literal (so that it passes) and the entry
    at ``x.y``; the run then confirms or rejects the case. The path stays imprecise.

    The list may also be an :class:`Arr` of known length ``n`` (a Map or Parallel result, e.g.
    ``$[?(...)]`` in a Map's ``ResultSelector``): the result then has at most ``n`` elements
    (the ``atmost:n`` requirement, true of every filter), and the witness makes the first
    chosen items pass by writing into the values they were computed from (see
    :func:`analyzer.symbolic.coverage`), where those are unknown inputs or Task results.
    """
    from analyzer.lang.jsonpath import Compare, Field, Filter, Literal, Path, parse_path

    try:
        path = parse_path(text)
    except (ValueError, TypeError):
        return None
    if not isinstance(path, Path) or path.root != "$" or path.function is not None:
        return None
    filters = [i for i, seg in enumerate(path.segments) if isinstance(seg, Filter)]
    if len(filters) != 1 or text.count("[?") != 1:
        return None
    flt, suffix = path.segments[filters[0]], path.segments[filters[0] + 1:]
    if not isinstance(flt.expr, Compare) or flt.expr.op != "==" or not all(isinstance(x, Field) for x in suffix):
        return None
    left, right = flt.expr.left, flt.expr.right
    if isinstance(right, Path) and isinstance(left, Literal):
        left, right = right, left
    if not (isinstance(left, Path) and left.root == "@" and left.segments
            and all(isinstance(x, Field) for x in left.segments) and isinstance(right, Literal)
            and isinstance(right.value, (str, int, float, bool))):
        return None
    cut = text.find("[?")
    if cut <= 0:
        return None
    source, exact = env.read(doc, text[:cut])
    if not exact or not isinstance(source, (Ref, Arr)):
        return None
    _PARSED[0] += 1
    origin = ("filtered", _PARSED[0])
    if isinstance(source, Arr):  # e.g. a Map result over n items: at most n elements pass
        flow.typed.append((Ref(origin), f"atmost:{len(source.items)}"))
    else:
        flow.must_exist.append(source)
        flow.typed.append((source, "array"))
        flow.typed.append((Ref(origin), "array"))  # a filter always selects an array, maybe empty
    kind = ("filter", tuple(x.name for x in left.segments), right.value, tuple(x.name for x in suffix))
    flow.links.append((source, origin, kind))
    return Ref(origin)


def intrinsic_needs(env: "Env", doc: Term, text: Any, flow: Flow) -> None:
    """Record what an intrinsic call needs of the paths it reads (values are not modelled)."""
    from analyzer.lang.intrinsics import Call, IntrinsicSyntaxError, parse_intrinsic
    from analyzer.lang.jsonpath import Path

    from analyzer.lang.intrinsics import check_intrinsic

    # A call the validator rejects may still be a template placeholder (``${Endpoint}``) that a
    # deployment substitutes: its behaviour is unknown, never "always fails".
    try:
        call = parse_intrinsic(as_deployed(text))
        if check_intrinsic(as_deployed(text)):
            return
    except (IntrinsicSyntaxError, TypeError, ValueError):
        return

    def walk(c) -> None:
        kinds = INTRINSIC_KINDS.get(c.name, ("any",))
        for i, arg in enumerate(c.args):
            kind = kinds[min(i, len(kinds) - 1)]
            if isinstance(arg, Call):
                walk(arg)
            elif isinstance(arg, Path):
                term, exact = env.read(doc, arg.text or str(arg))
                if exact:
                    flow.must_exist.append(term)
                    if kind != "any":
                        flow.typed.append((term, kind))

    walk(call)


INT32 = (-(2 ** 31), 2 ** 31 - 1)
#: Intrinsics whose result is not a function of their arguments: never evaluated ahead of the run.
NONDETERMINISTIC = frozenset({"States.UUID", "States.MathRandom"})


def intrinsic_term(env: "Env", doc: Term, text: Any, flow: Flow) -> Optional[Term]:
    """The exact term of an intrinsic call, or None when it is outside the model.

    * every argument concrete: the call is evaluated now, by the interpreter's own evaluator;
    * ``States.MathAdd`` of numbers: a :class:`Sum` (each argument must be a 32-bit integer
      after rounding, recorded as the ``int32`` requirement);
    * ``States.ArrayGetItem`` of an array with a literal index: the element, which must exist.
    A call that would fail on its concrete arguments is left unmodelled (the run decides).
    """
    from analyzer.lang.intrinsics import Call, IntrinsicSyntaxError, check_intrinsic, parse_intrinsic

    try:
        call = parse_intrinsic(as_deployed(text))
        if check_intrinsic(as_deployed(text)):
            return None
    except (IntrinsicSyntaxError, TypeError, ValueError):
        return None
    if not isinstance(call, Call):
        return None
    return _call_term(env, doc, call, flow)


def _arg_term(env: "Env", doc: Term, arg: Any, flow: Flow) -> Optional[Term]:
    from analyzer.lang.intrinsics import Call
    from analyzer.lang.jsonpath import Path

    if isinstance(arg, Call):
        return _call_term(env, doc, arg, flow)
    if isinstance(arg, Path):
        term, exact = env.read(doc, arg.text or str(arg))
        return term if exact else None
    return Conc(arg)


def _call_term(env: "Env", doc: Term, call: Any, flow: Flow) -> Optional[Term]:
    split = _first_token(env, doc, call, flow)
    if split is not None:
        return split
    args = [_arg_term(env, doc, a, flow) for a in call.args]
    if any(a is None for a in args):
        return None
    if all(isinstance(a, Conc) for a in args):
        if call.name in NONDETERMINISTIC or any(a.value is MISSING for a in args):
            return None
        return _evaluate_now(call, [a.value for a in args])
    if call.name == "States.MathAdd" and len(args) == 2:
        for a in args:
            flow.must_exist.append(a)
            flow.typed.append((a, "int32"))
        return Sum(tuple(args))
    if call.name == "States.ArrayGetItem" and len(args) == 2 and isinstance(args[0], Ref) and isinstance(args[1], Conc) \
            and type(args[1].value) is int and args[1].value >= 0:
        flow.must_exist.append(args[0])
        flow.typed.append((args[0], "array"))
        element = lookup(args[0], (args[1].value,))
        flow.must_exist.append(element)
        return element
    return None


def _first_token(env: "Env", doc: Term, call: Any, flow: Flow) -> Optional[Term]:
    """``States.ArrayGetItem(States.StringSplit(s, "d"), 0)``: the first piece of ``s`` split on ``d``.

    ``States.StringSplit`` drops empty pieces, so a string that starts with the delimiter
    has its first piece further on; such strings are left out (the ``split0:d`` requirement),
    which makes the value an approximation, reported on the flow.
    """
    from analyzer.lang.intrinsics import Call

    if call.name != "States.ArrayGetItem" or len(call.args) != 2 or type(call.args[1]) is not int \
            or call.args[1] != 0:
        return None
    inner = call.args[0]
    if not isinstance(inner, Call) or inner.name != "States.StringSplit" or len(inner.args) != 2:
        return None
    delimiter = inner.args[1]
    if not isinstance(delimiter, str) or len(delimiter) != 1 or not (" " <= delimiter <= "~"):
        return None
    source = _arg_term(env, doc, inner.args[0], flow)
    if not isinstance(source, Ref):
        return None
    flow.must_exist.append(source)
    flow.typed.append((source, "split0:" + delimiter))
    flow.approximate = True
    return FirstToken(source, delimiter)


def _evaluate_now(call: Any, values: list) -> Optional[Term]:
    """Evaluate a call on concrete arguments with the interpreter's functions (None if it fails)."""
    import random

    try:
        from analyzer.interp.intrinsics_eval import _FUNCTIONS, IntrinsicError
    except ImportError:
        return None
    impl = _FUNCTIONS.get(call.name)
    if impl is None:
        return None
    try:
        return Conc(impl(call, values, random.Random(0)))
    except IntrinsicError:
        return None
    except Exception:  # noqa: BLE001 - an evaluator surprise only means "not modelled"
        return None
