"""The loader: positions, duplicate keys, encodings, YAML tags and hostile input."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings, strategies as st

from analyzer.load.files import decode
from analyzer.load.json_parser import parse_json
from analyzer.load.source import ParseError
from analyzer.load.yaml_parser import parse_yaml

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=20,
)


@given(JSON_VALUES)
@settings(max_examples=200, deadline=None)
def test_json_parser_agrees_with_stdlib(value):
    text = json.dumps(value, indent=1)
    assert parse_json(text).value == json.loads(text)


def test_key_and_value_positions_are_exact():
    text = '{\n  "StartAt": "A",\n  "States": {\n    "A": {"Type": "Pass", "End": true}\n  }\n}'
    doc = parse_json(text)
    assert doc.span_of("/States/A").as_dict() == {"line": 4, "column": 5, "end_line": 4, "end_column": 8}
    assert doc.value_span("/StartAt").line == 2 and doc.value_span("/StartAt").column == 14
    assert doc.span_of("/States/A/End").column == 27


def test_duplicate_keys_are_recorded_with_both_positions():
    doc = parse_json('{"a": 1, "a": 2}')
    assert doc.value == {"a": 2}
    [dup] = doc.duplicates
    assert dup.pointer == "/a" and dup.first == (1, 4) and dup.second == (9, 12)


@pytest.mark.parametrize("text,line,col", [
    ("", 1, 1),
    ('{"a": 1,}', 1, 8),
    ('{\n  "a": 1\n  "b": 2\n}', 3, 3),
    ('{"a": "x', 1, 7),
    ('[1, 2', 1, 6),
    ('{"a": tru}', 1, 7),
    ('{"a": 1} x', 1, 10),
])
def test_json_syntax_errors_have_positions(text, line, col):
    with pytest.raises(ParseError) as info:
        parse_json(text)
    from analyzer.load.source import LineIndex

    assert LineIndex(text).position(info.value.offset) == (line, col)


def test_deep_nesting_does_not_exhaust_the_stack():
    depth = 100_000
    with pytest.raises(ParseError, match="nesting deeper"):
        parse_json("[" * depth + "]" * depth)
    doc = parse_json("[" * 5000 + "]" * 5000)
    assert isinstance(doc.value, list)


@pytest.mark.parametrize("encoding,bom", [("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"),
                                          ("utf-16-be", b"\xfe\xff")])
def test_boms_are_decoded(encoding, bom):
    assert decode(bom + '{"a": "é"}'.encode(encoding)) == '{"a": "é"}'


def test_invalid_utf8_is_a_parse_error():
    with pytest.raises(ParseError, match="not UTF-8"):
        decode(b'{"a": "\xff"}')


def test_yaml_cloudformation_tags_and_positions():
    doc = parse_yaml("A: !Sub 'x-${B}'\nC: !GetAtt D.Arn\nE: !Ref F\nG: !Join ['', [a, b]]\n")
    assert doc.value == {"A": {"Fn::Sub": "x-${B}"}, "C": {"Fn::GetAtt": ["D", "Arn"]}, "E": {"Ref": "F"},
                         "G": {"Fn::Join": ["", ["a", "b"]]}}
    assert doc.span_of("/C").line == 2


def test_yaml_alias_expansion_is_bounded():
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        refs = ",".join([f"*a{i-1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    with pytest.raises(ParseError, match="alias expansion"):
        parse_yaml("\n".join(lines))


def test_yaml_duplicate_keys_and_syntax_errors():
    assert parse_yaml("a: 1\na: 2\n").duplicates[0].key == "a"
    with pytest.raises(ParseError) as info:
        parse_yaml("a: [1,\n")
    assert info.value.line == 2
