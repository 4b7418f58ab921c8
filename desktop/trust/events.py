"""Signed, hash-chained events: the unit of history, trust and sync.

Everything that matters for trust (submitted, approved, rejected, published, trust changed, and the
drafts and revisions that travel through the shared folder) is an `Event`. An event is immutable:
its id is the SHA-256 of its canonical body, and the author signs that body with their Ed25519 key.
Each author's events form a chain (`prev` is the id of the author's previous event, `seq` its
position), so a replica can tell a missing, replayed or rewritten event from a valid one without
trusting anyone's clock. Events of different authors are merged by id, so import is idempotent and
order-independent.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

FORMAT_VERSION = 1


class EventError(ValueError):
    """An event that cannot be accepted; the message says why (shown to the user, kept in quarantine)."""


def canonical_json(value: Any) -> bytes:
    """One byte string per value: sorted keys, no spaces, UTF-8. Signatures and ids are over this."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def public_key_text(key: Ed25519PublicKey) -> str:
    """A public key as users copy it around: `ed25519:` + base64 of the 32 raw bytes."""
    from cryptography.hazmat.primitives import serialization

    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "ed25519:" + b64(raw)


def load_public_key(text: str) -> Ed25519PublicKey:
    body = text.strip().removeprefix("ed25519:")
    try:
        raw = unb64(body)
        if len(raw) != 32:
            raise ValueError("wrong length")
        return Ed25519PublicKey.from_public_bytes(raw)
    except ValueError:
        raise EventError(
            f"not an Ed25519 public key: {text[:60]!r} (expected 'ed25519:' + base64 of 32 bytes)"
        ) from None


def fingerprint(public_key: str) -> str:
    """Short, stable name of a key: first 16 hex digits of SHA-256 over the raw key, in groups of 4."""
    try:
        raw = unb64(public_key.strip().removeprefix("ed25519:"))
    except ValueError:
        raise EventError(f"not an Ed25519 public key: {public_key[:60]!r}") from None
    digest = hashlib.sha256(raw).hexdigest()[:16]
    return ":".join(digest[i : i + 4] for i in range(0, 16, 4))


@dataclass(frozen=True)
class Event:
    """One signed fact. `body()` is what is hashed and signed; `id` and `signature` are derived."""

    kind: str  # e.g. "draft.revised", "approval.submitted", "approval.approved", "roster.signed"
    author: str  # author's public key text ("ed25519:...")
    seq: int  # 1-based position in the author's chain
    prev: str | None  # id of the author's previous event; None for seq 1
    created: str  # author's clock, ISO 8601 UTC; informational only (clocks skew)
    payload: dict[str, Any] = field(default_factory=dict)
    draft_id: str | None = None
    version: int = FORMAT_VERSION
    signature: str = ""

    def body(self) -> dict[str, Any]:
        return {
            "v": self.version,
            "kind": self.kind,
            "author": self.author,
            "seq": self.seq,
            "prev": self.prev,
            "created": self.created,
            "draft_id": self.draft_id,
            "payload": self.payload,
        }

    @property
    def id(self) -> str:
        return hashlib.sha256(canonical_json(self.body())).hexdigest()

    def signed(self, key: Ed25519PrivateKey) -> Event:
        from dataclasses import replace

        return replace(self, signature=b64(key.sign(canonical_json(self.body()))))

    def verify(self) -> None:
        """Raise EventError unless the signature is the author's over exactly this body."""
        if self.version > FORMAT_VERSION:
            raise EventError(
                f"event format v{self.version} is newer than this Greenlight understands (v{FORMAT_VERSION})"
            )
        if not self.signature:
            raise EventError("event is not signed")
        try:
            load_public_key(self.author).verify(unb64(self.signature), canonical_json(self.body()))
        except (InvalidSignature, ValueError):
            raise EventError("signature does not match the event's content (altered or forged)") from None

    def to_json(self) -> dict[str, Any]:
        return {**self.body(), "id": self.id, "signature": self.signature}

    @classmethod
    def from_json(cls, data: Any) -> Event:
        """Parse and check shape, signature and id; raise EventError with the reason otherwise.

        Types are checked strictly (a seq of "3" or 3.0 is refused, not coerced), because whatever
        is accepted here is re-serialised for the id and signature check.
        """
        if not isinstance(data, dict):
            raise EventError("not an event (expected a JSON object)")
        missing = [k for k in ("kind", "author", "seq", "prev", "created", "payload") if k not in data]
        if missing:
            raise EventError(f"malformed event: missing field(s) {', '.join(missing)}")
        checks = (
            ("kind", str, False),
            ("author", str, False),
            ("created", str, False),
            ("payload", dict, False),
            ("prev", str, True),
            ("draft_id", str, True),
            ("signature", str, True),
        )
        for key, kind, nullable in checks:
            value = data.get(key)
            if value is None and (nullable or key not in data):
                continue
            if not isinstance(value, kind):
                raise EventError(f"malformed event: field {key!r} must be a {kind.__name__}")
        seq, version = data["seq"], data.get("v", FORMAT_VERSION)
        if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
            raise EventError("malformed event: field 'seq' must be a whole number from 1")
        if not isinstance(version, int) or isinstance(version, bool):
            raise EventError("malformed event: field 'v' must be a whole number")
        if (seq == 1) != (data["prev"] is None):
            raise EventError("malformed event: only an author's first event (seq 1) has no 'prev'")
        event = cls(
            kind=data["kind"],
            author=data["author"],
            seq=seq,
            prev=data["prev"],
            created=data["created"],
            payload=data["payload"],
            draft_id=data.get("draft_id"),
            version=version,
            signature=data.get("signature") or "",
        )
        event.verify()
        claimed = data.get("id")
        if claimed is not None and claimed != event.id:
            raise EventError("event id does not match its content")
        return event


def folder_fingerprint(public_key: str) -> str:
    """The fingerprint as a folder name: dashes instead of colons (colons are invalid on Windows)."""
    return fingerprint(public_key).replace(":", "-")


def event_file_name(event: Event) -> str:
    """`<seq:08d>-<id>.json`: sorts by chain position, content-addressed, the same on every replica."""
    return f"{event.seq:08d}-{event.id}.json"
