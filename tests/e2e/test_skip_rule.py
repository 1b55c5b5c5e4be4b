"""Without a Chromium the browser tests are skipped with the reason; with
E2E_REQUIRED=1 (CI) they fail instead. No browser needed for these."""

from pathlib import Path

import pytest

from tests.e2e import conftest
from tests.e2e.browser import unavailable


def test_chromium_path_prefers_chromium_path_and_is_none_without_any(monkeypatch, tmp_path):
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\n")
    monkeypatch.setenv("CHROMIUM_PATH", str(fake))
    assert conftest.chromium_path() == str(fake)

    monkeypatch.setenv("CHROMIUM_PATH", str(tmp_path / "missing"))
    monkeypatch.setattr(Path, "is_file", lambda self: False)
    assert conftest.chromium_path() is None


def test_missing_browser_skips_with_the_reason(monkeypatch):
    monkeypatch.delenv("E2E_REQUIRED", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no Chromium"):
        unavailable("no Chromium: install Debian's chromium")


def test_missing_browser_fails_when_required(monkeypatch):
    monkeypatch.setenv("E2E_REQUIRED", "1")
    with pytest.raises(pytest.fail.Exception, match="E2E_REQUIRED=1"):
        unavailable("no Chromium: install Debian's chromium")
