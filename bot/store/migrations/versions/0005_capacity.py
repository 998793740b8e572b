"""Capacity (issue 18): shared rate windows, own sign-ins, fewer directory and hotline reads.

- `rate_windows` replaces `rate_limit_holds`: each RingCentral token's recent sends per
  throttling group, the penalty after a 429 and the limit the platform last announced.
- `oauth_states`: one-use, ten-minute `state` values of `/switchboard connect`.
- `directory_misses`: Slack users whose email matched no extension (not asked again until
  their profile changes).
- `rotations.checked_at`: when the hotline was last read back from the provider.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

from bot.store.types import UtcDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rate_windows",
        sa.Column("bucket", sa.String(300), primary_key=True),
        sa.Column("sent", sa.JSON(), nullable=False),
        sa.Column("penalty_until", sa.Float(), nullable=True),
        sa.Column("announced_limit", sa.Integer(), nullable=True),
    )
    op.drop_table("rate_limit_holds")
    op.create_table(
        "oauth_states",
        sa.Column("state_hash", sa.String(64), primary_key=True),
        sa.Column("slack_user_id", sa.String(32), nullable=False),
        sa.Column("verifier", sa.Text(), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=False),
        sa.Column("used_at", UtcDateTime(), nullable=True),
    )
    op.create_table(
        "directory_misses",
        sa.Column("slack_user_id", sa.String(32), primary_key=True),
        sa.Column("email", sa.String(255), nullable=False),
        sa.Column("checked_at", UtcDateTime(), nullable=False),
    )
    with op.batch_alter_table("rotations") as batch:
        batch.add_column(sa.Column("checked_at", UtcDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("rotations") as batch:
        batch.drop_column("checked_at")
    op.drop_table("directory_misses")
    op.drop_table("oauth_states")
    op.drop_table("rate_windows")
    op.create_table(
        "rate_limit_holds",
        sa.Column("provider", sa.String(16), primary_key=True),
        sa.Column("group_name", sa.String(16), primary_key=True),
        sa.Column("held_until", UtcDateTime(), nullable=False),
    )
