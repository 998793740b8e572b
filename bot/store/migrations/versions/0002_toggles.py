"""Quick toggles and the last state set on SMSPartner virtual numbers.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

from bot.store.types import UtcDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "toggles",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("slack_user_id", sa.String(32), nullable=False, index=True),
        sa.Column("line", sa.String(100), nullable=False, index=True),
        sa.Column("model", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("target", sa.String(255), nullable=False),
        sa.Column("provider_object", sa.String(64), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=True),
        sa.Column("written", sa.JSON(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("ends_at", UtcDateTime(), nullable=True, index=True),
        sa.Column("lease_until", UtcDateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("closed_at", UtcDateTime(), nullable=True),
    )
    op.create_table(
        "virtual_number_states",
        sa.Column("number", sa.String(32), primary_key=True),
        sa.Column("type", sa.Integer(), nullable=False),
        sa.Column("param", sa.String(255), nullable=False),
        sa.Column("set_by", sa.String(32), nullable=False),
        sa.Column("set_at", UtcDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("virtual_number_states")
    op.drop_table("toggles")
