"""`receptionist tokens create|list|revoke` and the API accepting exactly the live tokens."""

from __future__ import annotations

import json

from click.testing import CliRunner

from receptionist.channels.http import auth
from receptionist.cli.main import main
from receptionist.clock import FakeClock
from receptionist.config.app import load_config
from receptionist.booking.db import open_calendar
from tests.conftest import NOW, PET_CONFIG, copy_config


def run(config, *args):
    result = CliRunner().invoke(main, ["--config", str(config), *args], obj={"clock": FakeClock(NOW)})
    return result


def test_create_list_revoke(tmp_path):
    config = copy_config(PET_CONFIG, tmp_path)
    created = run(config, "tokens", "create", "--name", "branch-2")
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip()
    assert secret.startswith("rcp_")
    listed = json.loads(run(config, "tokens", "list", "--json").stdout)
    assert [(t["name"], t["revoked_at"]) for t in listed] == [("branch-2", None)]
    assert secret not in run(config, "tokens", "list").stdout
    db = open_calendar(load_config(config).app.database, load_config(config), now=NOW)
    assert auth.verify_token(db, secret) is not None
    assert run(config, "tokens", "revoke", "branch-2").exit_code == 0
    assert auth.verify_token(db, secret) is None
    missing = run(config, "tokens", "revoke", "branch-2")
    assert missing.exit_code == 2 and "not-found" in missing.stderr
    assert run(config, "tokens", "create", "--name", "x", "--tenant", "nope").exit_code == 2
    db.conn.close()
