"""Every example folder (``examples/*/`` with a ``handler.py``) can be deployed as it is.

Its deploy files agree with its code: the SAM template passes cfn-lint and names the
Lambda entry point the stage step ships; each cloud's deploy folder, staged into a
temporary directory, imports on its own (a subprocess whose ``examples`` package is the
staged one) and exposes what the platform looks for: the Lambda handler, the
functions-framework target with its signature type, the Azure functions as the Python
worker's own loader indexes them; the README's commands name those same things.

A new example folder fails :func:`test_every_example_is_listed` until its expected
triggers are written down in ``EXPECTED``: nothing is covered by accident.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cfnlint.api import lint_all
from cfnlint.decode import decode_str

import sdk
from tests.support.samples import PROJECT_ROOT

EXAMPLES_DIR = PROJECT_ROOT / "examples"
EXAMPLES = sorted(p.parent.name for p in EXAMPLES_DIR.glob("*/handler.py"))
CLOUDS = ("aws", "gcp", "azure")
FILES = ("__init__.py", "handler.py", "aws.py", "main.py", "function_app.py", "host.json",
         "template.yaml", "README.md",
         *(f"requirements-{cloud}.txt" for cloud in CLOUDS))


@dataclass(frozen=True)
class Expected:
    #: the extra of polyfn that requirements-aws.txt installs ("" for the bare core)
    aws_extra: str
    #: functions-framework target -> signature type
    gcp: dict[str, str]
    #: Azure function name -> its trigger binding (the keys given) as function.json holds it
    azure: dict[str, dict[str, Any]]
    #: what every cloud's requirements add after polyfn (the web framework of an app)
    requires: tuple[str, ...] = ()


EXPECTED = {
    "quickstart": Expected("pydantic", {"http": "http"}, {"hello": {
        "type": "httpTrigger", "name": "req", "route": "hello", "methods": ["GET", "POST"],
        "authLevel": "ANONYMOUS"}}),
    "orders": Expected("pydantic", {"orders": "cloudevent"}, {"orders": {
        "type": "serviceBusTrigger", "name": "msg", "queueName": "orders",
        "connection": "ServiceBusConnection"}}),
    "uploads": Expected("", {"uploads": "cloudevent"}, {"uploads": {
        "type": "eventGridTrigger", "name": "event"}}),
    "nightly": Expected("", {"nightly": "http"}, {"nightly": {
        "type": "timerTrigger", "name": "timer", "schedule": "0 0 2 * * *"}}),
    # FastAPI loads pydantic itself: the AWS extra says so.
    "webapp": Expected("pydantic", {"http": "http"}, {"webapp": {
        "type": "httpTrigger", "name": "req", "route": "{*path}",
        "methods": ["DELETE", "GET", "PATCH", "POST", "PUT"], "authLevel": "ANONYMOUS"}},
        requires=("fastapi>=0.110,<1",)),
}

#: Event sources whose partial batch response Lambda reads only with ReportBatchItemFailures.
BATCH_EVENTS = {"SQS", "Kinesis", "DynamoDB", "MSK", "SelfManagedKafka"}

# What a staged deploy folder exposes, printed as JSON by a fresh interpreter whose
# working directory (first on sys.path) is that folder.
PROBE = r"""
import importlib, json, os, sys, types
cloud, arg = sys.argv[1], sys.argv[2]
out = {}
if cloud == "aws":
    module, _, attr = arg.rpartition(".")
    mod = importlib.import_module(module)
    out["handler"] = callable(getattr(mod, attr, None))
    out["file"] = os.path.realpath(mod.__file__)
    out["pydantic"] = "pydantic" in sys.modules
elif cloud == "gcp":
    from functions_framework import _function_registry as registry
    source = os.path.realpath("main.py")
    mod, spec = registry.load_function_module(source)
    spec.loader.exec_module(mod)
    out["targets"] = {name: registry.REGISTRY_MAP[name] for name, fn in vars(mod).items()
                      if isinstance(fn, types.FunctionType) and name in registry.REGISTRY_MAP
                      and registry.get_user_function(source, mod, name) is fn}
    out["file"] = os.path.realpath(sys.modules["examples"].__file__)
else:
    try:  # the Python worker's own loader (azure-functions-runtime), when installed
        from azure_functions_runtime.loader import index_function_app
        functions = index_function_app(os.path.realpath("function_app.py"))
        out["loader"] = "azure_functions_runtime"
    except ImportError:
        functions = importlib.import_module("function_app").app.get_functions()
        out["loader"] = "azure.functions"
    out["functions"] = {f.get_function_name(): json.loads(f.get_function_json())["bindings"]
                        for f in functions}
    out["file"] = os.path.realpath(sys.modules["examples"].__file__)
print(json.dumps(out))
"""


def stage(name: str, cloud: str, out: Path) -> Path:
    """``python -m examples._stage NAME CLOUD --out OUT --no-wheel``, in process."""
    from examples._stage import stage as stage_example

    return stage_example(EXAMPLES_DIR / name, cloud, out, wheel=False)


def template(name: str) -> dict[str, Any]:
    doc, problems = decode_str((EXAMPLES_DIR / name / "template.yaml").read_text())
    assert not problems and isinstance(doc, dict)
    return dict(doc)


def function_properties(name: str) -> dict[str, Any]:
    (function,) = [r["Properties"] for r in template(name)["Resources"].values()
                   if r["Type"] == "AWS::Serverless::Function"]
    return dict(function)


#: (example, cloud) -> (its staged deploy folder, what the folder exposes or its import error)
Probes = dict[tuple[str, str], tuple[Path, Any]]


@pytest.fixture(scope="module")
def probes(tmp_path_factory: pytest.TempPathFactory) -> Probes:
    """Every example staged for every cloud (no wheel), probed in parallel."""
    root = tmp_path_factory.mktemp("staged")
    running = {}
    for name in EXAMPLES:
        for cloud in CLOUDS:
            out = stage(name, cloud, root / f"{name}-{cloud}")
            arg = function_properties(name)["Handler"] if cloud == "aws" else "-"
            env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(out), str(PROJECT_ROOT)])}
            running[name, cloud] = (out.resolve(), subprocess.Popen(
                [sys.executable, "-c", PROBE, cloud, arg], cwd=out, env=env, text=True,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    found: Probes = {}
    for key, (out, proc) in running.items():
        stdout, stderr = proc.communicate(timeout=60)
        found[key] = (out, json.loads(stdout) if proc.returncode == 0 else stderr)
    return found


def probe(probes: Probes, name: str, cloud: str) -> dict[str, Any]:
    """What the staged deploy folder of ``name`` exposes for ``cloud``."""
    folder, found = probes[name, cloud]
    assert isinstance(found, dict), f"the staged {cloud} folder does not import:\n{found}"
    # Everything came from the staged folder, not from this checkout.
    assert Path(found["file"]).is_relative_to(folder), found["file"]
    return found


def test_every_example_is_listed() -> None:
    assert EXAMPLES, "no example found"
    assert set(EXAMPLES) == set(EXPECTED), "write down the new example's triggers in EXPECTED"


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_example_has_its_files(name: str) -> None:
    missing = [f for f in FILES if not (EXAMPLES_DIR / name / f).is_file()]
    assert not missing


# -- AWS ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", EXAMPLES)
def test_sam_template_passes_cfn_lint(name: str) -> None:
    matches = lint_all((EXAMPLES_DIR / name / "template.yaml").read_text())
    problems = [f"{m.rule.id} line {m.linenumber}: {m.message}" for m in matches
                if m.rule.id[0] in "EW"]
    assert not problems


def test_cfn_lint_checks_sam_templates() -> None:
    """The lint above is live for SAM templates (cfn-lint validates them with its own
    schemas; without the transform library some mistakes would pass silently)."""
    text = (EXAMPLES_DIR / "orders" / "template.yaml").read_text()
    broken = text.replace("MemorySize: 256", "MemorySize: 99999999")
    assert [m.rule.id for m in lint_all(broken) if m.rule.id[0] == "E"]


@pytest.mark.parametrize("name", EXAMPLES)
def test_sam_template_deploys_the_staged_entry_point(
        name: str, probes: Probes) -> None:
    function = function_properties(name)
    assert function["Handler"] == f"examples.{name}.aws.handler"
    assert function["CodeUri"] == f"../../build/{name}-aws/"  # where examples/_stage.py puts it
    assert re.fullmatch(r"python3\.\d+", function["Runtime"])
    found = probe(probes, name, "aws")
    assert found["handler"] is True
    assert Path(found["file"]).name == "aws.py"


@pytest.mark.parametrize("name", EXAMPLES)
def test_batch_event_sources_report_item_failures(name: str) -> None:
    """``lambda_handler``'s default partial_failures=True is only safe when Lambda reads
    the report: without ReportBatchItemFailures failed records are deleted."""
    resources = template(name)["Resources"]
    for event in function_properties(name).get("Events", {}).values():
        if event["Type"] not in BATCH_EVENTS:
            continue
        props = event["Properties"]
        assert "ReportBatchItemFailures" in props.get("FunctionResponseTypes", [])
        queue = props.get("Queue", {}).get("Fn::GetAtt", [None])[0]
        if queue in resources:  # a queue of this template has somewhere to dead-letter to
            assert "deadLetterTargetArn" in resources[queue]["Properties"]["RedrivePolicy"]


# -- requirements -----------------------------------------------------------------------

@pytest.mark.parametrize("name", EXAMPLES)
@pytest.mark.parametrize("cloud", CLOUDS)
def test_requirements_pin_this_version_of_polyfn(name: str, cloud: str) -> None:
    extra = {"aws": EXPECTED[name].aws_extra, "gcp": "gcp", "azure": "azure"}[cloud]
    lines = [line for line in (EXAMPLES_DIR / name / f"requirements-{cloud}.txt").read_text()
             .splitlines() if line and not line.startswith("#")]
    pin = f"polyfn[{extra}]" if extra else "polyfn"
    assert lines == ["--find-links wheels", f"{pin}=={sdk.__version__}",
                     *EXPECTED[name].requires]


@pytest.mark.parametrize("name", EXAMPLES)
def test_aws_requirements_cover_what_the_entry_point_imports(
        name: str, probes: Probes) -> None:
    # `import adapters.aws` loads no pydantic unless the handler declares a model.
    needs_pydantic = probe(probes, name, "aws")["pydantic"]
    assert needs_pydantic == (EXPECTED[name].aws_extra in ("pydantic", "aws"))


# -- Google Cloud ---------------------------------------------------------------------

@pytest.mark.parametrize("name", EXAMPLES)
def test_gcp_targets_are_registered_with_their_signature_type(
        name: str, probes: Probes) -> None:
    assert probe(probes, name, "gcp")["targets"] == EXPECTED[name].gcp


def gcloud_deploys(readme: str) -> Iterator[list[str]]:
    """The arguments of every ``gcloud functions deploy`` command in a README."""
    for line in readme.replace("\\\n", " ").splitlines():
        if "gcloud functions deploy" in line:
            yield shlex.split(line[line.index("gcloud functions deploy"):])


def option(args: list[str], name: str) -> str | None:
    return args[args.index(name) + 1] if name in args else None


@pytest.mark.parametrize("name", EXAMPLES)
def test_readme_gcloud_commands_deploy_the_registered_targets(name: str) -> None:
    deploys = list(gcloud_deploys((EXAMPLES_DIR / name / "README.md").read_text()))
    assert deploys
    for args in deploys:
        assert "--gen2" in args and option(args, "--source") == f"build/{name}-gcp"
        entry = option(args, "--entry-point")
        assert entry in EXPECTED[name].gcp, f"--entry-point {entry} is not a target"
        http = "--trigger-http" in args
        events = any(t in args for t in ("--trigger-topic", "--trigger-event-filters"))
        assert http != events, "one trigger per function"
        assert EXPECTED[name].gcp[entry] == ("http" if http else "cloudevent")


# -- Azure ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", EXAMPLES)
def test_azure_app_indexes_the_expected_triggers(
        name: str, probes: Probes) -> None:
    functions = probe(probes, name, "azure")["functions"]
    assert set(functions) == set(EXPECTED[name].azure)
    for function, expected in EXPECTED[name].azure.items():
        (trigger,) = [b for b in functions[function] if b["type"].endswith("Trigger")]
        assert trigger["direction"] == "IN"
        found = {key: trigger.get(key) for key in expected}
        if "methods" in found:
            found["methods"] = sorted(found["methods"])
        assert found == expected


@pytest.mark.parametrize("name", EXAMPLES)
def test_azure_deploy_folder_has_host_json(name: str) -> None:
    host = json.loads((EXAMPLES_DIR / name / "host.json").read_text())
    assert host["version"] == "2.0"
    # Triggers other than HTTP and timer come from the extension bundle.
    assert host["extensionBundle"]["id"] == "Microsoft.Azure.Functions.ExtensionBundle"


# -- README ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", EXAMPLES)
def test_readme_stages_and_deploys_every_cloud(name: str) -> None:
    readme = (EXAMPLES_DIR / name / "README.md").read_text()
    for cloud in CLOUDS:
        assert f"python -m examples._stage {name} {cloud}" in readme
    assert f"sam build --template examples/{name}/template.yaml" in readme
    assert "sam deploy --guided" in readme
    assert f"cd build/{name}-azure" in readme and "func azure functionapp publish" in readme


@pytest.mark.parametrize("name", EXAMPLES)
def test_stage_refuses_to_empty_a_folder_it_did_not_make(name: str, tmp_path: Path) -> None:
    (tmp_path / "precious.txt").write_text("keep me")
    with pytest.raises(SystemExit):
        stage(name, "gcp", tmp_path)
    assert (tmp_path / "precious.txt").read_text() == "keep me"
