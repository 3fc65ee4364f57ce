"""REQUIRE_TIERS: in CI a skipped tier (real models, SIP, browser, modem, no-egress) is a failure."""

from __future__ import annotations

import pytest

from tests.conftest import REPO, tiers_required

pytest_plugins = ["pytester"]

SKIPPING = """
import pytest

def test_needs_a_model():
    pytest.skip("the packaged GGUF model is not installed")

@pytest.mark.skipif(True, reason="sipp is not installed")
def test_needs_sipp():
    pass

@pytest.mark.xfail(reason="a known gap", strict=True)
def test_known_gap():
    assert False

def test_runs():
    assert True
"""

SKIPPED_MODULE = """
import pytest

pytest.importorskip("a_module_that_is_not_installed")

def test_never_collected():
    pass
"""


@pytest.fixture
def suite(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    pytester.makeconftest((REPO / "tests" / "conftest.py").read_text(encoding="utf-8"))
    pytester.makepyfile(test_skipping=SKIPPING)
    monkeypatch.delenv("CI", raising=False)
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    return pytester


def test_locally_a_missing_tier_skips_with_its_reason(suite, monkeypatch):
    monkeypatch.delenv("REQUIRE_TIERS", raising=False)
    suite.makepyfile(test_skipped_module=SKIPPED_MODULE)
    result = suite.runpytest("-rs")
    result.assert_outcomes(passed=1, skipped=3, xfailed=1)
    result.stdout.fnmatch_lines(["*the packaged GGUF model is not installed*"])


def test_with_require_tiers_every_skip_fails_and_says_why(suite, monkeypatch):
    monkeypatch.setenv("REQUIRE_TIERS", "1")
    result = suite.runpytest()
    result.assert_outcomes(passed=1, failed=1, errors=1, xfailed=1)  # a skip in setup is an error
    result.stdout.fnmatch_lines(["*skipped while REQUIRE_TIERS=1*the packaged GGUF model is not installed*"])
    result.stdout.fnmatch_lines(["*skipped while REQUIRE_TIERS=1*sipp is not installed*"])
    assert result.ret != 0


def test_with_require_tiers_a_module_skipped_at_import_is_a_collection_error(suite, monkeypatch):
    monkeypatch.setenv("REQUIRE_TIERS", "1")
    suite.makepyfile(test_skipped_module=SKIPPED_MODULE)
    result = suite.runpytest("test_skipped_module.py")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*skipped while REQUIRE_TIERS=1*a_module_that_is_not_installed*"])


def test_an_allowed_skip_stays_a_skip(suite, monkeypatch):
    monkeypatch.setenv("REQUIRE_TIERS", "1")
    conftest = suite.path / "conftest.py"
    conftest.write_text(conftest.read_text(encoding="utf-8").replace(
        "ALLOWED_SKIPS: dict[str, str] = {}",
        'ALLOWED_SKIPS: dict[str, str] = {"test_skipping.py::test_needs_a_model": "optional here"}'), encoding="utf-8")
    result = suite.runpytest()
    result.assert_outcomes(passed=1, skipped=1, errors=1, xfailed=1)


def test_ci_requires_the_tiers_unless_told_otherwise():
    assert tiers_required({"CI": "true"})
    assert not tiers_required({"CI": "true", "REQUIRE_TIERS": "0"})
    assert tiers_required({"REQUIRE_TIERS": "1"})
    assert not tiers_required({})


def test_the_ci_entry_point_requires_the_tiers():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "export REQUIRE_TIERS=1" in ci
    assert ci.index("export REQUIRE_TIERS=1") < ci.index("exec bash scripts/test")
