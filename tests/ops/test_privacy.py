"""One caller's data, found across channels and sessions, exported, and erased with proof."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from receptionist.booking.models import Customer, StayRequest
from receptionist.booking.service import CalendarService
from receptionist.cli.main import main
from receptionist.clock import FakeClock
from receptionist.config.fields import Section
from receptionist.config.privacy import PrivacyConfig, parse_privacy
from receptionist.errors import ConfigError
from receptionist.ops.privacy import erase, export, find, load_salt
from tests.conftest import NOW
from tests.ops.opskit import E164, OTHER, PHONE, book_by_chat, seed_other_records


async def _caller_everywhere(config, clock):
    """The caller booked by web chat, texted from their phone (caller id), mentioned their number in a
    third session, has a callback request, texts in the outbox; another caller exists too."""
    db = config.app.database
    code = await book_by_chat(config, db, clock)
    await book_by_chat(config, db, clock, phone="5123 4567", pet="Bella", channel="sms", caller_id=E164)
    seed_other_records(config, db, clock)
    return code


def _db(config):
    return CalendarService(config.app.database, config, FakeClock(NOW))


async def test_find_lists_every_record_about_the_caller_and_nothing_else(config, clock):
    code = await _caller_everywhere(config, clock)
    cal = _db(config)
    found = find(cal.db, E164, ("pawsome",))
    counts = found.counts()
    assert counts["bookings"] == 2 and code in [b["code"] for b in found.bookings]
    assert counts["customers"] == 1 and counts["conversations"] == 2 and counts["messages"] >= 6
    assert counts["callbacks"] == 1 and counts["sms"] == 1
    assert {c["channel"] for c in found.conversations} == {"web", "sms"}
    assert OTHER.replace(" ", "") not in json.dumps(found.to_dict()) and "Other Person" not in str(found.to_dict())
    assert not find(cal.db, E164, ("kesklinna",)).bookings  # another tenant's view is empty
    cal.close()


async def test_export_writes_one_json_document_readable_by_the_owner_only(config, clock, tmp_path):
    await _caller_everywhere(config, clock)
    cal = _db(config)
    path = export(find(cal.db, E164, ("pawsome",)), tmp_path / "out" / "request.json", at=NOW)
    cal.close()
    doc = json.loads(path.read_text())
    assert doc["phone"] == E164 and doc["counts"]["bookings"] == 2 and doc["exported_at"].startswith("2026-11-24")
    assert any("Max" in m["text"] for c in doc["conversations"] for m in c["messages"])
    assert path.stat().st_mode & 0o077 == 0


async def test_erase_removes_the_caller_keeps_the_others_and_proves_it(config, clock):
    code = await _caller_everywhere(config, clock)
    cal = _db(config)
    salt = load_salt(config.app.data_dir)
    result = erase(cal.db, find(cal.db, E164, ("pawsome",)), config.privacy, at=NOW, salt=salt)
    assert result.counts["conversations_deleted"] == 2 and result.counts["customers_deleted"] == 1
    assert result.counts["bookings_cancelled"] == 2  # future stays under no name are cancelled
    after = find(cal.db, E164, ("pawsome",), salt=salt)
    assert after.empty and len(after.erasures) == 1
    dump = "\n".join(cal.db.conn.iterdump())
    for trace in (E164, "5123 4567", "51234567", "Max", "Bella", "Mari"):
        assert trace not in dump, trace
    kept = cal.db.execute("SELECT code, customer_name, phone, status FROM bookings WHERE code = ?", (code,)).fetchone()
    assert kept == (code, "[erased]", "[erased]", "cancelled")
    assert [b.customer_name for b in cal.list_bookings("pawsome")].count("Other Person") == 1
    assert len(find(cal.db, "+37255550101", ("pawsome",)).sms) == 1
    audit = json.loads(cal.db.execute("SELECT detail_json FROM audit_log WHERE action = 'privacy.erase'").fetchone()[0])
    assert audit["subject"] == result.subject and audit["counts"]["messages_deleted"] >= 6
    cal.close()


def test_past_bookings_keep_the_calendar_fact_old_ones_go(config, clock):
    cal = _db(config)
    cust = Customer("Mari Tamm", PHONE, "en")
    recent = cal.create_booking("pawsome", StayRequest("dog", date(2026, 12, 10), date(2026, 12, 12)), cust,
                                details={"pet_name": "Max"})
    old = cal.create_booking("pawsome", StayRequest("cat", date(2026, 12, 20), date(2026, 12, 22)), cust)
    cal.db.execute("UPDATE bookings SET end_at = '2019-01-02', start_at = '2019-01-01' WHERE code = ?", (old.code,))
    cal.db.conn.commit()
    later = FakeClock(NOW + timedelta(days=40))  # the December stay is now in the past
    policy = PrivacyConfig(keep_bookings_for_days=365, keep_fields=("price_cents",))
    result = erase(cal.db, find(cal.db, E164, ("pawsome",)), policy, at=later.now(), salt=b"k")
    assert result.counts["bookings_deleted"] == 1 and result.counts["bookings_anonymised"] == 1
    row = next(cal.db.query("SELECT * FROM bookings WHERE code = ?", (recent.code,)))
    assert row["status"] == "confirmed" and row["start_at"] == "2026-12-10" and row["price_cents"] == 7000
    assert row["customer_name"] == "[erased]" and row["details_json"] == "{}" and row["currency"] == ""
    cal.close()


async def test_privacy_commands_find_export_erase(cli, tmp_path):
    cli.ok("bookings", "create", "--room-type", "dog", "--from", "2026-12-10", "--to", "2026-12-12",
           "--pet-name", "Max", "--pet-type", "dog", "--name", "Mari Tamm", "--phone", PHONE)
    found = cli.json("privacy", "find", "--phone", "5123 4567")
    assert found["counts"]["bookings"] == 1
    out = cli.ok("privacy", "export", "--phone", PHONE, "-o", str(tmp_path / "x.json"))
    assert "bookings 1" in out.stdout
    refused = cli.runner.invoke(main, ["--config", str(cli.config), "privacy", "erase", "--phone", PHONE],
                                input="n\n", obj={"clock": FakeClock(NOW)})
    assert refused.exit_code == 1 and cli.json("privacy", "find", "--phone", PHONE)["counts"]["bookings"] == 1
    erased = cli.json("privacy", "erase", "--phone", PHONE, "--yes")
    assert erased["erased"] and erased["counts"]["customers_deleted"] == 1
    assert cli.json("privacy", "find", "--phone", PHONE)["counts"]["bookings"] == 0
    bad = cli.fails("privacy", "find", "--phone", "hello")
    assert "error [invalid-phone]" in bad.stderr and "Traceback" not in bad.stderr


def test_keep_fields_never_accepts_names_or_phones():
    with pytest.raises(ConfigError, match=r"privacy.keep_fields\[0\] must be one of"):
        parse_privacy(Section({"keep_fields": ["phone"]}, "privacy"))
