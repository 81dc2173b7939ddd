"""The object stores keep, answer and remove files alike: on the local disk and in S3 (a
local server speaking S3's wire protocol)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mercato.kernel.objects import (
    BadKeyError,
    LocalObjects,
    ObjectStore,
    S3Objects,
    make_object_store,
)
from tests.support import s3


@pytest.fixture(params=["local", "s3"])
def objects(request: pytest.FixtureRequest, tmp_path: Path) -> ObjectStore:
    if request.param == "local":
        return LocalObjects(tmp_path / "objects")
    endpoint = request.getfixturevalue("s3_endpoint")
    bucket = request.getfixturevalue("s3_bucket")
    return S3Objects(bucket=bucket, prefix="shop/", endpoint_url=endpoint, region=s3.REGION)


async def test_an_object_is_kept_answered_and_removed(objects: ObjectStore) -> None:
    # given an object put under a key
    await objects.put("pictures/a/b-large.jpg", b"\xff\xd8 bytes", content_type="image/jpeg")
    # when it is read, it comes back with its type
    found = await objects.get("pictures/a/b-large.jpg")
    assert found is not None
    assert (found.data, found.content_type) == (b"\xff\xd8 bytes", "image/jpeg")
    # and once removed (with a key that never existed), it is gone
    await objects.delete(["pictures/a/b-large.jpg", "pictures/a/never.jpg"])
    assert await objects.get("pictures/a/b-large.jpg") is None


async def test_keys_that_could_leave_the_store_are_refused(objects: ObjectStore) -> None:
    for key in ("../etc/passwd", "pictures/../../x", "/abs", "Pictures/A.jpg", "a//b", ".hidden"):
        with pytest.raises(BadKeyError):
            await objects.get(key)
        with pytest.raises(BadKeyError):
            await objects.put(key, b"x", content_type="text/plain")


async def test_s3_keeps_objects_under_its_prefix(s3_endpoint: str, s3_bucket: str) -> None:
    store = S3Objects(bucket=s3_bucket, prefix="/shop/", endpoint_url=s3_endpoint, region=s3.REGION)
    await store.put("pictures/p.png", b"png", content_type="image/png")
    assert s3.keys(s3_endpoint, s3_bucket) == ["shop/pictures/p.png"]


def test_the_store_is_chosen_by_its_url(tmp_path: Path) -> None:
    assert isinstance(make_object_store(None, tmp_path), LocalObjects)
    assert isinstance(make_object_store(f"file://{tmp_path}/o", tmp_path), LocalObjects)
    remote = make_object_store("s3://bucket/a/b", tmp_path, endpoint_url="http://s3.local")
    assert isinstance(remote, S3Objects)
    assert (remote.bucket, remote.prefix, remote.endpoint_url) == (
        "bucket",
        "a/b/",
        "http://s3.local",
    )
    with pytest.raises(ValueError, match="object store"):
        make_object_store("ftp://nowhere", tmp_path)
