"""The knowledge agent's gRPC contracts and protoc's code for them (`scripts/gen-proto`).

`ecommerce_domain.proto` is seed 000's text without its `option python_package` line (not a
protobuf option: protoc rejects it); `test_data.proto` is the Test Data Agent's contract as seed
000's client uses it. Never edit the generated `*_pb2*` files: change the .proto and regenerate.
"""
