"""Trust: one Slack user per line, one active forward per line, one rotation per hotline.

Existing duplicates are not a reason to fail the upgrade: the migration keeps one (an
admin's link before an email link, then the oldest; the newest active forward), removes
the rest, and leaves a notice for the admins (sent once by the running bot).

Revision ID: 0004
Revises: 0003
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from bot.store.types import UtcDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "admin_notices",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("sent_at", UtcDateTime(), nullable=True),
    )
    op.create_table(
        "line_locks",
        sa.Column("line", sa.String(100), primary_key=True),
        sa.Column("holder", sa.String(64), nullable=False),
        sa.Column("until", UtcDateTime(), nullable=False),
    )
    with op.batch_alter_table("links") as batch:
        batch.add_column(sa.Column("email", sa.String(255), nullable=False, server_default=""))
        batch.add_column(sa.Column("checked_at", UtcDateTime(), nullable=True))
    bind = op.get_bind()
    now = datetime.now(UTC)
    notices = [*_one_user_per_line(bind), *_one_forward_per_line(bind)]
    op.create_index("uq_links_line", "links", ["provider", "line_id"], unique=True)
    op.create_index(
        "uq_toggles_active_line",
        "toggles",
        ["line"],
        unique=True,
        sqlite_where=sa.text("status = 'active'"),
        postgresql_where=sa.text("status = 'active'"),
    )
    shared = bind.execute(
        sa.text("SELECT hotline FROM rotations GROUP BY hotline HAVING COUNT(*) > 1")
    ).all()
    if shared:
        notices.append(
            "Several rotations share a hotline ("
            + ", ".join(f"`{row[0]}`" for row in shared)
            + "); they take turns overwriting it. Delete all but one with `/oncall delete`."
        )
    else:
        op.create_index("uq_rotations_hotline", "rotations", ["hotline"], unique=True)
    for text in notices:
        bind.execute(
            sa.text("INSERT INTO admin_notices (text, created_at) VALUES (:t, :at)"),
            {"t": text, "at": now},
        )


def _one_user_per_line(bind: sa.Connection) -> list[str]:
    rows = bind.execute(
        sa.text(
            "SELECT id, slack_user_id, provider, line_id, extension_number, source FROM links "
            "ORDER BY provider, line_id, CASE WHEN source = 'admin' THEN 0 ELSE 1 END, id"
        )
    ).all()
    notices, kept = [], {}
    for row in rows:
        line = (row.provider, row.line_id)
        if line not in kept:
            kept[line] = row
            continue
        bind.execute(sa.text("DELETE FROM links WHERE id = :id"), {"id": row.id})
        holder = kept[line]
        notices.append(
            f"Line {row.provider} {row.extension_number} was linked to both <@{holder.slack_user_id}> "
            f"and <@{row.slack_user_id}>; a line belongs to one person now, so Switchboard kept "
            f"<@{holder.slack_user_id}>'s link. If that's wrong: `/switchboard link "
            f"<@{row.slack_user_id}> {row.extension_number} replace`."
        )
    return notices


def _one_forward_per_line(bind: sa.Connection) -> list[str]:
    rows = bind.execute(
        sa.text("SELECT id, line FROM toggles WHERE status = 'active' ORDER BY line, id DESC")
    ).all()
    notices, seen = [], set()
    for row in rows:
        if row.line not in seen:
            seen.add(row.line)
            continue
        bind.execute(sa.text("UPDATE toggles SET status = 'left' WHERE id = :id"), {"id": row.id})
        notices.append(
            f"Line `{row.line}` had two forwards set by Switchboard at once; the newest is kept. "
            "Check where its calls go with `/forward status`."
        )
    return notices


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS uq_rotations_hotline")
    op.drop_index("uq_toggles_active_line", "toggles")
    op.drop_index("uq_links_line", "links")
    with op.batch_alter_table("links") as batch:
        batch.drop_column("checked_at")
        batch.drop_column("email")
    op.drop_table("line_locks")
    op.drop_table("admin_notices")
