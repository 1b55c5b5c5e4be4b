"""Browser journeys: Playwright's sync API driving the system Chromium
(Debian's /usr/bin/chromium, or CHROMIUM_PATH) against pytest-django's
live_server. One browser per session, a fresh context (cookies) per test.

Without a Chromium the tests are skipped with the reason; with E2E_REQUIRED=1
(CI) a missing Chromium or Playwright fails them instead."""

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections

from tests.e2e.browser import DESKTOP, unavailable

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
E2E_DIR = Path(__file__).resolve().parent


def chromium_path():
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def pytest_collection_modifyitems(items):
    for item in items:
        if E2E_DIR in Path(item.path).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        unavailable("no Chromium: install Debian's chromium (/usr/bin/chromium) or set CHROMIUM_PATH")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed (make install)")
    # Playwright's sync API keeps an event loop in this thread; Django would
    # take every ORM call made by the test itself for one from async code.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    thread_connections = {alias: connections[alias] for alias in connections}
    playwright = sync_playwright().start()
    # The event loop Playwright leaves running on this thread makes Django keep
    # database connections per context rather than per thread: without this,
    # the test would get fresh connection objects, lacking the serialized
    # reference data that serialized_rollback restores from.
    for alias, connection in thread_connections.items():
        connections[alias] = connection
    browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(browser, live_server):
    """new_page(bypass_csp=False) -> a page in a fresh context (no cookies) on
    the live server, 1280 px wide. Several make several people at once."""
    contexts = []

    def _new_page(bypass_csp=False, viewport=DESKTOP):
        context = browser.new_context(
            base_url=live_server.url, viewport=viewport, bypass_csp=bypass_csp, accept_downloads=True
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield _new_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def demo(browser, live_server):
    """The demo data, as `make run` loads it: accounts, last month's and this
    month's tasks (so some are overdue), meetings and report drafts."""
    call_command("seed_demo", "--force", stdout=io.StringIO())
