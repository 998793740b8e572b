"""On-call rotations, members, on-call numbers, overrides and handoff history.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

from bot.store.types import UtcDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rotations",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(80), nullable=False, unique=True),
        sa.Column("hotline", sa.String(100), nullable=False),
        sa.Column("hotline_label", sa.String(100), nullable=False),
        sa.Column("shift_type", sa.String(8), nullable=False),
        sa.Column("shift_length", sa.Integer(), nullable=False),
        sa.Column("handoff", sa.String(5), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("start_date", sa.String(10), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("created_by", sa.String(32), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("current_member", sa.String(32), nullable=False),
        sa.Column("current_target", sa.String(32), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("lease_until", UtcDateTime(), nullable=True),
        sa.Column("next_try_at", UtcDateTime(), nullable=True),
    )
    op.create_table(
        "rotation_members",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("rotation_id", sa.Integer(), nullable=False, index=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("slack_user_id", sa.String(32), nullable=False, index=True),
        sa.UniqueConstraint("rotation_id", "position", name="uq_rotation_members_rotation_id"),
    )
    op.create_table(
        "oncall_numbers",
        sa.Column("slack_user_id", sa.String(32), primary_key=True),
        sa.Column("number", sa.String(32), nullable=False),
    )
    op.create_table(
        "rotation_overrides",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("rotation_id", sa.Integer(), nullable=False, index=True),
        sa.Column("member", sa.String(32), nullable=False),
        sa.Column("starts_at", UtcDateTime(), nullable=False),
        sa.Column("ends_at", UtcDateTime(), nullable=False, index=True),
        sa.Column("created_by", sa.String(32), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
    )
    op.create_table(
        "rotation_handoffs",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("rotation_id", sa.Integer(), nullable=False, index=True),
        sa.Column("member", sa.String(32), nullable=False),
        sa.Column("target", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("shift_start", UtcDateTime(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False, index=True),
    )


def downgrade() -> None:
    for table in (
        "rotation_handoffs",
        "rotation_overrides",
        "oncall_numbers",
        "rotation_members",
        "rotations",
    ):
        op.drop_table(table)
