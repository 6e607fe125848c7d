"""``${Name}`` deploy-time substitutions (SAM/CloudFormation ``DefinitionSubstitutions``,
Terraform ``templatefile``) and the template holes of test fixtures.

A value that contains a placeholder is only known after deployment, so the validation
rules never report it: not as a malformed ARN, not as a bad path, not as a string where
a number is expected. The last case is a deliberate choice: ``"TimeoutSeconds":
"${Timeout}"`` is refused as written, but whether it reaches the service as a string or
as a number depends on the tool that substitutes it (Terraform templates, for instance,
are often written so that the quotes disappear), and a linter that cannot see the
substituted text should not guess.
"""

from __future__ import annotations

import re
from typing import Any

_PLACEHOLDER = re.compile(r"\$\{[^{}\s]+\}")


def contains_placeholder(value: Any) -> bool:
    """Whether a string holds at least one ``${Name}`` substitution."""
    return isinstance(value, str) and "${" in value and _PLACEHOLDER.search(value) is not None


def is_placeholder(value: Any) -> bool:
    """Whether a string is exactly one ``${Name}`` substitution and nothing else."""
    return isinstance(value, str) and _PLACEHOLDER.fullmatch(value) is not None


def names(value: Any) -> list[str]:
    """The substitution names in a string, in order (``${A}-${B}`` gives ``['A', 'B']``)."""
    if not isinstance(value, str):
        return []
    return [m.group(0)[2:-1] for m in _PLACEHOLDER.finditer(value)]


def as_deployed(value: Any) -> Any:
    """A string with each ``${Name}`` replaced by ``$(Name)``, the same length and brace-free.

    Running a definition that still holds deploy-time placeholders (the interpreter, the
    model checker's witnesses) needs some text where the deployment would put the real one.
    Inside an intrinsic call the braces would otherwise read as ``States.Format`` slots
    (``'${ApiEndpoint}?token={}'`` is a valid template once deployed); the stand-in keeps
    every other column where it was, so a later error still points at the right place.
    """
    if not contains_placeholder(value):
        return value
    return _PLACEHOLDER.sub(lambda m: "$(" + m.group(0)[2:-1] + ")", value)
