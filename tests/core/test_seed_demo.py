import pytest
from django.core.management import CommandError, call_command

from actors.demo import DEMO_ACCOUNTS
from actors.models import Membership, User
from core.models import AuditEvent

pytestmark = pytest.mark.django_db


def counts():
    return (User.objects.count(), Membership.objects.count(), AuditEvent.objects.count())


def test_seed_demo_twice_creates_nothing_the_second_time():
    call_command("seed_demo", "--force")
    first = counts()
    assert first[0] == len(DEMO_ACCOUNTS) + 1
    call_command("seed_demo", "--force")
    assert counts() == first


def test_seed_demo_refuses_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert User.objects.count() == 0


@pytest.mark.parametrize(
    ("username", "actor_name"),
    [
        ("demo-gubernur", "Gubernur Jawa Tengah"),
        ("demo-tkpkd", "TKPKD Jawa Tengah"),
        ("demo-tk", "TK PNPM-MP Provinsi Jawa Tengah"),
        ("demo-pjoprov", "PjOProv Jawa Tengah"),
        ("demo-kmw", "KMW Provinsi Jawa Tengah"),
        ("demo-pjoprov-diy", "PjOProv DI Yogyakarta"),
        ("demo-seknas", "Seknas PNPM-MP"),
    ],
)
def test_each_demo_account_lands_on_a_home_page_with_its_own_actor(client, settings, username, actor_name):
    call_command("seed_demo", "--force")
    assert client.login(username=username, password=settings.DEMO_PASSWORD)
    page = client.get("/").content.decode()
    assert actor_name in page
    if username != "demo-seknas":
        user = User.objects.get(username=username)
        first_duty = Membership.objects.get(user=user).actor.kind.duties.order_by("number").first()
        assert first_duty.text in page
