"""Provider names and lines: a provider's name (declared by its own package, with how
people see it), and `provider:line_id` parsed in one place."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


class ProviderName(str):
    """A provider's name as typed and stored (`ringcentral`), and as people see it
    (`display`: "RingCentral").

    The domain knows no provider: each provider's package declares its own name
    (`ProviderName.declare`, in its `declaration.py`) and the registry imports every
    provider's package, so a process knows each name before it reads one. A name nobody
    declared is refused (ValueError), as an unknown enum value was.
    """

    __slots__ = ()
    _declared: ClassVar[dict[str, tuple[ProviderName, str]]] = {}  # name -> (it, display name)

    def __new__(cls, value: str) -> ProviderName:
        """The declared name (one object per provider, as an enum's members are)."""
        try:
            return cls._declared[value][0]
        except KeyError:
            raise ValueError(
                f"{value!r} is not a provider's name (each provider's package declares its own)"
            ) from None

    @classmethod
    def declare(cls, value: str, display: str) -> ProviderName:
        """A provider's name, declared once by its package (`bot/providers/<name>/`)."""
        if not value.isidentifier() or value != value.lower():
            raise ValueError(f"a provider's name is one lower-case word, not {value!r}")
        if value in cls._declared:
            name, known = cls._declared[value]
            if known != display:
                raise ValueError(f"provider {value!r} is already declared as {known!r}")
            return name
        name = str.__new__(cls, value)
        cls._declared[value] = (name, display)
        return name

    @classmethod
    def declared(cls) -> tuple[ProviderName, ...]:
        """Every provider's name declared in this process, in the order they were declared."""
        return tuple(name for name, _display in cls._declared.values())

    @property
    def value(self) -> str:
        """The name as typed and stored (`str(name)`)."""
        return str.__str__(self)

    @property
    def display(self) -> str:
        """How people see the provider's name ("RingCentral")."""
        return self._declared[self][1]

    def __repr__(self) -> str:
        return f"ProviderName({self.value!r})"


@dataclass(frozen=True, slots=True)
class LineRef:
    """A line at a provider (an extension or a virtual number), as stored: `provider:line_id`."""

    provider: ProviderName
    line_id: str

    @classmethod
    def parse(cls, ref: str) -> LineRef:
        provider, _, line_id = ref.partition(":")
        return cls(ProviderName(provider), line_id)

    def __str__(self) -> str:
        return f"{self.provider.value}:{self.line_id}"


def rotation_owner(rotation_id: int) -> str:
    """Who a rotation's hotline "belongs" to in toggle rows: the rotation, never a person."""
    return f"rotation:{rotation_id}"


def owned_by_rotation(owner: str) -> bool:
    """A rotation's hotline: only the rotation changes it, so its own rule edited elsewhere is
    still its own to replace (a person's edit of their own line is left alone)."""
    return owner.startswith("rotation:")
