"""Storing files (product pictures, and whatever later agents keep): a small provider interface,
the local disk and S3.

Embedded, objects are files under `<data dir>/objects/`. Scaled, every process must see the
same objects, so `MERCATO_OBJECT_STORE_URL=s3://bucket/prefix` keeps them in S3 or any
S3-compatible store (`MERCATO_S3_ENDPOINT_URL` for MinIO, R2, Ceph …) through the official SDK,
boto3, whose credentials come from its usual chain (`AWS_ACCESS_KEY_ID`, a profile, an
instance role). Keys are written once and never changed: a new content gets a new key, so
an object can be cached for ever.
"""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

KEY = re.compile(r"^[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)*$")
"""What a key may look like: lower-case path segments, none starting with a dot, so a key is
never a path out of the store's directory."""


class BadKeyError(ValueError):
    """A key that is not of `KEY`'s shape."""


@dataclass(frozen=True)
class StoredObject:
    data: bytes
    content_type: str


class ObjectStore(Protocol):
    async def put(self, key: str, data: bytes, *, content_type: str) -> None:
        """Store `data` under `key` (replacing what was there)."""
        ...

    async def get(self, key: str) -> StoredObject | None:
        """The object under `key`, or None."""
        ...

    async def delete(self, keys: Iterable[str]) -> None:
        """Remove the objects (a missing one is not an error)."""
        ...


def checked(key: str) -> str:
    if not KEY.match(key) or len(key) > 512:
        raise BadKeyError(f"not an object key: {key!r}")
    return key


class LocalObjects:
    """Files under a directory; the content type is kept beside each in `<key>.type`."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, key: str) -> Path:
        return self.directory / checked(key)

    def _put(self, key: str, data: bytes, content_type: str) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        for target, content in ((path.with_name(path.name + ".type"), content_type.encode()),
                                (path, data)):  # fmt: skip
            # Written aside, then renamed: a reader never sees half a file.
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(handle, "wb") as out:
                out.write(content)
            os.replace(temporary, target)

    def _get(self, key: str) -> StoredObject | None:
        path = self._path(key)
        try:
            data = path.read_bytes()
            content_type = path.with_name(path.name + ".type").read_text().strip()
        except FileNotFoundError:
            return None
        return StoredObject(data, content_type or "application/octet-stream")

    def _delete(self, keys: Iterable[str]) -> None:
        for key in keys:
            path = self._path(key)
            path.unlink(missing_ok=True)
            path.with_name(path.name + ".type").unlink(missing_ok=True)

    async def put(self, key: str, data: bytes, *, content_type: str) -> None:
        await asyncio.to_thread(self._put, key, data, content_type)

    async def get(self, key: str) -> StoredObject | None:
        return await asyncio.to_thread(self._get, key)

    async def delete(self, keys: Iterable[str]) -> None:
        await asyncio.to_thread(self._delete, list(keys))


class S3Objects:
    """Objects in an S3 bucket under a prefix, through boto3 (its calls block: each runs in a
    thread). The client is made on first use, so a process that never touches a file never
    imports the SDK."""

    def __init__(
        self, *, bucket: str, prefix: str = "", endpoint_url: str | None, region: str
    ) -> None:
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.endpoint_url = endpoint_url
        self.region = region
        self._client: Any = None

    @property
    def client(self) -> Any:
        if self._client is None:
            import boto3
            from botocore.config import Config

            self._client = boto3.client(
                "s3",
                endpoint_url=self.endpoint_url,
                region_name=self.region,
                config=Config(retries={"max_attempts": 4, "mode": "standard"}),
            )
        return self._client

    def _key(self, key: str) -> str:
        return self.prefix + checked(key)

    def _put(self, key: str, data: bytes, content_type: str) -> None:
        self.client.put_object(
            Bucket=self.bucket, Key=self._key(key), Body=data, ContentType=content_type
        )

    def _get(self, key: str) -> StoredObject | None:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self._key(key))
        except self.client.exceptions.NoSuchKey:
            return None
        with answer["Body"] as body:
            data = body.read()
        return StoredObject(data, answer.get("ContentType") or "application/octet-stream")

    def _delete(self, keys: list[str]) -> None:
        for start in range(0, len(keys), 1000):  # DeleteObjects takes at most 1,000 keys
            batch = [{"Key": self._key(k)} for k in keys[start : start + 1000]]
            self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True})

    async def put(self, key: str, data: bytes, *, content_type: str) -> None:
        await asyncio.to_thread(self._put, key, data, content_type)

    async def get(self, key: str) -> StoredObject | None:
        return await asyncio.to_thread(self._get, key)

    async def delete(self, keys: Iterable[str]) -> None:
        wanted = list(keys)
        if wanted:
            await asyncio.to_thread(self._delete, wanted)


def make_object_store(
    url: str | None, data_dir: Path, *, endpoint_url: str | None = None, region: str = "us-east-1"
) -> ObjectStore:
    """`s3://bucket/prefix` → S3; unset → files under `<data dir>/objects`; `file:///path` →
    files there."""
    if not url:
        return LocalObjects(data_dir / "objects")
    parts = urlsplit(url)
    if parts.scheme == "s3" and parts.netloc:
        return S3Objects(
            bucket=parts.netloc, prefix=parts.path, endpoint_url=endpoint_url, region=region
        )
    if parts.scheme == "file" and parts.path:
        return LocalObjects(Path(parts.path))
    raise ValueError(f"an object store is s3://bucket/prefix or file:///path, not {url!r}")
