"""A meeting series changed in the app (/rapat/rangkaian/<id>/ubah/): by the
holding actor's members and the Governor's office only; the change moves the
plain scheduled meetings beyond the notice window (held, cancelled,
postponed, edited by hand and inside the window stay), the reconcile follows
the new rule, the history keeps before and after, and each moved meeting's
invitees are told once. The clock is pinned: 31 January 2030, 10.00 WIB
(03.00 UTC), so the notice window (7 days) ends on 7 February."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from actors.models import Actor
from core.models import AuditEvent, Notification
from core.periods import parse_period
from duties.calendar import WorkingCalendar
from meetings import services
from meetings.models import Meeting, MeetingSeries
from meetings.scheduler import create_occurrence
from tests.factories import actor, member

from .conftest import actor_named, series_of, snapshot

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
NOW = datetime.datetime(2030, 1, 31, 3, 0, tzinfo=UTC)  # 10.00 WIB, 11.00 WITA, 12.00 WIT
PERIODS = ["2030-02", "2030-03", "2030-04", "2030-05", "2030-06", "2030-07"]


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def pjo(pjoprov_member):
    return pjoprov_member


def occurrence(series, period):
    meeting = create_occurrence(series, parse_period(period), WorkingCalendar())
    return Meeting.objects.select_related("actor__province", "actor__kind", "series").get(pk=meeting.pk)


@pytest.fixture
def world(pjo, colleague, gubernur_office):
    """PjOProv Jawa Tengah's routine series with January (held), February
    (inside the window), March (plain), April (cancelled), May (postponed),
    June (place changed by hand) and July (plain)."""
    tk = member("tk-provinsi", "33", username="tk-jateng")
    series = series_of("pjoprov", "33")
    with time_machine.travel(datetime.datetime(2029, 12, 20, 3, 0, tzinfo=UTC), tick=False):
        january = occurrence(series, "2030-01")
        meetings = {p: occurrence(series, p) for p in PERIODS}
    tz = series.actor.province.tzinfo
    services.do_hold_meeting(
        user=pjo,
        meeting=january,
        starts_at=datetime.datetime.combine(january.local_date, datetime.time(9), tz),
        ends_at=datetime.datetime.combine(january.local_date, datetime.time(11), tz),
    )
    services.do_cancel_meeting(user=pjo, meeting=meetings["2030-04"], reason="Bentrok dengan kunjungan kerja")
    may = meetings["2030-05"]
    services.do_postpone_meeting(
        user=pjo,
        meeting=may,
        starts_at=may.starts_at + datetime.timedelta(days=1),
        ends_at=may.ends_at + datetime.timedelta(days=1),
        reason="Ruang dipakai",
    )
    june = meetings["2030-06"]
    services.do_update_meeting(
        user=pjo,
        meeting=june,
        title=june.title,
        location="Hotel Patra Semarang",
        chair=june.chair,
        invited_actors=list(june.invited_actors.all()),
        invited_people=[],
    )
    Notification.objects.all().delete()
    return {"series": series, "january": january, "tk": tk, **meetings}


def fresh(meeting):
    return Meeting.objects.select_related("actor__province").get(pk=meeting.pk)


def post_data(series, **changes):
    data = {
        "version": services.series_version(MeetingSeries.objects.get(pk=series.pk)),
        "rule": "tanggal",
        "week": "",
        "weekday": "",
        "day": "20",
        "start_time": "13:00",
        "end_time": "15:00",
        "location": "Aula Bappeda Provinsi",
        "invited_actors": [actor("tk-provinsi").pk, actor("tkpkd").pk],
    }
    data.update(changes)
    return data


def edit_url(series):
    return reverse("meetings:series_edit", args=[series.pk])


def detail_url(series):
    return reverse("meetings:series_detail", args=[series.pk])


# --- who may ------------------------------------------------------------------


@pytest.mark.parametrize("who", ["pjo", "gubernur"])
def test_the_holder_and_the_governors_office_open_and_save_the_form(login, world, pjo, gubernur_office, who):
    user = {"pjo": pjo, "gubernur": gubernur_office}[who]
    series = world["series"]
    client = login(user)
    assert client.get(detail_url(series)).status_code == 200
    page = client.get(edit_url(series))
    assert page.status_code == 200
    assert "Rapat yang terdampak" in page.content.decode()
    response = client.post(edit_url(series), post_data(series))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == detail_url(series)
    series.refresh_from_db()
    assert (series.rule, series.day, series.start_time) == ("tanggal", 20, datetime.time(13, 0))
    assert AuditEvent.objects.for_object(series).get(action="meeting_series.saved").user == user


def test_the_gubernur_changes_the_tk_series_too(login, gubernur_office):
    series = series_of("tk-provinsi", "33")
    response = login(gubernur_office).post(edit_url(series), post_data(series, invited_actors=[]))
    assert response.status_code == 302
    assert MeetingSeries.objects.get(pk=series.pk).location == "Aula Bappeda Provinsi"


def test_an_invited_colleague_sees_the_series_but_may_not_change_it(login, world, colleague):
    series = world["series"]
    client = login(colleague)
    assert client.get(detail_url(series)).status_code == 200
    before = snapshot()
    assert client.get(edit_url(series)).status_code == 403
    assert client.post(edit_url(series), post_data(series)).status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("who", ["tkpkd", "outsider", "seknas", "gubernur-diy"])
def test_others_get_404_and_change_nothing(login, world, outsider, seknas_user, who):
    user = {
        "tkpkd": lambda: member("tkpkd", "33", username="tkpkd-jateng"),  # not invited to the routine meeting
        "outsider": lambda: outsider,
        "seknas": lambda: seknas_user,
        "gubernur-diy": lambda: member("gubernur", "34", username="gub-diy"),
    }[who]()
    series = world["series"]
    client = login(user)
    before = snapshot()
    assert client.get(detail_url(series)).status_code == 404
    assert client.get(edit_url(series)).status_code == 404
    assert client.post(edit_url(series), post_data(series)).status_code == 404
    assert snapshot() == before
    assert MeetingSeries.objects.get(pk=series.pk).rule == "hari"


def test_anonymous_is_sent_to_the_login_page(client, world):
    response = client.get(edit_url(world["series"]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_meeting_list_and_detail_link_to_the_series(login, world, pjo, colleague):
    series = world["series"]
    link = f'href="{detail_url(series)}"'
    assert link in login(pjo).get(reverse("meetings:meeting_list")).content.decode()
    assert link in login(colleague).get(reverse("meetings:meeting_detail", args=[world["2030-03"].pk])).content.decode()


def test_the_service_refuses_a_colleague_and_writes_nothing(world, colleague):
    from django.core.exceptions import PermissionDenied

    series = world["series"]
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.do_change_series(user=colleague, series=series, **_values(series))
    assert snapshot() == before


def _values(series, **changes):
    values = {
        "version": services.series_version(MeetingSeries.objects.get(pk=series.pk)),
        "rule": "tanggal",
        "week": None,
        "weekday": None,
        "day": 20,
        "start_time": datetime.time(13, 0),
        "end_time": datetime.time(15, 0),
        "location": "Aula Bappeda Provinsi",
        "invited_actors": [actor("tk-provinsi"), actor("tkpkd")],
    }
    values.update(changes)
    return values


# --- which meetings move -----------------------------------------------------------


def test_the_change_moves_only_plain_scheduled_meetings_beyond_the_window(login, world, pjo):
    series = world["series"]
    unchanged = {k: fresh(world[k]) for k in ("january", "2030-02", "2030-04", "2030-05", "2030-06")}
    window_end = datetime.date(2030, 2, 7)
    assert unchanged["2030-02"].local_date < window_end  # February is inside the notice window
    response = login(pjo).post(edit_url(series), post_data(series), follow=True)
    assert "2 rapat terjadwal dipindah ke jadwal baru" in response.content.decode()
    series = series_of("pjoprov", "33")
    calendar = WorkingCalendar()
    province = series.actor.province
    for period in ("2030-03", "2030-07"):
        meeting = fresh(world[period])
        day = series.planned_date(parse_period(period), calendar, province)
        assert day.day >= 20 and meeting.local_date == day
        assert meeting.starts_at == datetime.datetime.combine(day, datetime.time(13), WIB)
        assert meeting.ends_at == datetime.datetime.combine(day, datetime.time(15), WIB)
        assert meeting.location == "Aula Bappeda Provinsi"
        assert set(meeting.invited_actors.values_list("kind__code", flat=True)) == {"tk-provinsi", "tkpkd"}
        assert meeting.status == Meeting.Status.SCHEDULED and meeting.sequence == 1
    for key, before in unchanged.items():
        after = fresh(before)
        assert (after.starts_at, after.ends_at, after.location, after.status) == (
            before.starts_at,
            before.ends_at,
            before.location,
            before.status,
        ), key
    assert set(fresh(world["2030-02"]).invited_actors.values_list("kind__code", flat=True)) == {"tk-provinsi", "kmw"}


def test_grants_follow_the_new_invitees(login, world, pjo, colleague):
    login(pjo).post(edit_url(world["series"]), post_data(world["series"]))
    tkpkd = member("tkpkd", "33", username="tkpkd-jateng")
    march, february = world["2030-03"], world["2030-02"]
    assert login(tkpkd).get(reverse("meetings:meeting_detail", args=[march.pk])).status_code == 200
    assert login(colleague).get(reverse("meetings:meeting_detail", args=[march.pk])).status_code == 404
    # February keeps its invitees (inside the window): KMW still sees it
    assert login(colleague).get(reverse("meetings:meeting_detail", args=[february.pk])).status_code == 200


def test_the_form_previews_which_meetings_will_move(login, world, pjo):
    series = world["series"]
    client = login(pjo)
    page = client.get(edit_url(series)).content.decode()
    assert "Perubahan berlaku mulai rapat berikutnya" in page
    follow = page.split("Rapat berikut akan mengikuti jadwal baru:")[1].split("</ul>")[0]
    assert "Maret 2030" in follow and "Juli 2030" in follow
    assert "Februari 2030" not in follow and "Juni 2030" not in follow
    kept = page.split("Rapat berikut akan mengikuti jadwal baru:")[1]
    assert "Februari 2030" in kept.split("hari ke depan")[1]  # inside the window
    assert "Juni 2030" in kept.split("ditunda atau diubah sendiri")[1]
    before = snapshot()
    preview = client.post(edit_url(series), {**post_data(series), "preview": "1"})
    assert preview.status_code == 200
    text = preview.content.decode()
    assert "Jika disimpan, rapat berikut dipindah ke jadwal baru" in text
    moves = text.split("dipindah ke jadwal baru dan para undangannya diberi tahu:")[1].split("</ul>")[0]
    assert moves.count("<li>") == 2
    assert snapshot() == before  # a preview saves nothing


def test_the_reconcile_then_creates_meetings_by_the_new_rule(world, pjo):
    services.do_change_series(user=pjo, series=world["series"], **_values(world["series"]))
    series = series_of("pjoprov", "33")
    august = occurrence(series, "2030-08")
    day = series.planned_date(parse_period("2030-08"), WorkingCalendar(), series.actor.province)
    assert day >= datetime.date(2030, 8, 20)
    assert august.starts_at == datetime.datetime.combine(day, datetime.time(13), WIB)
    assert august.location == "Aula Bappeda Provinsi"
    assert set(august.invited_actors.values_list("kind__code", flat=True)) == {"tk-provinsi", "tkpkd"}


def test_a_new_date_inside_the_window_keeps_the_meeting_where_it_was(world, pjo):
    # "tanggal 1": March 1st is beyond the window, but a rule that puts February's
    # meeting earlier can never pull it into the window; move the window instead.
    with override_settings(MEETING_SERIES_NOTICE_DAYS=40):  # window ends 12 March 2030
        march = fresh(world["2030-03"])
        _series, moved = services.do_change_series(user=pjo, series=world["series"], **_values(world["series"], day=1))
    assert world["2030-07"].pk in {m.pk for m in moved}
    assert world["2030-03"].pk not in {m.pk for m in moved}
    assert fresh(march).starts_at == march.starts_at


# --- history and notifications -----------------------------------------------------


def test_the_history_records_before_and_after_of_the_changed_fields(world, pjo):
    series = world["series"]
    _series, moved = services.do_change_series(user=pjo, series=series, **_values(series))
    event = AuditEvent.objects.for_object(series).get(action="meeting_series.saved")
    assert event.changes == {
        "before": {
            "rule": "hari",
            "day": 5,
            "start_time": "09:00",
            "end_time": "12:00",
            "location": "Kantor Sekretariat PNPM-MP Provinsi",
            "invited_actors": names_of("tk-provinsi", "kmw"),
        },
        "after": {
            "rule": "tanggal",
            "day": 20,
            "start_time": "13:00",
            "end_time": "15:00",
            "location": "Aula Bappeda Provinsi",
            "invited_actors": names_of("tk-provinsi", "tkpkd"),
        },
    }
    assert "2 rapat terjadwal disesuaikan" in event.summary
    for meeting in moved:
        updated = AuditEvent.objects.for_object(meeting).filter(action="meeting.updated")
        assert updated.count() == 1
        assert set(updated.get().changes["after"]) >= {"starts_at", "ends_at", "location", "invited_actors"}


def names_of(*kinds):
    """Actor names in the actors' own order (province, then kind)."""
    return [
        a.name
        for a in Actor.objects.filter(kind__code__in=kinds, province__code="33").select_related("kind", "province")
    ]


def test_the_history_names_the_invited_actors(world, pjo):
    series = world["series"]
    services.do_change_series(user=pjo, series=series, **_values(series))
    event = AuditEvent.objects.for_object(series).get(action="meeting_series.saved")
    names = {a.name for a in Actor.objects.select_related("kind", "province").filter(province__code="33")}
    assert set(event.changes["before"]["invited_actors"]) == {actor_named("tk-provinsi").name, actor_named("kmw").name}
    assert set(event.changes["after"]["invited_actors"]) == {
        actor_named("tk-provinsi").name,
        actor_named("tkpkd").name,
    }
    assert set(event.changes["after"]["invited_actors"]) <= names
    assert "week" not in event.changes["after"] and "weekday" not in event.changes["after"]


def test_each_moved_meeting_is_announced_once_to_its_invitees(world, pjo):
    tkpkd = member("tkpkd", "33", username="tkpkd-jateng")
    series = world["series"]
    _series, moved = services.do_change_series(user=pjo, series=series, **_values(series))
    assert {m.pk for m in moved} == {world["2030-03"].pk, world["2030-07"].pk}
    for meeting in moved:
        rows = Notification.objects.filter(key__startswith=f"meeting-changed:{meeting.pk}:")
        recipients = {u.pk for u in services.recipients(meeting)}
        assert {pjo.pk, world["tk"].pk, tkpkd.pk} <= recipients
        # TKPKD is new to the meeting: its invitation, not a change notice.
        assert sorted(rows.values_list("recipient_id", flat=True)) == sorted(recipients - {tkpkd.pk})
        assert tkpkd.notifications.filter(key=f"meeting-invitation:{meeting.pk}").count() == 1
        assert rows.first().url == reverse("meetings:meeting_detail", args=[meeting.pk])
    others = [world[k] for k in ("2030-02", "2030-04", "2030-05", "2030-06")]
    assert not Notification.objects.filter(key__startswith="meeting-changed:", url__in=[
        reverse("meetings:meeting_detail", args=[m.pk]) for m in others
    ]).exists()  # fmt: skip
    # saving the same values again moves nothing and tells nobody
    count = Notification.objects.count()
    _series, again = services.do_change_series(user=pjo, series=series, **_values(series))
    assert again == [] and Notification.objects.count() == count


# --- refusals -------------------------------------------------------------------


def test_a_stale_form_is_refused_and_nothing_changes(login, world, pjo, gubernur_office):
    series = world["series"]
    client = login(pjo)
    page = client.get(edit_url(series)).content.decode()
    version = re.search(r'name="version" value="([^"]+)"', page).group(1)
    # the Governor's office saves first
    services.do_change_series(user=gubernur_office, series=series, **_values(series, location="Gedung Gradhika"))
    before = snapshot()
    saved = MeetingSeries.objects.get(pk=series.pk)
    response = client.post(edit_url(series), post_data(series, version=version, location="Kantor lain", day="3"))
    assert response.status_code == 400
    assert "sudah diubah orang lain sejak formulir dibuka" in response.content.decode()
    assert snapshot() == before
    after = MeetingSeries.objects.get(pk=series.pk)
    assert (after.location, after.day, after.updated_at) == (saved.location, saved.day, saved.updated_at)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"start_time": "14:00", "end_time": "13:00"}, "end_time", "Jam selesai harus setelah jam mulai."),
        ({"start_time": "14:00", "end_time": "14:00"}, "end_time", "Jam selesai harus setelah jam mulai."),
        ({"rule": "hari", "week": "5", "weekday": "1"}, "week", "Minggu ke- harus 1-4."),
        ({"rule": "hari", "week": "", "weekday": "1"}, "week", "Pilih minggu ke- (1-4) untuk aturan hari."),
        ({"rule": "hari", "week": "2", "weekday": "6"}, "weekday", "Pilih hari Senin sampai Jumat."),
        ({"rule": "tanggal", "day": "31"}, "day", "Tanggal harus 1-28 (agar ada di setiap bulan)."),
        ({"rule": "tanggal", "day": "0"}, "day", "Tanggal harus 1-28 (agar ada di setiap bulan)."),
        ({"rule": "tanggal", "day": ""}, "day", "Isi tanggal (1-28) untuk aturan tanggal."),
        ({"rule": "bulanan"}, "rule", "Pilih aturan tanggal."),
        ({"start_time": "25:00"}, "start_time", "Jam tidak valid. Gunakan format JJ:MM."),
        ({"location": "Aula\x00"}, "location", None),
    ],
)
def test_bad_input_is_refused_with_its_message(login, world, pjo, changes, field, message):
    series = world["series"]
    before = snapshot()
    response = login(pjo).post(edit_url(series), post_data(series, **changes))
    assert response.status_code == 400
    page = response.content.decode()
    assert "data-error-summary" in page and f'href="#id_{field}' in page
    if message:
        assert message in page
    assert snapshot() == before
    assert MeetingSeries.objects.get(pk=series.pk).rule == "hari"


def test_an_actor_of_another_province_cannot_be_invited(login, world, pjo):
    series = world["series"]
    before = snapshot()
    response = login(pjo).post(edit_url(series), post_data(series, invited_actors=[actor("kmw", "34").pk]))
    assert response.status_code == 400
    assert "Hanya pelaku lain di provinsi yang sama yang dapat diundang." in response.content.decode()
    assert snapshot() == before
    with pytest.raises(ValidationError):
        services.do_change_series(user=pjo, series=series, **_values(series, invited_actors=[actor("kmw", "34")]))
    assert snapshot() == before


def test_the_rule_by_weekday_keeps_the_day_and_vice_versa(world, pjo):
    series = world["series"]
    services.do_change_series(user=pjo, series=series, **_values(series, rule="hari", week=3, weekday=0, day=None))
    saved = MeetingSeries.objects.get(pk=series.pk)
    assert (saved.rule, saved.week, saved.weekday, saved.day) == ("hari", 3, 0, 5)
    event = AuditEvent.objects.for_object(series).get(action="meeting_series.saved")
    assert event.changes["before"] == {
        "week": 1,
        "weekday": 1,
        "start_time": "09:00",
        "end_time": "12:00",
        "location": "Kantor Sekretariat PNPM-MP Provinsi",
        "invited_actors": event.changes["before"]["invited_actors"],
    }


# --- Papua: the window is the province's own days --------------------------------


def test_papua_counts_the_window_in_its_own_date(gubernur_office):
    """16.00 UTC on 30 January 2030 is 23.00 WIB (still the 30th in Jakarta)
    and 01.00 WIT on the 31st in Papua: Papua's window ends on 7 February,
    so a meeting on 6 February (WIT) is inside it and stays; judged by
    Jakarta's date (window to the 6th) it would move."""
    papua_gub = member("gubernur", "91", username="gub-papua")
    pjo_papua = member("pjoprov", "91", username="pjo-papua")
    series = series_of("pjoprov", "91")
    MeetingSeries.objects.filter(pk=series.pk).update(rule="tanggal", day=6)
    series = series_of("pjoprov", "91")
    with time_machine.travel(datetime.datetime(2029, 12, 20, 3, 0, tzinfo=UTC), tick=False):
        february, march = occurrence(series, "2030-02"), occurrence(series, "2030-03")
    if february.local_date != datetime.date(2030, 2, 6):
        pytest.skip("6 February 2030 is not a working day in this calendar")
    wit = zoneinfo.ZoneInfo("Asia/Jayapura")
    moment = datetime.datetime(2030, 1, 30, 16, 0, tzinfo=UTC)
    assert moment.astimezone(WIB).date() == datetime.date(2030, 1, 30)
    assert moment.astimezone(wit).date() == datetime.date(2030, 1, 31)
    with time_machine.travel(moment, tick=False):
        assert services.series_notice_window_end(series.actor.province) == datetime.date(2030, 2, 7)
        _series, moved = services.do_change_series(
            user=papua_gub, series=series, **_values(series, day=6, invited_actors=[], location="Kantor Gubernur Papua")
        )
    assert [m.pk for m in moved] == [march.pk]
    assert fresh(february).location == series.location
    assert fresh(march).location == "Kantor Gubernur Papua"
    assert fresh(march).starts_at == datetime.datetime.combine(fresh(march).local_date, datetime.time(13), wit)
    assert Notification.objects.filter(recipient=pjo_papua, key__startswith=f"meeting-changed:{march.pk}:").count() == 1
    # the Governor's office of Jawa Tengah has no say in Papua
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.do_change_series(user=gubernur_office, series=series, **_values(series))


def test_the_admin_goes_through_the_same_service(world):
    from tests.factories import UserFactory

    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    series = MeetingSeries.objects.select_related("actor__province", "actor__kind").get(pk=world["series"].pk)
    series.location = "Ruang Rapat Gubernuran"
    _series, moved = services.do_save_series(by=root, series=series, changed=["location"])
    assert {m.pk for m in moved} == {world["2030-03"].pk, world["2030-07"].pk}
    event = AuditEvent.objects.for_object(series).get(action="meeting_series.saved")
    assert event.changes["after"] == {"location": "Ruang Rapat Gubernuran"}
    assert event.changes["fields"] == ["location"]


def test_the_admin_change_form_saves_through_the_service(client, world):
    from django.forms.models import model_to_dict

    from tests.factories import PASSWORD, UserFactory

    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    assert client.login(username=root.username, password=PASSWORD)
    series = world["series"]
    data = {k: v for k, v in model_to_dict(series).items() if v is not None}
    data.update(
        location="Ruang Rapat Gubernuran",
        invited_actors=[actor("tk-provinsi").pk],
        invited_people=[],
        start_time="09:00",
        end_time="12:00",
        created_at_0="2026-01-01",
        created_at_1="00:00:00",
    )
    data = {k: ([x.pk if hasattr(x, "pk") else x for x in v] if isinstance(v, list) else v) for k, v in data.items()}
    response = client.post(reverse("admin:meetings_meetingseries_change", args=[series.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert fresh(world["2030-03"]).location == "Ruang Rapat Gubernuran"
    assert set(fresh(world["2030-03"]).invited_actors.values_list("kind__code", flat=True)) == {"tk-provinsi"}
    event = AuditEvent.objects.for_object(series).get(action="meeting_series.saved")
    assert event.changes["after"]["invited_actors"] == names_of("tk-provinsi")


def test_who_is_newly_invited_gets_the_invitation_and_who_is_dropped_is_told(world, pjo, colleague):
    tkpkd = member("tkpkd", "33", username="tkpkd-jateng")
    series = MeetingSeries.objects.select_related("actor__province", "actor__kind").get(pk=world["series"].pk)
    _series, moved = services.do_save_series(
        by=pjo, series=series, invited_actors=[actor("tk-provinsi"), actor("tkpkd")], invited_people=[]
    )
    march = fresh(world["2030-03"])
    assert march.pk in {m.pk for m in moved}

    def keys(user):
        return {n.key.rsplit(":", 1)[0] if n.key.count(":") > 1 else n.key for n in user.notifications.all()}

    assert f"meeting-invitation:{march.pk}" in keys(tkpkd)  # new: the invitation, with the new time
    assert f"meeting-changed:{march.pk}" not in keys(tkpkd)
    assert f"meeting-changed:{march.pk}" in keys(world["tk"])  # stays: told of the change
    assert f"meeting-changed:{march.pk}" in keys(pjo)
    assert keys(colleague) == {f"meeting-uninvited:{m.pk}" for m in moved}  # KMW dropped: told, nothing else
    dropped = colleague.notifications.get(key=f"meeting-uninvited:{march.pk}:{march.sequence}")
    assert dropped.url == ""  # a meeting they can no longer open


def test_the_admin_refuses_an_invitee_of_another_province_and_changes_nothing(client, world):
    from django.forms.models import model_to_dict

    from tests.factories import PASSWORD, UserFactory

    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    assert client.login(username=root.username, password=PASSWORD)
    series = world["series"]
    data = {k: v for k, v in model_to_dict(series).items() if v is not None}
    data.update(
        invited_actors=[actor("tk-provinsi").pk, actor("kmw", "34").pk],
        invited_people=[],
        start_time="09:00",
        end_time="12:00",
        created_at_0="2026-01-01",
        created_at_1="00:00:00",
    )
    data = {k: ([x.pk if hasattr(x, "pk") else x for x in v] if isinstance(v, list) else v) for k, v in data.items()}
    before = snapshot()
    response = client.post(reverse("admin:meetings_meetingseries_change", args=[series.pk]), data)
    assert response.status_code == 200
    assert "Hanya pelaku dari provinsi penyelenggara" in response.content.decode()
    assert snapshot() == before
    series = MeetingSeries.objects.select_related("actor__province", "actor__kind").get(pk=series.pk)
    with pytest.raises(ValidationError):
        services.do_save_series(by=root, series=series, invited_actors=[actor("kmw", "34")])
    assert snapshot() == before


def test_the_series_page_lists_only_the_meetings_the_person_may_open(client, world, pjo, colleague):
    july = world["2030-07"]
    services.do_update_meeting(
        user=pjo,
        meeting=july,
        title=july.title,
        location=july.location,
        chair=july.chair,
        invited_actors=[actor("tk-provinsi")],  # KMW left out of this one by hand
        invited_people=[],
    )
    client.force_login(colleague)
    page = client.get(detail_url(world["series"])).content.decode()
    march = reverse("meetings:meeting_detail", args=[world["2030-03"].pk])
    assert march in page
    assert reverse("meetings:meeting_detail", args=[july.pk]) not in page
    assert "Juli 2030" not in page
