"""Approved minutes as a PDF in the official format (documents.pdf, as the
report PDF): header, meeting details, attendance, the discussion and
decisions per agenda item, general notes, follow-ups and the chair's
signature block (with the verification QR code when issued). Issued once
when the chair approves the version (meetings/issued.py)."""

from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from actors.models import Membership
from actors.services import on_behalf_of
from core.templatetags.fmt import ZONE_LABELS, tanggal, tanggal_lengkap, time_separator, waktu_lokal
from documents import pdf

from .models import Attendance, FollowUp, MinutesEntry, MinutesVersion


def zone_of(meeting):
    """Where the meeting's times are read: its province, or for a national
    actor (no province) the project's zone, settings.TIME_ZONE. Either way
    what the fmt filters need (tzinfo, zone_label)."""
    province = meeting.actor.province
    if province is not None:
        return province
    return SimpleNamespace(tzinfo=ZoneInfo(settings.TIME_ZONE), zone_label=ZONE_LABELS.get(settings.TIME_ZONE, "WIB"))


def local(moment, meeting):
    return timezone.localtime(moment, zone_of(meeting).tzinfo)


def approver_name(version):
    user = version.approved_by
    return user.display_name if user is not None else "-"


def approver_on_behalf_of(version):
    """The "a.n." line of an acting chair, as on the day of the approval."""
    meeting = version.meeting
    return on_behalf_of(version.approved_by, meeting.actor, on=local(version.approved_at, meeting).date())


def approver_position(version):
    """The approver's position in the holding actor on the day of approval
    ('Ketua', 'Plt. Ketua'), or ''."""
    meeting = version.meeting
    if version.approved_by_id is None:
        return ""
    membership = (
        Membership.objects.current(local(version.approved_at, meeting).date())
        .filter(user_id=version.approved_by_id, actor_id=meeting.actor_id)
        .select_related("position")
        .order_by("start_date", "pk")
        .first()
    )
    return membership.position_label if membership is not None else ""


def load(version):
    """The version with what the PDF reads, in one query."""
    return MinutesVersion.objects.select_related(
        "meeting__actor__province", "meeting__actor__kind", "meeting__chair", "approved_by"
    ).get(pk=version.pk)


def _time_range(meeting):
    zone = zone_of(meeting)
    start, end = local(meeting.starts_at, meeting), local(meeting.ends_at, meeting)
    if start.date() != end.date():
        return f"{waktu_lokal(meeting.starts_at, zone)} – {waktu_lokal(meeting.ends_at, zone)}"
    sep = time_separator()
    return f"{start:%H}{sep}{start:%M} – {end:%H}{sep}{end:%M} {zone.zone_label}"


def _positions(meeting, user_ids):
    """{user id: 'Position, Actor'} on the meeting's day: their seat in the
    holding actor first, then in the meeting's province, then any (one query)."""
    day = local(meeting.starts_at, meeting).date()
    memberships = (
        Membership.objects.current(day)
        .filter(user_id__in=user_ids)
        .select_related("actor", "position")
        .order_by("start_date", "pk")
    )

    def rank(m):
        if m.actor_id == meeting.actor_id:
            return 0
        return 1 if m.actor.province_id == meeting.actor.province_id else 2

    best = {}
    for m in memberships:
        if m.user_id not in best or rank(m) < rank(best[m.user_id]):
            best[m.user_id] = m
    return {pk: f"{m.position_label}, {m.actor.name}" for pk, m in best.items()}


def _attendance_rows(meeting):
    rows = sorted(
        Attendance.objects.filter(meeting=meeting).select_related("user", "actor"),
        key=lambda row: (row.user_id is None, row.pk),
    )
    positions = _positions(meeting, [row.user_id for row in rows if row.user_id])
    table = [[_("No."), _("Nama"), _("Pelaku/Jabatan"), _("Kehadiran")]]
    for n, row in enumerate(rows, start=1):
        if row.user_id:
            name, role = row.user.display_name, positions.get(row.user_id, "-")
        else:
            name, role = row.actor.name, _("Pelaku")
        status = row.get_status_display()
        if row.note:
            status = f"{status} ({row.note})"
        table.append([str(n), name, role, status])
    return table


def _follow_up_rows(meeting, version):
    """The follow-ups decided up to the approval (a later correction's
    follow-ups belong to that version)."""
    follow_ups = (
        FollowUp.objects.filter(meeting=meeting, created_at__lte=version.approved_at)
        .select_related("task__actor", "task__duty")
        .order_by("id")
    )
    table = [[_("No."), _("Tindak lanjut"), _("Penanggung jawab"), _("Tenggat"), _("Status")]]
    for n, f in enumerate(follow_ups, start=1):
        task = f.task
        table.append([str(n), task.label, task.actor.name, tanggal(task.due_date) or "-", task.get_status_display()])
    return table


def minutes_pdf(minutes_version, verification=None):
    """The approved minutes version as the official PDF (with the
    verification QR code and the code in words when `verification` is
    given); the version and approval time in the footer of every page."""
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, Spacer

    pdf.register_fonts()
    version = load(minutes_version)
    meeting = version.meeting
    province = meeting.actor.province
    zone = zone_of(meeting)
    with translation.override("id"):
        s = pdf.styles()
        started = local(meeting.starts_at, meeting)
        approved = local(version.approved_at, meeting)
        version_label = str(version.number)
        if version.number > 1 and version.reason:
            version_label = _("%(n)s (koreksi: %(reason)s)") % {"n": version.number, "reason": version.reason}
        story = [
            Paragraph(pdf.text(meeting.actor.name.upper()), s["head"]),
            Spacer(1, 4),
            Paragraph(pdf.text(_("NOTULEN RAPAT")), s["head"]),
            Paragraph(pdf.text(meeting.title), s["sub"]),
            Paragraph(pdf.text(meeting.period_label), s["sub"]),
            Spacer(1, 10),
            pdf.meta_table(
                [
                    [_("Hari/tanggal"), tanggal_lengkap(started.date())],
                    [_("Waktu"), _time_range(meeting)],
                    [_("Tempat"), meeting.location or "-"],
                    [_("Pimpinan rapat"), meeting.chair.display_name if meeting.chair else "-"],
                    [_("Versi notulen"), version_label],
                ],
                s["small"],
            ),
            Spacer(1, 6),
        ]
        section = 0

        def heading(title):
            nonlocal section
            section += 1
            story.append(Paragraph(f"{section}. {pdf.text(title)}", s["h2"]))

        heading(_("Daftar hadir"))
        attendance = _attendance_rows(meeting)
        if len(attendance) > 1:
            story.append(pdf.grid_table(attendance, [1 * cm, 5 * cm, 7 * cm, 4 * cm], s["small"]))
        else:
            story.append(Paragraph(pdf.text(_("Kehadiran tidak dicatat.")), s["body"]))

        heading(_("Pembahasan dan keputusan"))
        entries = {e.agenda_item_id: e for e in MinutesEntry.objects.filter(version=version)}
        agenda = list(meeting.agenda.order_by("order"))
        if not agenda:
            story.append(Paragraph(pdf.text(_("Tidak ada butir agenda.")), s["body"]))
        for item in agenda:
            story.append(Paragraph(f"<b>{section}.{item.order} {pdf.text(item.title)}</b>", s["body"]))
            entry = entries.get(item.pk)
            problems, decisions = (entry.problems, entry.decisions) if entry else ("", "")
            if not problems and not decisions:
                story.append(Paragraph(pdf.text(_("Tidak ada catatan.")), s["small"]))
            if problems:
                story.append(Paragraph(pdf.text(_("Permasalahan yang dibahas:")), s["small"]))
                story += pdf.paragraphs(problems, s["body"])
            if decisions:
                story.append(Paragraph(pdf.text(_("Keputusan:")), s["small"]))
                story += pdf.paragraphs(decisions, s["body"])
            story.append(Spacer(1, 4))

        if version.notes:
            heading(_("Catatan umum"))
            story += pdf.paragraphs(version.notes, s["body"])

        heading(_("Tindak lanjut"))
        follow_ups = _follow_up_rows(meeting, version)
        if len(follow_ups) > 1:
            story.append(pdf.grid_table(follow_ups, [1 * cm, 6.2 * cm, 4.3 * cm, 2.8 * cm, 2.7 * cm], s["small"]))
        else:
            story.append(Paragraph(pdf.text(_("Tidak ada tindak lanjut.")), s["body"]))

        place = meeting.location or (province.name if province else "")
        day = tanggal_lengkap(approved.date())
        closing = [
            Spacer(1, 14),
            pdf.signature_block(
                place_date=f"{place}, {day}" if place else day,
                position=_("Pimpinan Rapat"),
                name=approver_name(version),
                on_behalf_of=approver_on_behalf_of(version),
                verification=verification,
                style_set=s,
            ),
        ]
        footer = _("Notulen %(title)s · Versi %(n)s · disetujui %(when)s") % {
            "title": meeting.title,
            "n": version.number,
            "when": waktu_lokal(version.approved_at, zone),
        }
        return pdf.build(
            story=story,
            closing=closing,
            footer=footer,
            title=_("Notulen %(title)s") % {"title": meeting.label},
            author=meeting.actor.name,
        )
