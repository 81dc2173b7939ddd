"""A client generated from seed 000's own proto text (tests/fixtures holds it verbatim, not
Mercato's copy) calls all nine methods of `mercato grpc`, a real server process.

The client runs in its own interpreter: its messages and Mercato's share the package
`ecommerce.domain.v1`, and one process's protobuf pool holds a name once.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.serve import free_port

SEED_PROTO = Path(__file__).parents[1] / "fixtures" / "seed_000_ecommerce_domain.proto"
MERCATO_PROTO = (
    Path(__file__).parents[2] / "src/mercato/agents/knowledge/proto/ecommerce_domain.proto"
)
NOT_PROTOBUF = 'option python_package = "ecommerce_agent.proto";\n'

CLIENT = textwrap.dedent(
    """
    import json, sys
    import grpc
    import ecommerce_domain_pb2 as pb, ecommerce_domain_pb2_grpc as rpc

    stub = rpc.EcommerceDomainServiceStub(grpc.insecure_channel(sys.argv[1]))
    out = {}
    out["health"] = stub.HealthCheck(pb.HealthCheckRequest(), timeout=30).status
    out["entities"] = [e.name for e in stub.ListEntities(pb.ListEntitiesRequest()).entities]
    order = stub.GetEntity(pb.EntityRequest(
        entity_name="order", include_relationships=True, include_rules=True,
        include_edge_cases=True)).entity
    out["order"] = {"fields": len(order.fields), "rules": [r.id for r in order.rules],
                    "relationships": [r.target_entity for r in order.relationships]}
    try:
        stub.GetEntity(pb.EntityRequest(entity_name="no_such_entity"))
        out["unknown"] = "answered"
    except grpc.RpcError as err:
        out["unknown"] = err.code().name
    flow = stub.GetWorkflow(pb.WorkflowRequest(workflow_name="checkout", include_steps=True))
    out["checkout_steps"] = len(flow.workflow.steps)
    out["workflows"] = [w.name for w in stub.ListWorkflows(pb.ListWorkflowsRequest()).workflows]
    out["order_edge_cases"] = [
        c.id for c in stub.GetEdgeCases(pb.EdgeCasesRequest(entity="order")).edge_cases]
    ctx = stub.GetDomainContext(
        pb.DomainContextRequest(request_id="seed", entity="payment", workflow="checkout"))
    out["context"] = {"chars": len(ctx.context), "rules": [r.id for r in ctx.rules]}
    hits = stub.QueryKnowledge(pb.KnowledgeRequest(
        query="customer pays twice by double clicking", max_results=5), timeout=60).items
    out["query"] = [h.id for h in hits]
    made = stub.GenerateTestData(pb.GenerateTestDataRequest(
        request_id="seed", entity="order", count=50, output_format="JSON",
        scenario_counts={"happy_path": 40, "high_value": 10}), timeout=60)
    out["generated"] = {"success": made.success, "count": made.record_count,
                        "records": len(json.loads(made.data)),
                        "coherence": made.metadata.coherence_score,
                        "scenarios": dict(made.metadata.scenario_counts)}
    print(json.dumps(out))
    """
)


def test_mercatos_contract_is_the_seeds_word_for_word() -> None:
    # the seed's text, less the one line protoc rejects (no protobuf option of that name)
    seed = SEED_PROTO.read_text()
    assert NOT_PROTOBUF in seed
    assert MERCATO_PROTO.read_text() == seed.replace(NOT_PROTOBUF, "")


@pytest.fixture
def grpc_server(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """`mercato grpc` on a fresh data directory; yields its address."""
    port = free_port()
    env = {
        **os.environ,
        "MERCATO_DATA_DIR": str(tmp_path / "data"),
        "MERCATO_LOG_LEVEL": "WARNING",
        "MERCATO_GRPC_PORT": str(port),
    }
    log = (tmp_path / "grpc.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "mercato.cli", "grpc"],
        cwd=tmp_path,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield process, f"127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _compiled_seed_client(tmp_path: Path) -> Path:
    out = tmp_path / "seed_client"
    out.mkdir()
    proto = out / "ecommerce_domain.proto"
    proto.write_text(SEED_PROTO.read_text().replace(NOT_PROTOBUF, ""))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "grpc_tools.protoc",
            f"-I{out}",
            f"--python_out={out}",
            f"--grpc_python_out={out}",
            str(proto),
        ],
        check=True,
    )
    (out / "client.py").write_text(CLIENT)
    return out


def _wait_for(server: subprocess.Popen[bytes], address: str, client_dir: Path) -> None:
    probe = (
        "import grpc, sys; grpc.channel_ready_future("
        "grpc.insecure_channel(sys.argv[1])).result(timeout=1)"
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready = subprocess.run([sys.executable, "-c", probe, address], cwd=client_dir, check=False)
        if ready.returncode == 0:
            return
        if server.poll() is not None:
            raise AssertionError(f"mercato grpc exited with {server.returncode}")
    raise AssertionError(f"no gRPC server on {address} within 60 s")


def test_a_client_built_from_the_seed_calls_all_nine_methods(
    grpc_server: tuple[subprocess.Popen[bytes], str], tmp_path: Path
) -> None:
    # given a client compiled from the seed's proto and `mercato grpc` on a fresh store
    server, address = grpc_server
    client_dir = _compiled_seed_client(tmp_path)
    _wait_for(server, address, client_dir)
    # when it calls every method
    run = subprocess.run(
        [sys.executable, "client.py", address],
        cwd=client_dir,
        capture_output=True,
        text=True,
        check=False,
        timeout=180,
    )
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    # then each answers from the live catalog
    assert out["health"] == "healthy"
    assert {"cart", "order", "payment", "customer", "product"} <= set(out["entities"])
    assert out["order"]["fields"] >= 8
    assert {"BR005", "BR006"} <= set(out["order"]["rules"])
    assert "customer" in out["order"]["relationships"]
    assert out["unknown"] == "NOT_FOUND"
    assert out["checkout_steps"] >= 5
    assert set(out["workflows"]) == {
        "checkout",
        "return_flow",
        "cart_abandonment",
        "inventory_sync",
    }
    assert "EC002" in out["order_edge_cases"]
    assert out["context"]["chars"] > 100 and "BR004" in out["context"]["rules"]
    assert out["query"][0] == "EC003"
    assert out["generated"] == {
        "success": True,
        "count": 50,
        "records": 50,
        "coherence": 1.0,
        "scenarios": {"happy_path": 40, "high_value": 10},
    }
