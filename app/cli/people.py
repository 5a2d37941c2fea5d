"""Users: create them and set passwords from the server."""

from __future__ import annotations

import sys

import click

from app.cli.root import Context, DomainErrorsGroup, main, pass_context
from claims.db import unit_of_work
from claims.models import Role
from claims.services.users import create_user, set_password

# --- users ------------------------------------------------------------------------------------------


@main.group(cls=DomainErrorsGroup)
def users() -> None:
    """Manage users."""


@users.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([role.value for role in Role]), required=True)
@click.option("--name", "display_name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@pass_context
def users_create(ctx: Context, email: str, role: str, display_name: str | None, password_stdin: bool) -> None:
    """Create a user; the password is prompted for unless --password-stdin is given."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with unit_of_work(ctx.sessions()) as session:
        user = create_user(
            session, None, email=email, role=role, password=password, display_name=display_name
        )
        session.commit()
        click.echo(f"user {user.id}: {user.email} ({user.role})")


@users.command("set-password")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@pass_context
def users_set_password(ctx: Context, email: str, password_stdin: bool) -> None:
    """Set a user's password (after an import, or when one is forgotten)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    with unit_of_work(ctx.sessions()) as session:
        user = set_password(session, None, email=email, password=password)
        session.commit()
        click.echo(f"password set for {user.email}")
