"""Tables of the live side (docs/contract.md "Live calls in Slack"): the push subscription, the
people who want call cards, and each card posted (its message and the last sequence shown)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.models import Base
from bot.store.types import UtcDateTime as DateTime


class PushSubscription(Base):
    """The deployment's one RingCentral subscription, shared by every instance."""

    __tablename__ = "push_subscriptions"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    subscription_id: Mapped[str] = mapped_column(String(64))
    verification_token: Mapped[str] = mapped_column(Text)  # sealed
    address: Mapped[str] = mapped_column(String(500))
    expires_at: Mapped[datetime] = mapped_column(DateTime())


class CallOptIn(Base):
    __tablename__ = "call_optins"

    slack_user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime())


class CallCardRow(Base):
    """One card about one call: a person's DM or a rotation's channel message."""

    __tablename__ = "call_cards"

    session_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    recipient: Mapped[str] = mapped_column(String(32), primary_key=True)  # user or channel id
    channel: Mapped[str] = mapped_column(
        String(32), default="", server_default=""
    )  # where the message is
    ts: Mapped[str] = mapped_column(String(32), default="", server_default="")
    party_id: Mapped[str] = mapped_column(
        String(100), default="", server_default=""
    )  # the party that rang
    sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    state: Mapped[str] = mapped_column(String(16), default="", server_default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime())


class CallCardNumbers(Base):
    """An opted-in person's forwarding numbers as last read, for their call cards' buttons:
    shared by every instance, so a card reads the store at ring time, not RingCentral."""

    __tablename__ = "call_card_numbers"

    slack_user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    line_id: Mapped[str] = mapped_column(String(64))  # the person's extension
    numbers: Mapped[str] = mapped_column(Text, default="", server_default="")  # JSON; "": not read
    read_at: Mapped[datetime | None] = mapped_column(DateTime(), nullable=True)
    due_at: Mapped[datetime] = mapped_column(DateTime(), index=True)  # the next background read
