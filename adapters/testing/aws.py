"""AWS Lambda payloads for tests: one factory per trigger, shaped as the service sends it.

::

    from adapters.aws import lambda_handler
    from sdk import testing
    from adapters.testing import aws

    handler = lambda_handler(handle)
    event = testing.batch(aws.sqs({"id": 1}), aws.sqs({"id": 2}))
    assert handler(event, testing.lambda_context()) == {"batchItemFailures": []}

Every factory takes the main fields as keywords and fills the rest with fixed,
realistic values (ids are fresh UUIDs). ``polyfn samples aws`` prints the same
payloads.
"""

from __future__ import annotations

from ._factories.aws_apis import (
    apigw_authorizer,
    apigw_websocket,
    appsync,
    appsync_authorizer,
    appsync_batch,
    appsync_events,
    bedrock_agent,
    cloudwatch_dashboard,
    cognito_userpool,
    connect,
    connect_outbound_campaigns,
    lex_v2,
    transfer_family,
)
from ._factories.aws_events import cloudwatch_logs, eventbridge, s3_eventbridge, scheduled
from ._factories.aws_http import alb, apigw_v1, apigw_v2, function_url, vpc_lattice
from ._factories.aws_messages import (
    dynamodb_stream,
    kafka,
    kinesis,
    kinesis_firehose,
    mq,
    s3,
    sns,
    sqs,
)
from ._factories.aws_ops import (
    cloudformation_custom_resource,
    cloudwatch_alarm,
    codedeploy,
    codepipeline,
    config_rule,
    s3_batch,
    s3_object_lambda,
    secrets_manager_rotation,
    ses,
)
from ._registry import Sample

__all__ = [
    "SAMPLES", "alb", "apigw_authorizer", "apigw_v1", "apigw_v2", "apigw_websocket", "appsync",
    "appsync_authorizer", "appsync_batch", "appsync_events", "bedrock_agent",
    "cloudformation_custom_resource", "cloudwatch_alarm", "cloudwatch_dashboard",
    "cloudwatch_logs", "codedeploy", "codepipeline", "cognito_userpool", "config_rule",
    "connect", "connect_outbound_campaigns", "dynamodb_stream", "eventbridge", "function_url",
    "kafka", "kinesis", "kinesis_firehose", "lex_v2", "mq", "s3", "s3_batch", "s3_eventbridge",
    "s3_object_lambda", "scheduled", "secrets_manager_rotation", "ses", "sns", "sqs",
    "transfer_family", "vpc_lattice",
]

#: Every AWS sample: name, factory, kind, summary (and where names differ, the trigger).
SAMPLES: tuple[Sample, ...] = (
    Sample("aws.apigw.v2", apigw_v2, "http", "API Gateway HTTP API request (payload 2.0)"),
    Sample("aws.function.url", function_url, "http", "Lambda function URL request"),
    Sample("aws.apigw.v1", apigw_v1, "http", "API Gateway REST API request (payload 1.0)"),
    Sample("aws.alb", alb, "http", "Application Load Balancer request"),
    Sample("aws.vpc.lattice", vpc_lattice, "http", "VPC Lattice request (format 2.0)"),
    Sample("aws.sqs", sqs, "message", "SQS message (standard, or FIFO with group_id)"),
    Sample("aws.sns", sns, "message", "SNS notification"),
    Sample("aws.kinesis", kinesis, "message", "Kinesis Data Streams record"),
    Sample("aws.dynamodb.stream", dynamodb_stream, "change", "DynamoDB Streams record"),
    Sample("aws.s3", s3, "storage", "S3 event notification"),
    Sample("aws.kafka", kafka, "message", "MSK / self-managed Kafka record"),
    Sample("aws.mq", mq, "message", "Amazon MQ message (ActiveMQ or RabbitMQ)"),
    Sample("aws.s3.eventbridge", s3_eventbridge, "storage", "S3 object event via EventBridge"),
    Sample("aws.scheduled", scheduled, "schedule", "EventBridge scheduled rule"),
    Sample("aws.eventbridge", eventbridge, "event", "EventBridge custom event"),
    Sample("aws.cloudwatch.logs", cloudwatch_logs, "event", "CloudWatch Logs subscription"),
    Sample("aws.kinesis.firehose", kinesis_firehose, "event", "Firehose transformation record"),
    Sample("aws.appsync", appsync, "event", "AppSync direct Lambda resolver"),
    Sample("aws.appsync.batch", appsync_batch, "event", "AppSync batch resolver (BatchInvoke)"),
    Sample("aws.appsync.authorizer", appsync_authorizer, "event", "AppSync Lambda authorizer"),
    Sample("aws.appsync.events", appsync_events, "event", "AppSync Events API handler"),
    Sample("aws.apigw.authorizer", apigw_authorizer, "event", "API Gateway Lambda authorizer"),
    Sample("aws.apigw.websocket", apigw_websocket, "event", "API Gateway WebSocket message"),
    Sample("aws.bedrock.agent", bedrock_agent, "event", "Bedrock agent action group"),
    Sample("aws.cloudformation.custom.resource", cloudformation_custom_resource, "event",
           "CloudFormation custom resource"),
    Sample("aws.cloudwatch.alarm", cloudwatch_alarm, "event", "CloudWatch alarm action"),
    Sample("aws.cloudwatch.dashboard", cloudwatch_dashboard, "event",
           "CloudWatch dashboard custom widget"),
    Sample("aws.codedeploy", codedeploy, "event", "CodeDeploy lifecycle hook"),
    Sample("aws.codepipeline", codepipeline, "event", "CodePipeline invoke action"),
    Sample("aws.cognito.userpool", cognito_userpool, "event", "Cognito user pool trigger"),
    Sample("aws.config.rule", config_rule, "event", "AWS Config custom rule"),
    Sample("aws.connect", connect, "event", "Amazon Connect contact flow"),
    Sample("aws.connect.outbound.campaigns", connect_outbound_campaigns, "event",
           "Connect outbound campaign action"),
    Sample("aws.s3.batch", s3_batch, "event", "S3 Batch Operations task"),
    Sample("aws.s3.object.lambda", s3_object_lambda, "event", "S3 Object Lambda request"),
    Sample("aws.secrets.manager.rotation", secrets_manager_rotation, "event",
           "Secrets Manager rotation step"),
    Sample("aws.ses", ses, "event", "SES receipt rule"),
    Sample("aws.lex.v2", lex_v2, "event", "Amazon Lex V2 bot code hook"),
    Sample("aws.transfer.family", transfer_family, "event", "Transfer Family identity provider"),
)
