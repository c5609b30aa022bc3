"""Field encryption (SM4-GCM) and blind indexes (HMAC-SM3), pure Python over `cryptography`.

DESIGN "Data scope": ID and phone numbers are stored encrypted with a keyed hash beside them
for exact lookup and uniqueness. A ciphertext is text: ``<key id>$<base64(nonce|ct|tag)>`` so
keys can rotate (old ids stay readable through ``KeyRing.old``). The blind index uses its own
key, independent of rotation, so lookups keep working after a re-key.
"""

from __future__ import annotations

import base64
import binascii
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

NONCE_BYTES = 12
TAG_BYTES = 16
SEPARATOR = "$"
NONCE_POOL = 256  # nonces drawn from the OS per read (see `_nonce`)


class _NoncePool(threading.local):
    """Random GCM nonces, read from the OS CSPRNG `NONCE_POOL` at a time instead of one
    `os.urandom` call each: every call releases and retakes the GIL, which in a bulk import
    (600,000 encryptions, another thread binding statement parameters) cost more than the
    encryption. Per thread, and emptied in a forked child, so no two processes or threads
    ever hand out the same bytes."""

    buffer = b""
    offset = 0


_pool = _NoncePool()


def _forget_nonces() -> None:
    _pool.buffer, _pool.offset = b"", 0


os.register_at_fork(after_in_child=_forget_nonces)


def _nonce() -> bytes:
    pool = _pool
    start = pool.offset
    if start + NONCE_BYTES > len(pool.buffer):
        pool.buffer, start = os.urandom(NONCE_BYTES * NONCE_POOL), 0
    pool.offset = start + NONCE_BYTES
    return pool.buffer[start : start + NONCE_BYTES]


def _gcm_encryptor_factory() -> Callable[[Any, bytes], Any]:
    """algorithm, nonce -> SM4-GCM encryption context. `Cipher(...).encryptor()` spends
    about 4 µs of its 10 in Python-level argument checks (ABC isinstance, mode validation)
    that cannot fail for our own SM4 key and 12-byte nonce, so this calls the same Rust
    constructor `Cipher.encryptor` ends in, when this version of `cryptography` has it."""
    try:
        from cryptography.hazmat.bindings._rust import openssl as rust_openssl

        create = rust_openssl.ciphers.create_encryption_ctx
        probe = create(algorithms.SM4(bytes(16)), modes.GCM(bytes(NONCE_BYTES)))
        probe.update(b"probe")
        probe.finalize()
        if len(probe.tag) != TAG_BYTES:
            raise ValueError("unexpected tag")
    except Exception:  # another cryptography layout: the public, checked path
        return lambda algorithm, nonce: Cipher(algorithm, modes.GCM(nonce)).encryptor()
    gcm = modes.GCM
    return lambda algorithm, nonce: create(algorithm, gcm(nonce))


_gcm_encryptor = _gcm_encryptor_factory()


class CryptoError(ValueError):
    """A key is malformed or a ciphertext does not authenticate."""


def _parse_key(spec: str) -> tuple[str, bytes]:
    key_id, sep, hex_key = spec.strip().partition(":")
    if not sep or not key_id or SEPARATOR in key_id:
        raise CryptoError("密钥格式应为 <编号>:<32位十六进制>")
    try:
        key = binascii.unhexlify(hex_key)
    except binascii.Error as exc:
        raise CryptoError("密钥不是十六进制") from exc
    if len(key) != 16:
        raise CryptoError("SM4 密钥必须是 128 位（32 位十六进制）")
    return key_id, key


@dataclass(frozen=True)
class KeyRing:
    current_id: str
    keys: dict[str, bytes] = field(repr=False)
    index_key: bytes = field(repr=False)

    @classmethod
    def from_specs(cls, current: str, old: list[str], index_key_hex: str) -> KeyRing:
        current_id, current_key = _parse_key(current)
        keys = dict(_parse_key(spec) for spec in old if spec.strip())
        keys[current_id] = current_key
        index_key = binascii.unhexlify(index_key_hex.strip())
        if len(index_key) < 16:
            raise CryptoError("索引密钥至少 128 位")
        return cls(current_id=current_id, keys=keys, index_key=index_key)

    @cached_property
    def _current_algorithm(self) -> algorithms.SM4:
        return algorithms.SM4(self.keys[self.current_id])

    @cached_property
    def _current_prefix(self) -> str:
        return f"{self.current_id}{SEPARATOR}"

    def encrypt(self, plaintext: str, *, associated: bytes = b"") -> str:
        nonce = _nonce()
        enc = _gcm_encryptor(self._current_algorithm, nonce)
        if associated:
            enc.authenticate_additional_data(associated)
        body = enc.update(plaintext.encode("utf-8")) + enc.finalize()
        blob = binascii.b2a_base64(nonce + body + enc.tag, newline=False).decode("ascii")
        return self._current_prefix + blob

    def decrypt(self, token: str, *, associated: bytes = b"") -> str:
        key_id, sep, blob = token.partition(SEPARATOR)
        if not sep or key_id not in self.keys:
            raise CryptoError(f"未知的密钥编号：{key_id}")
        raw = base64.b64decode(blob)
        nonce, body, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
        dec = Cipher(algorithms.SM4(self.keys[key_id]), modes.GCM(nonce, tag)).decryptor()
        dec.authenticate_additional_data(associated)
        try:
            return (dec.update(body) + dec.finalize()).decode("utf-8")
        except InvalidTag as exc:
            raise CryptoError("密文校验失败（密钥不符或数据被篡改）") from exc

    def encrypt_bytes(self, data: bytes, *, associated: bytes = b"") -> bytes:
        """Whole files (an uploaded workbook waiting for import): ``<key id>$`` + raw blob."""
        nonce = _nonce()
        enc = Cipher(algorithms.SM4(self.keys[self.current_id]), modes.GCM(nonce)).encryptor()
        enc.authenticate_additional_data(associated)
        body = enc.update(data) + enc.finalize()
        return self.current_id.encode("ascii") + SEPARATOR.encode() + nonce + body + enc.tag

    def decrypt_bytes(self, blob: bytes, *, associated: bytes = b"") -> bytes:
        key_id, sep, raw = bytes(blob).partition(SEPARATOR.encode())
        name = key_id.decode("ascii", "replace")
        if not sep or name not in self.keys:
            raise CryptoError(f"未知的密钥编号：{name}")
        nonce, body, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
        dec = Cipher(algorithms.SM4(self.keys[name]), modes.GCM(nonce, tag)).decryptor()
        dec.authenticate_additional_data(associated)
        try:
            return dec.update(body) + dec.finalize()
        except InvalidTag as exc:
            raise CryptoError("密文校验失败（密钥不符或数据被篡改）") from exc

    def key_id_of(self, token: str) -> str:
        return token.partition(SEPARATOR)[0]

    @cached_property
    def _index_mac(self) -> hmac.HMAC:
        # Keyed once; each index copies it (the same HMAC, without re-deriving the key pads).
        return hmac.HMAC(self.index_key, hashes.SM3())

    @cached_property
    def _purpose_macs(self) -> dict[str, hmac.HMAC]:
        return {}

    def blind_index(self, value: str, *, purpose: str) -> str:
        """Keyed hash for exact lookup; `purpose` separates e.g. ID numbers from phones.
        HMAC(index key, purpose | 0x00 | value): the keyed state after the purpose prefix is
        kept per purpose and copied, which gives the same digest as hashing it every time."""
        base = self._purpose_macs.get(purpose)
        if base is None:
            base = self._index_mac.copy()
            base.update(purpose.encode("utf-8") + b"\x00")
            self._purpose_macs[purpose] = base
        mac = base.copy()
        mac.update(value.encode("utf-8"))
        return mac.finalize().hex()
