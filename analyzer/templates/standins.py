"""Choosing a stand-in that fits where a placeholder sits in the definition.

``"Resource": "${Fn}"`` needs an ARN, ``"TimeoutSeconds": ${Timeout}`` (written
without quotes in a ``Fn::Sub`` string) needs a number, ``"End": ${Done}`` a
boolean. The key a placeholder is the value of decides; the stand-in the template
itself suggests is kept whenever it already has the right shape, so that rules see
values as close to the deployed ones as we can know them.
"""

from __future__ import annotations

import json
from typing import Any

from analyzer.templates.intrinsics import ACCOUNT, PARTITION, REGION, StandIn

#: Numbers chosen so that placeholders never contradict each other (a heartbeat
#: below the timeout, a positive interval ...).
NUMBER_KEYS: dict[str, int | float] = {
    "TimeoutSeconds": 3600, "HeartbeatSeconds": 60, "Seconds": 1, "IntervalSeconds": 1,
    "MaxAttempts": 3, "BackoffRate": 2.0, "MaxDelaySeconds": 60, "MaxConcurrency": 10,
    "ToleratedFailurePercentage": 0, "ToleratedFailureCount": 0, "MaxItemsPerBatch": 10,
    "MaxInputBytesPerBatch": 262144, "MaxItems": 100,
}
BOOLEAN_KEYS = frozenset({"End", "IsPresent", "IsNull", "IsString", "IsNumeric", "IsBoolean",
                          "IsTimestamp", "BooleanEquals"})


def _needs_arn(key: str | None) -> bool:
    return key is not None and (key == "Resource" or key.endswith("Arn") or key.endswith("ARN"))


def quoted(key: str | None, standin: StandIn, name: str) -> str:
    """The stand-in for a string that consists of one placeholder only.

    A value the template fixes (a literal in ``DefinitionSubstitutions``) is kept as it is:
    it is what will be deployed, so a finding about it is a finding about the template.
    """
    text = standin.text
    if standin.known:
        return text
    if _needs_arn(key) and not text.startswith("arn:"):
        safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in (text or name)) or "placeholder"
        return f"arn:{PARTITION}:lambda:{REGION}:{ACCOUNT}:function:{safe}"
    if key == "QueueUrl" and not text.startswith("https://"):
        return f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{text or name}"
    return text if text else name


def bare(key: str | None, standin: StandIn) -> Any:
    """The stand-in for a placeholder written outside any JSON string."""
    try:
        value = json.loads(standin.text)
    except ValueError:
        value = None
    if value is not None and (standin.known or isinstance(value, (int, float, bool))):
        return value
    if key in NUMBER_KEYS:
        return NUMBER_KEYS[key]
    if key in BOOLEAN_KEYS:
        return True
    if key is not None and key.startswith("Numeric"):
        return 0
    return 1
