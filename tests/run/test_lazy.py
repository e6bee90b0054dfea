"""``polyfn run`` loads a provider's libraries only when an address names it."""

from __future__ import annotations

from tests.support.imports import loaded_by, top_level

HEAVY = {"boto3", "botocore", "azure", "google", "grpc", "cloudevents", "pydantic"}


def test_the_cli_loads_no_provider_library_for_run() -> None:
    assert not top_level(loaded_by("import adapters.cli\nadapters.cli.build_parser()")) & HEAVY


def test_an_sqs_source_loads_boto3_and_no_other_cloud() -> None:
    code = ("import os\nos.environ['AWS_DEFAULT_REGION'] = 'us-east-1'\n"
            "from adapters._run import Options, open_source\n"
            "open_source('sqs://orders', Options())\n")
    loaded = top_level(loaded_by(code))
    assert "boto3" in loaded and not loaded & {"azure", "google", "grpc"}


def test_an_azure_source_loads_no_aws_or_google_library() -> None:
    code = ("import os\nos.environ['AzureWebJobsStorage'] = 'UseDevelopmentStorage=true'\n"
            "from adapters._run import Options, open_source\n"
            "open_source('azure-queue://orders', Options())\n")
    loaded = top_level(loaded_by(code))
    assert "azure" in loaded and not loaded & {"boto3", "botocore", "google", "grpc"}
