"""CloudFormation short-form tags, and the character offsets of string values in JSON and YAML."""

from __future__ import annotations

import json

import pytest
import yaml
from hypothesis import given, settings, strategies as st

from analyzer.load.yaml_parser import parse_yaml
from analyzer.templates.string_positions import char_offsets

# Every short form in CloudFormation's intrinsic function reference (condition and rule functions included).
SHORT_FORMS = {
    "Ref": "Ref", "Condition": "Condition", "GetAtt": "Fn::GetAtt", "Base64": "Fn::Base64", "Cidr": "Fn::Cidr",
    "FindInMap": "Fn::FindInMap", "GetAZs": "Fn::GetAZs", "ImportValue": "Fn::ImportValue", "Join": "Fn::Join",
    "Select": "Fn::Select", "Split": "Fn::Split", "Sub": "Fn::Sub", "Transform": "Fn::Transform", "If": "Fn::If",
    "Equals": "Fn::Equals", "And": "Fn::And", "Or": "Fn::Or", "Not": "Fn::Not", "Length": "Fn::Length",
    "ToJsonString": "Fn::ToJsonString", "Contains": "Fn::Contains", "EachMemberEquals": "Fn::EachMemberEquals",
    "EachMemberIn": "Fn::EachMemberIn", "RefAll": "Fn::RefAll", "ValueOf": "Fn::ValueOf",
    "ValueOfAll": "Fn::ValueOfAll",
}


@pytest.mark.parametrize("tag", sorted(SHORT_FORMS))
@pytest.mark.parametrize("shape", ["scalar", "sequence", "mapping"])
def test_short_form_tags_become_long_form(tag, shape):
    body = {"scalar": "x", "sequence": "[a, b]", "mapping": "{Name: n}"}[shape]
    doc = parse_yaml(f"key: !{tag} {body}\n")
    long_form = SHORT_FORMS[tag]
    [(fn, arg)] = doc.value["key"].items()
    assert fn == long_form
    if tag == "GetAtt" and shape == "scalar":
        assert arg == ["x"]
    else:
        assert arg == {"scalar": "x", "sequence": ["a", "b"], "mapping": {"Name": "n"}}[shape]
    assert f"/key/{long_form}" in doc.value_offsets


def test_getatt_short_form_splits_at_the_first_dot():
    assert parse_yaml("a: !GetAtt Stack.Outputs.Arn\n").value == {"a": {"Fn::GetAtt": ["Stack", "Outputs.Arn"]}}


def _check(text: str, start: int, end: int, value: str, escapes: bool) -> None:
    offsets, exact = char_offsets(text, start, end, value)
    assert exact and len(offsets) == len(value)
    assert offsets == sorted(offsets)
    for ch, off in zip(value, offsets):
        raw = text[off]
        assert raw == ch or (escapes and raw == "\\") or (ch == " " and raw == "\n"), (ch, raw, off)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
@settings(max_examples=200, deadline=None)
def test_json_string_tokens_map_every_character(value):
    token = json.dumps(value)
    text = '{"k": ' + token + "}"
    _check(text, 6, 6 + len(token), value, escapes=True)


YAML_STYLES = {
    "plain": "k: a {\"b\":1,\n  \"c\":2} d\n",  # a plain scalar may not start with "{" nor hold ": "
    "single": "k: '{\"it''s\": 1,\n\n  \"b\": 2}'\n",
    "double": 'k: "{\\"a\\": \\"tab\\there\\",\n  \\"b\\": \\u00e9}"\n',
    "literal": "k: |\n  {\n    \"a\": 1,\n    \"b\": \"two\"\n  }\n",
    "literal-keep": "k: |+\n    {\"a\":\n      1}\n\n",
    "folded": "k: >\n  {\"a\": 1,\n  \"b\": 2,\n\n  \"c\": 3}\n",
    "tagged": "k: !Sub |-\n  {\"Region\": \"${AWS::Region}\"}\n",
}


@pytest.mark.parametrize("style", sorted(YAML_STYLES))
def test_yaml_scalars_map_every_character(style):
    text = YAML_STYLES[style]
    doc = parse_yaml(text)
    expected = yaml.safe_load(text.replace("!Sub", ""))["k"]
    value = doc.value["k"]["Fn::Sub"] if style == "tagged" else doc.value["k"]
    assert value == expected
    start, end = doc.value_offsets["/k"]
    _check(text, start, end, value, escapes=style == "double")
