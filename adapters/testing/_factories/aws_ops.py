"""AWS services that call a function and read its answer, part 2: CloudFormation,
CloudWatch alarms, CodeDeploy, CodePipeline, Config, S3 Batch Operations and
Object Lambda, Secrets Manager rotation and SES (the rows of
``adapters/aws/_integrations.py``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ._common import ACCOUNT, DEFAULT_TIME, REGION, iso, new_id

__all__ = [
    "cloudformation_custom_resource", "cloudwatch_alarm", "codedeploy", "codepipeline",
    "config_rule", "s3_batch", "s3_object_lambda", "secrets_manager_rotation", "ses",
]

_FUNCTION = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:polyfn"
_STACK = f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack/polyfn-stack/{'0' * 8}"


def cloudformation_custom_resource(request_type: str = "Create", *,
                                   resource_type: str = "Custom::Polyfn",
                                   properties: Mapping[str, Any] | None = None
                                   ) -> dict[str, Any]:
    """A CloudFormation custom resource request (``Create``, ``Update``, ``Delete``)."""
    token = _FUNCTION
    event: dict[str, Any] = {
        "RequestType": request_type, "ServiceToken": token,
        "ResponseURL": "https://cloudformation-custom-resource-response.s3.amazonaws.com/x",
        "StackId": _STACK, "RequestId": new_id(), "LogicalResourceId": "PolyfnResource",
        "ResourceType": resource_type,
        "ResourceProperties": {"ServiceToken": token, **(properties or {})},
    }
    if request_type != "Create":
        event["PhysicalResourceId"] = "polyfn-resource-1"
    return event


def cloudwatch_alarm(alarm_name: str = "polyfn-alarm", *, state: str = "ALARM",
                     reason: str = "Threshold Crossed", time: datetime = DEFAULT_TIME
                     ) -> dict[str, Any]:
    """A CloudWatch alarm state change sent to a Lambda action."""
    previous = "OK" if state != "OK" else "ALARM"
    return {"source": "aws.cloudwatch",
            "alarmArn": f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:{alarm_name}",
            "accountId": ACCOUNT, "time": iso(time), "region": REGION,
            "alarmData": {"alarmName": alarm_name,
                          "state": {"value": state, "reason": reason, "timestamp": iso(time)},
                          "previousState": {"value": previous, "reason": "",
                                            "timestamp": iso(time)},
                          "configuration": {"description": "polyfn sample alarm",
                                            "metrics": []}}}


def codedeploy(deployment_id: str = "d-POLYFN123") -> dict[str, Any]:
    """A CodeDeploy lifecycle hook invocation."""
    return {"DeploymentId": deployment_id, "LifecycleEventHookExecutionId": new_id()}


def codepipeline(user_parameters: str = "", *, job_id: str | None = None) -> dict[str, Any]:
    """A CodePipeline Lambda invoke action job."""
    return {"CodePipeline.job": {
        "id": job_id or new_id(), "accountId": ACCOUNT,
        "data": {"actionConfiguration": {"configuration": {
                    "FunctionName": "polyfn", "UserParameters": user_parameters}},
                 "inputArtifacts": [], "outputArtifacts": [],
                 "artifactCredentials": {"accessKeyId": "AKIAIOSFODNN7EXAMPLE",
                                         "secretAccessKey": "EXAMPLE", "sessionToken": "EXAMPLE"}}}}


def config_rule(rule_name: str = "polyfn-rule", *, resource_type: str = "AWS::EC2::Instance",
                resource_id: str = "i-0123456789abcdef0", time: datetime = DEFAULT_TIME
                ) -> dict[str, Any]:
    """An AWS Config custom rule evaluation (configuration change)."""
    invoking = {"configurationItem": {"resourceType": resource_type, "resourceId": resource_id,
                                      "configurationItemCaptureTime": iso(time),
                                      "configurationItemStatus": "OK", "configuration": {}},
                "messageType": "ConfigurationItemChangeNotification"}
    return {"version": "1.0", "invokingEvent": json.dumps(invoking), "ruleParameters": "{}",
            "resultToken": "polyfn-result-token", "eventLeftScope": False,
            "executionRoleArn": f"arn:aws:iam::{ACCOUNT}:role/polyfn-config-role",
            "configRuleArn": f"arn:aws:config:{REGION}:{ACCOUNT}:config-rule/config-rule-0",
            "configRuleName": rule_name, "configRuleId": "config-rule-0", "accountId": ACCOUNT}


def s3_batch(key: str = "uploads/hello.txt", *, bucket: str = "polyfn-bucket") -> dict[str, Any]:
    """An S3 Batch Operations task (schema 1.0)."""
    return {"invocationSchemaVersion": "1.0", "invocationId": new_id(),
            "job": {"id": new_id()},
            "tasks": [{"taskId": new_id(), "s3Key": key, "s3VersionId": None,
                       "s3BucketArn": f"arn:aws:s3:::{bucket}"}]}


#: Object Lambda operation -> the context key S3 sends
_OBJECT_CONTEXTS = {"GetObject": "getObjectContext", "HeadObject": "headObjectContext",
                    "ListObjects": "listObjectsContext", "ListObjectsV2": "listObjectsV2Context"}


def s3_object_lambda(url: str = "https://polyfn-ap.s3-object-lambda.us-east-1.amazonaws.com/hello.txt",
                     *, operation: str = "GetObject") -> dict[str, Any]:
    """An S3 Object Lambda request (``operation`` GetObject, HeadObject, ListObjects...)."""
    if operation not in _OBJECT_CONTEXTS:
        raise ValueError(f"operation must be one of {', '.join(_OBJECT_CONTEXTS)}, "
                         f"not {operation!r}")
    context = {"inputS3Url": "https://polyfn-ap.s3-accesspoint.us-east-1.amazonaws.com/hello.txt"}
    if operation == "GetObject":
        context.update(outputRoute="io-polyfn", outputToken="polyfn-token")
    return {"xAmzRequestId": new_id(), _OBJECT_CONTEXTS[operation]: context,
            "configuration": {
                "accessPointArn": f"arn:aws:s3-object-lambda:{REGION}:{ACCOUNT}:accesspoint/polyfn",
                "supportingAccessPointArn": f"arn:aws:s3:{REGION}:{ACCOUNT}:accesspoint/polyfn-ap",
                "payload": ""},
            "userRequest": {"url": url, "headers": {"Host": url.split("/")[2]}},
            "userIdentity": {"type": "IAMUser", "principalId": "AIDAEXAMPLE",
                             "arn": f"arn:aws:iam::{ACCOUNT}:user/polyfn", "accountId": ACCOUNT},
            "protocolVersion": "1.00"}


def secrets_manager_rotation(step: str = "createSecret", *, secret: str = "polyfn-secret"
                             ) -> dict[str, Any]:
    """A Secrets Manager rotation step (createSecret, setSecret, testSecret, finishSecret)."""
    return {"SecretId": f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:{secret}-AbCdEf",
            "ClientRequestToken": new_id(), "Step": step}


def ses(subject: str = "Hello", *, sender: str = "sender@example.com",
        recipient: str = "inbox@example.com", time: datetime = DEFAULT_TIME) -> dict[str, Any]:
    """An SES receipt rule invoking a function for one received email."""
    message_id = new_id()
    verdict = {"status": "PASS"}
    return {"Records": [{"eventSource": "aws:ses", "eventVersion": "1.0", "ses": {
        "mail": {"timestamp": iso(time), "source": sender, "messageId": message_id,
                 "destination": [recipient], "headersTruncated": False,
                 "headers": [{"name": "From", "value": sender},
                             {"name": "To", "value": recipient},
                             {"name": "Subject", "value": subject}],
                 "commonHeaders": {"from": [sender], "to": [recipient], "subject": subject,
                                   "messageId": f"<{message_id}@example.com>"}},
        "receipt": {"timestamp": iso(time), "processingTimeMillis": 100,
                    "recipients": [recipient], "spamVerdict": verdict, "virusVerdict": verdict,
                    "spfVerdict": verdict, "dkimVerdict": verdict, "dmarcVerdict": verdict,
                    "action": {"type": "Lambda", "invocationType": "Event",
                               "functionArn": _FUNCTION}}}}]}
