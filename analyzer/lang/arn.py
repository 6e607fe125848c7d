"""Task ``Resource`` ARNs: what kind of work a Task does, and whether the ARN is well formed.

Public API: ``parse_resource(text) -> ResourceArn`` (raises :class:`ArnError`) and
``check_resource(text) -> list[str]`` (plain-sentence problems; empty when fine).

Accepted forms (asl-semantics §6.1), in any partition (``aws``, ``aws-cn``,
``aws-us-gov``, the ISO partitions):

* Lambda: ``arn:<p>:lambda:<region>:<account>:function:<name>[:<alias|version|$LATEST>]``
* Activity: ``arn:<p>:states:<region>:<account>:activity:<name>``
* Optimized integration: ``arn:<p>:states:::<service>:<action>[.sync|.sync:2|.waitForTaskToken]``
* AWS SDK integration: ``arn:<p>:states:::aws-sdk:<service>:<apiAction>[.waitForTaskToken]``

``${Name}`` placeholders are replaced by a neutral word before parsing, so
``arn:${AWS::Partition}:states:::lambda:invoke`` still parses as a Lambda invoke; a
resource that contains one is never reported by ``check_resource``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from analyzer.lang.placeholders import contains_placeholder

REQUEST_RESPONSE = "request-response"
SYNC = "sync"
SYNC2 = "sync:2"
CALLBACK = "waitForTaskToken"

_RR, _S, _S2, _W = REQUEST_RESPONSE, SYNC, SYNC2, CALLBACK

#: Optimized integrations: service -> (patterns it supports, known actions or None = any).
#: The action lists are given only where the service's optimized integration is small and
#: fixed; other actions of those services need the aws-sdk form.
OPTIMIZED: dict[str, tuple[frozenset[str], frozenset[str] | None]] = {
    "lambda": (frozenset({_RR, _W}), frozenset({"invoke"})),
    "dynamodb": (frozenset({_RR}), frozenset({"getItem", "putItem", "updateItem", "deleteItem"})),
    "sns": (frozenset({_RR, _W}), frozenset({"publish"})),
    "sqs": (frozenset({_RR, _W}), frozenset({"sendMessage"})),
    "events": (frozenset({_RR, _W}), frozenset({"putEvents"})),
    "apigateway": (frozenset({_RR, _W}), frozenset({"invoke"})),
    "http": (frozenset({_RR}), frozenset({"invoke"})),
    "s3": (frozenset({_RR}), frozenset({"getObject", "listObjectsV2", "putObject"})),
    "states": (frozenset({_RR, _S, _S2, _W}), frozenset({"startExecution"})),
    "batch": (frozenset({_RR, _S, _W}), None),
    "ecs": (frozenset({_RR, _S, _W}), None),
    "eks": (frozenset({_RR, _S, _W}), None),
    "glue": (frozenset({_RR, _S, _W}), None),
    "databrew": (frozenset({_RR, _S, _W}), None),
    "athena": (frozenset({_RR, _S, _W}), None),
    "codebuild": (frozenset({_RR, _S, _W}), None),
    "sagemaker": (frozenset({_RR, _S, _W}), None),
    "elasticmapreduce": (frozenset({_RR, _S, _W}), None),
    "emr-containers": (frozenset({_RR, _S, _W}), None),
    "emr-serverless": (frozenset({_RR, _S, _W}), None),
    "mediaconvert": (frozenset({_RR, _S, _W}), None),
    "bedrock": (frozenset({_RR, _S, _W}), None),
    "evaluations": (frozenset({_RR, _S, _W}), None),
}

_PARTITION = r"(?:aws(?:-[a-z]+(?:-[a-z])?)*|placeholder)"
_LAMBDA = re.compile(
    rf"arn:(?P<p>{_PARTITION}):lambda:(?P<r>[^:]*):(?P<a>[^:]*):function:(?P<name>[^:]*)(?::(?P<q>[^:]*))?\Z")
_ACTIVITY = re.compile(rf"arn:(?P<p>{_PARTITION}):states:(?P<r>[^:]*):(?P<a>[^:]*):activity:(?P<name>.*)\Z")
_STATES = re.compile(rf"arn:(?P<p>{_PARTITION}):states:(?P<r>[^:]*):(?P<a>[^:]*):(?P<rest>.+)\Z")
_FUNCTION_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}\Z")
_QUALIFIER = re.compile(r"(\$LATEST|[A-Za-z0-9_-]{1,128})\Z")
_ACTION = re.compile(r"(?P<action>[A-Za-z][A-Za-z0-9]*)(?:\.(?P<suffix>sync(?::2)?|waitForTaskToken))?\Z")
_SDK_SERVICE = re.compile(r"[a-z][a-z0-9.-]*\Z")
_PLACEHOLDER = re.compile(r"\$\{[^{}]+\}")


class ArnError(ValueError):
    pass


@dataclass(frozen=True)
class ResourceArn:
    kind: str  # lambda | activity | integration | sdk
    partition: str
    region: str = ""
    account: str = ""
    service: str | None = None  # integration/sdk service, "lambda" for a Lambda ARN
    action: str | None = None
    pattern: str = REQUEST_RESPONSE
    name: str | None = None  # function or activity name
    qualifier: str | None = None  # Lambda alias or version

    @property
    def is_callback(self) -> bool:
        return self.pattern == CALLBACK

    @property
    def is_sync(self) -> bool:
        return self.pattern in (SYNC, SYNC2)


def parse_resource(text: str) -> ResourceArn:
    if not isinstance(text, str):
        raise ArnError(f"Resource must be a string, not {type(text).__name__}")
    return _parse(_PLACEHOLDER.sub("placeholder", text))


@lru_cache(maxsize=2048)
def _parse(text: str) -> ResourceArn:
    if not text.startswith("arn:"):
        raise ArnError("Resource must be an ARN (arn:<partition>:...): a Lambda function, an activity, "
                       "or an arn:aws:states:::<service>:<action> integration")
    m = _LAMBDA.match(text)
    if m:
        name, qual = m.group("name"), m.group("q")
        if not _FUNCTION_NAME.match(name):
            raise ArnError(f"{name!r} is not a valid Lambda function name (1-64 letters, digits, '-' or '_')")
        if qual is not None and not _QUALIFIER.match(qual):
            raise ArnError(f"{qual!r} is not a valid Lambda alias or version "
                           "(letters, digits, '-', '_', or $LATEST)" if qual else
                           "the Lambda ARN ends with ':' but names no alias or version")
        return ResourceArn("lambda", m.group("p"), m.group("r"), m.group("a"), "lambda", "invoke",
                           REQUEST_RESPONSE, name, qual)
    if re.match(rf"arn:{_PARTITION}:lambda:", text):
        raise ArnError("a Lambda Resource must be arn:<partition>:lambda:<region>:<account>:function:<name>"
                       "[:<alias or version>]")
    m = _ACTIVITY.match(text)
    if m:
        name = m.group("name")
        if not 1 <= len(name) <= 80 or ":" in name:
            raise ArnError(f"{name!r} is not a valid activity name (1-80 characters, no ':')")
        return ResourceArn("activity", m.group("p"), m.group("r"), m.group("a"), name=name)
    m = _STATES.match(text)
    if not m:
        raise ArnError("this ARN is not a Task resource: use a Lambda function, an activity, or an "
                       "arn:<partition>:states:::<service>:<action> integration")
    rest = m.group("rest")
    parts = rest.split(":")
    if parts[0] == "aws-sdk":
        if len(parts) < 3 or not parts[1] or not _SDK_SERVICE.match(parts[1]):
            raise ArnError("an AWS SDK integration is arn:<partition>:states:::aws-sdk:<service>:<apiAction>")
        am = _ACTION.match(":".join(parts[2:]))
        if not am:
            raise ArnError(f"{':'.join(parts[2:])!r} is not an API action name (camelCase, optionally "
                           "followed by .waitForTaskToken)")
        return ResourceArn("sdk", m.group("p"), m.group("r"), m.group("a"), parts[1], am.group("action"),
                           _suffix(am.group("suffix")))
    if len(parts) < 2 or not parts[0]:
        raise ArnError("an integration is arn:<partition>:states:::<service>:<action>")
    am = _ACTION.match(":".join(parts[1:]))
    if not am:
        raise ArnError(f"{':'.join(parts[1:])!r} is not an action followed by an optional .sync, .sync:2 "
                       "or .waitForTaskToken")
    return ResourceArn("integration", m.group("p"), m.group("r"), m.group("a"), parts[0], am.group("action"),
                       _suffix(am.group("suffix")))


def _suffix(s: str | None) -> str:
    return {None: REQUEST_RESPONSE, "sync": SYNC, "sync:2": SYNC2, "waitForTaskToken": CALLBACK}[s]


_PATTERN_WORDS = {REQUEST_RESPONSE: "request-response", SYNC: ".sync", SYNC2: ".sync:2", CALLBACK: ".waitForTaskToken"}


def check_resource(text: str) -> list[str]:
    """Problems with a Task Resource, in plain sentences (none for placeholders)."""
    if contains_placeholder(text):
        return []
    try:
        arn = parse_resource(text)
    except ArnError as exc:
        return [str(exc)]
    if arn.kind == "sdk":
        if arn.is_sync:
            return [f"AWS SDK integrations do not support {_PATTERN_WORDS[arn.pattern]}; only request-response "
                    "and .waitForTaskToken"]
        return []
    if arn.kind != "integration":
        return []
    known = OPTIMIZED.get(arn.service or "")
    if known is None:
        return [f"{arn.service!r} is not an optimized integration; call the API through "
                f"arn:{arn.partition}:states:::aws-sdk:{arn.service}:{arn.action} instead"]
    patterns, actions = known
    if actions is not None and arn.action not in actions:
        return [f"the optimized {arn.service} integration has no action {arn.action!r} (it has "
                + ", ".join(sorted(actions)) + f"); use arn:{arn.partition}:states:::aws-sdk:{arn.service}:"
                f"{arn.action} for other API actions"]
    if arn.pattern not in patterns:
        return [f"the {arn.service} integration does not support {_PATTERN_WORDS[arn.pattern]} (it supports "
                + ", ".join(_PATTERN_WORDS[p] for p in sorted(patterns)) + ")"]
    return []
