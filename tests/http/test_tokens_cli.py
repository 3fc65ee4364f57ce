"""`receptionist tokens create|list|revoke` and the API accepting exactly the live tokens."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from click.testing import CliRunner

from receptionist.booking.db import open_calendar
from receptionist.channels.http import auth
from receptionist.cli.main import main
from receptionist.clock import FakeClock
from receptionist.config.app import load_config
from tests.conftest import NOW, PET_CONFIG, copy_config


def run(config, *args, at=NOW):
    return CliRunner().invoke(main, ["--config", str(config), *args], obj={"clock": FakeClock(at)})


def test_create_list_revoke(tmp_path):
    config = copy_config(PET_CONFIG, tmp_path)
    created = run(config, "tokens", "create", "--name", "branch-2", "--scope", "write")
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip()
    assert secret.startswith("rcp_") and "write" in created.stderr
    listed = json.loads(run(config, "tokens", "list", "--json").stdout)
    assert [(t["name"], t["scope"], t["expires_at"], t["status"]) for t in listed] == \
        [("branch-2", "write", None, "active")]
    assert secret not in run(config, "tokens", "list").stdout
    db = open_calendar(load_config(config).app.database, load_config(config), now=NOW)
    assert auth.verify_token(db, secret, NOW) is not None
    revoked = run(config, "tokens", "revoke", "branch-2")
    assert revoked.exit_code == 0 and "write" in revoked.stdout
    assert auth.verify_token(db, secret, NOW) is None
    missing = run(config, "tokens", "revoke", "branch-2")
    assert missing.exit_code == 2 and "not-found" in missing.stderr
    assert run(config, "tokens", "create", "--name", "x", "--scope", "read", "--tenant", "nope").exit_code == 2
    db.conn.close()


def test_a_token_has_a_deliberate_scope_and_may_expire(tmp_path):
    config = copy_config(PET_CONFIG, tmp_path)
    assert run(config, "tokens", "create", "--name", "no-scope").exit_code == 2  # the scope is never implied
    assert run(config, "tokens", "create", "--name", "admin", "--scope", "root").exit_code == 2
    bad = run(config, "tokens", "create", "--name", "x", "--scope", "read", "--expires", "soon")
    assert bad.exit_code == 2 and "--expires" in bad.stderr
    made = json.loads(run(config, "tokens", "create", "--name", "dashboard", "--scope", "read", "--expires", "30d",
                          "--json").stdout)
    assert made["scope"] == "read" and made["expires_at"] == (NOW + timedelta(days=30)).isoformat(timespec="seconds")

    later = NOW + timedelta(days=31)
    listed = json.loads(run(config, "tokens", "list", "--json", at=later).stdout)
    assert [(t["name"], t["status"]) for t in listed] == [("dashboard", "expired")]
    assert "expired" in run(config, "tokens", "list", at=later).stdout
    db = open_calendar(load_config(config).app.database, load_config(config), now=NOW)
    assert auth.verify_token(db, made["token"], NOW + timedelta(days=29)).scope == "read"
    assert auth.verify_token(db, made["token"], later) is None
    db.conn.close()


@pytest.mark.parametrize("text, hours", [("12h", 12), ("30d", 720), ("4w", 672), (" 2d ", 48)])
def test_durations(text, hours):
    assert auth.parse_duration(text) == timedelta(hours=hours)


@pytest.mark.parametrize("text", ["0d", "30", "d", "1y", "-1d", "", "1.5d"])
def test_bad_durations_are_refused(text):
    with pytest.raises(ValueError):
        auth.parse_duration(text)
