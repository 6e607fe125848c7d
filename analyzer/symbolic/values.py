"""The JSON value model in z3: every value is missing, null, boolean, number, string, array or object.

A value is a bundle of z3 terms (:class:`SymValue`): a presence bit, a type tag (an Int
0..5) and one payload per scalar type. Only the payload of the actual type means anything.
Strings also carry a timestamp view (``is_ts`` and the exact instant ``ts`` as a Real), tied
to the string only loosely (``is_ts`` implies the RFC 3339 shape); the witness builder
renders the instant as a string and the concrete replay has the last word.

Unknown inputs are named, not enumerated: an *origin* (the execution input, or the result
of one Task visit) and a tuple of steps (``"key"`` or an ``int`` index) name a value, and
:class:`Store` mints its terms on first use together with the prefix axioms that make a
JSON document out of them (a present child has a present parent of the right container
type; an index child needs the array to be long enough).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Optional

from analyzer.model.nodes import MISSING
from analyzer.symbolic.solver import z3

NULL, BOOL, NUM, STR, ARR, OBJ = range(6)
TYPE_TAGS = {"null": NULL, "boolean": BOOL, "number": NUM, "string": STR, "array": ARR, "object": OBJ}
TAG_NAMES = {v: k for k, v in TYPE_TAGS.items()}

def timestamp_shape():
    """The RFC 3339 shape of a timestamp string (the date and offset ranges are left to the replay)."""
    m = z3()
    digit = m.Range("0", "9")

    def digits(n):
        return m.Concat(*([digit] * n)) if n > 1 else digit

    frac = m.Option(m.Concat(m.Re("."), m.Plus(digit)))
    zone = m.Union(m.Re("Z"), m.Concat(m.Union(m.Re("+"), m.Re("-")), digits(2), m.Re(":"), digits(2)))
    return m.Concat(digits(4), m.Re("-"), digits(2), m.Re("-"), digits(2), m.Re("T"), digits(2), m.Re(":"),
                    digits(2), m.Re(":"), digits(2), frac, zone)


@dataclass
class SymValue:
    present: Any
    tag: Any
    num: Any
    text: Any
    flag: Any
    ts: Any
    is_ts: Any
    length: Any = None
    #: (origin, steps) for a named value, None for constants and fresh unknowns
    key: Optional[tuple] = None
    #: the value is certainly missing (a field the machine itself never wrote)
    surely_missing: bool = False


def number_value(v) -> Fraction:
    """Exact rational of a JSON number (the decimal as written, not the binary double)."""
    if isinstance(v, int):
        return Fraction(v)
    return Fraction(repr(v))


def constant(value: Any) -> SymValue:
    """A concrete JSON value (or MISSING) as a bundle of z3 constants."""
    from analyzer.semantics.values import json_type, parse_timestamp

    m = z3()
    if value is MISSING:
        return SymValue(m.BoolVal(False), m.IntVal(NULL), m.RealVal(0), m.StringVal(""), m.BoolVal(False),
                        m.RealVal(0), m.BoolVal(False), surely_missing=True)
    kind = json_type(value)
    num = m.RealVal(number_value(value)) if kind == "number" and _finite(value) else m.RealVal(0)
    text = m.StringVal(value) if kind == "string" and _ascii(value) else m.StringVal("")
    instant = parse_timestamp(value) if kind == "string" else None
    if kind == "string" and not _ascii(value):
        text = m.FreshConst(m.StringSort(), "nonascii")  # outside the ASCII alphabet: unconstrained
    return SymValue(m.BoolVal(True), m.IntVal(TYPE_TAGS[kind]), num, text,
                    m.BoolVal(value is True), m.RealVal(instant if instant is not None else 0),
                    m.BoolVal(instant is not None))


def _finite(v) -> bool:
    return not isinstance(v, float) or (v == v and v not in (float("inf"), float("-inf")))


def _ascii(s: str) -> bool:
    return all(" " <= ch <= "~" for ch in s)


def fresh(name: str = "havoc") -> SymValue:
    """A value nothing is known about (an unmodelled construct); present-ness is free too."""
    m = z3()
    return SymValue(m.FreshBool(name + "_p"), m.FreshInt(name + "_t"), m.FreshReal(name + "_n"),
                    m.FreshConst(m.StringSort(), name + "_s"), m.FreshBool(name + "_b"),
                    m.FreshReal(name + "_ts"), m.FreshBool(name + "_ists"))


def well_formed(v: SymValue) -> list:
    """Constraints every value satisfies (tag range; only strings have a timestamp view)."""
    m = z3()
    return [v.tag >= NULL, v.tag <= OBJ, m.Implies(v.is_ts, v.tag == STR)]


def timestamp_view(v: SymValue):
    """The value is a timestamp string: the flag, plus the RFC 3339 shape tying it to the text.

    The shape is only added where a timestamp test is actually made, because a regular
    expression on every string variable slows every query down.
    """
    m = z3()
    if m.is_true(v.is_ts) or m.is_false(v.is_ts):
        return m.And(v.present, v.tag == STR, v.is_ts)
    return m.And(v.present, v.tag == STR, v.is_ts, m.InRe(v.text, _shape()))


_SHAPE = []


def _shape():
    if not _SHAPE:
        _SHAPE.append(timestamp_shape())
    return _SHAPE[0]


class Store:
    """Named values of every origin, created on first use with their structural axioms.

    The axioms go into ``pending``; the owner asserts them (once) into its solver.
    """

    def __init__(self) -> None:
        self.values: dict[tuple, SymValue] = {}
        self.pending: list = []
        self._n = 0

    def get(self, origin: tuple, steps: tuple) -> SymValue:
        key = (origin, steps)
        found = self.values.get(key)
        if found is not None:
            return found
        m = z3()
        self._n += 1
        base = f"v{self._n}"
        v = SymValue(m.Bool(base + "_p"), m.Int(base + "_t"), m.Real(base + "_n"), m.String(base + "_s"),
                     m.Bool(base + "_b"), m.Real(base + "_ts"), m.Bool(base + "_ists"), m.Int(base + "_len"),
                     key=key)
        self.values[key] = v
        self.pending.extend(well_formed(v))
        self.pending.append(v.length >= 0)
        if not steps:
            self.pending.append(v.present)  # an execution input or a Task result always exists
        else:
            parent = self.get(origin, steps[:-1])
            step = steps[-1]
            if isinstance(step, int):
                self.pending.append(m.Implies(v.present, m.And(parent.present, parent.tag == ARR,
                                                               parent.length > step)))
                self.pending.append(m.Implies(m.And(parent.present, parent.tag == ARR, parent.length > step),
                                              v.present))
            else:
                self.pending.append(m.Implies(v.present, m.And(parent.present, parent.tag == OBJ)))
        return v

    def take_pending(self) -> list:
        out, self.pending = self.pending, []
        return out
