"""SIP test fixtures; the helpers live in siphelpers.py (a unique module name: several test folders
have a conftest.py, and `from conftest import ...` would pick whichever was imported last)."""

from siphelpers import brain, need_sip_tools, sip_engines, tenant  # noqa: F401  (fixtures)
