"""A documented subset of JSONata ``Condition`` expressions, encoded exactly in z3.

Supported (everything else makes the whole condition an unknown boolean, never a guess):

* paths on the state input: ``$states.input.a.b`` (a step into an array would map over
  it in JSONata, so such a value is left unknown), and on workflow variables the caller
  knows (``$name.a``, through ``read_var``);
* literals: numbers, single- or double-quoted strings, ``true``, ``false``, ``null``;
* ``=`` / ``!=`` (false when a side is undefined; deep equality of arrays/objects unknown);
* ``<``, ``<=``, ``>``, ``>=`` on two numbers or two strings (an error when a present side
  is of another type, even if the other side is undefined; else undefined if a side is
  undefined; an error for a number against a string);
* ``+``, ``-`` on numbers, and ``*`` / ``/`` when one side is a literal (a present
  non-number is an error even next to undefined; else undefined in, undefined out);
* ``and``, ``or`` (operands cast to booleans), ``$not(x)``, ``$exists(x)``, parentheses.

A Choice ``Condition`` must produce a boolean: undefined or any other type is
``States.QueryEvaluationError``, as is every evaluation error. The semantics follow the
``jsonata`` package the interpreter uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Optional

from analyzer.symbolic.solver import z3
from analyzer.symbolic.values import ARR, BOOL, NULL, NUM, OBJ, STR, SymValue, constant, fresh

_TOKEN = re.compile(r"""\s*(?:(?P<num>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
    |(?P<op><=|>=|!=|[=<>+\-*/()])|(?P<var>\$[A-Za-z_][A-Za-z0-9_]*)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<dot>\.))""",
                    re.X)


class Unsupported(Exception):
    pass


def tokenize(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise Unsupported(text[pos:pos + 10])
        kind = m.lastgroup
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


@dataclass
class JV:
    """A JSONata value: ``value.present`` is *defined*; ``error`` when evaluation fails."""

    value: SymValue
    error: Any


def body_of(condition: Any) -> Optional[str]:
    if isinstance(condition, str):
        s = condition.strip()
        if s.startswith("{%") and s.endswith("%}"):
            return s[2:-2].strip()
    return None


class Encoder:
    """Parses and encodes one condition; ``read(steps)`` gives the SymValue of ``$states.input`` at steps."""

    def __init__(self, read, mapped_values: Optional[dict] = None, read_var=None) -> None:
        self.read = read
        #: ``read_var(name, steps)``: the SymValue of a workflow variable at steps, None if unknown
        self.read_var = read_var
        self.mapped_values = {} if mapped_values is None else mapped_values
        self.mapped = False
        self.toks: list = []
        self.i = 0

    # -- parsing (recursive descent, encoding as it goes)
    def encode(self, text: str):
        """(taken, error) of the condition as a Choice rule."""
        m = z3()
        self.toks, self.i = tokenize(text), 0
        jv = self.or_()
        if self.i != len(self.toks):
            raise Unsupported("trailing input")
        v = jv.value
        is_bool = m.And(v.present, v.tag == BOOL)
        error = m.Or(jv.error, m.Not(is_bool))
        return m.And(m.Not(error), v.flag), error

    def peek(self):
        return self.toks[self.i] if self.i < len(self.toks) else (None, None)

    def take(self, value=None):
        tok = self.peek()
        if tok[0] is None or (value is not None and tok[1] != value):
            raise Unsupported(f"expected {value}")
        self.i += 1
        return tok

    def or_(self) -> JV:
        left = self.and_()
        while self.peek() == ("name", "or"):
            self.take()
            right = self.and_()
            left = self.logic(left, right, is_and=False)
        return left

    def and_(self) -> JV:
        left = self.cmp()
        while self.peek() == ("name", "and"):
            self.take()
            right = self.cmp()
            left = self.logic(left, right, is_and=True)
        return left

    def cmp(self) -> JV:
        left = self.add()
        kind, op = self.peek()
        if kind == "op" and op in ("=", "!=", "<", "<=", ">", ">="):
            self.take()
            right = self.add()
            return self.compare(op, left, right)
        return left

    def add(self) -> JV:
        left = self.mul()
        while self.peek() in (("op", "+"), ("op", "-")):
            op = self.take()[1]
            left = self.arith(op, left, self.mul(), linear=True)
        return left

    def mul(self) -> JV:
        left = self.unary()
        while self.peek() in (("op", "*"), ("op", "/")):
            op = self.take()[1]
            left = self.arith(op, left, self.unary(), linear=False)
        return left

    def unary(self) -> JV:
        if self.peek() == ("op", "-"):
            self.take()
            return self.arith("-", JV(constant(0), z3().BoolVal(False)), self.unary(), linear=True)
        return self.primary()

    def primary(self) -> JV:
        m = z3()
        kind, text = self.peek()
        no_error = m.BoolVal(False)
        if kind == "num":
            self.take()
            return JV(constant(_number(text)), no_error)
        if kind == "str":
            self.take()
            return JV(constant(_string(text)), no_error)
        if kind == "name" and text in ("true", "false", "null"):
            self.take()
            return JV(constant({"true": True, "false": False, "null": None}[text]), no_error)
        if kind == "op" and text == "(":
            self.take()
            inner = self.or_()
            self.take(")")
            return inner
        if kind == "var" and text == "$states":
            return self.path()
        if kind == "var" and self.read_var is not None and text not in ("$exists", "$not") \
                and self.toks[self.i + 1:self.i + 2] != [("op", "(")]:
            return self.variable()
        if kind == "var" and text in ("$exists", "$not"):
            self.take()
            self.take("(")
            arg = self.or_()
            self.take(")")
            if text == "$exists":
                return JV(_bool(arg.value.present, defined=True), arg.error)
            return JV(_bool(m.Not(self.cast(arg.value)), defined=arg.value.present), arg.error)
        raise Unsupported(text or "end")

    def _steps(self) -> list:
        steps = []
        while self.peek()[0] == "dot":
            self.take()
            kind, name = self.take()
            if kind not in ("name",):
                raise Unsupported("step")
            steps.append(name)
        return steps

    def path(self) -> JV:
        self.take("$states")
        self.take(".")
        if self.take()[1] != "input":
            raise Unsupported("only $states.input")
        return self._value(self.read, self._steps(), ("input",))

    def variable(self) -> JV:
        """``$name.a.b``: a workflow variable bound by an earlier ``Assign`` (unknown ones are unsupported)."""
        name = self.take()[1]
        return self._value(lambda steps: self.read_var(name, steps), self._steps(), (name,))

    def _value(self, read, steps: list, root: tuple) -> JV:
        m = z3()
        value = read(tuple(steps))
        if value is None:
            raise Unsupported("value not modelled")
        # A step into an array maps over its items in JSONata: such values are left unknown.
        mapped = [read(tuple(steps[:k])) for k in range(len(steps))]
        if any(p is None for p in mapped):
            raise Unsupported("value not modelled")
        through_array = m.Or(*[m.And(p.present, p.tag == ARR) for p in mapped]) if mapped else m.BoolVal(False)
        if not m.is_false(m.simplify(through_array)):
            self.mapped = True  # exact only for inputs without arrays on the way: the caller marks the path
        key = root + tuple(steps)
        if key not in self.mapped_values:  # the same path maps to the same (unknown) value in one state
            self.mapped_values[key] = fresh("mapped")
        return JV(_ite(through_array, self.mapped_values[key], value), m.BoolVal(False))

    # -- semantics
    def cast(self, v: SymValue):
        """JSONata ``$boolean``: undefined/null/false/0/"" are false; arrays and objects are not modelled."""
        m = z3()
        unknown = m.FreshBool("cast")
        tag = m.simplify(v.tag)
        if not (m.is_int_value(tag) and tag.as_long() not in (ARR, OBJ)):
            # an array or object may be cast here, which is left open: a witness must be confirmed
            self.mapped = True
        return m.And(v.present, m.If(v.tag == BOOL, v.flag, m.If(v.tag == NUM, v.num != 0, m.If(
            v.tag == STR, m.Length(v.text) > 0, m.If(v.tag == NULL, m.BoolVal(False), unknown)))))

    def logic(self, a: JV, b: JV, is_and: bool) -> JV:
        m = z3()
        ca, cb = self.cast(a.value), self.cast(b.value)
        if is_and:
            return JV(_bool(m.And(ca, cb)), m.Or(a.error, m.And(ca, b.error)))
        return JV(_bool(m.Or(ca, cb)), m.Or(a.error, m.And(m.Not(ca), b.error)))

    def compare(self, op: str, a: JV, b: JV) -> JV:
        m = z3()
        x, y = a.value, b.value
        err = m.Or(a.error, b.error)
        both = m.And(x.present, y.present)
        if op in ("=", "!="):
            same = m.And(x.tag == y.tag, m.If(x.tag == NUM, x.num == y.num, m.If(x.tag == STR, x.text == y.text, m.If(
                x.tag == BOOL, x.flag == y.flag, m.If(x.tag == NULL, m.BoolVal(True), m.FreshBool("deep"))))))
            holds = m.And(both, same if op == "=" else m.Not(same))
            return JV(_bool(holds), err)
        nums, strs = m.And(x.tag == NUM, y.tag == NUM), m.And(x.tag == STR, y.tag == STR)
        rel = {"<": lambda p, q: p < q, "<=": lambda p, q: p <= q, ">": lambda p, q: p > q,
               ">=": lambda p, q: p >= q}[op]
        holds = m.If(nums, rel(x.num, y.num), rel(x.text, y.text))
        # a present side that is neither a number nor a string is an error even when the other
        # side is undefined (the type check comes first); two present sides must share a type
        bad = m.Or(self._not_kind(x, NUM, STR), self._not_kind(y, NUM, STR), m.And(both, m.Not(m.Or(nums, strs))))
        return JV(_bool(holds, defined=both), m.Or(err, bad))

    @staticmethod
    def _not_kind(v: SymValue, *tags):
        m = z3()
        return m.And(v.present, *[v.tag != t for t in tags])

    def arith(self, op: str, a: JV, b: JV, linear: bool) -> JV:
        m = z3()
        x, y = a.value, b.value
        both = m.And(x.present, y.present)
        bad = m.Or(self._not_kind(x, NUM), self._not_kind(y, NUM))  # checked before undefined is
        err = m.Or(a.error, b.error, bad)
        if op == "+":
            n = x.num + y.num
        elif op == "-":
            n = x.num - y.num
        else:
            lit_x = m.is_rational_value(x.num) or m.is_int_value(x.num)
            lit_y = m.is_rational_value(y.num) or m.is_int_value(y.num)
            if op == "*" and (lit_x or lit_y):
                n = x.num * y.num
            elif op == "/" and lit_y:
                if m.is_rational_value(y.num) and y.num.as_fraction() == 0:
                    raise Unsupported("division by zero")
                n = x.num / y.num
            else:
                raise Unsupported("non-linear arithmetic")
        out = constant(0)
        return JV(SymValue(both, m.IntVal(NUM), n, out.text, out.flag, out.ts, out.is_ts), err)


def _number(text: str):
    q = Fraction(text)
    return int(q) if q.denominator == 1 and "." not in text and "e" not in text.lower() else float(text)


def _string(text: str) -> str:
    import json

    body = text[1:-1]
    if text[0] == "'":
        body = body.replace('\\\'', "'").replace('"', '\\"')
    return json.loads('"' + body + '"')


def _bool(cond, defined=None) -> SymValue:
    m = z3()
    base = constant(True)
    return SymValue(m.BoolVal(True) if defined is None else defined, m.IntVal(BOOL), base.num, base.text, cond,
                    base.ts, base.is_ts)


def _ite(c, a: SymValue, b: SymValue) -> SymValue:
    m = z3()
    if m.is_false(m.simplify(c)):
        return b
    return SymValue(m.If(c, a.present, b.present), m.If(c, a.tag, b.tag), m.If(c, a.num, b.num),
                    m.If(c, a.text, b.text), m.If(c, a.flag, b.flag), m.If(c, a.ts, b.ts), m.If(c, a.is_ts, b.is_ts))


def encode_condition(condition: Any, read, notes: Optional[dict] = None, mapped_values: Optional[dict] = None,
                     read_var=None):
    """(taken, error) for a JSONata Choice ``Condition``, or None when it is outside the subset.

    ``notes["mapped"]`` is set when some path may step through an array (then the value is
    over-approximated, so a witness must be confirmed rather than trusted).
    """
    if condition is True or condition is False:
        m = z3()
        return m.BoolVal(condition), m.BoolVal(False)
    body = body_of(condition)
    if body is None:
        return None
    encoder = Encoder(read, mapped_values, read_var)
    try:
        result = encoder.encode(body)
    except (Unsupported, ValueError, ZeroDivisionError):
        return None
    if notes is not None and encoder.mapped:
        notes["mapped"] = True
    return result
