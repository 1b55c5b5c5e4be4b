"""The personas as fixtures (their definitions: tests/personas.py), the
empty cache of each test and a logged-in client."""

from pathlib import Path

import pytest
from django.test import Client

from tests import personas
from tests.factories import PASSWORD

# --clock: run the whole suite at another moment (tests/moved_clock.py).
pytest_plugins = ["tests.moved_clock"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Ids come back after a rollback; badges kept for one test's user must
    not show on the next test's user with the same id."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def pjoprov_member(db):
    return personas.make("member")


@pytest.fixture
def colleague(db):
    return personas.make("colleague")


@pytest.fixture
def outsider(db):
    return personas.make("outsider")


@pytest.fixture
def gubernur_office(db):
    return personas.make("gubernur")


@pytest.fixture
def seknas_user(db):
    return personas.make("seknas")


# A few real rows of the region tree (tests/regions/edition/README.md).
REGION_EDITION = Path(__file__).parent / "regions" / "edition"


@pytest.fixture
def regions(db):
    """The test edition of the region tree loaded: {code: Region}. Jawa
    Tengah (33) has Kabupaten Cilacap with Wanareja (33.01.15), Kabupaten and
    Kota Magelang; DI Yogyakarta (34) and Jawa Barat (32) a few units each."""
    from regions.edition import read
    from regions.loading import load
    from regions.models import Region

    load(read(REGION_EDITION))
    return {unit.code: unit for unit in Region.objects.select_related("parent__parent")}


@pytest.fixture
def login():
    """login(user) -> a test Client logged in as that user."""

    def _login(user):
        c = Client()
        assert c.login(username=user.username, password=PASSWORD)
        return c

    return _login


def pytest_collection_modifyitems(items):
    """Mark every test that commits for real (transaction=True, live_server).

    Such a test ends by emptying every table, reference data included. Alone,
    pytest-django runs them last; with pytest-xdist a worker may run one before
    ordinary tests, so `make test` runs them in a second, single-process pass:
    `pytest -m "not transactional" -n auto` then `pytest -m transactional`.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        fixtures = getattr(item, "fixturenames", ())
        if (marker and marker.kwargs.get("transaction")) or {"live_server", "transactional_db"} & set(fixtures):
            item.add_marker(pytest.mark.transactional)
