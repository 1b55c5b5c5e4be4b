"""Fixtures for issued documents: the reports' frozen clock and builders,
and the demo certificates (documents/demo_ca.py) when a test signs."""

import datetime
import shutil
import subprocess

import pytest

from actors.models import Province
from documents.demo_ca import make_demo_certificates
from tests.e2e.browser import unavailable
from tests.reports.conftest import clock, slots, tk_member  # noqa: F401  (fixtures used here)
from tests.reports.test_exports import submitted  # noqa: F401


@pytest.fixture(scope="session")
def demo_certificates(tmp_path_factory):
    """A demo CA and a certificate for Jawa Tengah (code 33) and DI Yogyakarta
    (34), valid from 2000 to 2100: whatever moment the clock is moved to."""
    directory = tmp_path_factory.mktemp("signing")

    class P:
        def __init__(self, code, name):
            self.code, self.name = code, name

    make_demo_certificates(
        [P("33", "Jawa Tengah"), P("34", "DI Yogyakarta")],
        directory,
        password="rahasia-demo",
        now=datetime.datetime(2000, 1, 2, tzinfo=datetime.UTC),
        years=100,
    )
    return directory


@pytest.fixture
def signing(settings, demo_certificates, db):
    """Documents issued in this test are signed with the demo certificates."""
    settings.DOCUMENT_SIGNING_DIR = demo_certificates
    settings.DOCUMENT_SIGNING_PASSWORD = "rahasia-demo"
    assert Province.objects.filter(code="33").exists()
    return demo_certificates


def tool(name):
    """The path of a Debian tool (poppler-utils, zbar-tools) the test runs:
    skipped without it, failed in CI (E2E_REQUIRED=1)."""
    path = shutil.which(name)
    if path is None:
        unavailable(f"{name} is not installed (Debian: poppler-utils, zbar-tools)")
    return path


def run(*args):
    return subprocess.run(args, capture_output=True, text=True, timeout=60, check=False)
