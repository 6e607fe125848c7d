"""Where each character of a string value sits in the file it was read from.

A definition given as a string (``DefinitionString``, a ``Fn::Sub`` or ``Fn::Join``
piece) is parsed on its own; to report a finding on the line the user edits, every
character of the decoded string is mapped back to an offset in the template text.

* JSON string tokens and YAML double-quoted scalars are decoded escape by escape, so
  the mapping is exact (an escape sequence maps to its backslash).
* YAML plain, single-quoted, literal (``|``) and folded (``>``) scalars are aligned
  greedily: every character of the value is matched to the next equal character of
  the source (a folded line break matches the space it became). Non-blank
  characters, which is where every JSON token starts and ends, land exactly; a blank
  may land on an indentation blank of the same line.
* When neither way reproduces the value (an exotic escape, a scalar the parser
  normalised in a way we do not model), every character maps to the first line of
  the scalar: the report still names the right scalar, just not the exact line.
  :func:`char_offsets` says which case happened.
"""

from __future__ import annotations

_SIMPLE_ESCAPES = {
    '"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t",
    "0": "\0", "a": "\a", "e": "\x1b", "v": "\v", " ": " ", "N": "\x85", "_": "\xa0",
    "L": "\u2028", "P": "\u2029", "\t": "\t",
}
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}


def scalar_start(text: str, start: int, end: int) -> int:
    """Skip a YAML tag (``!Sub``), an anchor and blanks in front of a scalar."""
    pos = start
    while pos < end:
        ch = text[pos]
        if ch in "!&":
            while pos < end and text[pos] not in " \t\r\n":
                pos += 1
        elif ch in " \t\r\n":
            pos += 1
        else:
            break
    return pos


def _decode_double_quoted(text: str, pos: int, end: int) -> tuple[str, list[int]] | None:
    """Decode a JSON string token or a YAML double-quoted scalar starting at ``pos`` (its quote)."""
    out: list[str] = []
    offs: list[int] = []
    i = pos + 1
    while i < end:
        ch = text[i]
        if ch == '"':
            return "".join(out), offs
        if ch == "\\":
            if i + 1 >= end:
                return None
            nxt = text[i + 1]
            if nxt in _HEX_ESCAPES:
                width = _HEX_ESCAPES[nxt]
                try:
                    code = int(text[i + 2:i + 2 + width], 16)
                except ValueError:
                    return None
                step = 2 + width
                if 0xD800 <= code < 0xDC00 and text[i + step:i + step + 2] == "\\u":
                    try:
                        low = int(text[i + step + 2:i + step + 6], 16)
                    except ValueError:
                        low = 0
                    if 0xDC00 <= low < 0xE000:
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        step += 6
                out.append(chr(code))
                offs.append(i)
                i += step
            elif nxt in "\r\n":  # YAML escaped line break: joins the lines
                i += 2 if text[i + 1:i + 3] != "\r\n" else 3
                while i < end and text[i] in " \t":
                    i += 1
            elif nxt in _SIMPLE_ESCAPES:
                out.append(_SIMPLE_ESCAPES[nxt])
                offs.append(i)
                i += 2
            else:
                return None
        elif ch in "\r\n":  # YAML line folding inside a flow scalar
            while out and out[-1] in " \t" and offs[-1] >= pos:
                out.pop()
                offs.pop()
            breaks = 0
            first = i
            while i < end and text[i] in " \t\r\n":
                if text[i] == "\n":
                    breaks += 1
                i += 1
            if breaks <= 1:
                out.append(" ")
                offs.append(first)
            else:
                out.extend("\n" * (breaks - 1))
                offs.extend([first] * (breaks - 1))
        else:
            out.append(ch)
            offs.append(i)
            i += 1
    return None


def _align(value: str, text: str, pos: int, end: int) -> list[int] | None:
    """Match each character of ``value`` to the next equal character of ``text[pos:end]``."""
    offs: list[int] = []
    j = pos
    for c in value:
        while j < end:
            r = text[j]
            if r == c or (c == " " and r == "\n"):
                break
            j += 1
        if j >= end:
            return None
        offs.append(j)
        j += 1
    return offs


def char_offsets(text: str, start: int, end: int, value: str) -> tuple[list[int], bool]:
    """Offsets in ``text`` of every character of the string ``value`` read from ``text[start:end]``.

    Returns ``(offsets, exact)``; ``len(offsets) == len(value)``.
    """
    pos = scalar_start(text, start, end)
    first = text[pos] if pos < end else ""
    if first == '"':
        decoded = _decode_double_quoted(text, pos, end)
        if decoded is not None and decoded[0] == value:
            return decoded[1], True
    body = pos
    if first in "|>":  # block scalar: content starts on the line after the header
        nl = text.find("\n", pos, end)
        body = nl + 1 if nl != -1 else end
    elif first in "'\"":
        body = pos + 1
    aligned = _align(value, text, body, end)
    if aligned is not None:
        return aligned, True
    return [pos] * len(value), False
