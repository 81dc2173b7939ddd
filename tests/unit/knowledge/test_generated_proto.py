"""The committed gRPC code is what `scripts/gen-proto` makes from the committed .proto files
(nobody edited it by hand, nobody forgot to regenerate)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).parents[3] / "src"
PROTO_DIR = SRC / "mercato/agents/knowledge/proto"


def test_the_generated_code_matches_the_protos(tmp_path: Path) -> None:
    # given the .proto files regenerated into an empty tree with the script's arguments
    tree = tmp_path / "src"
    (tree / "mercato/agents/knowledge/proto").mkdir(parents=True)
    protos = sorted(PROTO_DIR.glob("*.proto"))
    for proto in protos:
        shutil.copy(proto, tree / "mercato/agents/knowledge/proto" / proto.name)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "grpc_tools.protoc",
            f"-I{tree}",
            f"--python_out={tree}",
            f"--pyi_out={tree}",
            f"--grpc_python_out={tree}",
            *(str(tree / "mercato/agents/knowledge/proto" / p.name) for p in protos),
        ],
        check=True,
    )
    # then every generated file is byte for byte the committed one
    made = sorted((tree / "mercato/agents/knowledge/proto").glob("*_pb2*"))
    assert [p.name for p in made] == sorted(p.name for p in PROTO_DIR.glob("*_pb2*"))
    for path in made:
        assert path.read_bytes() == (PROTO_DIR / path.name).read_bytes(), path.name


def test_mercatos_servicers_answer_every_rpc_the_generated_bases_declare() -> None:
    """protoc's base servicers answer UNIMPLEMENTED ("Method not implemented!"); Mercato's
    override every method, so no call ever reaches them."""
    from mercato.agents.knowledge.proto import ecommerce_domain_pb2, test_data_pb2
    from mercato.agents.knowledge.proto.ecommerce_domain_pb2_grpc import (
        EcommerceDomainServiceServicer,
    )
    from mercato.agents.knowledge.proto.test_data_pb2_grpc import TestDataServiceServicer
    from mercato.agents.knowledge.rpc.domain_service import DomainService
    from mercato.agents.knowledge.rpc.test_data_service import TestDataService

    pairs = [
        (
            ecommerce_domain_pb2,
            "EcommerceDomainService",
            EcommerceDomainServiceServicer,
            DomainService,
        ),
        (test_data_pb2, "TestDataService", TestDataServiceServicer, TestDataService),
    ]
    for module, service, base, ours in pairs:
        rpcs = [m.name for m in module.DESCRIPTOR.services_by_name[service].methods]
        assert rpcs, service
        for name in rpcs:
            assert getattr(ours, name) is not getattr(base, name), f"{service}.{name}"
