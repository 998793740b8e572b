"""Call cards keep their Forward buttons at burst rates (issue 29): each opted-in person's
forwarding numbers kept in the store, read ahead in the background, for every instance.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

from bot.store.types import UtcDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "call_card_numbers",
        sa.Column("slack_user_id", sa.String(32), primary_key=True),
        sa.Column("line_id", sa.String(64), nullable=False),
        sa.Column("numbers", sa.Text(), nullable=False, server_default=""),
        sa.Column("read_at", UtcDateTime(), nullable=True),
        sa.Column("due_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_call_card_numbers_due_at", "call_card_numbers", ["due_at"])


def downgrade() -> None:
    op.drop_index("ix_call_card_numbers_due_at", "call_card_numbers")
    op.drop_table("call_card_numbers")
