"""gRPC: the services, their client and the server."""
