"""Every other AWS service that invokes a function and (often) reads its answer.

One :class:`~adapters.aws._spec.Spec` row per service: the top-level keys that
identify its payload (plus one cheap extra check where keys alone would overlap),
where the CloudEvents attributes come from, and the powertools data class behind
``event.native``. The handler gets one generic :class:`~sdk.Event` whose ``data``
is the payload itself (the very dict, so a Cognito handler can fill ``response``
and return it) or its meaningful part; its return value is the response,
unchanged. ``semantics`` says what the service does with it.

An AppSync batch resolver (a top-level JSON array) is :class:`AppSyncBatch`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from adapters._http import b64_body
from adapters._trigger import Trigger
from sdk import Context, Event, Function
from sdk.adapter import Payload

from ._spec import Integration, Raw, Spec, first, get, run_all, trigger

__all__ = ["INTEGRATIONS", "AppSyncBatch", "triggers"]

# -- predicates and extractors that keys alone cannot say ------------------------------

def _apigw_authorizer(raw: Raw) -> bool:
    return ("methodArn" in raw or "routeArn" in raw) and raw["type"] in ("TOKEN", "REQUEST")


def _apigw_authorizer_native(raw: Raw) -> str:
    module = "api_gateway_authorizer_event."
    if raw.get("type") == "TOKEN":
        return module + "APIGatewayAuthorizerTokenEvent"
    return module + ("APIGatewayAuthorizerEventV2" if "routeArn" in raw
                     else "APIGatewayAuthorizerRequestEvent")


def _websocket(raw: Raw) -> bool:
    # A WebSocket $connect *authorizer* request also has connectionId, and a methodArn.
    rc = raw["requestContext"]
    return isinstance(rc, dict) and "connectionId" in rc and "methodArn" not in raw


def _websocket_body(raw: Raw) -> Payload | None:
    body = raw.get("body")
    if not isinstance(body, str) or body == "":
        return None
    return b64_body(body) if raw.get("isBase64Encoded") else body


def _graphql_field(raw: Raw) -> str | None:
    """``Mutation.createSomething``: direct resolvers nest it in ``info``."""
    info = raw.get("info")
    where: Raw = info if isinstance(info, dict) else raw
    parent, field = where.get("parentTypeName") or where.get("typeName"), where.get("fieldName")
    return f"{parent}.{field}" if parent and field else field


def _s3_object_lambda_type(raw: Raw) -> str | None:
    # https://docs.aws.amazon.com/AmazonS3/latest/userguide/olap-event-context.html
    for key, operation in (("getObjectContext", "GetObject"), ("headObjectContext", "HeadObject"),
                           ("listObjectsContext", "ListObjects"),
                           ("listObjectsV2Context", "ListObjectsV2")):
        if key in raw:
            return operation
    return None


#: triggerSource prefix -> powertools class (cognito_user_pool_event module)
#: https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-identity-pools-working-with-aws-lambda-triggers.html
_COGNITO_CLASSES = {
    "PreSignUp": "PreSignUpTriggerEvent", "PostConfirmation": "PostConfirmationTriggerEvent",
    "UserMigration": "UserMigrationTriggerEvent", "CustomMessage": "CustomMessageTriggerEvent",
    "PreAuthentication": "PreAuthenticationTriggerEvent",
    "PostAuthentication": "PostAuthenticationTriggerEvent",
    "TokenGeneration": "PreTokenGenerationTriggerEvent",
    "DefineAuthChallenge": "DefineAuthChallengeTriggerEvent",
    "CreateAuthChallenge": "CreateAuthChallengeTriggerEvent",
    "VerifyAuthChallengeResponse": "VerifyAuthChallengeResponseTriggerEvent",
    "CustomEmailSender": "CustomEmailSenderTriggerEvent",
    "CustomSMSSender": "CustomSMSSenderTriggerEvent",
}


def _cognito_native(raw: Raw) -> str | None:
    prefix = str(raw.get("triggerSource")).partition("_")[0]
    name = _COGNITO_CLASSES.get(prefix)
    # Pre token generation V2 requests carry the scopes V1 ones lack.
    if name == "PreTokenGenerationTriggerEvent" and "scopes" in (get(raw, ("request",)) or {}):
        name = "PreTokenGenerationV2TriggerEvent"
    return f"cognito_user_pool_event.{name}" if name else None


def _ses(raw: Raw) -> bool:
    # SES sends exactly one record; more would be a batch this trigger would drop.
    records = raw["Records"]
    return (isinstance(records, list) and len(records) == 1 and isinstance(records[0], dict)
            and records[0].get("eventSource") == "aws:ses")


_RC = "requestContext"
_CONTACT = ("Details", "ContactData")
_CAMPAIGN = ("InvocationMetadata", "CampaignContext")

# https://docs.aws.amazon.com/appsync/latest/devguide/resolver-context-reference-js.html
_APPSYNC_RESOLVER = Spec(
    "aws.appsync", ("arguments",), lambda raw: "info" in raw or "fieldName" in raw,
    type=_graphql_field, data=("arguments",), native="AppSyncResolverEvent",
    semantics="data is the field's arguments; return the field's value.")

#: One row per service, by trigger name (= sample folder with "-" -> ".").
INTEGRATIONS: tuple[Spec, ...] = (
    # https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-input.html
    Spec("aws.apigw.authorizer", ("type",), _apigw_authorizer,
         id=(_RC, "requestId"), source=first(("methodArn",), ("routeArn",)), type=("type",),
         subject=first(("routeKey",), ("path",), (_RC, "routeKey")),
         time=first((_RC, "requestTimeEpoch"), (_RC, "timeEpoch")),
         native=_apigw_authorizer_native,
         semantics="Return the IAM policy document (or the HTTP API simple response)."),
    # https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-integration-requests.html
    Spec("aws.apigw.websocket", (_RC,), _websocket,
         id=(_RC, "requestId"), source=(_RC, "domainName"), type=(_RC, "eventType"),
         subject=(_RC, "routeKey"), time=(_RC, "requestTimeEpoch"),
         data=("body",), payload=_websocket_body,
         attributes=(("connection_id", (_RC, "connectionId")), ("stage", (_RC, "stage"))),
         native="APIGatewayWebSocketEvent",
         semantics="data is the message body; return {'statusCode': ...} (and a body)."),
    _APPSYNC_RESOLVER,
    # https://docs.aws.amazon.com/appsync/latest/devguide/security-authz.html#aws-lambda-authorization
    Spec("aws.appsync.authorizer", ("authorizationToken", _RC),
         lambda raw: "methodArn" not in raw and "routeArn" not in raw,
         id=(_RC, "requestId"), source=(_RC, "apiId"), subject=(_RC, "operationName"),
         native="appsync_authorizer_event.AppSyncAuthorizerEvent",
         semantics="Return {'isAuthorized': bool, ...}."),
    # https://docs.aws.amazon.com/appsync/latest/eventapi/writing-event-handlers.html
    Spec("aws.appsync.events", ("info",),
         lambda raw: isinstance(raw["info"], dict) and "channelNamespace" in raw["info"],
         source=("info", "channelNamespace", "name"), type=("info", "operation"),
         subject=("info", "channel", "path"), native="AppSyncResolverEventsEvent",
         semantics="PUBLISH: return {'events': [{'id', 'payload'}, ...]}, the events to "
                   "broadcast, or {'error': ...}; SUBSCRIBE: None allows it, {'error': ...} "
                   "refuses it. Invoked in event (asynchronous) mode, the return is ignored."),
    # https://docs.aws.amazon.com/bedrock/latest/userguide/agents-lambda.html
    Spec("aws.bedrock.agent", ("messageVersion", "agent", "actionGroup"),
         source=("agent", "id"), type=("actionGroup",),
         subject=first(("apiPath",), ("function",)),
         attributes=(("http_method", ("httpMethod",)), ("session_id", ("sessionId",))),
         native=lambda raw: "BedrockAgentEvent" if "apiPath" in raw
         else "BedrockAgentFunctionEvent",
         semantics="Return {'messageVersion': '1.0', 'response': {...}}: the actionGroup with "
                   "apiPath, httpMethod, httpStatusCode and responseBody (API schema), or with "
                   "function and functionResponse (function details)."),
    # https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-requests.html
    Spec("aws.cloudformation.custom.resource", ("RequestType", "ResponseURL", "StackId"),
         id=("RequestId",), source=("StackId",), type=("RequestType",),
         subject=("LogicalResourceId",),
         attributes=(("resource_type", ("ResourceType",)),
                     ("physical_resource_id", ("PhysicalResourceId",))),
         native="CloudFormationCustomResourceEvent",
         semantics="The return value is ignored: PUT the result to ResponseURL."),
    # https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-actions-Lambda.html
    Spec("aws.cloudwatch.alarm", ("alarmArn", "alarmData"),
         source=("source",), type=("alarmData", "state", "value"),
         subject=("alarmData", "alarmName"), time=("time",), data=("alarmData",),
         attributes=(("alarm_arn", ("alarmArn",)), ("account", ("accountId",)),
                     ("region", ("region",))),
         native="CloudWatchAlarmEvent", semantics="Asynchronous: the return value is ignored."),
    # https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/add_custom_widget_dashboard_about.html
    Spec("aws.cloudwatch.dashboard", ("widgetContext",),
         source=("widgetContext", "dashboardName"), subject=("widgetContext", "widgetId"),
         native="CloudWatchDashboardCustomWidgetEvent",
         semantics="Return the widget's HTML or markdown."),
    # https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-hooks.html
    Spec("aws.codedeploy", ("DeploymentId", "LifecycleEventHookExecutionId"),
         id=("LifecycleEventHookExecutionId",), subject=("DeploymentId",),
         native="CodeDeployLifecycleHookEvent",
         semantics="Report with PutLifecycleEventHookExecutionStatus; the return is ignored."),
    # https://docs.aws.amazon.com/codepipeline/latest/userguide/actions-invoke-lambda-function.html
    Spec("aws.codepipeline", ("CodePipeline.job",),
         id=("CodePipeline.job", "id"), data=("CodePipeline.job",),
         attributes=(("account", ("CodePipeline.job", "accountId")),),
         native="CodePipelineJobEvent",
         semantics="Report with PutJobSuccessResult/PutJobFailureResult; the return is ignored."),
    Spec("aws.cognito.userpool", ("triggerSource", "userPoolId"),
         source=("userPoolId",), type=("triggerSource",), subject=("userName",),
         attributes=(("region", ("region",)), ("client_id", ("callerContext", "clientId"))),
         native=_cognito_native,
         semantics="Return the event (event.raw) with its 'response' filled in."),
    # https://docs.aws.amazon.com/config/latest/developerguide/evaluate-config_develop-rules_lambda-functions.html
    Spec("aws.config.rule", ("configRuleArn", "invokingEvent"),
         source=("configRuleArn",), subject=("configRuleName",),
         attributes=(("account", ("accountId",)),), native="AWSConfigRuleEvent",
         semantics="Report with PutEvaluations (resultToken); the return is ignored."),
    # https://docs.aws.amazon.com/connect/latest/adminguide/connect-lambda-functions.html
    Spec("aws.connect", ("Name", "Details"), lambda raw: raw["Name"] == "ContactFlowEvent",
         id=(*_CONTACT, "ContactId"), source=(*_CONTACT, "InstanceARN"), type=("Name",),
         data=("Details",), native="ConnectContactFlowEvent",
         semantics="Return a flat map of string values."),
    Spec("aws.connect.outbound.campaigns", ("InvocationMetadata", "Items"),
         source=(*_CAMPAIGN, "CampaignId"), subject=(*_CAMPAIGN, "ActionId"),
         attributes=(("run_id", (*_CAMPAIGN, "RunId")),),
         semantics="Return {'Items': {'CustomerProfiles': [...]}} with a result for every "
                   "profile of the batch."),
    # https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-invoke-lambda.html
    Spec("aws.s3.batch", ("invocationSchemaVersion", "invocationId", "tasks"),
         id=("invocationId",), source=("job", "id"), subject=("tasks", 0, "s3Key"),
         native="S3BatchOperationEvent",
         semantics="Return {invocationSchemaVersion, treatMissingKeysAs, invocationId, results}."),
    Spec("aws.s3.object.lambda", ("xAmzRequestId", "configuration", "userRequest"),
         id=("xAmzRequestId",), source=("configuration", "accessPointArn"),
         type=_s3_object_lambda_type, subject=("userRequest", "url"),
         native="s3_object_event.S3ObjectLambdaEvent",
         semantics=("GetObject: answer with WriteGetObjectResponse (the return value is "
                    "informational); HeadObject/ListObjects: the return value is the response.")),
    # https://docs.aws.amazon.com/lexv2/latest/dg/lambda-input-format.html (code hooks: the
    # response is https://docs.aws.amazon.com/lexv2/latest/dg/lambda-response-format.html)
    Spec("aws.lex.v2", ("messageVersion", "invocationSource", "sessionId", "bot", "sessionState"),
         id=("sessionState", "originatingRequestId"), source=("bot", "id"),
         type=("invocationSource",), subject=("sessionState", "intent", "name"),
         attributes=(("session_id", ("sessionId",)), ("input_mode", ("inputMode",)),
                     ("locale_id", ("bot", "localeId")), ("bot_alias_id", ("bot", "aliasId"))),
         semantics="Return {'sessionState': {'dialogAction': {'type': 'Close'|'Delegate'|"
                   "'ElicitSlot'|...}, 'intent': {...}}, 'messages': [...]}: the bot's next "
                   "step; an exception fails the turn."),
    # https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_lambda-functions.html
    Spec("aws.secrets.manager.rotation", ("SecretId", "ClientRequestToken", "Step"),
         id=("ClientRequestToken",), source=("SecretId",), type=("Step",),
         native="SecretsManagerEvent", semantics="The return value is ignored; raise to fail."),
    # https://docs.aws.amazon.com/ses/latest/dg/receiving-email-action-lambda-event.html
    Spec("aws.ses", ("Records",), _ses,
         id=("Records", 0, "ses", "mail", "messageId"), source=("Records", 0, "eventSource"),
         time=("Records", 0, "ses", "mail", "timestamp"), data=("Records", 0, "ses"),
         native="SESEvent",
         semantics="RequestResponse rules read {'disposition': 'CONTINUE'|'STOP_RULE'|...}."),
    # https://docs.aws.amazon.com/transfer/latest/userguide/custom-lambda-idp.html
    Spec("aws.transfer.family", ("serverId", "username", "protocol", "sourceIp"),
         source=("serverId",), subject=("username",),
         attributes=(("protocol", ("protocol",)),), native="TransferFamilyAuthorizer",
         semantics="Return the user's Role, HomeDirectory...; an empty answer denies."),
)

def triggers() -> tuple[Integration, ...]:
    """One trigger per row, in table order."""
    return tuple(trigger(spec) for spec in INTEGRATIONS)


class AppSyncBatch(Trigger):
    """AppSync batch invocation (``BatchInvoke``): a JSON array of resolver contexts
    (https://docs.aws.amazon.com/appsync/latest/devguide/resolver-reference-lambda-js.html).

    The handler runs once per item, or once with all of them for ``list[Event]``,
    and the answer is the list of results in item order, as AppSync requires. Any
    failure fails the whole batch; to answer one field with an error instead,
    return ``{"data": None, "errorMessage": ..., "errorType": ...}`` for it.
    """

    name = "aws.appsync.batch"
    semantics = "Returns the list of per-item results, in item order."
    _item = trigger(replace(_APPSYNC_RESOLVER, name=name))

    def matches(self, raw: Any) -> bool:
        return (isinstance(raw, list) and len(raw) > 0 and isinstance(raw[0], dict)
                and "arguments" in raw[0] and "info" in raw[0])

    def decode(self, raw: Any, context: Context | None = None) -> list[Event[Any]]:
        return [self._item.decode(item, context)[0] for item in raw]

    def invoke(self, fn: Function[Any], raw: Any, context: Context, **options: Any) -> Any:
        return run_all(fn, self.decoded(raw, context), context, self.name)
