"""The embedded-language parsers: JSONPath / reference paths and intrinsic functions.

Expected results follow asl-semantics.md §3.5 (reference paths) and §3.6 (intrinsics:
signatures, escapes, States.Format placeholders) and the Jayway JSONPath syntax.
"""

from __future__ import annotations

import pytest

from analyzer.lang import intrinsics as I
from analyzer.lang import jsonpath as J


# ---- JSONPath -------------------------------------------------------------------------

def test_roots_and_kinds():
    assert J.parse_path("$").kind == "input"
    assert J.parse_path("$$.Execution.Id").kind == "context"
    p = J.parse_path("$order.items[0]")
    assert (p.kind, p.variable) == ("variable", "order")
    assert p.segments == (J.Field("items"), J.Index(0))


@pytest.mark.parametrize("text,segments", [
    ("$.a.b", (J.Field("a"), J.Field("b"))),
    ("$['first name'][2]", (J.Field("first name"), J.Index(2))),
    ('$["x"]', (J.Field("x"),)),
    ("$.detail-type", (J.Field("detail-type"),)),
    ("$.a[*]", (J.Field("a"), J.Wildcard())),
    ("$.a.*", (J.Field("a"), J.Wildcard())),
    ("$.a[-1]", (J.Field("a"), J.Index(-1))),
    ("$.a[1:3]", (J.Field("a"), J.Slice(1, 3, None))),
    ("$.a[::2]", (J.Field("a"), J.Slice(None, None, 2))),
    ("$.a[0,2]", (J.Field("a"), J.Union((J.Index(0), J.Index(2))))),
    ("$..name", (J.Descendant(J.Field("name")),)),
    ("$.[0]", (J.Index(0),)),  # Jayway accepts a dot before a bracket
])
def test_segments(text, segments):
    assert J.parse_path(text).segments == segments


def test_filter_and_function():
    p = J.parse_path("$.books[?(@.price < 10 && @.tag == 'x')].title")
    f = p.segments[1]
    assert isinstance(f, J.Filter)
    assert f.expr == J.BoolOp("&&", (
        J.Compare("<", J.Path("@", (J.Field("price"),)), J.Literal(10)),
        J.Compare("==", J.Path("@", (J.Field("tag"),)), J.Literal("x")),
    ))
    assert J.parse_path("$.a.length()").function == J.FunctionCall("length")
    # an unquoted word in a filter is a string, as in Jayway
    bare = J.parse_path("$[?(@.Code==es)]").segments[0].expr
    assert bare.right == J.Literal("es")


@pytest.mark.parametrize("text", ["$.a", "$$.Map.Item.Value", "$var", "$['a b'][0]", "$"])
def test_reference_paths_accepted(text):
    assert J.parse_reference_path(text).is_reference


@pytest.mark.parametrize("text,word,column", [
    ("$.a[*]", "wildcard", 4),
    ("$..a", "recursive descent", 2),
    ("$.a[?(@.x)]", "filter", 4),
    ("$.a[1:2]", "slice", 4),
    ("$.a.length()", "function", 4),
    ("$.a[-1]", "negative", 5),
])
def test_reference_paths_refused(text, word, column):
    with pytest.raises(J.PathSyntaxError) as err:
        J.parse_reference_path(text)
    assert word in err.value.message
    assert err.value.column == column
    assert not J.parse_path(text).is_reference  # still a valid full path


@pytest.mark.parametrize("text", ["", "a.b", "$.", "$.a[", "$.a b", "$[?(@.a ==)]", "$.a]"])
def test_malformed_paths(text):
    with pytest.raises(J.PathSyntaxError):
        J.parse_path(text)


def test_fast_path_and_grammar_agree():
    """The regex shortcut for plain paths must build the same tree as the grammar."""
    from analyzer.lang._grammar import parser

    for text in ["$.a.b", "$$.Execution.Input.x", "$v.a[3].b", "$.a-b[0]"]:
        assert J.parse_path(text) == J.build_path(parser("path").parse(text), text)


# ---- intrinsics -----------------------------------------------------------------------

def test_call_ast():
    call = I.parse_intrinsic("States.Format('Hi {}, {}', $.name, States.UUID())")
    assert call.name == "States.Format"
    assert call.args[0] == "Hi {}, {}" and isinstance(call.args[0], I.StringLiteral)
    assert call.args[1] == J.Path("$", (J.Field("name"),))
    assert call.args[2] == I.Call("States.UUID")
    lits = I.parse_intrinsic("States.Array(1, -2.5, true, false, null, 'it\\'s')").args
    assert lits == (1, -2.5, True, False, None, "it's")


def test_all_eighteen_functions_known():
    assert len(I.SIGNATURES) == 18


@pytest.mark.parametrize("text", [
    "States.Format('{} and {}', $.a, $.b)",
    "States.Format('literal \\{braces\\} and {}', $.a)",
    "States.StringToJson($.s)",
    "States.JsonToString($.o)",
    "States.Array()",
    "States.ArrayPartition($.a, 2)",
    "States.ArrayContains($.a, 'x')",
    "States.ArrayRange(1, 9, 2)",
    "States.ArrayGetItem($.a, 0)",
    "States.ArrayLength($.a)",
    "States.ArrayUnique($.a)",
    "States.Base64Encode('x')",
    "States.Base64Decode($.b)",
    "States.Hash($.d, 'SHA-256')",
    "States.JsonMerge($.a, $.b, false)",
    "States.MathRandom(1, 10)",
    "States.MathRandom(1, 10, 7)",
    "States.MathAdd(States.ArrayLength($.a), -1)",
    "States.StringSplit($.s, ',')",
    "States.UUID()",
])
def test_valid_calls(text):
    assert I.check_intrinsic(text) == []


@pytest.mark.parametrize("text,fragment", [
    ("States.Fromat('x')", "unknown intrinsic function States.Fromat; did you mean States.Format"),
    ("States.UUID(1)", "takes 0 arguments, not 1"),
    ("States.MathAdd(1)", "takes 2 arguments, not 1"),
    ("States.Format()", "takes at least 1 argument"),
    ("States.MathRandom(1, 2, 3, 4)", "takes 2 to 3 arguments"),
    ("States.JsonToString('x')", "must be a path"),
    ("States.Base64Encode(States.ArrayLength($.a))", "returns an integer"),
    ("States.ArrayLength('abc')", "must be an array"),
    ("States.Format('{} {}', $.a)", "2 '{}' placeholders but 1 value follows"),
    ("States.Format('{', $.a)", "lone '{'"),
    ("States.Hash($.a, 'SHA-2')", "not one of MD5"),
    ("States.JsonMerge($.a, $.b, true)", "must be false"),
    ("States.ArrayRange(1, 9, 0)", "must not be 0"),
    ("States.ArrayRange(0, 5000, 1)", "at most 1000"),
    ("States.MathAdd(3000000000, 1)", "between"),
    ("States.Format(\"x\")", "single quotes"),
    ("States.Format('x'", "ends too early"),
    ("hello", "expected a path"),
])
def test_invalid_calls(text, fragment):
    problems = I.check_intrinsic(text)
    assert problems, text
    assert any(fragment in p.message for p in problems), problems


def test_escapes_and_template():
    assert I.bad_escapes("a\\'b\\{\\}\\\\") == []
    assert I.bad_escapes('say \\"hi\\"') == ['\\"', '\\"']
    assert I.format_template("a {} \\{b\\} {}") == ("a ", I.SLOT, " {b} ", I.SLOT)


def test_nesting_limit():
    text = "$.x"
    for _ in range(11):
        text = f"States.Array({text})"
    assert any("nested 11 deep" in p.message for p in I.check_intrinsic(text))


def test_string_result_functions_for_error_path():
    assert I.check_intrinsic("States.Format('e{}', $.x)", I.STRING_RESULT) == []
    assert "does not return a string" in I.check_intrinsic("States.ArrayLength($.a)", I.STRING_RESULT)[0].message


# ---- Resource ARNs (asl-semantics §6.1) ----------------------------------------------

from analyzer.lang import arn as A  # noqa: E402
from analyzer.lang import jsonata_syntax as JS  # noqa: E402
from analyzer.lang import placeholders as PH  # noqa: E402
from analyzer.lang import timestamps as TS  # noqa: E402


@pytest.mark.parametrize("text,kind,service,action,pattern", [
    ("arn:aws:lambda:us-east-1:123456789012:function:fn", "lambda", "lambda", "invoke", A.REQUEST_RESPONSE),
    ("arn:aws:lambda:us-east-1:123456789012:function:fn:$LATEST", "lambda", "lambda", "invoke", A.REQUEST_RESPONSE),
    ("arn:aws:states:::lambda:invoke.waitForTaskToken", "integration", "lambda", "invoke", A.CALLBACK),
    ("arn:aws:states:::states:startExecution.sync:2", "integration", "states", "startExecution", A.SYNC2),
    ("arn:aws-cn:states:::ecs:runTask.sync", "integration", "ecs", "runTask", A.SYNC),
    ("arn:aws-us-gov:states:::aws-sdk:dynamodb:transactWriteItems", "sdk", "dynamodb", "transactWriteItems",
     A.REQUEST_RESPONSE),
    ("arn:aws:states:eu-west-1:123456789012:activity:approve", "activity", None, None, A.REQUEST_RESPONSE),
    ("arn:${AWS::Partition}:states:::sqs:sendMessage", "integration", "sqs", "sendMessage", A.REQUEST_RESPONSE),
])
def test_resource_forms(text, kind, service, action, pattern):
    arn = A.parse_resource(text)
    assert (arn.kind, arn.service, arn.action, arn.pattern) == (kind, service, action, pattern)
    assert A.check_resource(text) == []


@pytest.mark.parametrize("text,fragment", [
    ("my-function", "must be an ARN"),
    ("arn:aws:lambda:us-east-1:123456789012:function:fn:", "names no alias or version"),
    ("arn:aws:lambda:us-east-1:123456789012:function:bad*name", "not a valid Lambda function name"),
    ("arn:aws:states:::dynamodb:putItem.sync", "does not support .sync"),
    ("arn:aws:states:::lambda:invoke.sync:2", "does not support .sync:2"),
    ("arn:aws:states:::aws-sdk:s3:getObject.sync", "do not support .sync"),
    ("arn:aws:states:::dynamodb:query", "has no action 'query'"),
    ("arn:aws:states:::nosuch:doIt", "not an optimized integration"),
    ("arn:aws:sns:us-east-1:123456789012:topic", "not a Task resource"),
])
def test_resource_problems(text, fragment):
    problems = A.check_resource(text)
    assert problems and fragment in problems[0], problems


def test_placeholders():
    assert PH.contains_placeholder("arn:${Partition}:states:::lambda:invoke")
    assert PH.is_placeholder("${FunctionArn}") and not PH.is_placeholder("x${A}")
    assert PH.names("${A}-${B}") == ["A", "B"]
    assert not PH.contains_placeholder("$.a") and not PH.contains_placeholder("${lambdaArn")
    assert A.check_resource("${FunctionArn}") == []


# ---- timestamps (asl-semantics §2.2 Wait, §4.2.7) ---------------------------------------

@pytest.mark.parametrize("text", ["2016-03-14T01:59:00Z", "2016-03-14T01:59:00.00Z", "2016-03-14T01:59:00.000000Z",
                                  "2024-02-29T23:59:59+01:00", "2024-01-01T00:00:00-05:30"])
def test_timestamps_accepted(text):
    assert TS.is_timestamp(text)


@pytest.mark.parametrize("text,why", [
    ("2016-03-14T01:59:00", "time-zone designator"),
    ("2016-03-14T01:59:00.000000", "time-zone designator"),
    ("2023-02-24", "date alone"),
    ("2023-02-30T00:00:00Z", "does not exist"),
    ("2016-03-14t01:59:00z", "upper case"),
    ("yesterday", "RFC 3339"),
])
def test_timestamps_refused(text, why):
    assert not TS.is_timestamp(text)
    assert why in TS.why_not_timestamp(text)


def test_timestamp_instants_compare_across_offsets():
    assert TS.parse_timestamp("2024-01-01T01:00:00+01:00") == TS.parse_timestamp("2024-01-01T00:00:00Z")


# ---- JSONata (jsonata-python parser) ------------------------------------------------------

def test_jsonata_expressions():
    assert JS.check_expression("{% $sum($states.input.items.price) %}") is None
    assert JS.check_expression("{%$uppercase('a')%}") is None
    assert JS.check_expression("{% 10 + * 2 %}")
    assert JS.check_expression("{% $sum($states.input %}")
    assert JS.check_expression("{%   %}") == "the JSONata expression is empty"
    assert JS.delimiter_problem("{% 10 %") and JS.delimiter_problem("10 %}")
    assert JS.delimiter_problem(" {% $x %} ") is None  # a literal, as the service reads it


# ---- property: rendered reference paths parse back to the same steps ----------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_names = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=8)
_steps = st.lists(st.one_of(_names.map(J.Field), st.integers(min_value=0, max_value=999).map(J.Index)), max_size=6)


def _render(step) -> str:
    if isinstance(step, J.Index):
        return f"[{step.index}]"
    if step.name.isidentifier():
        return f".{step.name}"
    escaped = step.name.replace("\\", "\\\\").replace("'", "\\'")
    return f"['{escaped}']"


@settings(max_examples=300, deadline=None)
@given(root=st.sampled_from(["$", "$$", "$var", "$_x1"]), steps=_steps)
def test_reference_path_round_trip(root, steps):
    text = root + "".join(_render(s) for s in steps)
    path = J.parse_reference_path(text)
    assert path.root == root
    assert path.segments == tuple(steps)
    assert path.is_reference


@pytest.mark.parametrize("expr,names,error_output", [
    ("phone", ["phone"], False),
    ("customer.phone & 'x'", ["customer"], False),
    ("$.a", ["$"], False),
    ("$$.Execution.Id", ["$$"], False),
    ("$states.input.phone", [], False),
    ("$states.input.items[price > 1].name", [], False),          # a predicate has a context
    ("$states.input.items{name: price}", [], False),              # so does a group
    ("$states.input.(a + b)", [], False),                         # and a later path step
    ("$map($states.input, function($v) { $v.a })", [], False),
    ("($x := $states.input; $x.a)", [], False),
    ("$count(items) > 0 ? 'y' : 'n'", ["items"], False),
    ("$merge([$states.input, {'error': $states.errorOutput}])", [], True),
])
def test_jsonata_reads_without_context(expr, names, error_output):
    assert JS.unsupported_reads("{% " + expr + " %}") == (names, error_output)
