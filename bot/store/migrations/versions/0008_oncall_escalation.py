"""On-call that never misses a call (issue 28): whom a rotation's hotline rings when the
on-call person does not answer and for how long; the Slack user group kept equal to who is
on call; private calendar feeds (their secrets kept only as hashes); cover requests; time off.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

from bot.store.types import UtcDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_feeds",
        sa.Column("secret_hash", sa.String(64), primary_key=True),
        sa.Column("slack_user_id", sa.String(32), nullable=False),
        sa.Column("rotation_id", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("created_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_calendar_feeds_slack_user_id", "calendar_feeds", ["slack_user_id"])
    op.create_table(
        "cover_requests",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("rotation_id", sa.Integer(), nullable=False),
        sa.Column("asker", sa.String(32), nullable=False),
        sa.Column("starts_at", UtcDateTime(), nullable=False),
        sa.Column("ends_at", UtcDateTime(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, server_default="open"),
        sa.Column("taken_by", sa.String(32), nullable=False, server_default=""),
        sa.Column("channel", sa.String(32), nullable=False, server_default=""),
        sa.Column("ts", sa.String(32), nullable=False, server_default=""),
        sa.Column("created_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_cover_requests_rotation_id", "cover_requests", ["rotation_id"])
    op.create_table(
        "time_off",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("slack_user_id", sa.String(32), nullable=False),
        sa.Column("starts_at", UtcDateTime(), nullable=False),
        sa.Column("ends_at", UtcDateTime(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_time_off_slack_user_id", "time_off", ["slack_user_id"])
    with op.batch_alter_table("rotations") as batch:
        batch.add_column(sa.Column("escalate_to", sa.String(32), nullable=False, server_default=""))
        batch.add_column(sa.Column("ring_seconds", sa.Integer(), nullable=False, server_default="20"))
        batch.add_column(sa.Column("current_backup", sa.String(64), nullable=False, server_default=""))
        batch.add_column(sa.Column("group_handle", sa.String(80), nullable=False, server_default=""))
        batch.add_column(sa.Column("group_id", sa.String(32), nullable=False, server_default=""))
        batch.add_column(sa.Column("group_member", sa.String(32), nullable=False, server_default=""))


def downgrade() -> None:
    op.drop_table("time_off")
    op.drop_table("cover_requests")
    op.drop_table("calendar_feeds")
    with op.batch_alter_table("rotations") as batch:
        for column in ("group_member", "group_id", "group_handle", "current_backup"):
            batch.drop_column(column)
        batch.drop_column("ring_seconds")
        batch.drop_column("escalate_to")
