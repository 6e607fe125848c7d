"""The idempotency table (analyzer/data/idempotency.json) is well-formed and says what the ASL notes say."""

from __future__ import annotations

import re

import pytest

from analyzer.rules.asl401_express_non_idempotent_task import integration_key, lookup, table

CLASSES = {"read-only", "idempotent", "not-idempotent", "conditional"}
CONDITIONS = {"present", "absent", "literal_matches", "literal_not_matches", "literal_in"}


def test_every_entry_is_complete():
    integrations = table()["integrations"]
    for key, entry in integrations.items():
        if "same_as" in entry:
            assert entry["same_as"] in integrations and "same_as" not in integrations[entry["same_as"]], key
            continue
        assert entry["class"] in CLASSES, key
        assert entry["reason"].strip(), key
        if entry["class"] in ("not-idempotent", "conditional"):
            assert entry.get("fix"), key
        if entry["class"] == "conditional":
            assert entry["safe_when"] and entry["unsafe"], key
            for alt in entry["safe_when"]:
                assert alt["why"], key
                for cond in alt["all"]:
                    (kind,) = set(cond) - {"when_failed"}
                    assert kind in CONDITIONS, (key, kind)
                    if kind in ("literal_matches", "literal_not_matches"):
                        re.compile(cond[kind][1])
    for source in table()["taint_sources"]:
        re.compile(source["pattern"])


@pytest.mark.parametrize("resource,key", [
    ("arn:aws:lambda:eu-west-1:123456789012:function:charge:live", "lambda:function"),
    ("arn:aws-cn:states:::lambda:invoke", "lambda:invoke"),
    ("arn:aws:states:::states:startExecution.sync:2", "states:startExecution"),
    ("arn:aws:states:::aws-sdk:dynamodb:transactWriteItems", "aws-sdk:dynamodb:transactWriteItems"),
    ("${ChargeFunctionArn}", "lambda:function"),
    ("arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:charge", "lambda:function"),
    ("arn:${AWS::Partition}:states:::sns:publish", "sns:publish"),
    ("${QueueUrl}", None),
    ("arn:aws:states:us-east-1:1:activity:a", None),
    (42, None),
])
def test_resource_forms(resource, key):
    assert integration_key(resource)[0] == key


@pytest.mark.parametrize("key,cls", [
    # classes given by the semantics notes, section 7
    ("dynamodb:getItem", "read-only"),
    ("aws-sdk:dynamodb:query", "read-only"),
    ("aws-sdk:s3:listBuckets", "read-only"),
    ("aws-sdk:ec2:describeInstances", "read-only"),
    ("dynamodb:deleteItem", "idempotent"),
    ("aws-sdk:s3:deleteObject", "idempotent"),
    ("events:putEvents", "not-idempotent"),
    ("batch:submitJob", "not-idempotent"),
    ("glue:startJobRun", "not-idempotent"),
    ("aws-sdk:kinesis:putRecord", "not-idempotent"),
    ("aws-sdk:sesv2:sendEmail", "not-idempotent"),
    ("aws-sdk:sqs:sendMessage", "conditional"),
    ("ecs:runTask", "conditional"),
    ("http:invoke", "conditional"),
    # by verb
    ("aws-sdk:iam:createRole", "not-idempotent"),
    ("aws-sdk:sfn:startSyncExecution", "not-idempotent"),
    ("aws-sdk:ssm:getParameter", "read-only"),
    ("aws-sdk:lambda:updateFunctionConfiguration", "idempotent"),
])
def test_classes(key, cls):
    assert lookup(key)["class"] == cls


def test_unknown_verb_is_not_judged():
    assert lookup("aws-sdk:foo:frobnicate") is None
