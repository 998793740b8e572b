"""Live calls (issue 20): the push subscription, call-card opt-ins, and the cards posted.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

from bot.store.types import UtcDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "push_subscriptions",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("subscription_id", sa.String(64), nullable=False),
        sa.Column("verification_token", sa.Text(), nullable=False),
        sa.Column("address", sa.String(500), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=False),
    )
    op.create_table(
        "call_optins",
        sa.Column("slack_user_id", sa.String(32), primary_key=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
    )
    op.create_table(
        "call_cards",
        sa.Column("session_id", sa.String(100), primary_key=True),
        sa.Column("recipient", sa.String(32), primary_key=True),
        sa.Column("channel", sa.String(32), nullable=False, server_default=""),
        sa.Column("ts", sa.String(32), nullable=False, server_default=""),
        sa.Column("party_id", sa.String(100), nullable=False, server_default=""),
        sa.Column("sequence", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("state", sa.String(16), nullable=False, server_default=""),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
    )


def downgrade() -> None:
    for table in ("call_cards", "call_optins", "push_subscriptions"):
        op.drop_table(table)
