"""The reports' frozen clock, report slots and TK member, for the home page tests."""

from tests.reports.conftest import clock, slots, tk_member  # noqa: F401
