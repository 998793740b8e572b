"""Secrets at rest: provider tokens sealed with Fernet under SWITCHBOARD_SECRET_KEY.

`cryptography`'s Fernet (AES-128-CBC + HMAC-SHA256, with a timestamp) does the crypto;
the 32-byte key comes from the configured string through HKDF-SHA256, so any string of 32+
characters works. Without a key, values are stored as they are (`switchboard check`
warns). A sealed value that can't be opened (the key changed) reads as missing, so the
bot signs in again instead of sending garbage.

Changing the key: `switchboard db reseal` opens every stored value with the new key or one of
SWITCHBOARD_PREVIOUS_SECRET_KEYS and seals it again with the new one (`MultiFernet.rotate`,
https://cryptography.io/en/latest/fernet/#cryptography.fernet.MultiFernet.rotate).
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from pydantic import SecretStr

log = logging.getLogger(__name__)

PREFIX = "fernet:"
_INFO = b"switchboard provider tokens v1"


def _fernet(key: SecretStr) -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
        key.get_secret_value().encode()
    )
    return Fernet(base64.urlsafe_b64encode(derived))


class SecretBox:
    """Seals with `key`; opens what `key` or any of `previous` sealed."""

    def __init__(self, key: SecretStr | None, previous: Sequence[SecretStr] = ()) -> None:
        self._fernet: MultiFernet | None = None
        if key is not None and key.get_secret_value():
            self._fernet = MultiFernet([_fernet(key), *(_fernet(k) for k in previous)])

    @property
    def encrypts(self) -> bool:
        return self._fernet is not None

    def seal(self, value: str) -> str:
        if self._fernet is None or not value:
            return value
        return PREFIX + self._fernet.encrypt(value.encode()).decode()

    def open(self, stored: str) -> str | None:
        """The plain value; None when it is sealed and this key can't open it."""
        if not stored.startswith(PREFIX):
            return stored
        if self._fernet is None:
            log.warning("a stored token is encrypted but SWITCHBOARD_SECRET_KEY is not set")
            return None
        try:
            return self._fernet.decrypt(stored.removeprefix(PREFIX).encode()).decode()
        except InvalidToken:
            log.warning("a stored token can't be decrypted with SWITCHBOARD_SECRET_KEY")
            return None

    def reseal(self, stored: str) -> str | None:
        """`stored` sealed with the current key (a plain value is sealed); None when no key
        this box has opens it."""
        if self._fernet is None or not stored:
            return stored
        if not stored.startswith(PREFIX):
            return self.seal(stored)
        try:
            return PREFIX + self._fernet.rotate(stored.removeprefix(PREFIX).encode()).decode()
        except InvalidToken:
            return None


PLAIN = SecretBox(None)
