"""Editing a meeting series: the admin's save (do_save_series), the
holder's change with its checks (do_change_series, series_version), and the
scheduled meetings that follow it (their new time, place, invitees and
messages)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from actors.models import Actor
from actors.services import on_behalf_of
from core import audit
from core.notifications import notify
from core.permissions import sync_grants, user_may

from .. import permissions
from ..models import MeetingSeries
from ._common import _clean_text, _lock, _record, _require_open, _url, _when
from .invitations import invitation_body, notify_invitees, recipients, send_invitations
from .series_plan import SeriesSchedule, plan_series_change

# The fields of a series its holder and the Governor's office change in the
# app, in the order the history shows them.
SERIES_FIELDS = ("rule", "week", "weekday", "day", "start_time", "end_time", "location", "invited_actors")


def _series_values(series, actor_ids):
    values = {name: getattr(series, name) for name in SERIES_FIELDS if name != "invited_actors"}
    values["start_time"] = values["start_time"].strftime("%H:%M")
    values["end_time"] = values["end_time"].strftime("%H:%M")
    actors = Actor.objects.filter(pk__in=actor_ids).select_related("kind", "province")
    values["invited_actors"] = [a.name for a in actors]  # in the actors' own order
    return values


def _follow_series(by, meeting, starts_at, ends_at, schedule, on=None):
    """Give one plain scheduled meeting the series' new time, place and
    invitees: grants follow the invitees, the iCalendar sequence goes up, the
    meeting's own history records it and its invitees are told once."""
    meeting = _lock(meeting)
    _require_open(meeting)
    location = schedule.series.location
    actor_ids = set(meeting.invited_actors.values_list("pk", flat=True))
    people_ids = set(meeting.invited_people.values_list("pk", flat=True))
    before, after = {}, {}
    for name, old, new in (
        ("starts_at", meeting.starts_at, starts_at),
        ("ends_at", meeting.ends_at, ends_at),
        ("location", meeting.location, location),
        ("invited_actors", sorted(actor_ids), sorted(schedule.actor_ids)),
        ("invited_people", sorted(people_ids), sorted(schedule.people_ids)),
    ):
        if old != new:
            before[name] = old.isoformat() if isinstance(old, datetime.datetime) else old
            after[name] = new.isoformat() if isinstance(new, datetime.datetime) else new
    meeting.starts_at, meeting.ends_at, meeting.location = starts_at, ends_at, location
    meeting.sequence += 1
    meeting.save(update_fields=["starts_at", "ends_at", "location", "sequence", "updated_at"])
    invited_before = invited_after = None
    if "invited_actors" in after or "invited_people" in after:
        invited_before = {user.pk: user for user in recipients(meeting, on)}
        meeting.invited_actors.set(schedule.actor_ids)
        meeting.invited_people.set(schedule.people_ids)
        sync_grants([meeting])
        invited_after = {user.pk for user in recipients(meeting, on)}
    _record(
        by,
        "meeting.updated",
        meeting,
        summary=_("Mengikuti perubahan rangkaian rapat: %(when)s") % {"when": _when(meeting)},
        changes={"before": before, "after": after},
    )
    changed = {
        "key": f"meeting-changed:{meeting.pk}:{meeting.sequence}",
        "subject": _("Jadwal rapat berubah: %(title)s, %(when)s") % {"title": meeting.label, "when": _when(meeting)},
        "body": _("Rangkaian rapat ini diubah oleh %(actor)s. Jadwal baru:") % {"actor": meeting.actor.name}
        + "\n"
        + invitation_body(meeting),
    }
    if invited_before is None:
        notify_invitees(meeting, on=on, **changed)
        return meeting
    # The invitees changed: who stays is told of the change, who is new gets
    # the invitation (once per person), who is no longer invited is told so.
    notify([user for pk, user in invited_before.items() if pk in invited_after], url=_url(meeting), **changed)
    send_invitations(meeting, on=on)
    dropped = [user for pk, user in invited_before.items() if pk not in invited_after]
    notify(
        dropped,
        key=f"meeting-uninvited:{meeting.pk}:{meeting.sequence}",
        subject=_("Undangan dibatalkan: %(title)s, %(when)s") % {"title": meeting.label, "when": _when(meeting)},
        body=_("Rangkaian rapat ini diubah oleh %(actor)s; Anda tidak lagi termasuk yang diundang ke rapat ini.")
        % {"actor": meeting.actor.name},
    )
    return meeting


@transaction.atomic
def do_save_series(*, by, series, changed=(), invited_actors=None, invited_people=None, on=None):
    """Save a meeting series (the admin calls this; do_change_series too, after
    its checks) with its invitees (None: as they are), and bring the plain
    scheduled meetings beyond the notice window in line with it
    (plan_series_change). The history gets "meeting_series.saved" with the
    changed fields before and after; each moved meeting its own event and one
    message to its invitees. Atomic: a refusal writes nothing. Returns
    (series, moved meetings)."""
    old = None
    if series.pk is not None:
        old = (
            MeetingSeries.objects.select_for_update(of=("self",))
            .select_related("actor__province", "actor__kind")
            .filter(pk=series.pk)
            .first()
        )
    series.full_clean()
    province_id = series.actor.province_id
    strangers = [a.name for a in invited_actors or () if province_id and a.province_id != province_id]
    if strangers:
        # A meeting of one province never opens to another's actors (the
        # meetings would grant them view): refused, not dropped in silence.
        raise ValidationError(
            {
                "invited_actors": _(
                    "Hanya pelaku dari provinsi penyelenggara yang dapat diundang; bukan dari provinsi itu: %(names)s."
                )
                % {"names": ", ".join(strangers)}
            }
        )
    before = SeriesSchedule.of(old) if old else SeriesSchedule(series, frozenset(), frozenset())
    after = SeriesSchedule(
        series,
        frozenset(a.pk for a in invited_actors) if invited_actors is not None else before.actor_ids,
        frozenset(p.pk for p in invited_people) if invited_people is not None else before.people_ids,
    )
    plan = plan_series_change(series, before, after, on=on) if old and series.actor.province_id else None
    series.save()
    if invited_actors is not None:
        series.invited_actors.set(after.actor_ids)
    if invited_people is not None:
        series.invited_people.set(after.people_ids)
    old_values = _series_values(old, before.actor_ids) if old else {}
    new_values = _series_values(series, after.actor_ids)
    changes = {
        "before": {k: v for k, v in old_values.items() if new_values[k] != v},
        "after": {k: v for k, v in new_values.items() if old_values.get(k) != v},
    }
    if changed:  # the admin's form: every field it saw change, the ones above or not
        changes["fields"] = list(changed)
    moved = [_follow_series(by, m, starts, ends, after, on) for m, starts, ends in (plan.moves if plan else [])]
    summary = str(series)
    if moved:
        count = ngettext("%(n)s rapat terjadwal disesuaikan.", "%(n)s rapat terjadwal disesuaikan.", len(moved))
        summary += " · " + count % {"n": len(moved)}
    audit.record(
        by,
        "meeting_series.saved",
        series,
        summary=summary,
        changes=changes,
        on_behalf_of=on_behalf_of(by, series.actor),
    )
    return series, moved


def series_version(series):
    """What the edit form carries to notice a change made since it was opened."""
    return series.updated_at.isoformat()


@transaction.atomic
def do_change_series(
    *, user, series, version, rule, week, weekday, day, start_time, end_time, location, invited_actors, on=None
):
    """The holder's members or the Governor's office change a series' day rule,
    time, place and invited actors (meetings.permissions: series). Refused,
    with nothing written, when the series changed since the form was opened
    (`version`), or when a value is out of range. Returns (series, moved)."""
    series = (
        MeetingSeries.objects.select_for_update(of=("self",))
        .select_related("actor__province", "actor__kind")
        .get(pk=series.pk)
    )
    if not user_may(user, series, permissions.CHANGE):
        raise PermissionDenied
    if version != series_version(series):
        raise ValidationError(
            _(
                "Rangkaian rapat ini sudah diubah orang lain sejak formulir dibuka. Muat ulang halaman untuk "
                "melihat jadwal terbaru, lalu ulangi perubahan Anda."
            )
        )
    R = MeetingSeries.Rule
    errors = {}
    if rule not in R.values:
        errors["rule"] = _("Pilih aturan tanggal.")
    elif rule == R.NTH_WEEKDAY:
        if week not in (1, 2, 3, 4):
            errors["week"] = _("Minggu ke- harus 1-4.")
        if weekday not in MeetingSeries.Weekday.values:
            errors["weekday"] = _("Pilih hari Senin sampai Jumat.")
    elif day is None or not 1 <= day <= 28:
        errors["day"] = _("Tanggal harus 1-28 (agar ada di setiap bulan).")
    if start_time is None:
        errors["start_time"] = _("Isi jam mulai.")
    if end_time is None:
        errors["end_time"] = _("Isi jam selesai.")
    elif start_time is not None and end_time <= start_time:
        errors["end_time"] = _("Jam selesai harus setelah jam mulai.")
    invited_actors = list(invited_actors)
    if any(a.province_id != series.actor.province_id or a.pk == series.actor_id for a in invited_actors):
        errors["invited_actors"] = _("Hanya pelaku lain di provinsi yang sama yang dapat diundang.")
    if errors:
        raise ValidationError(errors)
    series.rule = rule
    if rule == R.NTH_WEEKDAY:
        series.week, series.weekday = week, weekday
    else:
        series.day = day
    series.start_time, series.end_time = start_time, end_time
    series.location = _clean_text(location, "location", max_length=200)
    return do_save_series(by=user, series=series, invited_actors=invited_actors, on=on)


def series_invitable_actors(series):
    return Actor.objects.filter(province_id=series.actor.province_id).exclude(pk=series.actor_id)
