"""Cold starts: ``python -m benchmarks.coldstart [--runs N] [--quick] [--json FILE]``.

Whole process (what a Lambda cold start pays beyond the runtime's own start): a
fresh interpreter imports a handler module and invokes it once with the HTTP API
v2 request of :mod:`benchmarks.http_v2`. Each child is spawned and reaped with
``os.wait4`` by a small helper subprocess (``Spawner``); wall time is measured
there around spawn + wait, peak RSS is the child's ``ru_maxrss``.

* ``bare``: ``python -c pass``, the floor every other row is compared with.
* ``polyfn``: ``import adapters.aws``, ``lambda_handler(handle)`` with an untyped
  handler, one invocation.
* ``powertools-dataclass``, ``powertools-parser``, ``mangum``: the same handler
  written the way each library's docs write it.
* Per family (``benchmarks.coldstart_aws``): ``<family> raw``, bare Python with the
  handler's own imports running a hand-written handler, and ``<family> polyfn``
  doing the same reads; the family's cost is polyfn over raw.

In one process (a fresh one per run, timed inside with ``perf_counter``): after
the provider library and the handler's own module (and pydantic and the model, for
the typed handler) are loaded, importing ``sdk`` and the shim, decorating and the
first invocation.

Handler modules are written to a temporary directory and everything is
byte-compiled first (``compileall``), as in a deployed package. Runs are
interleaved (the order rotates each round) and medians reported.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import coldstart_aws
from .http_v2 import EVENT

__all__ = ["IN_PROCESS", "WHOLE_PROCESS", "Spawner", "command", "main", "write_modules"]

ROOT = Path(__file__).resolve().parents[1]

_CONTEXT = '''
class LambdaContext:
    aws_request_id = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"
    function_name = "orders"
    function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:orders"
    memory_limit_in_mb = "128"

    def get_remaining_time_in_millis(self):
        return 3000
'''

#: module name -> source. Every handler reads method, path, the user-agent header,
#: the page query value and the JSON body, and answers 201 with them as JSON.
MODULES: dict[str, str] = {
    "pf_untyped": '''
        from adapters.aws import lambda_handler
        from sdk import Response


        def handle(request):
            data = request.json()
            return Response({"method": request.method, "path": request.path,
                             "agent": request.headers.get("user-agent"),
                             "page": request.query.get("page"), "name": data["name"]},
                            status=201)


        handler = lambda_handler(handle)
    ''',
    "pf_model": '''
        from pydantic import BaseModel


        class Order(BaseModel):
            name: str
            quantity: int
    ''',
    "pf_typed": '''
        from adapters.aws import lambda_handler
        from sdk import HTTPRequest, Response

        from pf_model import Order


        def handle(request: HTTPRequest[Order]) -> Response:
            order = request.data
            return Response({"method": request.method, "path": request.path,
                             "agent": request.headers.get("user-agent"),
                             "page": request.query.get("page"), "name": order.name},
                            status=201)


        handler = lambda_handler(handle)
    ''',
    # The handler the Google Cloud and Azure rows serve, unchanged on both, in its
    # own module as in examples/ (handler.py, and an entry point per cloud).
    "pf_handle": '''
        def handle(request):
            data = request.json()
            return {"method": request.method, "path": request.path,
                    "agent": request.headers.get("user-agent"),
                    "page": request.query.get("page"), "name": data["name"]}
    ''',
    "pf_gcp": '''
        from adapters.gcp import http_function
        from pf_handle import handle

        main = http_function(handle)
    ''',
    "pf_azure": '''
        import azure.functions as func

        from adapters.azure import bind
        from pf_handle import handle

        app = func.FunctionApp(http_auth_level=func.AuthLevel.ANONYMOUS)
        orders = bind(handle, name="orders")
        app.route(route="orders", methods=["POST"])(orders)
    ''',
    "pt_dataclass": '''
        import json

        from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEventV2


        def handler(event, context):
            request = APIGatewayProxyEventV2(event)
            data = request.json_body
            body = {"method": request.request_context.http.method, "path": request.path,
                    "agent": request.headers.get("user-agent"),
                    "page": request.query_string_parameters.get("page"),
                    "name": data["name"]}
            return {"statusCode": 201, "headers": {"Content-Type": "application/json"},
                    "body": json.dumps(body), "isBase64Encoded": False}
    ''',
    "pt_parser": '''
        import json

        from aws_lambda_powertools.utilities.parser import parse
        from aws_lambda_powertools.utilities.parser.models import APIGatewayProxyEventV2Model


        def handler(event, context):
            request = parse(event=event, model=APIGatewayProxyEventV2Model)
            data = json.loads(request.body)
            body = {"method": request.requestContext.http.method, "path": request.rawPath,
                    "agent": request.headers.get("user-agent"),
                    "page": (request.queryStringParameters or {}).get("page"),
                    "name": data["name"]}
            return {"statusCode": 201, "headers": {"Content-Type": "application/json"},
                    "body": json.dumps(body), "isBase64Encoded": False}
    ''',
    "mg_app": '''
        import json
        from urllib.parse import parse_qsl

        from mangum import Mangum


        async def app(scope, receive, send):
            headers = dict(scope["headers"])
            message = await receive()
            data = json.loads(message["body"])
            query = dict(parse_qsl(scope["query_string"].decode("latin-1")))
            body = {"method": scope["method"], "path": scope["path"],
                    "agent": headers[b"user-agent"].decode(), "page": query.get("page"),
                    "name": data["name"]}
            await send({"type": "http.response.start", "status": 201,
                        "headers": [(b"content-type", b"application/json")]})
            await send({"type": "http.response.body", "body": json.dumps(body).encode()})


        handler = Mangum(app, lifespan="off")
    ''',
}


def _invoke_script(module: str) -> str:
    # The event and context come from a compiled module, as the runtime hands them
    # over: the script itself (never cached as bytecode) stays two lines.
    return (f"from lambda_event import EVENT, LambdaContext\nfrom {module} import handler\n"
            "assert handler(EVENT, LambdaContext())['statusCode'] == 201\n")


def _family_module(family: str, side: str) -> str:
    return f"fam_{family.replace(' ', '_')}_{side}"


def _family_script(family: str, side: str) -> str:
    check = coldstart_aws.FAMILIES[family].check
    events = _family_module(family, "event")
    return (f"from lambda_event import LambdaContext\nfrom {events} import EVENT\n"
            f"from {_family_module(family, side)} import handler\n"
            f"response = handler(EVENT, LambdaContext())\nassert {check}, response\n")


#: Whole-process cases: name -> script (``None``: ``python -c pass``).
WHOLE_PROCESS: dict[str, str | None] = {
    "bare": None,
    "polyfn": _invoke_script("pf_untyped"),
    "powertools-dataclass": _invoke_script("pt_dataclass"),
    "powertools-parser": _invoke_script("pt_parser"),
    "mangum": _invoke_script("mg_app"),
    **{f"{family} {side}": _family_script(family, side)
       for family in coldstart_aws.FAMILIES for side in ("raw", "polyfn")},
}

_TIMED = '''
import json, sys, time
{preload}
{prepare}
start = time.perf_counter()
{timed}
elapsed = time.perf_counter() - start
{check}
print(json.dumps({{"ms": elapsed * 1000, "loaded": sorted(sys.modules)}}))
'''

_FLASK_REQUEST = '''
import flask
from werkzeug.test import EnvironBuilder
request = flask.Request(EnvironBuilder(
    path="/orders", method="POST", query_string="page=2&sort=desc",
    headers={"User-Agent": "curl/8.5.0"}, content_type="application/json",
    data=b'{"name": "Ada", "quantity": 3}').get_environ())
'''

_AZURE_REQUEST = '''
request = func.HttpRequest(
    method="POST", url="https://orders-app.azurewebsites.net/api/orders?page=2&sort=desc",
    headers={"content-type": "application/json", "user-agent": "curl/8.5.0"},
    params={"page": "2", "sort": "desc"}, route_params={},
    body=b'{"name": "Ada", "quantity": 3}')
'''


@dataclass(frozen=True)
class InProcess:
    """A shim timed inside a fresh process, after ``preload`` ran."""

    preload: str
    timed: str
    check: str
    prepare: str = ""
    needs: tuple[str, ...] = ()  # polyfn modules that must exist (else n/a)
    target_ms: float = 20.0

    def script(self) -> str:
        return _TIMED.format(preload=self.preload, prepare=self.prepare, timed=self.timed,
                             check=self.check)


IN_PROCESS: dict[str, InProcess] = {
    "aws typed (pydantic model loaded)": InProcess(
        preload="import pydantic\nimport pf_model",
        prepare="from lambda_event import EVENT as event, LambdaContext\n"
                "context = LambdaContext()",
        timed="import pf_typed\nresponse = pf_typed.handler(event, context)",
        check="assert response['statusCode'] == 201, response",
        needs=("adapters.aws",),
    ),
    "gcp http (functions_framework loaded)": InProcess(
        preload="import functions_framework\nimport pf_handle",
        prepare=_FLASK_REQUEST,
        timed="import pf_gcp\nresponse = pf_gcp.main(request)",
        check="assert response.status_code == 200, response.get_data()",
        needs=("adapters.gcp",),
    ),
    "azure http (azure.functions loaded)": InProcess(
        preload="import azure.functions as func\nimport pf_handle",
        prepare=_AZURE_REQUEST,
        timed="import pf_azure\nresponse = pf_azure.orders(request)",
        check="assert response.status_code == 200, response.get_body()",
        needs=("adapters.azure.bind",),
    ),
}


def write_modules(directory: Path) -> None:
    """Write the handler modules and byte-compile them and polyfn, as deployed."""
    for name, source in MODULES.items():
        (directory / f"{name}.py").write_text(textwrap.dedent(source).lstrip(), "utf-8")
    (directory / "lambda_event.py").write_text(f"{_CONTEXT}\nEVENT = {EVENT!r}\n", "utf-8")
    for family, case in coldstart_aws.FAMILIES.items():
        for side, source in (("raw", case.raw), ("polyfn", case.polyfn),
                             ("event", f"EVENT = {case.event!r}\n")):
            path = directory / f"{_family_module(family, side)}.py"
            path.write_text(source.lstrip(), "utf-8")
    for path in (directory, ROOT / "sdk", ROOT / "adapters"):
        compileall.compile_dir(str(path), quiet=1)


def _env(directory: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PYTHON") and k not in ("_X_AMZN_TRACE_ID",)}
    env["PYTHONPATH"] = os.pathsep.join([str(directory), str(ROOT)])
    return env


@dataclass(frozen=True)
class ProcessRun:
    wall_ms: float
    cpu_ms: float  # user + system CPU time of the child (wait4's rusage)
    rss_mib: float
    output: str


#: Runs each command it reads, one per line: fields split by \x1f (an output file
#: prefix, then argv), newlines sent as \x1e; answers "wall_ns maxrss_kib exit_code cpu_s".
#: It starts with ``-S`` and imports nothing: Linux carries the spawning process's
#: peak RSS into a child's ``ru_maxrss`` across exec, so the spawner must stay
#: smaller than any process it measures (a bare interpreter is larger: it runs site).
_SPAWNER = """
import os, sys, time
flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
for line in sys.stdin:
    out, *argv = line.rstrip("\\n").replace("\\x1e", "\\n").split("\\x1f")
    actions = [(os.POSIX_SPAWN_OPEN, 1, out + ".out", flags, 0o644),
               (os.POSIX_SPAWN_OPEN, 2, out + ".err", flags, 0o644)]
    start = time.perf_counter_ns()
    pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter_ns() - start
    cpu = usage.ru_utime + usage.ru_stime
    sys.stdout.write(f"{wall} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)} {cpu}\\n")
    sys.stdout.flush()
"""


class Spawner:
    """A small child process that spawns the measured processes (see ``_SPAWNER``)."""

    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        self._cwd = cwd
        self._proc = subprocess.Popen([sys.executable, "-S", "-c", _SPAWNER], env=env,
                                      cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      text=True)

    def run(self, argv: list[str]) -> ProcessRun:
        """Run ``argv`` to completion: wall time around spawn + ``os.wait4``, peak RSS."""
        assert self._proc.stdin is not None and self._proc.stdout is not None
        prefix = str(self._cwd / "last")
        line = "\x1f".join([prefix, *argv]).replace("\n", "\x1e")  # one line per command
        self._proc.stdin.write(line + "\n")
        self._proc.stdin.flush()
        wall_ns, rss_kib, code, cpu_s = self._proc.stdout.readline().split()
        out = Path(prefix + ".out").read_text("utf-8", errors="replace")
        if int(code) != 0:
            err = Path(prefix + ".err").read_text("utf-8", errors="replace")
            raise RuntimeError(f"{' '.join(argv)[-80:]!r} failed ({code}): {err[-2000:]}")
        # ru_maxrss is KiB on Linux (bytes on macOS).
        rss = int(rss_kib) / (1024 * 1024 if sys.platform == "darwin" else 1024)
        return ProcessRun(int(wall_ns) / 1e6, float(cpu_s) * 1000, rss, out)

    def close(self) -> None:
        if self._proc.stdin:
            self._proc.stdin.close()
        self._proc.wait()
        if self._proc.stdout:
            self._proc.stdout.close()

    def __enter__(self) -> Spawner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _available(needs: tuple[str, ...], spawner: Spawner) -> str | None:
    """``None`` when every needed polyfn module/attribute exists, else the reason."""
    for dotted in needs:
        module, _, attr = dotted.rpartition(".") if dotted.count(".") > 1 else (dotted, "", "")
        code = (f"import importlib, sys\nm = importlib.import_module({module!r})\n"
                f"sys.exit(0 if not {attr!r} or hasattr(m, {attr!r}) else 3)")
        try:
            spawner.run([sys.executable, "-c", code])
        except RuntimeError:
            return f"not implemented yet: {dotted}"
    return None


def run(runs: int, progress: bool = True) -> dict[str, Any]:
    """Measure every case ``runs`` times, interleaved; medians."""
    with tempfile.TemporaryDirectory(prefix="polyfn-coldstart-") as tmp:
        directory = Path(tmp)
        write_modules(directory)
        with Spawner(_env(directory), directory) as spawner:
            return _measure(spawner, directory, runs, progress)


def _measure(spawner: Spawner, directory: Path, runs: int, progress: bool) -> dict[str, Any]:
    python = sys.executable
    whole = {name: ([python, "-c", "pass"] if script is None
                    else [python, str(_script(directory, name, script))])
             for name, script in WHOLE_PROCESS.items()}
    inproc: dict[str, list[str]] = {}
    missing: dict[str, str] = {}
    for name, case in IN_PROCESS.items():
        reason = _available(case.needs, spawner)
        if reason:
            missing[name] = reason
        else:
            inproc[name] = [python, str(_script(directory, name, case.script()))]
    jobs = [("whole", n, a) for n, a in whole.items()] + \
           [("inproc", n, a) for n, a in inproc.items()]
    for _, _, argv in jobs:  # warm the page cache; write any missing bytecode
        spawner.run(argv)
    walls: dict[str, list[float]] = {}
    cpus: dict[str, list[float]] = {}
    rss: dict[str, list[float]] = {}
    inside: dict[str, list[float]] = {}
    for round_no in range(runs):
        shift = round_no % len(jobs)
        for kind, name, argv in jobs[shift:] + jobs[:shift]:
            result = spawner.run(argv)
            if kind == "whole":
                walls.setdefault(name, []).append(result.wall_ms)
                cpus.setdefault(name, []).append(result.cpu_ms)
                rss.setdefault(name, []).append(result.rss_mib)
            else:
                inside.setdefault(name, []).append(
                    json.loads(result.output.strip().splitlines()[-1])["ms"])
        if progress:
            print(f"round {round_no + 1}/{runs} done", file=sys.stderr, flush=True)
    med = statistics.median
    return {
        "whole_process": {n: {"wall_ms": med(walls[n]), "cpu_ms": med(cpus[n]),
                              "peak_rss_mib": med(rss[n])}
                          for n in whole},
        "in_process": {**{n: {"ms": med(v), "target_ms": IN_PROCESS[n].target_ms}
                          for n, v in inside.items()},
                       **{n: {"ms": None, "n/a": r} for n, r in missing.items()}},
        "runs": runs,
    }


def _script(directory: Path, name: str, source: str) -> Path:
    path = directory / ("run_" + "".join(c if c.isalnum() else "_" for c in name) + ".py")
    path.write_text(source, "utf-8")
    return path


#: Targets (issue): polyfn at most bare + 25 ms wall and bare + 5 MiB peak RSS.
WALL_BUDGET_MS = 25.0
RSS_BUDGET_MIB = 5.0


def table(results: dict[str, Any]) -> str:
    whole = results["whole_process"]
    bare = whole["bare"]
    lines = [
        f"Whole process, medians of {results['runs']} interleaved runs "
        "(import + decorate + one invocation):",
        "",
        "| case | wall ms | over bare ms | x bare | CPU ms | over bare CPU ms "
        "| peak RSS MiB | over bare MiB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in whole.items():
        lines.append(
            f"| {name} | {row['wall_ms']:.1f} | {row['wall_ms'] - bare['wall_ms']:+.1f} | "
            f"{row['wall_ms'] / bare['wall_ms']:.2f} | {row['cpu_ms']:.1f} | "
            f"{row['cpu_ms'] - bare['cpu_ms']:+.1f} | {row['peak_rss_mib']:.1f} | "
            f"{row['peak_rss_mib'] - bare['peak_rss_mib']:+.1f} |")
    polyfn = whole["polyfn"]
    over_ms = polyfn["wall_ms"] - bare["wall_ms"]
    over_mib = polyfn["peak_rss_mib"] - bare["peak_rss_mib"]
    lines += ["", *_family_table(whole), ""]
    lines += [
        f"Target wall <= bare + {WALL_BUDGET_MS:g} ms: "
        f"{'met' if over_ms <= WALL_BUDGET_MS else 'MISSED'} ({over_ms:+.1f} ms); "
        f"peak RSS <= bare + {RSS_BUDGET_MIB:g} MiB: "
        f"{'met' if over_mib <= RSS_BUDGET_MIB else 'MISSED'} ({over_mib:+.1f} MiB).",
        "",
        "In one process, after the provider library is loaded: import sdk + the shim, "
        "decorate, first invocation:",
        "",
        "| case | ms | target | verdict |",
        "|---|---:|---|---|",
    ]
    for name, row in results["in_process"].items():
        if row["ms"] is None:
            lines.append(f"| {name} | n/a ({row['n/a']}) | <= 20 ms | n/a |")
            continue
        verdict = "met" if row["ms"] <= row["target_ms"] else "MISSED"
        lines.append(f"| {name} | {row['ms']:.1f} | <= {row['target_ms']:g} ms | {verdict} |")
    return "\n".join(lines)


def _family_table(whole: dict[str, Any]) -> list[str]:
    """Each family's polyfn row over its raw row, against issue 18's budgets (the
    verdict on CPU time, which other processes on a shared machine do not inflate)."""
    wall, rss = coldstart_aws.WALL_BUDGET_MS, coldstart_aws.RSS_BUDGET_MIB
    lines = [f"Per family, polyfn over bare Python with the handler's own imports "
             f"(targets +{wall:g} ms, +{rss:g} MiB):", "",
             "| family | raw CPU ms | polyfn CPU ms | over CPU ms | over wall ms | raw MiB "
             "| polyfn MiB | over MiB | verdict |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for family in coldstart_aws.FAMILIES:
        raw, ours = whole[f"{family} raw"], whole[f"{family} polyfn"]
        over_ms = ours["cpu_ms"] - raw["cpu_ms"]
        over_mib = ours["peak_rss_mib"] - raw["peak_rss_mib"]
        verdict = "met" if over_ms <= wall and over_mib <= rss else "MISSED"
        lines.append(f"| {family} | {raw['cpu_ms']:.1f} | {ours['cpu_ms']:.1f} | "
                     f"{over_ms:+.1f} | {ours['wall_ms'] - raw['wall_ms']:+.1f} | "
                     f"{raw['peak_rss_mib']:.1f} | {ours['peak_rss_mib']:.1f} | "
                     f"{over_mib:+.1f} | {verdict} |")
    return lines


def command(argv: list[str] | None, prog: str, doc: str | None, what: str,
            run: Any, table: Any, meta: bool) -> int:
    """The command line both cold-start benchmarks share: ``--runs N`` interleaved
    runs per ``what`` (default 15), ``--quick`` (3), ``--json FILE`` (with the
    machine under ``_meta`` when ``meta``); ``run(runs)`` gives the results and
    ``table(results)`` prints them."""
    parser = argparse.ArgumentParser(prog=prog, description=doc,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, help=f"interleaved runs per {what} (default 15)")
    parser.add_argument("--quick", action="store_true", help=f"3 runs per {what}")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    args = parser.parse_args(argv)
    results = run(args.runs or (3 if args.quick else 15))
    print(table(results))
    if args.json:
        if meta:
            from .__main__ import machine

            results["_meta"] = machine()
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(results, f, indent=2)
            f.write("\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    return command(argv, "python -m benchmarks.coldstart", __doc__, "case", run, table,
                   meta=True)


if __name__ == "__main__":
    sys.exit(main())
