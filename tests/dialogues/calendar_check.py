"""Compare the calendar after a dialogue with what the caller meant.

Two verdicts: *misses* (the calendar is not the expected one: a booking not made, a cancel not done)
and *wrong bookings* (the agent wrote something the caller did not ask for: a booking with other
dates, type, time, name or phone, a booking when none was wanted, a prefilled booking changed when
it should not have been)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

# Keys that identify what was booked; a difference in one of them makes a booking wrong.
_WHAT = ("resource", "service", "start", "end", "at", "pet_name", "party", "name", "phone")


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A booking's state as compared: status and what was booked, as plain strings."""

    code: str
    status: str
    values: Mapping[str, str]  # resource, service, start, end, at, pet_name, name, phone, price, language

    def describe(self) -> str:
        shown = ", ".join(f"{k}={v}" for k, v in self.values.items() if v)
        return f"{self.code} {self.status}: {shown}"


@dataclass(frozen=True, slots=True)
class Verdict:
    misses: tuple[str, ...]
    wrong: tuple[str, ...]
    wrong_fields: tuple[str, ...] = ()  # the slot names a wrong booking got wrong (no values)

    @property
    def ok(self) -> bool:
        return not self.misses and not self.wrong


def snapshot(booking: Any, tz: Any) -> Snapshot:
    """The comparable view of a receptionist Booking (stay or appointment)."""
    req = booking.request
    start = getattr(req, "start", None)
    values = {
        "resource": str(getattr(req, "resource_type", None) or booking.resource_id or ""),
        "resource_id": str(booking.resource_id or ""),
        "service": str(getattr(req, "service_id", "") or ""),
        "start": str(start) if start is not None and not hasattr(start, "hour") else "",
        "end": str(getattr(req, "end", "") or "") if not hasattr(start, "hour") else "",
        "at": start.astimezone(tz).strftime("%Y-%m-%dT%H:%M") if hasattr(start, "hour") else "",
        "pet_name": str((booking.details or {}).get("pet_name", "")),
        "party": str((booking.details or {}).get("party_size", "")),
        "dietary": str((booking.details or {}).get("dietary", "")),
        "name": str(booking.customer_name or ""),
        "phone": str(booking.phone or ""),
        "price": f"{booking.price:.2f}",
        "language": str(booking.language or ""),
    }
    return Snapshot(booking.code, str(booking.status), values)


def differences(snap: Snapshot, want: Mapping[str, Any]) -> list[str]:
    """The expected keys this booking does not match, as "key: got != wanted"; [] when it matches."""
    diffs = []
    for key, value in want.items():
        wanted = str(value)
        if key == "status":
            got = snap.status
        elif key == "resource":
            got = snap.values["resource"]
            if wanted == snap.values["resource_id"]:
                got = wanted
        elif key == "phone":
            got, wanted = snap.values["phone"], wanted.replace(" ", "")
        elif key in snap.values:
            got = snap.values[key]
        else:
            raise ValueError(f"unknown expectation {key!r}")
        if got != wanted:
            diffs.append(f"{key}: {got!r} != {wanted!r}")
    return diffs


def judge(new: Sequence[Snapshot], before: Sequence[Snapshot], after: Sequence[Snapshot],
          expect: Mapping[str, Any]) -> Verdict:
    """`new`: bookings made during the dialogue; `before`/`after`: the prefilled ones (same order)
    before and after it; `expect`: the dialogue's expectations (bookings, prefilled)."""
    misses: list[str] = []
    wrong: list[str] = []
    fields: set[str] = set()
    wanted = list(expect.get("bookings") or [])
    unmatched = list(new)
    for want in wanted:
        hit = next((s for s in unmatched if not differences(s, want)), None)
        if hit is None:
            misses.append(f"expected booking not made: {dict(want)}")
        else:
            unmatched.remove(hit)
    for snap in unmatched:
        if snap.status == "cancelled":
            misses.append(f"unexpected cancelled booking {snap.describe()}")
            continue
        closest = min(wanted, key=lambda w: len(differences(snap, w)), default=None)
        diffs = differences(snap, {k: v for k, v in closest.items() if k in _WHAT}) if closest else []
        fields.update(d.split(":", 1)[0] for d in diffs)
        if closest is None:
            fields.add("unexpected booking")
        why = "; ".join(diffs) if closest else "no booking was expected"
        wrong.append(f"{snap.describe()} ({why or 'a second booking'})")
        misses.append(f"unexpected booking {snap.code}")
    wants_old = list(expect.get("prefilled") or [])
    for i, (old, now) in enumerate(zip(before, after)):
        want = wants_old[i] if i < len(wants_old) else {}
        diffs = differences(now, want)
        changed = now.status != old.status or any(now.values.get(k) != old.values.get(k) for k in _WHAT)
        if diffs:
            misses.append(f"prefilled {now.code}: " + "; ".join(diffs))
        if changed and (diffs or not want):
            fields.add("prefilled")
            wrong.append(f"prefilled booking changed: {old.describe()} -> {now.describe()}")
    return Verdict(tuple(misses), tuple(wrong), tuple(sorted(fields)))
