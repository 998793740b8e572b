"""On-call escalation (issue 28): whom a rotation's hotline rings when the on-call person
does not answer, and for how long each rings.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("rotations") as batch:
        batch.add_column(sa.Column("escalate_to", sa.String(32), nullable=False, server_default=""))
        batch.add_column(sa.Column("ring_seconds", sa.Integer(), nullable=False, server_default="20"))
        batch.add_column(sa.Column("current_backup", sa.String(64), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("rotations") as batch:
        batch.drop_column("current_backup")
        batch.drop_column("ring_seconds")
        batch.drop_column("escalate_to")
