"""The identity agent's commands: `mercato users …` (the first administrator), `mercato
stores …` (the stores of this deployment) and `mercato keys …` (the keys that sign access
tokens)."""

from __future__ import annotations

import secrets
from typing import Annotated

import typer
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from mercato.agents.identity import admin, directory
from mercato.agents.identity.deps import IdentityDeps
from mercato.agents.identity.tokens import Keyring, SigningKey
from mercato.kernel.auth import Principal
from mercato.kernel.commands import command_kernel, console, err, fail, preflight, run, settings
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from mercato.kernel.http import TENANT_PATTERN

cli = typer.Typer()
users = typer.Typer(help="Accounts.", no_args_is_help=True)
stores = typer.Typer(help="Stores (tenants) of this deployment.", no_args_is_help=True)
keys = typer.Typer(help="The keys that sign access tokens.", no_args_is_help=True)
cli.add_typer(users, name="users")
cli.add_typer(stores, name="stores")
cli.add_typer(keys, name="keys")

OPERATOR = Principal(id="cli", tenant_id="*", kind="system", roles=frozenset({"admin"}))
"""Whoever runs the `mercato` command on the server: it may create the first admin."""


@users.command("create-admin")
def users_create_admin(
    email: Annotated[str, typer.Option(help="The admin's email address")],
    password: Annotated[
        str | None, typer.Option(help="At least 10 characters; generated and printed if omitted")
    ] = None,
    full_name: Annotated[str, typer.Option(help="Display name")] = "Administrator",
    tenant: Annotated[str | None, typer.Option(help="Store (default: the default store)")] = None,
) -> None:
    """Create an administrator account (the way in before any account exists)."""
    cfg = settings()
    run(lambda: preflight(cfg))
    generated = password is None
    password = password or secrets.token_urlsafe(18)
    store = tenant or cfg.default_tenant
    user_id = run(
        lambda: create_admin(cfg, email=email, password=password, full_name=full_name, tenant=store)
    )
    console.print(f"admin {email} created ({user_id}) in store {store}")
    if generated:
        console.print(f"password: {password}")


async def create_admin(
    cfg: Settings, *, email: str, password: str, full_name: str, tenant: str
) -> str:
    async with command_kernel(cfg, prepare=True) as kernel:
        deps = kernel.deps(IdentityDeps)
        with bind(tenant_id=tenant):
            async with kernel.uow() as uow:
                await directory.ensure_tenant(
                    uow,
                    tenant_id=tenant,
                    name=tenant,
                    hosts=[],
                    now=kernel.clock.now(),
                    create_only=True,
                )
                user = await admin.create_staff(
                    uow,
                    deps,
                    email=email,
                    password=password,
                    full_name=full_name,
                    roles=["admin"],
                    merchant_id=None,
                    creator=OPERATOR,
                )
                await uow.commit()
        return user.id


@stores.command("add")
def stores_add(
    store_id: Annotated[str, typer.Argument(help="1-63 lowercase letters, digits or hyphens")],
    name: Annotated[str | None, typer.Option(help="Display name")] = None,
    host: Annotated[list[str] | None, typer.Option(help="A host name it answers on")] = None,
) -> None:
    """Add a store, or change its name and hosts (servers see it within 30 s)."""
    if not TENANT_PATTERN.match(store_id):
        raise fail("a store id is 1-63 lowercase letters, digits or hyphens")
    cfg = settings()
    run(lambda: preflight(cfg))
    run(lambda: add_store(cfg, store_id=store_id, name=name or store_id, hosts=host or []))
    console.print(f"store {store_id} ({', '.join(host or []) or 'no host names'})")


async def add_store(cfg: Settings, *, store_id: str, name: str, hosts: list[str]) -> None:
    async with command_kernel(cfg) as kernel, kernel.uow() as uow:
        await directory.ensure_tenant(
            uow, tenant_id=store_id, name=name, hosts=hosts, now=kernel.clock.now()
        )
        await uow.commit()


@stores.command("list")
def stores_list() -> None:
    """List the stores and their host names."""
    cfg = settings()
    run(lambda: preflight(cfg))
    for store_id, name, hosts in run(lambda: list_stores(cfg)):
        console.print(f"{store_id}\t{name}\t{', '.join(hosts)}")


async def list_stores(cfg: Settings) -> list[tuple[str, str, list[str]]]:
    async with command_kernel(cfg, migrate=False) as kernel, kernel.uow(writes=False) as uow:
        return await directory.list_stores(uow)


@keys.command("rotate")
def keys_rotate(
    retire: Annotated[
        bool, typer.Option(help="Also drop every older key (tokens they signed stop working)")
    ] = False,
) -> None:
    """Start signing with a new key; older keys keep verifying until retired."""
    cfg = settings()
    if cfg.jwt_signing_keys:
        raise fail("keys come from MERCATO_JWT_SIGNING_KEYS: put the new PEM first there")
    folder = cfg.data_dir / "keys"
    Keyring.from_directory(folder)
    key = Keyring.generate_into(folder)
    if retire:
        for path in folder.glob("*.pem"):
            if path.stem != key.kid:
                path.unlink()
    console.print(f"signing with {key.kid}; running servers switch to it within 30 s")


@keys.command("new")
def keys_new() -> None:
    """Print a new Ed25519 signing key (PEM) for MERCATO_JWT_SIGNING_KEYS in scaled mode."""
    key = SigningKey.from_private(Ed25519PrivateKey.generate())
    err.print(f"kid {key.kid}; put the PEM first in MERCATO_JWT_SIGNING_KEYS (a JSON list)")
    print(key.pem().decode(), end="")


@keys.command("list")
def keys_list() -> None:
    """The key ids, newest (the one that signs) first."""
    cfg = settings()
    keyring = (
        Keyring.from_pems(cfg.jwt_signing_keys)
        if cfg.jwt_signing_keys
        else Keyring.from_directory(cfg.data_dir / "keys")
    )
    for index, key in enumerate(keyring.keys):
        console.print(f"{key.kid}{'  (signs)' if index == 0 else ''}")
