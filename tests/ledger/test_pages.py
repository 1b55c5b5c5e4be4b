"""The duty ledger's pages and writes (ledger.views, ledger.services,
ledger.permissions): who sees which actor's ledger, who writes, the
refusals (nothing saved), and the audit trail."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actors.models import Actor, ActorKind
from core.models import AuditEvent
from core.periods import parse_period
from duties.models import Duty, Task
from ledger import permissions, services
from ledger.models import DutyAccount, DutyOccurrence, LedgerAttachment
from tests.factories import actor, member
from tests.personas import make

pytestmark = pytest.mark.django_db

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
# 16 November 2026, 10.00 WIB: the fourth quarter.
NOW = datetime.datetime(2026, 11, 16, 10, 0, tzinfo=JAKARTA)
Q4 = parse_period("2026-Q4")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def people(db):
    return {name: make(name) for name in ("member", "colleague", "outsider", "gubernur", "gubernur_other", "seknas")}


def duty(kind, number):
    return Duty.objects.select_related("kind").get(kind__code=kind, number=number)


def ledger_url(a, period="2026-Q4"):
    return reverse("ledger:ledger", args=[a.pk, period])


def account_url(a, d, period="2026-Q4"):
    return reverse("ledger:account", args=[a.pk, period, d.pk])


def occurrence_url(a, d, period="2026-Q4"):
    return reverse("ledger:occurrence", args=[a.pk, period, d.pk])


def declare_url(a, d, period="2026-Q4"):
    return reverse("ledger:declare_none", args=[a.pk, period, d.pk])


def pjoprov_task(title="Koordinasi dengan kabupaten", period="2026-11", a=None):
    a = a or actor("pjoprov", "33")
    p = parse_period(period)
    return Task.objects.create(
        duty=duty("pjoprov", 7),
        actor=a,
        title=title,
        period=period,
        period_start=p.start,
        period_end=p.end,
        due_date=p.end,
    )


# --- who sees what ---------------------------------------------------------------------------


def kinds(user):
    return {(a.kind.code, a.province.code) for a in permissions.visible_actors(user).select_related("kind", "province")}


def test_each_member_sees_its_own_ledger_only(people):
    assert kinds(people["member"]) == {("pjoprov", "33")}
    assert kinds(people["colleague"]) == {("kmw", "33")}
    assert kinds(people["outsider"]) == {("pjoprov", "34")}


def test_the_tk_sees_pjoprov_and_kmw_of_its_province_not_tkpkd_nor_the_governor():
    tk = member("tk-provinsi", "33")
    assert kinds(tk) == {("tk-provinsi", "33"), ("pjoprov", "33"), ("kmw", "33")}
    assert permissions.may_write(tk, actor("tk-provinsi", "33"))
    assert not permissions.may_write(tk, actor("pjoprov", "33"))
    assert not permissions.may_view(tk, actor("tkpkd", "33"))
    assert not permissions.may_view(tk, actor("gubernur", "33"))


def test_the_governors_office_sees_all_five_of_its_province(people):
    assert kinds(people["gubernur"]) == {(k, "33") for k in ("gubernur", "tkpkd", "tk-provinsi", "pjoprov", "kmw")}
    assert permissions.may_write(people["gubernur"], actor("gubernur", "33"))
    assert not permissions.may_write(people["gubernur"], actor("pjoprov", "33"))
    assert not any(code == "33" for _, code in kinds(people["gubernur_other"]))
    assert not any(code == "33" for _, code in kinds(people["outsider"]))


def test_seknas_reads_every_ledger_and_writes_none(people):
    seknas = people["seknas"]
    assert permissions.is_national(seknas)
    assert permissions.visible_actors(seknas).count() == Actor.objects.provincial().count()
    assert not permissions.own_actors(seknas).exists()
    assert not permissions.may_write(seknas, actor("pjoprov", "33"))


def test_a_superuser_and_an_ended_membership_see_nothing(people):
    root = make("superuser")
    assert not permissions.visible_actors(root).exists()
    gone = member("pjoprov", "33", start=datetime.date(2020, 1, 1), end=datetime.date(2025, 12, 31))
    assert not permissions.visible_actors(gone).exists()
    assert not permissions.viewer_groups(gone).exists()


# --- the pages --------------------------------------------------------------------------------


def test_index_lists_the_actors_with_their_share(people, login):
    response = login(people["gubernur"]).get(reverse("ledger:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Triwulan IV 2026" in html
    for kind in ("gubernur", "tkpkd", "tk-provinsi", "pjoprov", "kmw"):
        assert ledger_url(actor(kind, "33")) in html
    assert ledger_url(actor("pjoprov", "34")) not in html
    assert "0 dari 8 tugas tercatat" in html  # PjOProv: 8 duties


def test_index_takes_a_quarter_and_refuses_a_bad_one(people, login):
    client = login(people["member"])
    response = client.get(reverse("ledger:index"), {"periode": "2026-Q2"})
    assert response.status_code == 200
    assert ledger_url(actor("pjoprov", "33"), "2026-Q2") in response.content.decode()
    for bad in ("2026-13", "2026-Q5", "tahun", "2026", "1999-Q1"):
        response = client.get(reverse("ledger:index"), {"periode": bad})
        assert response.status_code == 400, bad
        assert "tidak dikenal" in response.content.decode()


def test_index_of_someone_without_a_ledger_is_empty(login):
    response = login(make("superuser")).get(reverse("ledger:index"))
    assert response.status_code == 200
    assert "Tidak ada buku tugas yang dapat Anda lihat" in response.content.decode()


def test_ledger_page_shows_every_duty_in_seed_order_with_words(people, login):
    pjo = actor("pjoprov", "33")
    response = login(people["member"]).get(ledger_url(pjo))
    assert response.status_code == 200
    html = response.content.decode()
    duties = list(Duty.objects.filter(kind=pjo.kind).order_by("number"))
    positions = [html.index(f'data-ref="{d.ref}"') for d in duties]
    assert positions == sorted(positions)
    for d in duties:
        assert d.text in html
    assert "Belum" in html and "pill" in html
    assert account_url(pjo, duty("pjoprov", 3)) in html
    assert occurrence_url(pjo, duty("pjoprov", 8)) in html
    assert declare_url(pjo, duty("pjoprov", 8)) in html
    assert "paling lambat" in html
    assert reverse("ledger:ledger", args=[pjo.pk, "2026-Q3"]) in html
    assert reverse("ledger:ledger", args=[pjo.pk, "2027-Q1"]) in html


def test_readers_get_no_write_links(people, login):
    pjo = actor("pjoprov", "33")
    for who in ("gubernur", "seknas"):
        response = login(people[who]).get(ledger_url(pjo))
        assert response.status_code == 200, who
        html = response.content.decode()
        assert "/uraian/" not in html and "/kejadian/" not in html and "tidak-ada-kejadian/" not in html
        assert "Hanya baca" in html


@pytest.mark.parametrize("period", ["2026-13", "2026-Q0", "2026", "2026-11", "x", "99999-Q1", "1999-Q4"])
def test_a_malformed_period_is_a_404(people, login, period):
    assert login(people["member"]).get(ledger_url(actor("pjoprov", "33"), period)).status_code == 404


def test_an_actor_one_may_not_see_is_a_404_like_a_missing_one(people, login):
    client = login(people["outsider"])
    assert client.get(ledger_url(actor("pjoprov", "33"))).status_code == 404
    assert client.get(reverse("ledger:ledger", args=[999999, "2026-Q4"])).status_code == 404
    tk = login(member("tk-provinsi", "33"))
    assert tk.get(ledger_url(actor("gubernur", "33"))).status_code == 404
    assert tk.get(ledger_url(actor("kmw", "33"))).status_code == 200


def test_a_write_on_a_readable_ledger_is_a_403_and_saves_nothing(people, login):
    pjo, d3, d8 = actor("pjoprov", "33"), duty("pjoprov", 3), duty("pjoprov", 8)
    for who in ("gubernur", "seknas"):
        client = login(people[who])
        assert client.get(account_url(pjo, d3)).status_code == 403
        assert client.post(account_url(pjo, d3), {"text": "x"}).status_code == 403
        assert client.post(declare_url(pjo, d8)).status_code == 403
        post = {"occurred_on": "2026-11-02", "what": "a", "action": "b"}
        assert client.post(occurrence_url(pjo, d8), post).status_code == 403
    assert login(people["outsider"]).post(account_url(pjo, d3), {"text": "x"}).status_code == 404
    assert not DutyAccount.objects.exists() and not DutyOccurrence.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="ledger.").exists()


def test_writes_on_the_wrong_duty_are_404s(people, login):
    pjo = actor("pjoprov", "33")
    client = login(people["member"])
    assert client.get(account_url(pjo, duty("pjoprov", 8))).status_code == 404  # incidental
    assert client.get(account_url(pjo, duty("pjoprov", 7))).status_code == 404  # tasks
    assert client.get(account_url(pjo, duty("kmw", 1))).status_code == 404  # another kind
    assert client.get(occurrence_url(pjo, duty("pjoprov", 3))).status_code == 404
    assert client.post(declare_url(pjo, duty("pjoprov", 3))).status_code == 404
    assert client.get(reverse("ledger:account", args=[pjo.pk, "2026-Q4", 999999])).status_code == 404
    assert not DutyAccount.objects.exists()


# --- the account of an ongoing duty -----------------------------------------------------------


def test_member_writes_an_account_with_a_linked_task_and_a_file(people, login):
    pjo, d3 = actor("pjoprov", "33"), duty("pjoprov", 3)
    task = pjoprov_task()
    client = login(people["member"])
    response = client.get(account_url(pjo, d3))
    assert response.status_code == 200
    assert "Koordinasi dengan kabupaten" in response.content.decode()
    upload = SimpleUploadedFile("notulen.pdf", PDF, content_type="application/pdf")
    response = client.post(
        account_url(pjo, d3), {"text": "Rapat koordinasi dengan lima kabupaten.", "tasks": [task.pk], "file": upload}
    )
    assert response.status_code == 302 and response["Location"] == ledger_url(pjo)
    acc = DutyAccount.objects.get()
    assert (acc.actor, acc.duty, acc.period, acc.kind) == (pjo, d3, "2026-Q4", DutyAccount.Kind.ACCOUNT)
    assert list(acc.tasks.all()) == [task]
    attachment = LedgerAttachment.objects.get()
    assert attachment.account == acc and attachment.name == "notulen.pdf"
    event = AuditEvent.objects.get(action="ledger.account_saved")
    assert (
        event.changes["created"] is True and event.changes["tasks"] == 1 and event.changes["files"] == ["notulen.pdf"]
    )

    html = client.get(ledger_url(pjo)).content.decode()
    assert "Rapat koordinasi dengan lima kabupaten." in html
    assert 'data-ref="PjOProv-3" data-standing="terlaksana"' in html
    assert "1 dari 8 tugas tercatat" in html
    assert "menulis uraian tugas PjOProv-3 untuk Triwulan IV 2026" in html  # the history
    assert reverse("ledger:attachment", args=[attachment.pk]) in html

    # Rewriting updates the one account.
    response = client.post(account_url(pjo, d3), {"text": "Diperbarui."})
    assert response.status_code == 302
    acc.refresh_from_db()
    assert acc.text == "Diperbarui." and not acc.tasks.exists()
    assert DutyAccount.objects.count() == 1
    assert AuditEvent.objects.filter(action="ledger.account_saved").latest("pk").changes["created"] is False


def test_the_attachment_follows_the_ledgers_view(people, login):
    pjo, d3 = actor("pjoprov", "33"), duty("pjoprov", 3)
    upload = SimpleUploadedFile("bukti.pdf", PDF, content_type="application/pdf")
    acc = services.do_save_account(user=people["member"], actor=pjo, duty=d3, period=Q4, text="Ada.", upload=upload)
    url = reverse("ledger:attachment", args=[acc.attachments.get().pk])
    assert login(people["member"]).get(url).status_code == 200
    assert login(people["gubernur"]).get(url).status_code == 200
    assert login(people["seknas"]).get(url).status_code == 200
    assert login(people["colleague"]).get(url).status_code == 404
    assert login(people["outsider"]).get(url).status_code == 404


def test_an_empty_account_is_refused_and_saves_nothing(people, login):
    pjo, d3 = actor("pjoprov", "33"), duty("pjoprov", 3)
    response = login(people["member"]).post(account_url(pjo, d3), {"text": "   "})
    assert response.status_code == 400
    assert "Tuliskan uraian pelaksanaan tugas pada triwulan ini." in response.content.decode()
    assert not DutyAccount.objects.exists()


def test_linked_work_must_be_the_actors_own_and_of_the_quarter(people, login):
    pjo, d3 = actor("pjoprov", "33"), duty("pjoprov", 3)
    other_actor = pjoprov_task(a=actor("kmw", "33"))
    other_quarter = pjoprov_task(period="2026-08")
    client = login(people["member"])
    for task in (other_actor, other_quarter):
        response = client.post(account_url(pjo, d3), {"text": "Ada.", "tasks": [task.pk]})
        assert response.status_code == 400
    # The service refuses too, not only the form.
    for task in (other_actor, other_quarter):
        with pytest.raises(ValidationError):
            services.do_save_account(user=people["member"], actor=pjo, duty=d3, period=Q4, text="Ada.", tasks=[task])
    assert not DutyAccount.objects.exists()


def test_the_service_checks_the_writer_the_duty_and_the_quarter(people):
    pjo = actor("pjoprov", "33")
    with pytest.raises(PermissionDenied):
        services.do_save_account(user=people["gubernur"], actor=pjo, duty=duty("pjoprov", 3), period=Q4, text="x")
    with pytest.raises(ValidationError):
        services.do_save_account(user=people["member"], actor=pjo, duty=duty("pjoprov", 8), period=Q4, text="x")
    with pytest.raises(ValidationError):
        services.do_save_account(user=people["member"], actor=pjo, duty=duty("kmw", 1), period=Q4, text="x")
    with pytest.raises(ValidationError, match="belum dimulai"):
        services.do_save_account(
            user=people["member"], actor=pjo, duty=duty("pjoprov", 3), period=parse_period("2027-Q1"), text="x"
        )
    assert not DutyAccount.objects.exists()


# --- occurrences and "tidak ada kejadian" -------------------------------------------------------


def test_member_records_an_occurrence(people, login):
    pjo, d8 = actor("pjoprov", "33"), duty("pjoprov", 8)
    client = login(people["member"])
    assert client.get(occurrence_url(pjo, d8)).status_code == 200
    response = client.post(
        occurrence_url(pjo, d8),
        {"occurred_on": "2026-11-02", "what": "Fasilitator baru.", "action": "Masukan pelatihan."},
    )
    assert response.status_code == 302
    occ = DutyOccurrence.objects.get()
    assert occ.occurred_on == datetime.date(2026, 11, 2) and occ.recorded_by == people["member"]
    html = client.get(ledger_url(pjo)).content.decode()
    assert 'data-ref="PjOProv-8" data-standing="terlaksana"' in html
    assert "Fasilitator baru." in html and "Masukan pelatihan." in html
    assert "mencatat kejadian tugas PjOProv-8 pada" in html


@pytest.mark.parametrize("day", ["2026-09-30", "2027-01-02", "2026-11-17"])
def test_an_occurrence_outside_the_quarter_or_in_the_future_is_refused(people, login, day):
    pjo, d8 = actor("pjoprov", "33"), duty("pjoprov", 8)
    response = login(people["member"]).post(occurrence_url(pjo, d8), {"occurred_on": day, "what": "a", "action": "b"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Tanggal kejadian" in html
    assert not DutyOccurrence.objects.exists()


def test_declaring_no_occurrence_and_an_occurrence_replacing_it(people, login):
    pjo, d8 = actor("pjoprov", "33"), duty("pjoprov", 8)
    client = login(people["member"])
    response = client.post(declare_url(pjo, d8), follow=True)
    assert response.status_code == 200
    declared = DutyAccount.objects.get()
    assert declared.kind == DutyAccount.Kind.NO_OCCURRENCE
    html = response.content.decode()
    assert 'data-ref="PjOProv-8" data-standing="tidak-ada-kejadian"' in html
    assert "menyatakan tidak ada kejadian untuk tugas PjOProv-8 pada Triwulan IV 2026" in html
    assert declare_url(pjo, d8) not in html  # no second declaration offered

    # Twice: a clear refusal, nothing more saved.
    response = client.post(declare_url(pjo, d8), follow=True)
    assert "sudah dinyatakan tidak ada kejadian" in response.content.decode()
    assert DutyAccount.objects.count() == 1

    # An occurrence later in the quarter replaces the declaration.
    client.post(occurrence_url(pjo, d8), {"occurred_on": "2026-11-10", "what": "a", "action": "b"})
    assert not DutyAccount.objects.exists()
    event = AuditEvent.objects.get(action="ledger.occurrence_recorded")
    assert event.changes["replaced_declaration"] is True


def test_declaring_none_is_refused_once_an_occurrence_is_recorded(people, login):
    pjo, d8 = actor("pjoprov", "33"), duty("pjoprov", 8)
    services.do_record_occurrence(
        user=people["member"],
        actor=pjo,
        duty=d8,
        period=Q4,
        occurred_on=datetime.date(2026, 10, 5),
        what="a",
        action="b",
    )
    response = login(people["member"]).post(declare_url(pjo, d8), follow=True)
    assert "Sudah ada kejadian yang dicatat pada triwulan ini" in response.content.decode()
    assert not DutyAccount.objects.exists()
    assert not AuditEvent.objects.filter(action="ledger.no_occurrence_declared").exists()


def test_the_governor_declares_none_or_records_an_occurrence_for_duty_2(people, login):
    gub, d2 = actor("gubernur", "33"), duty("gubernur", 2)
    client = login(people["gubernur"])
    html = client.get(ledger_url(gub)).content.decode()
    assert occurrence_url(gub, d2) in html and declare_url(gub, d2) in html
    assert client.post(declare_url(gub, d2)).status_code == 302
    assert DutyAccount.objects.get().kind == DutyAccount.Kind.NO_OCCURRENCE


def test_the_navigation_shows_buku_tugas_to_those_with_a_ledger(people, login):
    index = reverse("ledger:index")
    for who in ("member", "gubernur", "seknas"):
        assert f'href="{index}"' in login(people[who]).get(reverse("home")).content.decode(), who
    assert f'href="{index}"' not in login(make("superuser")).get(reverse("home")).content.decode()


def test_national_kinds_are_not_provincial():
    assert ActorKind.SEKNAS not in permissions.READS_IN_PROVINCE


def test_the_index_and_the_ledger_take_a_fixed_number_of_queries(people, login):
    """Seknas's index lists every provincial actor (about 190): its queries do
    not grow with the actors nor with what their ledgers hold; the ledger
    page's do not grow with the work linked to an account."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from duties.scheduler import create_scheduled_tasks

    def count(client, url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    seknas, pjo = login(people["seknas"]), login(people["member"])
    pjoprov = actor("pjoprov", "33")
    # Once first: the permission ids and the navigation's badges are kept after it.
    count(seknas, reverse("ledger:index")), count(pjo, ledger_url(pjoprov))
    before = (count(seknas, reverse("ledger:index")), count(pjo, ledger_url(pjoprov)))
    create_scheduled_tasks(on=datetime.date(2026, 11, 2))
    tasks = list(Task.objects.filter(actor=pjoprov, period__startswith="2026"))
    assert len(tasks) >= 2
    services.do_save_account(
        user=people["member"],
        actor=pjoprov,
        duty=duty("pjoprov", 3),
        period=Q4,
        text="Koordinasi dengan kabupaten.",
        tasks=tasks,
    )
    services.do_declare_no_occurrence(user=people["member"], actor=pjoprov, duty=duty("pjoprov", 8), period=Q4)
    after = (count(seknas, reverse("ledger:index")), count(pjo, ledger_url(pjoprov)))
    assert after[0] == before[0]
    # The ledger page: the prefetches of an account's links and its history
    # come once there is an account; then never one more per linked task.
    more = tasks + [
        Task.objects.create(
            actor=pjoprov, duty=duty("pjoprov", 7), origin=Task.Origin.ADHOC, due_date=datetime.date(2026, 11, day)
        )
        for day in range(20, 26)
    ]
    account = DutyAccount.objects.get(actor=pjoprov, duty=duty("pjoprov", 3))
    account.tasks.set(more)
    assert count(pjo, ledger_url(pjoprov)) == after[1]
