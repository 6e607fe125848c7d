"""Constructs the exploration models exactly: Map results, JSONata variables, counters, the context object.

Every generated case is run again here by the interpreter (an independent implementation
of the semantics) and must follow the predicted path; coverage claims are checked against
what the definitions can do, worked out by hand from /work/shared/docs/asl-semantics.md.
"""

from __future__ import annotations

from analyzer.interp.interpreter import run
from analyzer.model.build import build_machine
from analyzer.symbolic.symexec import Explorer
from analyzer.symbolic.testgen import generate

from .helpers import choice_machine, covered_goals, replayed_suite

LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:f"




# --------------------------------------------------------------------------- Map results

MAP_THEN_CHOICE = {"StartAt": "Fetch", "States": {
    "Fetch": {"Type": "Task", "Resource": LAMBDA, "ResultPath": "$.list", "Next": "Each"},
    "Each": {"Type": "Map", "ItemsPath": "$.list.items", "ResultPath": "$.done", "Next": "Count",
             "ItemProcessor": {"StartAt": "Work", "States": {
                 "Work": {"Type": "Task", "Resource": LAMBDA, "ResultSelector": {"ok.$": "$.ok"}, "End": True}}}},
    "Count": {"Type": "Choice", "Choices": [
        {"Variable": "$.done[1]", "IsPresent": True, "Next": "Two"},
        {"Variable": "$.done[0]", "IsPresent": False, "Next": "None"},
        {"Variable": "$.done[0].ok", "BooleanEquals": True, "Next": "OneGood"}],
        "Default": "OneBad"},
    "Two": {"Type": "Succeed"}, "OneGood": {"Type": "Succeed"}, "OneBad": {"Type": "Succeed"},
    "None": {"Type": "Succeed"}}}


def test_a_map_result_read_by_a_choice_covers_every_rule():
    suite = replayed_suite(MAP_THEN_CHOICE)
    assert {"rule:Count#1", "rule:Count#2", "rule:Count#3", "default:Count"} <= covered_goals(suite)
    assert suite.summary["branches"]["unknown"] == 0
    one_good = next(c for c in suite.cases if "rule:Count#3" in c["covers"])
    assert len(one_good["mocks"]["Fetch"][0]["Return"]["items"]) == 1
    assert one_good["mocks"]["Work"][0]["Return"]["ok"] is True
    one_bad = next(c for c in suite.cases if "default:Count" in c["covers"])
    assert one_bad["mocks"]["Work"][0]["Return"]["ok"] is not True


def test_map_iterations_see_the_item_through_the_item_selector():
    definition = {"StartAt": "Each", "States": {
        "Each": {"Type": "Map", "ItemsPath": "$.xs", "ResultPath": "$.ys", "Next": "Check",
                 "ItemSelector": {"v.$": "$$.Map.Item.Value", "i.$": "$$.Map.Item.Index"},
                 "ItemProcessor": {"StartAt": "Keep", "States": {"Keep": {"Type": "Pass", "End": True}}}},
        "Check": {"Type": "Choice", "Choices": [
            {"And": [{"Variable": "$.ys[1].i", "NumericEquals": 1}, {"Variable": "$.ys[1].v", "StringEquals": "b"}],
             "Next": "Second"}], "Default": "Other"},
        "Second": {"Type": "Succeed"}, "Other": {"Type": "Succeed"}}}
    suite = replayed_suite(definition)
    case = next(c for c in suite.cases if "rule:Check#1" in c["covers"])
    assert case["input"]["xs"][1] == "b"


# --------------------------------------------------------------------------- JSONata variables

JSONATA_VARIABLE = {"QueryLanguage": "JSONata", "StartAt": "Call", "States": {
    "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
             "Arguments": {"FunctionName": LAMBDA, "Payload": "{% $states.input.request %}"},
             "Assign": {"status": "{% $states.result.Payload.status %}", "tries": 1},
             "Output": {"id": "{% $states.input.id %}"}, "Next": "Check"},
    "Check": {"Type": "Choice", "Choices": [
        {"Condition": "{% $status = 'completed' and $tries = 1 %}", "Next": "Done"},
        {"Condition": "{% $states.input.id > 10 %}", "Next": "Big"}],
        "Default": "Waiting"},
    "Done": {"Type": "Succeed"}, "Big": {"Type": "Succeed"}, "Waiting": {"Type": "Fail", "Error": "NotYet"}}}


def test_a_jsonata_variable_read_by_a_condition():
    suite = replayed_suite(JSONATA_VARIABLE)
    assert {"rule:Check#1", "rule:Check#2", "default:Check"} <= covered_goals(suite)
    done = next(c for c in suite.cases if "rule:Check#1" in c["covers"])
    assert done["mocks"]["Call"][0]["Return"]["Payload"]["status"] == "completed"
    big = next(c for c in suite.cases if "rule:Check#2" in c["covers"])
    assert big["input"]["id"] > 10 and "request" in big["input"]


def test_a_variable_assigned_by_a_literal_makes_a_rule_dead():
    definition = {"QueryLanguage": "JSONata", "StartAt": "Set", "States": {
        "Set": {"Type": "Pass", "Assign": {"mode": "fast"}, "Next": "Route"},
        "Route": {"Type": "Choice", "Choices": [{"Condition": "{% $mode = 'slow' %}", "Next": "Slow"}],
                  "Default": "Fast"},
        "Slow": {"Type": "Succeed"}, "Fast": {"Type": "Succeed"}}}
    suite = replayed_suite(definition)
    assert suite.summary["branches"] == {"total": 2, "covered": 1, "dead": 1, "unknown": 0}


def test_a_variable_rebound_by_an_unmodelled_assign_is_unknown_not_stale():
    definition = {"StartAt": "Set", "States": {
        "Set": {"Type": "Pass", "QueryLanguage": "JSONata", "Assign": {"mode": "fast"}, "Next": "Change"},
        "Change": {"Type": "Pass", "Assign": {"mode.$": "$.wanted"}, "Next": "Route"},
        "Route": {"Type": "Choice", "QueryLanguage": "JSONata",
                  "Choices": [{"Condition": "{% $mode = 'slow' %}", "Next": "Slow"}], "Default": "Fast"},
        "Slow": {"Type": "Succeed"}, "Fast": {"Type": "Succeed"}}}
    suite = generate(definition)
    assert suite.summary["branches"]["dead"] == 0  # $.wanted = "slow" takes the rule


# --------------------------------------------------------------------------- loops

COUNTER_LOOP = {"StartAt": "Init", "States": {
    "Init": {"Type": "Pass", "Parameters": {"left": 5}, "Next": "Step"},
    "Step": {"Type": "Pass", "Parameters": {"left.$": "States.MathAdd($.left, -1)"}, "Next": "More?"},
    "More?": {"Type": "Choice", "Choices": [{"Variable": "$.left", "NumericGreaterThan": 0, "Next": "Step"}],
              "Default": "Done"},
    "Done": {"Type": "Succeed"}}}


def test_a_loop_over_a_concrete_counter_runs_to_its_end():
    suite = replayed_suite(COUNTER_LOOP)
    assert suite.summary["branches"] == {"total": 2, "covered": 2, "dead": 0, "unknown": 0}
    assert suite.summary["exploration"]["complete"] is True
    (case,) = suite.cases
    assert case["expect"]["path"].count("Step") == 5


POLL_LOOP = {"StartAt": "Count", "States": {
    "Count": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, -1)", "url.$": "$.url"}, "Next": "Enough?"},
    "Enough?": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericLessThanEquals": 0, "Next": "GiveUp"}],
                "Default": "Poll"},
    "Poll": {"Type": "Task", "Resource": LAMBDA, "Parameters": {"url.$": "$.url"}, "ResultPath": "$.r",
             "Next": "Ready?"},
    "Ready?": {"Type": "Choice", "Choices": [{"Variable": "$.r.ready", "BooleanEquals": True, "Next": "Done"}],
               "Default": "Count"},
    "GiveUp": {"Type": "Fail", "Error": "TooManyPolls"}, "Done": {"Type": "Succeed"}}}


def test_a_symbolic_counter_loop_is_left_early_and_late():
    suite = replayed_suite(POLL_LOOP)
    assert suite.summary["branches"]["unknown"] == 0
    give_up = next(c for c in suite.cases if "rule:Enough?#1" in c["covers"])
    # one turn per unit of the counter, rounded half up by States.MathAdd
    turns = give_up["expect"]["path"].count("Count")
    assert turns == max(1, int(give_up["input"]["n"] + 0.5))
    paths = Explorer(build_machine(POLL_LOOP)).run().paths
    assert any(p.status == "SUCCEEDED" and p.trace.count("Poll") == 2 for p in paths), \
        "a path goes round the loop once and then leaves it"


def test_a_math_add_argument_outside_32_bits_never_continues():
    definition = {"StartAt": "Add", "States": {
        "Add": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)"}, "Next": "Big?"},
        "Big?": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 2147483648, "Next": "Big"}],
                 "Default": "Small"},
        "Big": {"Type": "Succeed"}, "Small": {"Type": "Succeed"}}}
    suite = replayed_suite(definition)
    assert suite.summary["branches"] == {"total": 2, "covered": 1, "dead": 1, "unknown": 0}
    assert run(definition, {"n": 2 ** 31}).error == "States.IntrinsicFailure"


# --------------------------------------------------------------------------- the context object

def test_task_token_is_absent_outside_callback_tasks():
    definition = {"StartAt": "Notify", "States": {
        "Notify": {"Type": "Task", "Resource": "arn:aws:states:::events:putEvents",
                   "Parameters": {"Token.$": "$$.Task.Token"}, "End": True}}}
    explorer = Explorer(build_machine(definition))
    exploration = explorer.run()
    assert [(p.status, p.error) for p in exploration.paths] == [("FAILED", "States.Runtime")]
    assert run(definition, {}, mocks={"Notify": [{"Return": {}}]}).error == "States.Runtime"


def test_a_placeholder_resource_may_be_a_callback():
    definition = {"StartAt": "Send", "States": {
        "Send": {"Type": "Task", "Resource": "${SendWithToken}", "Parameters": {"Token.$": "$$.Task.Token"},
                 "ResultPath": "$.r", "Next": "Ok?"},
        "Ok?": {"Type": "Choice", "Choices": [{"Variable": "$.r.ok", "BooleanEquals": True, "Next": "Yes"}],
                "Default": "No"},
        "Yes": {"Type": "Succeed"}, "No": {"Type": "Succeed"}}}
    suite = replayed_suite(definition)
    assert suite.summary["branches"]["covered"] == 2


def test_an_unknown_context_key_is_certainly_missing():
    definition = {"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{"Variable": "$$.value", "IsNull": False, "Next": "A"}], "Default": "B"},
        "A": {"Type": "Succeed"}, "B": {"Type": "Succeed"}}}
    suite = generate(definition)
    assert suite.summary["branches"] == {"total": 2, "covered": 0, "dead": 2, "unknown": 0}
    assert run(definition, {}).error == "States.Runtime"


def test_a_distributed_map_reader_failure_is_caught():
    definition = {"StartAt": "Read", "States": {
        "Read": {"Type": "Map", "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
                                                "ReaderConfig": {"InputType": "JSON"},
                                                "Parameters": {"Bucket": "b", "Key": "k"}},
                 "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                                   "StartAt": "W", "States": {"W": {"Type": "Task", "Resource": LAMBDA,
                                                                    "End": True}}},
                 "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}], "End": True},
        "Failed": {"Type": "Fail", "Error": "ReadFailed"}}}
    suite = replayed_suite(definition)
    assert "catch:Read#1" in covered_goals(suite)


# --------------------------------------------------------------------------- lists, strings, templates

LIST_LOOP = {"StartAt": "Next?", "States": {
    "Next?": {"Type": "Choice", "Choices": [{"Not": {"Variable": "$.todo[0]", "StringEquals": "DONE"}, "Next": "Pop"}],
              "Default": "Finished"},
    "Pop": {"Type": "Pass", "Parameters": {"todo.$": "$.todo[1:]"}, "Next": "Next?"},
    "Finished": {"Type": "Succeed"}}}


def test_a_list_consumed_by_slices_leaves_the_loop():
    suite = replayed_suite(LIST_LOOP)
    assert suite.summary["branches"] == {"total": 2, "covered": 2, "dead": 0, "unknown": 0}
    pop = next(c for c in suite.cases if "rule:Next?#1" in c["covers"])
    todo = pop["input"]["todo"]
    assert todo[0] != "DONE" and "DONE" in todo  # the run pops until DONE comes first


def test_the_first_piece_of_a_split_string_decides_a_choice():
    definition = {"StartAt": "Kind", "States": {
        "Kind": {"Type": "Pass", "Parameters": {"kind.$": "States.ArrayGetItem(States.StringSplit($.key, '/'), 0)"},
                 "Next": "Route"},
        "Route": {"Type": "Choice", "Choices": [
            {"Variable": "$.kind", "StringEquals": "videos", "Next": "Video"},
            {"Variable": "$.kind", "StringMatches": "im*", "Next": "Image"}], "Default": "Other"},
        "Video": {"Type": "Succeed"}, "Image": {"Type": "Succeed"}, "Other": {"Type": "Succeed"}}}
    suite = replayed_suite(definition)
    assert suite.summary["branches"]["covered"] == 3
    # strings that start with the delimiter are outside the model: nothing may be called unreachable
    assert suite.summary["exploration"]["complete"] is False


def test_a_template_that_is_not_an_object_always_fails():
    definition = {"StartAt": "Found?", "States": {
        "Found?": {"Type": "Choice", "Choices": [{"Variable": "$.Item", "IsPresent": True, "Next": "Format"}],
                   "Default": "None"},
        "Format": {"Type": "Pass", "Parameters": [{"Item.$": "$.Item"}], "End": True},
        "None": {"Type": "Succeed"}}}
    suite = replayed_suite(definition)
    case = next(c for c in suite.cases if "rule:Found?#1" in c["covers"])
    assert case["expect"]["status"] == "FAILED"
    assert run(definition, case["input"]).error == "States.Runtime"


def test_a_variable_rebound_in_a_jsonpath_choice_rule_is_unknown():
    definition = {"StartAt": "Set", "States": {
        "Set": {"Type": "Pass", "QueryLanguage": "JSONata", "Assign": {"mode": "fast"}, "Next": "Pick"},
        "Pick": {"Type": "Choice", "Choices": [{"Variable": "$.slow", "BooleanEquals": True,
                                                "Assign": {"mode": "slow"}, "Next": "Route"}], "Default": "Route"},
        "Route": {"Type": "Choice", "QueryLanguage": "JSONata",
                  "Choices": [{"Condition": "{% $mode = 'slow' %}", "Next": "Slow"}], "Default": "Fast"},
        "Slow": {"Type": "Succeed"}, "Fast": {"Type": "Succeed"}}}
    suite = generate(definition)
    assert suite.summary["branches"]["dead"] == 0
    assert run(definition, {"slow": True}).path[-1] == "Slow"


JSON_TEXT_MATCH = {"StartAt": "Get", "States": {
    "Get": {"Type": "Task", "Resource": LAMBDA, "ResultSelector": {"Text.$": "States.JsonToString($.Item)"},
            "ResultPath": "$.got", "Next": "Held"},
    "Held": {"Type": "Choice", "Choices": [
        {"And": [{"Variable": "$.got.Text", "IsPresent": True}, {"Variable": "$.got.Text", "StringMatches": "*Z*"}],
         "Next": "Yes"}], "Default": "No"},
    "Yes": {"Type": "Succeed"}, "No": {"Type": "Succeed"}}}


def test_a_json_to_string_text_tested_by_a_pattern_covers_both_ways():
    suite = replayed_suite(JSON_TEXT_MATCH)
    assert {"rule:Held#1", "default:Held"} <= covered_goals(suite)
    held = next(c for c in suite.cases if "rule:Held#1" in c["covers"])
    import json
    assert "Z" in json.dumps(held["mocks"]["Get"][0]["Return"]["Item"], separators=(",", ":"))


def test_json_to_string_in_task_parameters_leaves_the_source_alone():
    definition = {"StartAt": "Send", "States": {
        "Send": {"Type": "Task", "Resource": LAMBDA, "Parameters": {"Body.$": "States.JsonToString($.mood)"},
                 "ResultPath": None, "Next": "Mood"},
        "Mood": {"Type": "Choice", "Choices": [{"Variable": "$.mood", "StringEquals": "GOOD", "Next": "Good"}],
                 "Default": "Bad"},
        "Good": {"Type": "Succeed"}, "Bad": {"Type": "Succeed"}}}
    suite = replayed_suite(definition)
    assert {"rule:Mood#1", "default:Mood"} <= covered_goals(suite)


ASSIGN_AFTER_CHOICE = {"StartAt": "Check", "States": {
    "Check": {"Type": "Choice", "Choices": [
        {"Variable": "$.value", "IsPresent": False, "Assign": {"status": "NONE"}, "Next": "Done"},
        {"Variable": "$.value", "NumericEquals": 42, "Assign": {"hint.$": "$.hint"}, "Next": "Done"}],
        "Assign": {"guess.$": "$.value"}, "Default": "Done"},
    "Done": {"Type": "Pass", "End": True}}}


def test_a_choice_assign_that_reads_a_path_needs_it_whichever_rule_matched():
    suite = replayed_suite(ASSIGN_AFTER_CHOICE)
    covered = covered_goals(suite)
    # rule 1 needs $.value absent, the state's Assign needs it present: never taken
    assert "rule:Check#1" not in covered and "rule:Check#1" not in suite.summary["unknown"]
    assert {"rule:Check#2", "default:Check"} <= covered
    second = next(c for c in suite.cases if "rule:Check#2" in c["covers"])
    assert "hint" in second["input"]  # the matched rule's own Assign reads it
    for value in ({}, {"other": 1}, {"hint": 2}):  # independently: without $.value the Choice fails
        res = run(ASSIGN_AFTER_CHOICE, value, mocks={})
        assert (res.status, res.path, res.error) == ("FAILED", ["Check"], "States.Runtime")
    assert run(ASSIGN_AFTER_CHOICE, {"value": 42}, mocks={}).error == "States.Runtime"  # no $.hint


FILTERED_LABELS = {"StartAt": "Detect", "States": {
    "Detect": {"Type": "Task", "Resource": LAMBDA, "ResultSelector": {"receipt.$": "$.Labels[?(@.Name==Receipt)]"},
               "Next": "Receipt?"},
    "Receipt?": {"Type": "Choice", "Choices": [
        {"And": [{"Variable": "$.receipt[0]", "IsPresent": True},
                 {"Variable": "$.receipt[0].Confidence", "NumericGreaterThanEquals": 80}], "Next": "Analyze"}],
        "Default": "No"},
    "Analyze": {"Type": "Task", "Resource": LAMBDA, "ResultSelector": {
        "paid.$": "$.Docs[0].Fields[?(@.Type.Text=='PAID')].Value.Text",
        "date.$": "$.Docs[0].Fields[?(@.Type.Text=='DATE')].Value.Text"}, "Next": "Record"},
    "Record": {"Type": "Task", "Resource": LAMBDA, "Parameters": {"paid.$": "$.paid[0]", "date.$": "$.date[0]"},
               "End": True},
    "No": {"Type": "Fail", "Error": "NotAReceipt"}}}


def test_filtered_lists_in_result_selectors_get_elements_that_pass_the_filter():
    suite = replayed_suite(FILTERED_LABELS)
    assert {"rule:Receipt?#1", "default:Receipt?"} <= covered_goals(suite)
    taken = next(c for c in suite.cases if "rule:Receipt?#1" in c["covers"])
    labels = taken["mocks"]["Detect"][0]["Return"]["Labels"]
    assert labels[0]["Name"] == "Receipt" and labels[0]["Confidence"] >= 80
    fields = taken["mocks"]["Analyze"][0]["Return"]["Docs"][0]["Fields"]  # both filters find an element
    assert {f["Type"]["Text"] for f in fields} == {"PAID", "DATE"}
    assert taken["expect"]["status"] == "SUCCEEDED"


def test_a_format_template_holding_a_deploy_placeholder_is_run_as_deployed():
    """``${ApiEndpoint}`` is filled in at deployment; its braces are not States.Format slots, so
    the callback Task runs and the Choice after it is covered both ways (not left unknown)."""
    definition = {"StartAt": "Ask", "States": {
        "Ask": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish.waitForTaskToken",
                "Parameters": {"TopicArn": "${TopicArn}", "Message.$":
                               "States.Format('Approve: ${ApiEndpoint}?token={}', $$.Task.Token)"},
                "Next": "Approved?"},
        "Approved?": {"Type": "Choice", "Choices": [{"Variable": "$.Result", "StringEquals": "Approved",
                                                    "Next": "Yes"}], "Default": "No"},
        "Yes": {"Type": "Succeed"}, "No": {"Type": "Fail"}}}
    suite = replayed_suite(definition)
    assert suite.summary["branches"] == {"total": 2, "covered": 2, "dead": 0, "unknown": 0}
    result = run(definition, {}, mocks={"Ask": [{"Return": {"Result": "Approved"}}]},
                 context={"Task": {"Token": "tok"}})
    assert (result.status, result.path) == ("SUCCEEDED", ["Ask", "Approved?", "Yes"])


def test_each_catch_of_a_racing_parallel_gets_the_input_whose_branch_fails_first():
    """Two polling branches that fail once their input flag is set race a 15 s timer branch
    (the either-or pattern): every catcher is covered, each by an input the interpreter runs."""
    def poller(n):
        return {"StartAt": f"Get{n}", "States": {
            f"Get{n}": {"Type": "Pass", "Result": {"Completed": False}, "ResultPath": "$.q", "Next": f"Check{n}"},
            f"Wait{n}": {"Type": "Wait", "Seconds": 5, "Next": f"Get{n}"},
            f"Check{n}": {"Type": "Choice", "Choices": [
                {"Variable": f"$.done{n}", "BooleanEquals": True, "Next": f"Done{n}"}], "Default": f"Wait{n}"},
            f"Done{n}": {"Type": "Fail", "Error": f"Done.{n}"}}}
    definition = {"StartAt": "Race", "States": {
        "Race": {"Type": "Parallel", "Next": "None", "Branches": [
            poller(1), poller(2),
            {"StartAt": "Timer", "States": {"Timer": {"Type": "Wait", "Seconds": 15, "Next": "Late"},
                                             "Late": {"Type": "Fail", "Error": "Too.Late"}}}],
                 "Catch": [{"ErrorEquals": ["Done.1"], "Next": "One"}, {"ErrorEquals": ["Done.2"], "Next": "Two"},
                           {"ErrorEquals": ["Too.Late"], "Next": "Late"}]},
        "None": {"Type": "Succeed"}, "One": {"Type": "Succeed"}, "Two": {"Type": "Succeed"},
        "Late": {"Type": "Succeed"}}}
    suite = replayed_suite(definition)
    assert {"catch:Race#1", "catch:Race#2", "catch:Race#3"} <= covered_goals(suite)


# --------------------------------------------------------------------------- filters over known items

MAP_RESULT_FILTER = {"StartAt": "Detect", "States": {
    "Detect": {"Type": "Task", "Resource": LAMBDA, "Next": "Each"},
    "Each": {"Type": "Map", "ItemsPath": "$.Labels", "ResultPath": "$.found", "Next": "Cat?",
             "ResultSelector": {"cats.$": "$[?(@.Name == 'Cat')]"},
             "ItemProcessor": {"StartAt": "Keep", "States": {"Keep": {"Type": "Pass", "End": True}}}},
    "Cat?": {"Type": "Choice", "Choices": [{"Variable": "$.found.cats[0]", "IsPresent": True, "Next": "Cat"}],
             "Default": "NoCat"},
    "Cat": {"Type": "Succeed"}, "NoCat": {"Type": "Succeed"}}}


def test_a_filter_over_the_map_result_itself_gets_items_that_pass_it():
    """``$[?(...)]`` in a Map's ResultSelector filters the array of iteration outputs: the
    Task result that supplies the items is written so that an item passes."""
    suite = replayed_suite(MAP_RESULT_FILTER)
    assert {"rule:Cat?#1", "default:Cat?"} <= covered_goals(suite)
    taken = next(c for c in suite.cases if "rule:Cat?#1" in c["covers"])
    assert {"Name": "Cat"} in taken["mocks"]["Detect"][0]["Return"]["Labels"]


MAP_TEMPLATE_FILTER = {"StartAt": "Detect", "States": {
    "Detect": {"Type": "Task", "Resource": LAMBDA, "Next": "Each"},
    "Each": {"Type": "Map", "ItemsPath": "$.items", "Next": "Sure?",
             "ResultSelector": {"cats.$": "$[?(@.kind == 'cat')].score"},
             "ItemProcessor": {"StartAt": "Shape", "States": {
                 "Shape": {"Type": "Pass", "Parameters": {"kind.$": "$.label", "score.$": "$.p"}, "End": True}}}},
    "Sure?": {"Type": "Choice", "Choices": [
        {"Variable": "$.cats[0]", "NumericGreaterThan": 50, "Next": "Sure"}], "Default": "Unsure"},
    "Sure": {"Type": "Succeed"}, "Unsure": {"Type": "Succeed"}}}


def test_a_filter_over_computed_map_outputs_writes_the_fields_they_are_computed_from():
    """Each iteration output is an object template: the filtered field and the selected entry
    are written through it, into the item fields they read."""
    suite = replayed_suite(MAP_TEMPLATE_FILTER)
    assert {"rule:Sure?#1", "default:Sure?"} <= covered_goals(suite)
    taken = next(c for c in suite.cases if "rule:Sure?#1" in c["covers"])
    item = taken["mocks"]["Detect"][0]["Return"]["items"][0]
    assert item["label"] == "cat" and item["p"] > 50


PARALLEL_FILTER = {"StartAt": "Both", "States": {
    "Both": {"Type": "Parallel", "Next": "Any?", "ResultSelector": {"ok.$": "$[?(@.status == 'ok')]"},
             "Branches": [
                 {"StartAt": "B", "States": {"B": {"Type": "Pass", "Result": {"status": "late"}, "End": True}}},
                 {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": LAMBDA, "End": True}}}]},
    "Any?": {"Type": "Choice", "Choices": [{"Variable": "$.ok[0]", "IsPresent": True, "Next": "Yes"}],
             "Default": "No"},
    "Yes": {"Type": "Succeed"}, "No": {"Type": "Succeed"}}}


def test_a_filter_over_a_parallel_result_makes_a_branch_output_pass():
    """The first branch output is a constant that fails the filter: the Task's result is made to pass."""
    suite = replayed_suite(PARALLEL_FILTER)
    assert {"rule:Any?#1", "default:Any?"} <= covered_goals(suite)
    taken = next(c for c in suite.cases if "rule:Any?#1" in c["covers"])
    assert taken["mocks"]["A"][0]["Return"]["status"] == "ok"


# --------------------------------------------------------------------------- variables read by JSONPath states

VARIABLE_IN_JSONPATH = {"StartAt": "Keep", "States": {
    "Keep": {"Type": "Pass", "QueryLanguage": "JSONata", "Output": {},
             "Assign": {"payload": "{% $states.context.Execution.Input %}"}, "Next": "Kind?"},
    "Kind?": {"Type": "Choice", "Choices": [
        {"Variable": "$payload.kind", "StringEquals": "gold", "Next": "Gold"}], "Default": "Plain"},
    "Gold": {"Type": "Task", "Resource": LAMBDA, "End": True,
             "Parameters": {"Message.$": "States.Format('Hello {}', $payload.name)"}},
    "Plain": {"Type": "Succeed"}}}


def test_a_jsonpath_state_reads_a_variable_bound_to_the_execution_input():
    """``$states.context.Execution.Input`` is the execution input; ``$payload.kind`` in a JSONPath
    Choice and ``$payload.name`` in a States.Format read it, so the fields end up in the input."""
    suite = replayed_suite(VARIABLE_IN_JSONPATH)
    assert {"rule:Kind?#1", "default:Kind?", "state:Gold"} <= covered_goals(suite)
    gold = next(c for c in suite.cases if "rule:Kind?#1" in c["covers"])
    assert gold["input"]["kind"] == "gold" and "name" in gold["input"]
    assert gold["expect"]["status"] == "SUCCEEDED"


def test_a_variable_rebound_by_a_jsonpath_assign_is_not_read_stale():
    """JSONata binds ``$payload`` to a literal; a JSONPath Assign (not modelled) rebinds it, so the
    Choice after it must not be decided by the old literal (rule 1 would look dead)."""
    definition = {"StartAt": "Keep", "States": {
        "Keep": {"Type": "Pass", "QueryLanguage": "JSONata", "Assign": {"payload": {"kind": "plain"}},
                 "Next": "Set"},
        "Set": {"Type": "Pass", "Assign": {"payload.$": "$"}, "Next": "Kind?"},
        "Kind?": {"Type": "Choice", "Choices": [
            {"Variable": "$payload.kind", "StringEquals": "gold", "Next": "Gold"}], "Default": "Plain"},
        "Gold": {"Type": "Succeed"}, "Plain": {"Type": "Succeed"}}}
    suite = replayed_suite(definition)
    assert suite.summary["branches"]["dead"] == 0
    assert "rule:Kind?#1" in suite.summary["unknown"] or "rule:Kind?#1" in covered_goals(suite)
    assert run(definition, {"kind": "gold"}, mocks={}).path[-1] == "Gold"  # the rule is reachable


def test_a_map_that_exports_its_results_is_never_predicted_to_hand_them_on():
    """With a ResultWriter the Map's output is the Map Run summary, not the array (not even []
    for no items): every generated case still runs as predicted."""
    definition = {"StartAt": "Each", "States": {
        "Each": {"Type": "Map", "ItemsPath": "$.items", "ResultPath": "$.out", "Next": "Written?",
                 "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                                   "StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
                 "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "b"}}},
        "Written?": {"Type": "Choice", "Choices": [
            {"Variable": "$.out.ResultWriterDetails.Bucket", "IsPresent": True, "Next": "Yes"}], "Default": "No"},
        "Yes": {"Type": "Succeed"}, "No": {"Type": "Succeed"}}}
    suite = replayed_suite(definition)
    assert "rule:Written?#1" in covered_goals(suite)
    assert run(definition, {"items": []}).path == ["Each", "Written?", "Yes"]


def test_a_state_behind_unmodelled_intrinsics_is_covered_by_the_plain_run():
    """No witness is confirmed for a Pass whose template needs valid base64, a hash algorithm
    and a random range; the empty-input run still enters it (and fails there), and that run
    becomes the case that covers it, with the error it ends with."""
    definition = {"StartAt": "Prepare", "States": {
        "Prepare": {"Type": "Pass", "Next": "Done", "Parameters": {
            "decoded.$": "States.Base64Decode($.blob)", "hash.$": "States.Hash($.data, $.algorithm)",
            "pick.$": "States.MathRandom($.low, $.high)"}},
        "Done": {"Type": "Succeed"}}}
    suite = replayed_suite(definition)
    assert "state:Prepare" in covered_goals(suite)
    probe = next(c for c in suite.cases if "state:Prepare" in c["covers"])
    assert probe["expect"] == {"status": "FAILED", "path": ["Prepare"], "output": None, "error": "States.Runtime"}
    assert run(definition, probe["input"], mocks=probe["mocks"]).error == "States.Runtime"


def test_a_timestamp_witness_is_spelled_so_that_string_tests_on_it_agree():
    """StringEquals "T" then TimestampEquals T: the second rule needs the same instant written
    another way ("...00.000Z"); the reverse order makes the string rule unreachable, and no case
    may claim it (found by the Choice soundness property)."""
    t = "2024-01-01T00:00:00Z"
    string_first = choice_machine([{"Variable": "$.a.x", "StringEquals": t}, {"Variable": "$.a.x", "TimestampEquals": t}])
    suite = replayed_suite(string_first)
    assert {"rule:C#1", "rule:C#2", "default:C"} <= covered_goals(suite)
    second = next(c for c in suite.cases if "rule:C#2" in c["covers"])
    assert second["input"]["a"]["x"] != t and second["input"]["a"]["x"].startswith("2024-01-01T00:00:00")
    timestamp_first = choice_machine([{"Variable": "$.a.x", "TimestampEquals": t}, {"Variable": "$.a.x", "StringEquals": t}])
    suite = replayed_suite(timestamp_first)
    assert "rule:C#2" not in covered_goals(suite)


def test_an_endless_loop_is_not_a_contradiction():
    """Every run loops for ever: the explored prefix is confirmed by a run that the tool stops,
    which is no case to write and no internal error either (found by the workflow property)."""
    definition = {"StartAt": "Reset", "States": {
        "Reset": {"Type": "Pass", "Result": 0, "ResultPath": "$.a", "Next": "Again?"},
        "Again?": {"Type": "Choice", "Choices": [{"Variable": "$.a", "NumericEquals": 0, "Next": "Reset"}],
                   "Default": "Done"},
        "Done": {"Type": "Succeed"}}}
    suite = generate(definition)
    assert suite.mismatches == []
    # no finite execution exists: nothing to write, nothing claimed dead (Done is unreachable
    # in truth, but only an unbounded argument shows it)
    assert suite.cases == [] and suite.summary["branches"] == {"total": 2, "covered": 0, "dead": 0, "unknown": 2}
    assert run(definition, {}, max_transitions=100).error == "aslcheck.MaxTransitionsExceeded"


def test_a_map_over_a_known_list_whose_iterations_all_fail_never_succeeds():
    """Items known in the definition and every iteration explored to its end: the Map has no
    other way to succeed, so the state after it is proved unreachable (only the Catch is taken)."""
    definition = {"StartAt": "Items", "States": {
        "Items": {"Type": "Pass", "Result": [1, 2], "ResultPath": "$.xs", "Next": "Each"},
        "Each": {"Type": "Map", "ItemsPath": "$.xs", "ResultPath": None, "Next": "After",
                 "ItemProcessor": {"StartAt": "Odd?", "States": {
                     "Odd?": {"Type": "Choice", "Choices": [{"Variable": "$", "NumericEquals": 1, "Next": "No"}],
                              "Default": "AlsoNo"},
                     "No": {"Type": "Fail", "Error": "Item.Failed"},
                     "AlsoNo": {"Type": "Fail", "Error": "Item.Failed"}}},
                 "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}]},
        "After": {"Type": "Succeed"}, "Caught": {"Type": "Succeed"}}}
    suite = replayed_suite(definition)
    assert "catch:Each#1" in covered_goals(suite)
    assert "state:After" not in covered_goals(suite) and "state:After" not in suite.summary["unknown"]
    assert suite.summary["states"]["dead"] == 1
    with_success = {**definition, "States": {**definition["States"], "Items": {
        **definition["States"]["Items"], "Result": [1, 2, 3]}}}
    with_success["States"]["Each"] = {**definition["States"]["Each"], "ItemProcessor": {
        "StartAt": "Odd?", "States": {**definition["States"]["Each"]["ItemProcessor"]["States"],
                                     "AlsoNo": {"Type": "Pass", "End": True}}}}
    assert "state:After" not in covered_goals(replayed_suite(with_success))  # item 1 always fails
