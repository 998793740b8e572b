"""What a line's provider can't do, said naming the provider (docs/contract.md's capability table)."""

from __future__ import annotations

from bot.store.links import LinkRecord

NO_LINE = "None of your lines can do that; ask a Switchboard admin to link one."


def cannot(what: str, lines: list[LinkRecord]) -> str:
    """A capability sentence that names the provider that can't (docs/contract.md's capability table)."""
    names = sorted({x.provider.display for x in lines})
    if not names:
        return NO_LINE
    return (
        f"{' and '.join(names)} can't {what} through Switchboard; "
        "ask a Switchboard admin to link a line that can."
    )
