"""Tables. Changes go through an Alembic migration in `migrations/versions`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, Index, Integer, MetaData, String, Text, UniqueConstraint, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.store.types import UtcDateTime as DateTime


class Base(DeclarativeBase):
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class Link(Base):
    """A Slack user's line at one provider (at most one per provider; one user per line)."""

    __tablename__ = "links"
    __table_args__ = (
        UniqueConstraint("slack_user_id", "provider"),
        Index("uq_links_line", "provider", "line_id", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    slack_user_id: Mapped[str] = mapped_column(String(32), index=True)
    provider: Mapped[str] = mapped_column(String(16))
    line_id: Mapped[str] = mapped_column(String(64))
    extension_number: Mapped[str] = mapped_column(String(32))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(String(8))  # "email" or "admin"
    created_at: Mapped[datetime] = mapped_column(DateTime())
    email: Mapped[str] = mapped_column(
        String(255), default="", server_default=""
    )  # the Slack email it was made from
    checked_at: Mapped[datetime | None] = mapped_column(DateTime(), nullable=True)


class AdminNotice(Base):
    """Something admins must be told once (e.g. duplicates a migration resolved)."""

    __tablename__ = "admin_notices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime())
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(), nullable=True)


class LineLock(Base):
    """A short lease on one line: changes to its forwarding are made one at a time."""

    __tablename__ = "line_locks"

    line: Mapped[str] = mapped_column(String(100), primary_key=True)
    holder: Mapped[str] = mapped_column(String(64))
    until: Mapped[datetime] = mapped_column(DateTime())


class Unlinked(Base):
    """Users an admin unlinked: never auto-linked by email until an admin links them."""

    __tablename__ = "unlinked_users"

    slack_user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime())


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(), index=True)
    actor: Mapped[str] = mapped_column(String(32), index=True)
    subject: Mapped[str] = mapped_column(String(32), index=True)
    line: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(64))
    before: Mapped[Any] = mapped_column(JSON, nullable=True)
    after: Mapped[Any] = mapped_column(JSON, nullable=True)
    request_id: Mapped[str] = mapped_column(String(32))


class IdempotencyKey(Base):
    __tablename__ = "idempotency_keys"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    action: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(), index=True)


class ProviderToken(Base):
    """One OAuth token pair per provider account, shared by every instance."""

    __tablename__ = "provider_tokens"

    account: Mapped[str] = mapped_column(String(255), primary_key=True)
    access_token: Mapped[str] = mapped_column(Text)
    refresh_token: Mapped[str] = mapped_column(Text, default="")
    expires_at: Mapped[datetime] = mapped_column(DateTime())
    refresh_expires_at: Mapped[datetime | None] = mapped_column(DateTime())
    owner_id: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime())


class RateWindow(Base):
    """One token's sends of one throttling group in the last window, shared by instances.

    `sent` holds epoch seconds (wall clock: every instance must agree on it); the penalty
    after a 429 and the limit the platform last announced ride along in the same row.
    """

    __tablename__ = "rate_windows"

    bucket: Mapped[str] = mapped_column(String(300), primary_key=True)
    sent: Mapped[list[float]] = mapped_column(JSON, default=list)
    penalty_until: Mapped[float | None] = mapped_column(Float, nullable=True)
    announced_limit: Mapped[int | None] = mapped_column(Integer, nullable=True)


class OAuthState(Base):
    """A `/switchboard connect` in progress: single use, bound to one Slack user."""

    __tablename__ = "oauth_states"

    state_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    slack_user_id: Mapped[str] = mapped_column(String(32))
    verifier: Mapped[str] = mapped_column(Text)  # PKCE code_verifier, sealed
    expires_at: Mapped[datetime] = mapped_column(DateTime())
    used_at: Mapped[datetime | None] = mapped_column(DateTime(), nullable=True)
    # SHA-256 of the cookie the start page gave the browser that opened the link
    browser_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)


class DirectoryMiss(Base):
    """A Slack email that matched no extension; not looked up again until the profile changes."""

    __tablename__ = "directory_misses"

    slack_user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    email: Mapped[str] = mapped_column(String(255))
    checked_at: Mapped[datetime] = mapped_column(DateTime())


class Toggle(Base):
    """A quick toggle the bot owns: what it wrote, what to restore, and when."""

    __tablename__ = "toggles"
    __table_args__ = (
        Index(
            "uq_toggles_active_line",
            "line",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    slack_user_id: Mapped[str] = mapped_column(String(32), index=True)
    line: Mapped[str] = mapped_column(String(100), index=True)
    model: Mapped[str] = mapped_column(String(16))  # rc-legacy, rc-new, smspartner
    kind: Mapped[str] = mapped_column(String(16))  # forward or voicemail
    target: Mapped[str] = mapped_column(String(255))
    provider_object: Mapped[str] = mapped_column(String(64), default="")
    snapshot: Mapped[Any] = mapped_column(JSON, nullable=True)
    written: Mapped[Any] = mapped_column(JSON, nullable=True)
    status: Mapped[str] = mapped_column(String(16), index=True)  # active, reverted, failed, left
    ends_at: Mapped[datetime | None] = mapped_column(DateTime(), index=True, nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(), nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime())
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(), nullable=True)


class VirtualNumberState(Base):
    """SMSPartner has no read call: the last state Switchboard set, and when."""

    __tablename__ = "virtual_number_states"

    number: Mapped[str] = mapped_column(String(32), primary_key=True)
    type: Mapped[int] = mapped_column(Integer)
    param: Mapped[str] = mapped_column(String(255))
    set_by: Mapped[str] = mapped_column(String(32))
    set_at: Mapped[datetime] = mapped_column(DateTime())


class RotationRow(Base):
    __tablename__ = "rotations"
    __table_args__ = (Index("uq_rotations_hotline", "hotline", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    hotline: Mapped[str] = mapped_column(String(100))  # provider:line_id
    hotline_label: Mapped[str] = mapped_column(String(100))
    shift_type: Mapped[str] = mapped_column(String(8))
    shift_length: Mapped[int] = mapped_column(Integer)
    handoff: Mapped[str] = mapped_column(String(5))  # HH:MM local
    timezone: Mapped[str] = mapped_column(String(64))
    start_date: Mapped[str] = mapped_column(String(10))  # ISO date, local
    channel: Mapped[str] = mapped_column(String(32))
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime())
    current_member: Mapped[str] = mapped_column(String(32), default="")
    current_target: Mapped[str] = mapped_column(String(32), default="")
    failures: Mapped[int] = mapped_column(Integer, default=0)
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(), nullable=True)
    next_try_at: Mapped[datetime | None] = mapped_column(DateTime(), nullable=True)
    checked_at: Mapped[datetime | None] = mapped_column(DateTime(), nullable=True)  # hotline read
    # Escalation (0008): "" rings the on-call person alone, "next" or a member's Slack id.
    escalate_to: Mapped[str] = mapped_column(String(32), default="", server_default="")
    ring_seconds: Mapped[int] = mapped_column(Integer, default=20, server_default="20")
    current_backup: Mapped[str] = mapped_column(String(64), default="", server_default="")
    # The Slack user group kept equal to who is on call (0007): its handle, id, and holder.
    group_handle: Mapped[str] = mapped_column(String(80), default="", server_default="")
    group_id: Mapped[str] = mapped_column(String(32), default="", server_default="")
    group_member: Mapped[str] = mapped_column(String(32), default="", server_default="")


class RotationMember(Base):
    __tablename__ = "rotation_members"
    __table_args__ = (UniqueConstraint("rotation_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    rotation_id: Mapped[int] = mapped_column(Integer, index=True)
    position: Mapped[int] = mapped_column(Integer)
    slack_user_id: Mapped[str] = mapped_column(String(32), index=True)


class OncallNumber(Base):
    """The number a person is reached at when on call (else their Mobile forwarding number)."""

    __tablename__ = "oncall_numbers"

    slack_user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    number: Mapped[str] = mapped_column(String(32))


class OverrideRow(Base):
    __tablename__ = "rotation_overrides"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    rotation_id: Mapped[int] = mapped_column(Integer, index=True)
    member: Mapped[str] = mapped_column(String(32))
    starts_at: Mapped[datetime] = mapped_column(DateTime())
    ends_at: Mapped[datetime] = mapped_column(DateTime(), index=True)
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime())


class HandoffRow(Base):
    __tablename__ = "rotation_handoffs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    rotation_id: Mapped[int] = mapped_column(Integer, index=True)
    member: Mapped[str] = mapped_column(String(32))
    target: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))  # handoff, drift, recorded, at-risk, failed
    shift_start: Mapped[datetime] = mapped_column(DateTime())
    at: Mapped[datetime] = mapped_column(DateTime(), index=True)
