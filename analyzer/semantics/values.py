"""Value-level facts of ASL shared by the interpreter and the solver: JSON types, timestamps, globs.

* JSON types as Choice sees them: booleans are not numbers (asl-semantics §4.2.8).
* Timestamps: RFC 3339 with an uppercase ``T`` and either ``Z`` or a numeric offset, any
  number of fractional digits; compared as exact instants (a :class:`fractions.Fraction`
  of seconds since the epoch, so fractional seconds never round).
* ``StringMatches`` globs: only ``*`` is special; ``\\*`` is a literal star, ``\\\\`` a
  literal backslash, and a backslash before anything else stands for itself (§4.4).
"""

from __future__ import annotations

import calendar
import re
from fractions import Fraction
from functools import lru_cache
from typing import Any, Optional, Union

_TIMESTAMP = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})\Z"
)


def json_type(value: Any) -> str:
    """``null``, ``boolean``, ``number``, ``string``, ``array`` or ``object``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def parse_timestamp(text: Any) -> Optional[Fraction]:
    """The instant of an RFC 3339 timestamp as exact seconds since 1970-01-01T00:00:00Z, or None."""
    if not isinstance(text, str):
        return None
    m = _TIMESTAMP.match(text)
    if m is None:
        return None
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1] and hour <= 23
            and minute <= 59 and second <= 60):
        return None
    seconds = Fraction(calendar.timegm((year, month, day, hour, minute, min(second, 59), 0, 0, 0)))
    if second == 60:
        seconds += 1
    if m.group(7):
        seconds += Fraction(int(m.group(7)), 10 ** len(m.group(7)))
    zone = m.group(8)
    if zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        hh, mm = int(zone[1:3]), int(zone[4:6])
        if hh > 23 or mm > 59:
            return None
        seconds -= sign * (hh * 3600 + mm * 60)
    return seconds


STAR = object()  # a glob wildcard token


def glob_tokens(pattern: str) -> list[Union[str, object]]:
    """Split a ``StringMatches`` pattern into literal strings and :data:`STAR` wildcards."""
    tokens: list[Union[str, object]] = []
    buf: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern) and pattern[i + 1] in "*\\":
            buf.append(pattern[i + 1])
            i += 2
            continue
        if ch == "*":
            if buf:
                tokens.append("".join(buf))
                buf = []
            if not tokens or tokens[-1] is not STAR:
                tokens.append(STAR)
            i += 1
            continue
        buf.append(ch)
        i += 1
    if buf:
        tokens.append("".join(buf))
    return tokens


@lru_cache(maxsize=1024)
def glob_regex(pattern: str) -> "re.Pattern[str]":
    parts = [".*" if t is STAR else re.escape(t) for t in glob_tokens(pattern)]  # type: ignore[arg-type]
    return re.compile("".join(parts), re.DOTALL)


def utf16_key(text: str) -> bytes:
    """Sort key giving Java ``String.compareTo`` order (UTF-16 code units), as Step Functions compares."""
    return text.encode("utf-16-be", "surrogatepass")
