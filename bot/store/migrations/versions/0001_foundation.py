"""Foundation: links, audit log, idempotency keys, provider tokens, rate-limit holds.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from bot.store.types import UtcDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "links",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("slack_user_id", sa.String(32), nullable=False, index=True),
        sa.Column("provider", sa.String(16), nullable=False),
        sa.Column("line_id", sa.String(64), nullable=False),
        sa.Column("extension_number", sa.String(32), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("source", sa.String(8), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.UniqueConstraint("slack_user_id", "provider", name="uq_links_slack_user_id"),
    )
    op.create_table(
        "unlinked_users",
        sa.Column("slack_user_id", sa.String(32), primary_key=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", UtcDateTime(), nullable=False, index=True),
        sa.Column("actor", sa.String(32), nullable=False, index=True),
        sa.Column("subject", sa.String(32), nullable=False, index=True),
        sa.Column("line", sa.String(100), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("request_id", sa.String(32), nullable=False),
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("key", sa.String(255), primary_key=True),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False, index=True),
    )
    op.create_table(
        "provider_tokens",
        sa.Column("account", sa.String(255), primary_key=True),
        sa.Column("access_token", sa.Text(), nullable=False),
        sa.Column("refresh_token", sa.Text(), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=False),
        sa.Column("refresh_expires_at", UtcDateTime(), nullable=True),
        sa.Column("owner_id", sa.String(64), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
    )
    op.create_table(
        "rate_limit_holds",
        sa.Column("provider", sa.String(16), primary_key=True),
        sa.Column("group_name", sa.String(16), primary_key=True),
        sa.Column("held_until", UtcDateTime(), nullable=False),
    )


def downgrade() -> None:
    for table in (
        "rate_limit_holds",
        "provider_tokens",
        "idempotency_keys",
        "audit_log",
        "unlinked_users",
        "links",
    ):
        op.drop_table(table)
