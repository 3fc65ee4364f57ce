"""GDPR requests about one caller, found by phone number: find, export, erase.

A caller leaves traces in bookings, the customer list, conversations (as caller id, in the session
state, or in what was said), callback requests, queued or sent texts, and audit entries. `find()`
gathers all of them; `erase()` removes them in one transaction and writes an audit entry that proves
what was erased and when (counts and a keyed hash of the number, never the data itself).

Past bookings keep the calendar fact for `[privacy] keep_bookings_for_days` (the business's records),
with the name and phone replaced; future bookings are cancelled and anonymised; older ones deleted.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Iterable

import sqlite_utils

from receptionist.booking.db import write_transaction
from receptionist.booking.hours import iso_utc
from receptionist.booking.phones import normalize_phone
from receptionist.config.privacy import PrivacyConfig
from receptionist.config.tenant import TenantConfig
from receptionist.errors import BookingError

ERASED = "[erased]"
_NUMBERISH = re.compile(r"\+?\d[\d\s\-./()]{4,}\d")
# An erased booking's columns that are not kept: what they become.
_BLANK = {"service_id": None, "price_cents": 0, "currency": "", "language": "", "channel": "",
          "created_at": "", "details": "{}"}


class PhoneMatcher:
    """Does a text mention this number, however it was written ("5123 4567", "+372-5123-4567", "0037251234567")?"""

    def __init__(self, e164: str, national: str) -> None:
        full = e164.lstrip("+")
        self.forms = {full, "00" + full, national, "0" + national}

    def __call__(self, text: str | None) -> bool:
        if not text or not any(ch.isdigit() for ch in text):
            return False
        return any(re.sub(r"\D", "", m.group()) in self.forms for m in _NUMBERISH.finditer(text))


def matcher_for(e164: str) -> PhoneMatcher:
    import phonenumbers

    number = phonenumbers.parse(e164, None)
    return PhoneMatcher(e164, str(number.national_number))


@dataclass(frozen=True, slots=True)
class Findings:
    """Every record about one caller in the given tenants (rows as dicts, as stored)."""

    phone: str  # E.164
    tenants: tuple[str, ...]
    bookings: list[dict] = field(default_factory=list)
    customers: list[dict] = field(default_factory=list)
    conversations: list[dict] = field(default_factory=list)  # each with its "messages"
    callbacks: list[dict] = field(default_factory=list)
    sms: list[dict] = field(default_factory=list)
    audit: list[dict] = field(default_factory=list)  # audit entries whose detail mentions the number
    erasures: list[dict] = field(default_factory=list)  # earlier erasures of this number (matched by hash)
    sms_received: list[dict] = field(default_factory=list)  # the caller's incoming texts (sms_inbox)

    def counts(self) -> dict[str, int]:
        return {"bookings": len(self.bookings), "customers": len(self.customers),
                "conversations": len(self.conversations),
                "messages": sum(len(c["messages"]) for c in self.conversations),
                "callbacks": len(self.callbacks), "sms": len(self.sms), "sms_received": len(self.sms_received),
                "audit": len(self.audit)}

    @property
    def empty(self) -> bool:
        return not any(self.counts().values())

    def to_dict(self) -> dict[str, Any]:
        return {"phone": self.phone, "tenants": list(self.tenants), "counts": self.counts(),
                "bookings": self.bookings, "customers": self.customers, "conversations": self.conversations,
                "callbacks": self.callbacks, "sms": self.sms, "sms_received": self.sms_received, "audit": self.audit,
                "erasures": self.erasures}


@dataclass(frozen=True, slots=True)
class Erasure:
    subject: str  # keyed hash of the number
    at: str
    counts: dict[str, int]  # deleted / anonymised per kind

    def to_dict(self) -> dict[str, Any]:
        return {"subject": self.subject, "at": self.at, "counts": dict(self.counts)}


def load_salt(data_dir: Path) -> bytes:
    """The appliance's secret key for erasure hashes (created once, readable by the service user only)."""
    path = Path(data_dir) / "privacy.salt"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_hex(32), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip().encode()


def subject_hash(salt: bytes, e164: str) -> str:
    return "hmac-sha256:" + hmac.new(salt, e164.encode(), hashlib.sha256).hexdigest()


def _rows(db: sqlite_utils.Database, sql: str, params: Any = ()) -> list[dict]:
    return list(db.query(sql, params))


def _in(tenants: tuple[str, ...]) -> str:
    return ", ".join("?" * len(tenants))


def find(db: sqlite_utils.Database, phone: str, tenant_ids: tuple[str, ...], *, salt: bytes | None = None) -> Findings:
    """Everything about the caller with this E.164 number, in these tenants only."""
    match = matcher_for(phone)
    t, q = tenant_ids, _in(tenant_ids)
    customers = _rows(db, f"SELECT * FROM customers WHERE tenant_id IN ({q}) AND phone = ?", (*t, phone))
    customer_ids = [c["id"] for c in customers]
    bookings = [b for b in _rows(db, f"SELECT * FROM bookings WHERE tenant_id IN ({q}) ORDER BY id", t)
                if b["phone"] == phone or b["customer_id"] in customer_ids or match(b["details_json"])]
    callbacks = [c for c in _rows(db, f"SELECT * FROM callbacks WHERE tenant_id IN ({q}) ORDER BY id", t)
                 if c["phone"] == phone or match(c["phone"]) or match(c["reason"])]
    sms = [s for s in _rows(db, f"SELECT * FROM sms_outbox WHERE tenant_id IN ({q}) ORDER BY id", t)
           if s["phone"] == phone or match(s["phone"]) or match(s["text"])]
    conv_ids = {c["conversation_id"] for c in callbacks if c["conversation_id"]}
    for c in _rows(db, f"SELECT id, caller_id, state_json FROM conversations WHERE tenant_id IN ({q})", t):
        if c["caller_id"] == phone or match(c["caller_id"]) or match(c["state_json"]):
            conv_ids.add(c["id"])
    for m in _rows(db, f"SELECT conversation_id, text, meta_json FROM messages WHERE tenant_id IN ({q}) "
                       "AND (text GLOB '*[0-9][0-9]*' OR meta_json GLOB '*[0-9][0-9][0-9][0-9]*')", t):
        if match(m["text"]) or match(m["meta_json"]):
            conv_ids.add(m["conversation_id"])
    conversations = []
    for cid in sorted(conv_ids):
        found = _rows(db, f"SELECT * FROM conversations WHERE id = ? AND tenant_id IN ({q})", (cid, *t))
        if found:
            conv = found[0]
            conv["messages"] = _rows(db, "SELECT * FROM messages WHERE conversation_id = ? ORDER BY id", (cid,))
            conversations.append(conv)
    audit = [a for a in _rows(db, f"SELECT * FROM audit_log WHERE tenant_id IN ({q}) AND action != "
                                  "'privacy.erase' ORDER BY id", t) if match(a["detail_json"])]
    erasures: list[dict] = []
    if salt is not None:
        subject = subject_hash(salt, phone)
        erasures = [a for a in _rows(db, f"SELECT * FROM audit_log WHERE tenant_id IN ({q}) AND action = "
                                         "'privacy.erase' ORDER BY id", t) if subject in a["detail_json"]]
    received = [s for s in _rows(db, f"SELECT * FROM sms_inbox WHERE tenant_id IN ({q}) ORDER BY id", t)
                if s["sender"] == phone or match(s["text"])]
    return Findings(phone, t, bookings, customers, conversations, callbacks, sms, audit, erasures, received)


def export(findings: Findings, path: Path, *, at: datetime) -> Path:
    """Write everything found as one JSON document, readable by the owner only."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {"exported_at": iso_utc(at), **findings.to_dict()}
    path.unlink(missing_ok=True)
    path.touch(mode=0o600)
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    return path


def erase(db: sqlite_utils.Database, findings: Findings, policy: PrivacyConfig, *, at: datetime, salt: bytes,
          actor: str = "staff") -> Erasure:
    """Delete or anonymise everything in `findings`, and record the erasure in the audit log (one transaction)."""
    now = iso_utc(at)
    keep_until = iso_utc(at - timedelta(days=policy.keep_bookings_for_days))
    counts = {"conversations_deleted": 0, "messages_deleted": 0, "sms_deleted": 0, "callbacks_deleted": 0,
              "bookings_deleted": 0, "bookings_anonymised": 0, "bookings_cancelled": 0, "customers_deleted": 0,
              "audit_redacted": 0}
    subject = subject_hash(salt, findings.phone)
    with write_transaction(db) as conn:
        for c in findings.conversations:
            counts["messages_deleted"] += conn.execute("DELETE FROM messages WHERE conversation_id = ?",
                                                       (c["id"],)).rowcount
            counts["conversations_deleted"] += conn.execute("DELETE FROM conversations WHERE id = ?",
                                                            (c["id"],)).rowcount
        for s in findings.sms:
            counts["sms_deleted"] += conn.execute("DELETE FROM sms_outbox WHERE id = ?", (s["id"],)).rowcount
        for s in findings.sms_received:
            counts["sms_deleted"] += conn.execute("DELETE FROM sms_inbox WHERE id = ?", (s["id"],)).rowcount
        for c in findings.callbacks:
            counts["callbacks_deleted"] += conn.execute("DELETE FROM callbacks WHERE id = ?", (c["id"],)).rowcount
        for b in findings.bookings:
            if b["end_at"] < keep_until:
                counts["bookings_deleted"] += conn.execute("DELETE FROM bookings WHERE id = ?", (b["id"],)).rowcount
                continue
            changes = _anonymised(b, policy.keep_fields)
            if b["end_at"] > now and b["status"] != "cancelled":
                changes["status"] = "cancelled"  # a future booking under no name cannot be kept
                counts["bookings_cancelled"] += 1
            columns = ", ".join(f"{k} = :{k}" for k in changes)
            conn.execute(f"UPDATE bookings SET {columns}, updated_at = :at WHERE id = :id",
                         {**changes, "at": now, "id": b["id"]})
            counts["bookings_anonymised"] += 1
        for c in findings.customers:
            conn.execute("UPDATE bookings SET customer_id = NULL WHERE customer_id = ?", (c["id"],))
            counts["customers_deleted"] += conn.execute("DELETE FROM customers WHERE id = ?", (c["id"],)).rowcount
        for a in findings.audit:
            conn.execute("UPDATE audit_log SET detail_json = ? WHERE id = ?",
                         (json.dumps({"redacted": True, "by": "privacy.erase"}), a["id"]))
            counts["audit_redacted"] += 1
        detail = json.dumps({"subject": subject, "counts": counts}, sort_keys=True)
        for tenant_id in findings.tenants:
            conn.execute("INSERT INTO audit_log (tenant_id, at, actor, action, detail_json) VALUES (?, ?, ?, ?, ?)",
                         (tenant_id, now, actor, "privacy.erase", detail))
    return Erasure(subject, now, counts)


def _anonymised(booking: dict, keep: tuple[str, ...]) -> dict[str, Any]:
    changes: dict[str, Any] = {"customer_name": ERASED, "phone": ERASED, "customer_id": None}
    for name, blank in _BLANK.items():
        if name not in keep:
            changes["details_json" if name == "details" else name] = blank
    return changes


def caller_phone(text: str, tenants: Iterable[TenantConfig]) -> str:
    """The number in E.164, read in the (first) tenant's region; BookingError(invalid-phone) if not a number."""
    region = next((t.phone_region for t in tenants), "EE")
    try:
        return normalize_phone(text, region)
    except BookingError:
        raise BookingError("not a valid phone number (give it with the country code, e.g. +372 5123 4567)",
                           code="invalid-phone") from None
