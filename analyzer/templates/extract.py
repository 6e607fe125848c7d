"""Find every state machine in a template-like document (CloudFormation, SAM, CDK, Serverless)."""

from __future__ import annotations

from typing import Any

from analyzer.load import pointer as jp
from analyzer.load.definitions import Extraction
from analyzer.load.source import Document
from analyzer.templates.cloudformation import TemplateReader
from analyzer.templates.intrinsics import Resolver
from analyzer.templates.serverless import read_serverless


def _serverless_types(config: dict[str, Any]) -> dict[str, str]:
    """Logical ids the Framework generates for ``functions:`` (``hello`` → ``HelloLambdaFunction``)."""
    functions = config.get("functions")
    if not isinstance(functions, dict):
        return {}
    return {f"{name[:1].upper()}{name[1:]}LambdaFunction".replace("-", "Dash").replace("_", "Underscore"):
            "AWS::Lambda::Function" for name in functions if isinstance(name, str)}


def extract(document: Document, base_dir: str | None = None) -> Extraction:
    out = Extraction(is_template=True)
    value = document.value
    if not isinstance(value, dict):
        return out
    resources, resources_ptr = value.get("Resources"), "/Resources"
    serverless = isinstance(value.get("stepFunctions"), dict)
    if serverless or not isinstance(resources, dict):  # serverless.yml keeps CloudFormation under resources:
        nested = value.get("resources")
        if isinstance(nested, dict) and isinstance(nested.get("Resources"), dict):
            resources, resources_ptr = nested["Resources"], jp.join("", "resources", "Resources")
    template = {"Resources": resources} if serverless else value
    resolver = Resolver(template, extra_types=_serverless_types(value) if serverless else None)
    reader = TemplateReader(document, out, resolver, base_dir)
    if isinstance(resources, dict):
        reader.read_resources(resources, resources_ptr)
    if serverless:
        read_serverless(reader, value)
    return out
