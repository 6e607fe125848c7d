"""Stand-in values for CloudFormation intrinsic functions.

A template's definition is only complete once CloudFormation has deployed it: ``Ref``,
``Fn::GetAtt``, ``Fn::ImportValue`` and friends name things that exist only in an
account. For the analysis we replace each of them by a value of the right *shape*
(an ARN where CloudFormation would produce an ARN, a name where ``Ref`` yields a
name). Values the template fixes (literal strings and numbers, pseudo parameters,
mappings) are marked ``known``: they are used as they are, even where they do not fit.
A parameter's ``Default`` is used as a guess only, since a deployment may pass another.

Dummy account ``123456789012``, region ``us-east-1``, partition ``aws``, stack
``my-stack``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

ACCOUNT = "123456789012"
REGION = "us-east-1"
PARTITION = "aws"
STACK = "my-stack"

PSEUDO_PARAMETERS = {
    "AWS::AccountId": ACCOUNT,
    "AWS::Region": REGION,
    "AWS::Partition": PARTITION,
    "AWS::StackName": STACK,
    "AWS::StackId": f"arn:{PARTITION}:cloudformation:{REGION}:{ACCOUNT}:stack/{STACK}/0",
    "AWS::URLSuffix": "amazonaws.com",
    "AWS::NoValue": "",
    "AWS::NotificationARNs": f"arn:{PARTITION}:sns:{REGION}:{ACCOUNT}:notifications",
}

#: Names of CloudFormation functions as they appear as the single key of an object.
FUNCTION_KEYS = frozenset({
    "Ref", "Condition", "Fn::GetAtt", "Fn::Sub", "Fn::Join", "Fn::If", "Fn::Select", "Fn::Split",
    "Fn::FindInMap", "Fn::ImportValue", "Fn::GetAZs", "Fn::Base64", "Fn::Cidr", "Fn::Equals", "Fn::And",
    "Fn::Or", "Fn::Not", "Fn::Transform", "Fn::Length", "Fn::ToJsonString", "Fn::Contains",
    "Fn::EachMemberEquals", "Fn::EachMemberIn", "Fn::RefAll", "Fn::ValueOf", "Fn::ValueOfAll",
})

_SUB_VARIABLE = re.compile(r"\$\{([^}]*)\}")


@dataclass(frozen=True)
class StandIn:
    """The text a placeholder stands for; ``known`` when the template fixes it exactly."""

    text: str
    known: bool = False


def is_intrinsic(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and next(iter(value)) in FUNCTION_KEYS


def _arn(service: str, rest: str, region: bool = True, account: bool = True) -> str:
    return f"arn:{PARTITION}:{service}:{REGION if region else ''}:{ACCOUNT if account else ''}:{rest}"


def _service_of(resource_type: str) -> str:
    parts = resource_type.split("::")
    return parts[1].lower() if len(parts) >= 3 else "service"


def arn_for(name: str, resource_type: str | None) -> str:
    """What ``!GetAtt Name.Arn`` gives for a resource of ``resource_type``."""
    t = resource_type or ""
    if t in ("AWS::Lambda::Function", "AWS::Serverless::Function") or t == "":
        return _arn("lambda", f"function:{name}")
    if t in ("AWS::StepFunctions::StateMachine", "AWS::Serverless::StateMachine"):
        return _arn("states", f"stateMachine:{name}")
    if t == "AWS::StepFunctions::Activity":
        return _arn("states", f"activity:{name}")
    if t in ("AWS::DynamoDB::Table", "AWS::Serverless::SimpleTable", "AWS::DynamoDB::GlobalTable"):
        return _arn("dynamodb", f"table/{name}")
    if t == "AWS::SNS::Topic":
        return _arn("sns", name)
    if t == "AWS::SQS::Queue":
        return _arn("sqs", name)
    if t == "AWS::S3::Bucket":
        return _arn("s3", name.lower(), region=False, account=False)
    if t == "AWS::IAM::Role":
        return _arn("iam", f"role/{name}", region=False)
    if t == "AWS::Events::EventBus":
        return _arn("events", f"event-bus/{name}")
    if t == "AWS::ECS::Cluster":
        return _arn("ecs", f"cluster/{name}")
    if t == "AWS::ECS::TaskDefinition":
        return _arn("ecs", f"task-definition/{name}:1")
    if t == "AWS::Logs::LogGroup":
        return _arn("logs", f"log-group:{name}:*")
    return _arn(_service_of(t), name)


def ref_for(name: str, resource_type: str | None) -> str:
    """What ``!Ref Name`` gives for a resource of ``resource_type``."""
    t = resource_type or ""
    if t in ("AWS::SNS::Topic", "AWS::StepFunctions::StateMachine", "AWS::Serverless::StateMachine",
             "AWS::StepFunctions::Activity", "AWS::ECS::TaskDefinition"):
        return arn_for(name, t)
    if t == "AWS::SQS::Queue":
        return f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{name}"
    if t == "AWS::S3::Bucket":
        return name.lower()
    return name


def getatt_for(name: str, attribute: str, resource_type: str | None) -> str:
    if attribute.endswith("Arn") or attribute == "Arn":
        return arn_for(name, resource_type)
    if attribute == "QueueUrl":
        return ref_for(name, "AWS::SQS::Queue")
    if attribute in ("Name", "QueueName", "TopicName", "FunctionName", "TableName"):
        return name
    return f"{name}-{attribute}"


class Resolver:
    """Turns intrinsic function objects into :class:`StandIn` text for one template."""

    def __init__(self, template: dict[str, Any] | None, extra_types: dict[str, str] | None = None) -> None:
        template = template if isinstance(template, dict) else {}
        resources = template.get("Resources")
        self.types: dict[str, str] = {}
        if isinstance(resources, dict):
            for logical_id, res in resources.items():
                if isinstance(res, dict) and isinstance(res.get("Type"), str):
                    self.types[logical_id] = res["Type"]
        self.types.update(extra_types or {})
        params = template.get("Parameters")
        self.parameters: dict[str, Any] = params if isinstance(params, dict) else {}
        mappings = template.get("Mappings")
        self.mappings: dict[str, Any] = mappings if isinstance(mappings, dict) else {}

    # -- single names, as written inside ``${...}`` or ``Ref`` ---------------------------
    def type_of(self, name: str) -> str | None:
        if name in self.types:
            return self.types[name]
        if name.endswith("LambdaFunction"):  # Serverless Framework's logical ids for functions
            return "AWS::Lambda::Function"
        return None

    def ref(self, name: str) -> StandIn:
        if name in PSEUDO_PARAMETERS:
            return StandIn(PSEUDO_PARAMETERS[name], True)
        param = self.parameters.get(name)
        if isinstance(param, dict):
            default = param.get("Default")
            if isinstance(default, (str, int, float)) and not isinstance(default, bool):
                return StandIn(str(default))  # a default, not a certainty: the deployer may pass another
            return StandIn(name)
        return StandIn(ref_for(name, self.type_of(name)))

    def getatt(self, name: str, attribute: str) -> StandIn:
        return StandIn(getatt_for(name, attribute, self.type_of(name)))

    def variable(self, expression: str, variables: dict[str, Any] | None = None) -> StandIn:
        """The value of ``${expression}`` in an ``Fn::Sub`` string."""
        expression = expression.strip()
        if variables and expression in variables:
            return self.value(variables[expression])
        if "." in expression and expression not in PSEUDO_PARAMETERS:
            name, attribute = expression.split(".", 1)
            return self.getatt(name, attribute)
        return self.ref(expression)

    def substitute(self, text: str, variables: dict[str, Any] | None = None) -> StandIn:
        known = True
        out = []
        pos = 0
        for m in _SUB_VARIABLE.finditer(text):
            out.append(text[pos:m.start()])
            inner = m.group(1)
            if inner.startswith("!"):
                out.append("${" + inner[1:] + "}")
            else:
                s = self.variable(inner, variables)
                known = known and s.known
                out.append(s.text)
            pos = m.end()
        out.append(text[pos:])
        return StandIn("".join(out), known)

    # -- whole values ---------------------------------------------------------------------
    def value(self, value: Any, depth: int = 0) -> StandIn:
        """A stand-in for any template value (literal or intrinsic); never raises."""
        if depth > 50:
            return StandIn("placeholder")
        if isinstance(value, str):
            return StandIn(value, True)
        if isinstance(value, bool):
            return StandIn("true" if value else "false", True)
        if isinstance(value, (int, float)):
            return StandIn(str(value), True)
        if not is_intrinsic(value):
            if isinstance(value, (dict, list)):
                return StandIn(json.dumps(value), True)
            return StandIn("placeholder")
        fn, arg = next(iter(value.items()))
        try:
            return self._function(fn, arg, depth)
        except (TypeError, ValueError, IndexError, KeyError, AttributeError):
            return StandIn("placeholder")

    def _function(self, fn: str, arg: Any, depth: int) -> StandIn:
        if fn == "Ref" and isinstance(arg, str):
            return self.ref(arg)
        if fn == "Fn::GetAtt":
            if isinstance(arg, str):
                arg = arg.split(".", 1)
            name, attribute = arg[0], arg[1]
            attribute = attribute if isinstance(attribute, str) else self.value(attribute, depth + 1).text
            return self.getatt(str(name), attribute)
        if fn == "Fn::Sub":
            if isinstance(arg, str):
                return self.substitute(arg)
            variables = arg[1] if len(arg) > 1 and isinstance(arg[1], dict) else {}
            return self.substitute(str(arg[0]), variables)
        if fn == "Fn::Join":
            sep, items = arg[0], arg[1]
            if not isinstance(items, list):
                return StandIn(self.value(items, depth + 1).text)
            parts = [self.value(i, depth + 1) for i in items]
            return StandIn(str(sep).join(p.text for p in parts), all(p.known for p in parts))
        if fn == "Fn::If":
            return self.value(arg[1], depth + 1)
        if fn == "Fn::Select":
            items = arg[1]
            index = int(self.value(arg[0], depth + 1).text)
            if isinstance(items, list):
                return self.value(items[index], depth + 1)
            return StandIn("selected-value")
        if fn == "Fn::ImportValue":
            return StandIn(f"imported-{self.value(arg, depth + 1).text}")
        if fn == "Fn::FindInMap":
            keys = [self.value(a, depth + 1).text for a in arg[:3]]
            found = self.mappings.get(keys[0], {})
            found = found.get(keys[1], {}) if isinstance(found, dict) else {}
            found = found.get(keys[2]) if isinstance(found, dict) else None
            if isinstance(found, (str, int, float)) and not isinstance(found, bool):
                return StandIn(str(found), True)
            return StandIn("mapped-value")
        if fn == "Fn::GetAZs":
            return StandIn(f"{REGION}a")
        if fn == "Fn::Base64":
            return self.value(arg, depth + 1)
        if fn == "Fn::Cidr":
            return StandIn("10.0.0.0/24")
        if fn == "Fn::Split":
            return StandIn(self.value(arg[1], depth + 1).text.split(str(arg[0]))[0])
        if fn == "Fn::ToJsonString":
            return StandIn(json.dumps(arg, separators=(",", ":")))
        if fn == "Fn::Length":
            return StandIn(str(len(arg)) if isinstance(arg, list) else "1")
        return StandIn("placeholder")
