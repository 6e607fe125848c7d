"""One definition, embedded every way a template can hold it, gives the findings of the bare file.

Each form is written into a template by hand-made text; the expected line and column of
a finding are found by searching that text (not by asking the loader), so a wrong
offset mapping fails here.
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest

from analyzer.engine.runner import Linter, LintReport
from analyzer.engine.settings import Settings

FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:WorkFunction"
FUNC = "@FUNC@"  # where a form puts its placeholder for the function

DEFINITION = {
    "Comment": "embedded",
    "StartAt": "Start",
    "States": {
        "Start": {"Type": "Pass", "Next": "Work"},
        "Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                 "Parameters": {"FunctionName": FUNC, "Payload.$": "$"}, "Next": "Missing"},
        "Orphan": {"Type": "Succeed"},
    },
}
SM = "AWS::StepFunctions::StateMachine"
FUNCTION_RESOURCE = {"WorkFunction": {"Type": "AWS::Lambda::Function", "Properties": {"Handler": "x"}}}


def _text(indent: int | None = 2) -> str:
    return json.dumps(DEFINITION, indent=indent, separators=None if indent else (",", ":"))


def _json_template(definition_property: dict) -> str:
    resources = dict(FUNCTION_RESOURCE)
    resources["Flow"] = {"Type": SM, "Properties": definition_property}
    return json.dumps({"Resources": resources}, indent=2)


def _yaml_template(property_block: str) -> str:
    return ("Resources:\n  WorkFunction:\n    Type: AWS::Lambda::Function\n    Properties:\n      Handler: x\n"
            f"  Flow:\n    Type: {SM}\n    Properties:\n" + textwrap.indent(property_block, "      "))


def _block(text: str, indent: int = 2) -> str:
    return textwrap.indent(text, " " * indent)


def _join_pieces() -> list:
    before, after = _text(None).split(FUNC)
    return [before, {"Fn::GetAtt": ["WorkFunction", "Arn"]}, after]


FORMS = {
    # JSON templates
    "json-object": ("json", lambda: _json_template(
        {"Definition": json.loads(_text().replace(FUNC, FUNCTION_ARN))})),
    "json-string": ("json", lambda: _json_template({"DefinitionString": _text().replace(FUNC, FUNCTION_ARN)})),
    "json-sub": ("json", lambda: _json_template(
        {"DefinitionString": {"Fn::Sub": _text().replace(FUNC, "${WorkFunction.Arn}")}})),
    "json-sub-list": ("json", lambda: _json_template({"DefinitionString": {"Fn::Sub": [
        _text().replace(FUNC, "${Fn}"), {"Fn": {"Fn::GetAtt": ["WorkFunction", "Arn"]}}]}})),
    "json-join-cdk": ("json", lambda: _json_template({"DefinitionString": {"Fn::Join": ["", _join_pieces()]}})),
    # YAML templates
    "yaml-object": ("yaml", lambda: _yaml_template(
        "Definition:\n" + _block(_yaml_object(_text().replace(FUNC, FUNCTION_ARN))))),
    "yaml-object-getatt": ("yaml", lambda: _yaml_template(
        "Definition:\n" + _block(_yaml_object(_text()).replace(FUNC, "!GetAtt WorkFunction.Arn")))),
    "yaml-literal": ("yaml", lambda: _yaml_template(
        "DefinitionString: |\n" + _block(_text().replace(FUNC, FUNCTION_ARN)))),
    "yaml-literal-strip": ("yaml", lambda: _yaml_template(
        "DefinitionString: |-\n" + _block(_text().replace(FUNC, FUNCTION_ARN), 4))),
    "yaml-folded": ("yaml", lambda: _yaml_template(
        "DefinitionString: >\n" + _block(_text().replace(FUNC, FUNCTION_ARN)))),
    "yaml-single-quoted": ("yaml", lambda: _yaml_template(
        "DefinitionString: '" + _text(None).replace(FUNC, FUNCTION_ARN) + "'\n")),
    "yaml-double-quoted": ("yaml", lambda: _yaml_template(
        "DefinitionString: " + json.dumps(_text(None).replace(FUNC, FUNCTION_ARN)) + "\n")),
    "yaml-sub": ("yaml", lambda: _yaml_template(
        "DefinitionString: !Sub |\n" + _block(_text().replace(FUNC, "${WorkFunction.Arn}")))),
    "yaml-sub-list": ("yaml", lambda: _yaml_template(
        "DefinitionString: !Sub\n  - |\n" + _block(_text().replace(FUNC, "${Fn}"), 4)
        + "\n  - Fn: !GetAtt WorkFunction.Arn\n")),
    # one piece per line (as cfn-lint's fixtures write it), the function's line a nested !Join
    "yaml-join": ("yaml", lambda: _yaml_template(
        "DefinitionString: !Join\n  - \"\\n\"\n  - - " + "\n    - ".join(
            "'" + line + "'" if FUNC not in line else "!Join ['', ['" + line.split(FUNC)[0]
            + "', !GetAtt WorkFunction.Arn, '" + line.split(FUNC)[1] + "']]" for line in _text().splitlines())
        + "\n")),
}


def _yaml_object(json_text: str) -> str:
    """The definition as block-style YAML, written without a YAML library."""
    def emit(value, indent):
        pad = " " * indent
        lines = []
        for key, v in value.items():
            if isinstance(v, dict):
                lines.append(f"{pad}{key}:")
                lines.extend(emit(v, indent + 2))
            else:
                scalar = "true" if v is True else (v if v == FUNC else json.dumps(v))
                lines.append(f"{pad}{key}: {scalar}")
        return lines
    return "\n".join(emit(json.loads(json_text), 0)) + "\n"


def _lint(path: Path) -> LintReport:
    report = LintReport()
    Linter(Settings(root=str(path.parent))).lint_paths([str(path)], report)
    assert not report.internal_errors, report.internal_errors
    return report


def _position(text: str, pattern: str) -> tuple[int, int]:
    matches = list(re.finditer(pattern, text))
    assert len(matches) == 1, f"{pattern!r} occurs {len(matches)} times"
    idx = matches[0].start()
    return text.count("\n", 0, idx) + 1, idx - (text.rfind("\n", 0, idx) + 1) + 1


@pytest.fixture(scope="module")
def bare(tmp_path_factory):
    path = tmp_path_factory.mktemp("bare") / "flow.asl.json"
    path.write_text(_text().replace(FUNC, FUNCTION_ARN))
    return {(f.rule, f.pointer) for f in _lint(path).findings}


@pytest.mark.parametrize("form", sorted(FORMS))
def test_embedded_definition_matches_bare_file_and_points_into_the_template(form, bare, tmp_path):
    fmt, build = FORMS[form]
    text = build()
    path = tmp_path / f"template.{fmt}"
    path.write_text(text)
    report = _lint(path)
    assert report.state_machines == 1
    found = {(f.rule, f.pointer) for f in report.findings}
    assert found == bare
    assert all(f.resource == "Flow" for f in report.findings)

    by_pointer = {f.pointer: f for f in report.findings}
    next_key = by_pointer["/States/Work/Next"]
    assert (next_key.span.line, next_key.span.column) == _position(text, r'\\?"?Next\\?"?\s*:\s*\\?"?Missing')
    orphan = by_pointer["/States/Orphan"]
    assert (orphan.span.line, orphan.span.column) == _position(text, r'\\?"?Orphan\\?"?\s*:')
    work = by_pointer["/States/Work"]
    assert (work.span.line, work.span.column) == _position(text, r'\\?"?Work\\?"?\s*:\s*\{?')


def test_the_forms_really_differ():
    texts = {name: build() for name, (_fmt, build) in FORMS.items()}
    assert len(set(texts.values())) == len(texts)
    assert "!GetAtt WorkFunction.Arn" in texts["yaml-join"] and "Fn::Join" in texts["json-join-cdk"]
