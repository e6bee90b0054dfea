"""AWS services that call a function and read its answer, part 1: API Gateway
authorizers and WebSockets, AppSync, Bedrock agents, Cognito, Connect, CloudWatch
dashboards and Transfer Family (the rows of ``adapters/aws/_integrations.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ._common import ACCOUNT, DEFAULT_TIME, REGION, as_text, epoch_ms, new_id

__all__ = [
    "apigw_authorizer", "apigw_websocket", "appsync", "appsync_authorizer", "appsync_batch",
    "appsync_events", "bedrock_agent", "cloudwatch_dashboard", "cognito_userpool", "connect",
    "connect_outbound_campaigns", "lex_v2", "transfer_family",
]

_API = "a1b2c3d4e5"


def apigw_authorizer(token: str = "allow", *, type: str = "TOKEN",
                     method_arn: str | None = None) -> dict[str, Any]:
    """An API Gateway Lambda authorizer request (``type``: ``TOKEN`` or ``REQUEST``)."""
    arn = method_arn or f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{_API}/prod/GET/"
    if type == "TOKEN":
        return {"type": "TOKEN", "authorizationToken": token, "methodArn": arn}
    return {"type": "REQUEST", "methodArn": arn, "resource": "/", "path": "/",
            "httpMethod": "GET", "headers": {"authorization": token},
            "requestContext": {"requestId": new_id(), "stage": "prod", "apiId": _API}}


def apigw_websocket(body: Any = '{"action": "send", "message": "hello"}', *,
                    route_key: str = "$default", event_type: str = "MESSAGE",
                    connection_id: str = "ZLe4gcyqIAMCF8w=", time: datetime = DEFAULT_TIME
                    ) -> dict[str, Any]:
    """An API Gateway WebSocket API message (``event_type`` ``CONNECT``,
    ``MESSAGE`` or ``DISCONNECT``)."""
    return {"requestContext": {
        "routeKey": route_key, "messageId": "ZLe4hdp8IAMCF8w=", "eventType": event_type,
        "extendedRequestId": "ZLe4hGa5IAMFc0A=", "requestTime": "01/May/2024:12:00:00 +0000",
        "messageDirection": "IN", "stage": "production", "connectedAt": epoch_ms(time),
        "requestTimeEpoch": epoch_ms(time), "identity": {"sourceIp": "203.0.113.10"},
        "requestId": new_id(), "domainName": f"{_API}.execute-api.{REGION}.amazonaws.com",
        "connectionId": connection_id, "apiId": _API},
        "body": as_text(body), "isBase64Encoded": False}


def appsync(arguments: Mapping[str, Any] | None = None, *, field: str = "getPost",
            parent_type: str = "Query") -> dict[str, Any]:
    """An AppSync direct Lambda resolver call (``arguments`` default ``{"id": "1"}``)."""
    return {"arguments": dict(arguments) if arguments is not None else {"id": "1"},
            "identity": None, "source": None, "request": {"headers": {}}, "prev": None,
            "info": {"fieldName": field, "parentTypeName": parent_type, "variables": {},
                     "selectionSetList": ["id"], "selectionSetGraphQL": "{ id }"},
            "stash": {}}


def appsync_batch(arguments: Mapping[str, Any] | None = None, *, field: str = "getPost",
                  parent_type: str = "Query", size: int = 2) -> list[dict[str, Any]]:
    """An AppSync batch resolver call (``BatchInvoke``): ``size`` resolver contexts."""
    return [appsync(arguments, field=field, parent_type=parent_type) for _ in range(size)]


def appsync_authorizer(token: str = "allow", *, operation: str = "GetPost") -> dict[str, Any]:
    """An AppSync Lambda authorizer request."""
    return {"authorizationToken": token,
            "requestContext": {"apiId": _API, "accountId": ACCOUNT, "requestId": new_id(),
                               "queryString": "query { getPost(id: \"1\") { id } }",
                               "operationName": operation, "variables": {}},
            "requestHeaders": {"authorization": token}}


def appsync_events(payload: Any = None, *, channel: str = "/default/messages",
                   operation: str = "PUBLISH") -> dict[str, Any]:
    """An AppSync Events API handler call with one published event."""
    namespace = channel.strip("/").split("/", 1)[0]
    return {"identity": None, "result": None, "request": {"headers": {}, "domainName": None},
            "info": {"channel": {"path": channel, "segments": channel.strip("/").split("/")},
                     "channelNamespace": {"name": namespace}, "operation": operation},
            "error": None, "prev": None, "stash": {}, "outErrors": [],
            "events": [{"payload": payload if payload is not None else {"message": "hello"},
                        "id": new_id()}]}


def bedrock_agent(api_path: str = "/orders", *, method: str = "GET",
                  action_group: str = "orders", input_text: str = "Show my orders"
                  ) -> dict[str, Any]:
    """A Bedrock agent action group call defined by an OpenAPI schema."""
    return {"messageVersion": "1.0",
            "agent": {"name": "polyfn-agent", "id": "AGENT12345", "alias": "TSTALIASID",
                      "version": "DRAFT"},
            "inputText": input_text, "sessionId": "123456789012345", "actionGroup": action_group,
            "apiPath": api_path, "httpMethod": method, "parameters": [],
            "sessionAttributes": {}, "promptSessionAttributes": {}}


def cognito_userpool(trigger_source: str = "PreSignUp_SignUp", *, user_name: str = "polyfn-user",
                     attributes: Mapping[str, str] | None = None) -> dict[str, Any]:
    """A Cognito user pool trigger (``trigger_source`` as Cognito names it)."""
    return {"version": "1", "region": REGION, "userPoolId": f"{REGION}_EXAMPLE",
            "userName": user_name,
            "callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown",
                              "clientId": "1example23456789"},
            "triggerSource": trigger_source,
            "request": {"userAttributes": dict(attributes or {"email": "user@example.com"})},
            "response": {}}


def connect(parameters: Mapping[str, str] | None = None, *,
            contact_id: str | None = None) -> dict[str, Any]:
    """An Amazon Connect contact flow invocation."""
    contact = contact_id or new_id()
    return {"Name": "ContactFlowEvent", "Details": {
        "ContactData": {
            "Attributes": {}, "Channel": "VOICE", "ContactId": contact,
            "CustomerEndpoint": {"Address": "+15555550100", "Type": "TELEPHONE_NUMBER"},
            "InitialContactId": contact, "InitiationMethod": "INBOUND",
            "InstanceARN": f"arn:aws:connect:{REGION}:{ACCOUNT}:instance/polyfn-instance",
            "PreviousContactId": contact, "Queue": None,
            "SystemEndpoint": {"Address": "+15555550199", "Type": "TELEPHONE_NUMBER"}},
        "Parameters": dict(parameters or {})}}


def connect_outbound_campaigns(items: int = 1, *, campaign_id: str = "polyfn-campaign"
                               ) -> dict[str, Any]:
    """An Amazon Connect outbound campaign custom action with ``items`` customers."""
    return {"InvocationMetadata": {"CampaignContext": {
                "CampaignId": campaign_id, "ActionId": "polyfn-action", "RunId": new_id()}},
            "Items": [{"ItemId": new_id(), "CustomerData": {"phoneNumber": "+15555550100"}}
                      for _ in range(items)]}


def cloudwatch_dashboard(dashboard: str = "polyfn", *, widget_id: str = "widget-1",
                         time: datetime = DEFAULT_TIME) -> dict[str, Any]:
    """A CloudWatch dashboard custom widget request."""
    end = epoch_ms(time)
    return {"widgetContext": {
        "dashboardName": dashboard, "widgetId": widget_id, "accountId": ACCOUNT,
        "locale": "en", "timezone": {"label": "UTC", "offsetISO": "+00:00",
                                     "offsetInMinutes": 0},
        "period": 300, "isAutoPeriod": True,
        "timeRange": {"mode": "relative", "start": end - 3_600_000, "end": end},
        "theme": "light", "linkCharts": True, "title": "polyfn widget", "forms": {"all": {}},
        "params": {}, "width": 600, "height": 400}}


def lex_v2(text: str = "Book a hotel in Seattle", *, intent: str = "BookHotel",
           source: str = "DialogCodeHook", slots: Mapping[str, str] | None = None,
           locale: str = "en_US") -> dict[str, Any]:
    """An Amazon Lex V2 code hook call, in the documented input format
    (https://docs.aws.amazon.com/lexv2/latest/dg/lambda-input-format.html):
    ``source`` is ``DialogCodeHook`` or ``FulfillmentCodeHook``, ``slots`` the
    intent's filled slots by name (scalar values)."""
    filled = {name: {"shape": "Scalar", "value": {"originalValue": value,
                                                  "interpretedValue": value,
                                                  "resolvedValues": [value]}}
              for name, value in (slots if slots is not None else {"City": "Seattle"}).items()}
    current = {"name": intent, "slots": filled, "state": "InProgress",
               "confirmationState": "None"}
    return {
        "messageVersion": "1.0", "invocationSource": source, "inputMode": "Text",
        "responseContentType": "text/plain; charset=utf-8", "sessionId": "123456789012345",
        "inputTranscript": text, "invocationLabel": "",
        "bot": {"id": "BOT1234567", "name": "polyfn-bot", "localeId": locale,
                "version": "DRAFT", "aliasId": "TSTALIASID", "aliasName": "TestBotAlias"},
        "interpretations": [{"interpretationSource": "Lex", "intent": current,
                             "nluConfidence": 0.92}],
        "proposedNextState": {"dialogAction": {"type": "ElicitSlot",
                                               "slotToElicit": "CheckInDate"},
                              "intent": current, "prompt": {"attempt": "Initial"}},
        "requestAttributes": {},
        "sessionState": {"activeContexts": [], "sessionAttributes": {}, "intent": current,
                         "originatingRequestId": new_id()},
        "transcriptions": [{"transcription": text, "transcriptionConfidence": 0.92,
                            "resolvedContext": {"intent": intent}, "resolvedSlots": {}}],
    }


def transfer_family(username: str = "polyfn-user", *, protocol: str = "SFTP",
                    source_ip: str = "203.0.113.10", server_id: str = "s-1234567890abcdef0"
                    ) -> dict[str, Any]:
    """A Transfer Family custom identity provider request."""
    return {"username": username, "password": "", "protocol": protocol,
            "serverId": server_id, "sourceIp": source_ip}
