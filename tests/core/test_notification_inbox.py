"""The notification inbox (/notifikasi/): what the app told a person, newest
first, only their own; opening one marks it read and follows its link (a
local one only); "mark all read"; the unread count in the navigation; and
the choice of email per kind, which the outbox obeys once, at creation,
while everything stays in the inbox."""

import datetime
import re
import zoneinfo
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import attention
from core.models import Notification, NotificationKind, NotificationPreference
from core.notifications import KIND_BY_PREFIX, deliver_pending, do_set_email_preferences, kind_of_key, notify

pytestmark = pytest.mark.django_db

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
NOW = datetime.datetime(2026, 11, 20, 9, 30, tzinfo=JAKARTA)
INBOX = reverse("notifications:inbox")
PREFERENCES = reverse("notifications:preferences")
TASKS = reverse("duties:task_list")


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def told(user, key, subject, *, minutes_ago=0, url=TASKS, body=""):
    """One notification to `user`, written `minutes_ago` before NOW."""
    with time_machine.travel(NOW - datetime.timedelta(minutes=minutes_ago), tick=False):
        notify([user], key=key, subject=subject, body=body, url=url)
    return Notification.objects.get(recipient=user, key=key)


def subjects():
    """The subjects of the mails sent, without the site's prefix."""
    return sorted(re.sub(r"^\[[^]]*\] ", "", m.subject) for m in mail.outbox)


def page(client, path=INBOX):
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_the_inbox_lists_only_the_persons_own_notifications_newest_first(clock, login, pjoprov_member, outsider):
    told(pjoprov_member, "task-overdue:1", "Tugas lama terlambat", minutes_ago=90)
    told(pjoprov_member, "meeting-invitation:2", "Undangan rapat bulanan", minutes_ago=5, body="Di kantor gubernur.")
    told(pjoprov_member, "report-reminder:3:7", "Laporan September jatuh tempo", minutes_ago=30)
    told(outsider, "task-overdue:9", "Tugas orang lain")

    html = page(login(pjoprov_member))

    order = [html.index(s) for s in ("Undangan rapat bulanan", "Laporan September", "Tugas lama terlambat")]
    assert order == sorted(order)
    assert "Tugas orang lain" not in html
    assert "Di kantor gubernur." in html
    assert "20 November 2026, 09.25 WIB" in html  # the invitation's moment, in the person's zone
    assert html.count("Belum dibaca") >= 3  # the state is words, not a colour
    assert "Rapat" in html  # its kind


def test_an_empty_inbox_says_what_will_appear_there(clock, login, pjoprov_member):
    html = page(login(pjoprov_member))
    assert "Belum ada pemberitahuan" in html
    assert "Tandai semua dibaca" not in html


def test_opening_a_notification_marks_it_read_and_follows_its_link(clock, login, pjoprov_member):
    n = told(pjoprov_member, "task-overdue:1", "Tugas terlambat")
    client = login(pjoprov_member)

    response = client.get(reverse("notifications:open", args=[n.pk]))

    assert response.status_code == 302
    assert response["Location"] == TASKS
    n.refresh_from_db()
    assert n.read_at == NOW
    # Opened again: still read at the first moment.
    with time_machine.travel(NOW + datetime.timedelta(minutes=10), tick=False):
        client.get(reverse("notifications:open", args=[n.pk]))
    n.refresh_from_db()
    assert n.read_at == NOW
    assert "Sudah dibaca" in page(client)


@pytest.mark.parametrize(
    "url",
    [
        "https://penipu.example/masuk",
        "//penipu.example/masuk",
        "/\\penipu.example",
        "javascript:alert(1)",
        "http://testserver.penipu.example/",
    ],
)
def test_a_link_to_another_site_is_never_followed(clock, login, pjoprov_member, url):
    n = told(pjoprov_member, "task-overdue:1", "Tautan aneh", url=url)

    response = login(pjoprov_member).get(reverse("notifications:open", args=[n.pk]))

    assert response.status_code == 302
    assert response["Location"] == INBOX
    n.refresh_from_db()
    assert n.read_at is not None


def test_a_notification_without_a_link_is_marked_read_from_its_button(clock, login, pjoprov_member):
    n = told(pjoprov_member, "recovery-code-used:1", "Kode pemulihan dipakai", url="")
    client = login(pjoprov_member)
    html = page(client)
    assert f'href="{reverse("notifications:open", args=[n.pk])}"' not in html
    assert f'action="{reverse("notifications:mark_read", args=[n.pk])}"' in html

    response = client.post(reverse("notifications:mark_read", args=[n.pk]))

    assert response.status_code == 302 and response["Location"] == INBOX
    n.refresh_from_db()
    assert n.read_at == NOW


def test_mark_all_read_marks_the_persons_unread_and_nobody_elses(clock, login, pjoprov_member, outsider):
    mine = [told(pjoprov_member, f"task-overdue:{i}", f"Tugas {i}", minutes_ago=i) for i in range(3)]
    theirs = told(outsider, "task-overdue:9", "Tugas orang lain")
    client = login(pjoprov_member)

    response = client.post(reverse("notifications:mark_all_read"))

    assert response.status_code == 302
    assert Notification.objects.filter(pk__in=[n.pk for n in mine], read_at=NOW).count() == 3
    theirs.refresh_from_db()
    assert theirs.read_at is None
    html = page(client)
    assert "3 pemberitahuan ditandai sudah dibaca." in html
    assert "Tandai semua dibaca" not in html


def test_another_persons_notification_is_404_and_stays_unread(clock, login, pjoprov_member, outsider):
    theirs = told(outsider, "task-overdue:9", "Tugas orang lain")
    client = login(pjoprov_member)

    assert client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notifications:mark_read", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("notifications:open", args=[10**30])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def nav_unread(html):
    found = re.search(r"\((\d+) pemberitahuan belum dibaca\)</span></a>", html)
    return int(found.group(1)) if found else 0


def test_the_navigation_counts_unread_notifications_and_forgets_the_count_when_one_is_read(
    clock, login, pjoprov_member, outsider
):
    first = told(pjoprov_member, "task-overdue:1", "Satu")
    told(pjoprov_member, "task-overdue:2", "Dua")
    told(outsider, "task-overdue:3", "Orang lain")
    client = login(pjoprov_member)
    html = page(client, TASKS)
    assert nav_unread(html) == 2
    assert 'href="/notifikasi/"' in html

    client.get(reverse("notifications:open", args=[first.pk]))  # a GET, yet the badge is counted afresh
    assert nav_unread(page(client, TASKS)) == 1
    client.post(reverse("notifications:mark_all_read"))
    assert nav_unread(page(client, TASKS)) == 0


def test_the_unread_count_is_counted_in_the_same_query_as_the_other_badges(clock, login, pjoprov_member):
    told(pjoprov_member, "task-overdue:1", "Satu")
    client = login(pjoprov_member)
    client.get(INBOX)
    attention.forget_nav_badges(pjoprov_member)
    with CaptureQueriesContext(connection) as ctx:
        client.get(INBOX)
    counting = [q["sql"] for q in ctx.captured_queries if "core_notification" in q["sql"] and "COUNT" in q["sql"]]
    badge_queries = [sql for sql in counting if "duties_task" in sql]
    assert len(badge_queries) == 1  # notifications and tasks in one statement


def inbox_queries(client, user):
    attention.forget_nav_badges(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(INBOX).status_code == 200
    return len(ctx.captured_queries)


def test_the_inbox_runs_the_same_queries_for_1_and_30_notifications(
    clock, login, pjoprov_member, django_assert_num_queries
):
    told(pjoprov_member, "task-overdue:0", "Tugas 0")
    client = login(pjoprov_member)
    client.get(INBOX)  # what a process keeps after its first page (permission ids, ...)
    n = inbox_queries(client, pjoprov_member)
    assert n <= 8
    attention.forget_nav_badges(pjoprov_member)
    with django_assert_num_queries(n):
        client.get(INBOX)

    for i in range(1, 30):
        told(pjoprov_member, f"task-overdue:{i}", f"Tugas {i}", minutes_ago=i)
    attention.forget_nav_badges(pjoprov_member)
    with django_assert_num_queries(n):
        html = client.get(INBOX).content.decode()
    assert html.count('class="unread"') == 25  # one page
    attention.forget_nav_badges(pjoprov_member)
    with django_assert_num_queries(n):
        assert client.get(INBOX + "?page=2").content.decode().count('class="unread"') == 5


# Email per kind --------------------------------------------------------------


def test_with_meeting_email_off_a_meeting_notification_is_in_the_inbox_but_never_mailed(
    clock, login, pjoprov_member, colleague
):
    client = login(pjoprov_member)
    choices = {"tugas": "email", "laporan": "email", "rapat": "aplikasi", "penetapan": "email"}
    assert client.post(PREFERENCES, choices).status_code == 302
    mail.outbox.clear()

    notify([pjoprov_member, colleague], key="meeting-invitation:5", subject="Undangan rapat", url="/rapat/")
    notify([pjoprov_member], key="task-overdue:5", subject="Tugas terlambat")
    sent = deliver_pending()
    again = deliver_pending()

    assert sent == 2 and again == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted([colleague.email, pjoprov_member.email])
    assert subjects() == ["Tugas terlambat", "Undangan rapat"]
    assert [m.subject for m in mail.outbox if m.to == [pjoprov_member.email]][0].endswith("Tugas terlambat")
    row = Notification.objects.get(recipient=pjoprov_member, key="meeting-invitation:5")
    assert row.kind == NotificationKind.MEETING
    assert (row.email_wanted, row.email_sent_at, row.email_failed, row.email_attempts) == (False, None, False, 0)
    assert not Notification.objects.email_pending().exists()
    assert "Undangan rapat" in page(client)


def test_account_and_security_mail_is_sent_whatever_the_person_chose(clock, login, pjoprov_member):
    client = login(pjoprov_member)
    off = dict.fromkeys(("tugas", "laporan", "rapat", "penetapan"), "aplikasi")
    assert client.post(PREFERENCES, {**off, "akun": "aplikasi", "lainnya": "aplikasi"}).status_code == 302
    assert set(NotificationPreference.objects.values_list("kind", flat=True)) == set(off)  # akun is not a choice
    mail.outbox.clear()

    for key in ("recovery-code-used:1", "two-factor-reset:1", "account-activation:1", "something-new:1"):
        notify([pjoprov_member], key=key, subject=key)
    notify([pjoprov_member], key="report-reminder:1:7", subject="laporan")
    deliver_pending()

    assert subjects() == sorted(
        ["recovery-code-used:1", "two-factor-reset:1", "account-activation:1", "something-new:1"]
    )
    html = page(client, PREFERENCES)
    assert "selalu dikirim dan tidak dapat dimatikan" in html


def test_turning_a_kind_off_holds_back_its_mail_not_yet_sent_and_turning_it_on_sends_only_later_ones(
    clock, pjoprov_member
):
    notify([pjoprov_member], key="report-overdue:1", subject="Laporan terlambat")
    do_set_email_preferences(pjoprov_member, {"laporan": False})
    assert deliver_pending() == 0
    do_set_email_preferences(pjoprov_member, {"laporan": True})
    assert deliver_pending() == 0  # the held-back one stays in the inbox only
    notify([pjoprov_member], key="report-overdue:2", subject="Laporan terlambat lagi")
    assert deliver_pending() == 1
    assert subjects() == ["Laporan terlambat lagi"]
    assert Notification.objects.filter(recipient=pjoprov_member).count() == 2


def test_the_preferences_page_shows_the_current_choice_and_is_linked_from_the_inbox_and_the_account(
    clock, login, pjoprov_member
):
    do_set_email_preferences(pjoprov_member, {"penetapan": False})
    client = login(pjoprov_member)
    html = page(client, PREFERENCES)
    assert re.search(r'name="penetapan"[^>]*>.*?<option value="aplikasi" selected>', html, re.S)
    assert re.search(r'name="tugas"[^>]*>.*?<option value="email" selected>', html, re.S)
    assert PREFERENCES in page(client)
    assert PREFERENCES in page(client, reverse("security:account"))


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"tugas": "aplikasi"},
        {"tugas": "mati", "laporan": "email", "rapat": "email", "penetapan": "email"},
        {"tugas": "aplikasi\x00", "laporan": "email", "rapat": "email", "penetapan": "email"},
    ],
    ids=["empty", "missing-kinds", "unknown-value", "nul"],
)
def test_a_bad_preferences_post_gets_a_clear_error_and_changes_nothing(clock, login, pjoprov_member, data):
    do_set_email_preferences(pjoprov_member, {"rapat": False})
    client = login(pjoprov_member)

    response = client.post(PREFERENCES, data)

    assert response.status_code == 400
    html = response.content.decode()
    assert "data-error-summary" in html
    assert (
        "Pilih apakah pemberitahuan jenis ini juga dikirim lewat email." in html
        or "Pilih salah satu pilihan yang tersedia." in html
    )
    assert list(NotificationPreference.objects.values_list("kind", "email")) == [("rapat", False)]


def test_every_notify_key_in_the_code_has_a_kind():
    """A new notify() key whose prefix no kind claims would be OTHER (always
    emailed, never a choice): name its kind in KIND_BY_PREFIX."""
    root = Path(settings.BASE_DIR)
    prefixes = set()
    for app in ("actors", "appointments", "duties", "reports", "meetings", "security", "ledger"):
        for path in (root / app).rglob("*.py"):
            if "migrations" not in path.parts:
                prefixes |= set(re.findall(r'key\s*=\s*f?"([a-z][a-z.-]*):', path.read_text()))
    assert len(prefixes) >= 20
    assert prefixes <= set(KIND_BY_PREFIX), prefixes - set(KIND_BY_PREFIX)
    assert kind_of_key("proposal.returned:4:v2") == NotificationKind.APPOINTMENT
    assert kind_of_key("report-returned-reminder:4:v2:writer") == NotificationKind.REPORT
    assert kind_of_key("two-factor-reset:1") == NotificationKind.ACCOUNT
    assert kind_of_key("belum-dikenal:1") == NotificationKind.OTHER


# English ---------------------------------------------------------------------


def test_the_inbox_shows_times_the_english_way_in_english(clock, login, pjoprov_member):
    told(pjoprov_member, "task-overdue:1", "Tugas terlambat", minutes_ago=5)
    client = login(pjoprov_member)
    client.cookies["django_language"] = "en"
    html = page(client)
    assert '<html lang="en">' in html
    assert "20 November 2026, 09:25 WIB" in html


def test_the_inbox_and_its_settings_read_in_english(clock, login, pjoprov_member):
    """Passes once the English of the new strings is in locale/en."""
    told(pjoprov_member, "task-overdue:1", "Tugas terlambat")
    client = login(pjoprov_member)
    client.cookies["django_language"] = "en"
    html = page(client)
    assert "Mark all as read" in html
    assert "Unread" in html
    assert "(1 unread notification)" in html
    html = page(client, PREFERENCES)
    assert "In the app only" in html
    assert "always sent" in html


def test_the_migration_gives_existing_notifications_their_kind(pjoprov_member):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("core.migrations.0004_notification_kinds_and_email_preferences")
    keys = {
        "task-overdue:1": "tugas",
        "follow-up:2": "tugas",
        "report-returned-reminder:3:v1:writer": "laporan",
        "minutes-approved:4": "rapat",
        "proposal.rejected:5:v2": "penetapan",
        "two-factor-reset:6": "akun",
        "appointedx:7": "lainnya",
    }
    for key in keys:
        notify([pjoprov_member], key=key, subject=key)
    Notification.objects.update(kind=NotificationKind.OTHER)  # as the rows were before the field

    migration.fill_kinds(apps, None)

    assert dict(Notification.objects.values_list("key", "kind")) == keys
    assert all(kind_of_key(key) == kind for key, kind in keys.items())
