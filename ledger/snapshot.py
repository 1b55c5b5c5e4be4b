"""The writer's duty ledger frozen into a report version.

settings.REPORT_SNAPSHOT_EXTRAS names `tk_ledger`: reports.services calls it
when a version of a report type with a ledger section (ReportSection.Kind.LEDGER,
the TK's quarterly report) is built, so the version keeps the ledger as it
stood when it was sent. Plain values only (strings, no links): a later account
or occurrence never changes a sent version."""

from django.utils import translation
from django.utils.translation import gettext as _

from actors.models import Actor
from core import clock
from core.periods import QUARTER, period_containing, period_label
from core.templatetags.fmt import tanggal

from . import standing


def _quarter_of(report):
    try:
        return standing.quarter(report.period)
    except ValueError:
        return period_containing(QUARTER, report.period_start) if report.period_start else None


def _count_this_version(row, report):
    """The version being built is sent by the time anyone reads it, but the
    report has no version yet when its snapshot is made: on a first
    submission, the row of the report's own duty counts it as sent; and the
    assessment duty (TK 7) reads the rows this version carries."""
    if row.source == standing.Source.ASSESSMENT:
        count = report.assessment.count()
        label = f"{report.report_type.name} {period_label(report.period)}"
        note = _("%(n)s baris penilaian (versi %(v)s)") % {"n": count, "v": report.version_count + 1}
        row.evidence = [standing.Evidence(label, note)]
        row.standing = standing.Standing.DONE if count else standing.Standing.NOT_YET
        return
    if report.version_count or row.source != standing.Source.REPORTS or row.duty.pk != report.report_type.duty_id:
        return
    label = f"{report.report_type.name} {period_label(report.period)}"
    today = clock.local_today(report.province)
    on_time = report.due_date is None or today <= report.due_date
    sent_notes = {_("dikirim tepat waktu"), _("dikirim terlambat")}
    for evidence in row.evidence:
        if evidence.label == label:
            evidence.note = _("dikirim tepat waktu") if on_time else _("dikirim terlambat")
            evidence.late = not on_time
    if row.evidence and all(e.note in sent_notes for e in row.evidence):
        row.standing = standing.Standing.DONE
    elif any(e.note in sent_notes for e in row.evidence):
        row.standing = standing.Standing.PARTIAL


def ledger_rows(actor, period, report=None):
    """The ledger of `actor` for the quarter `period` as snapshot rows
    (`report`: the report whose version is being built)."""
    ledger = standing.build([actor], period)[actor.pk]
    rows = []
    for row in ledger.rows:
        if report is not None:
            _count_this_version(row, report)
        rows.append(
            {
                "ref": row.duty.ref,
                "text": row.duty.text,
                "standing": row.standing,
                "standing_label": str(row.standing_label),
                "source_label": str(row.source_label),
                "evidence": [{"label": str(e.label), "note": str(e.note)} for e in row.evidence],
                "account": row.account.text if row.account is not None else "",
                "occurrences": [
                    {
                        "occurred_on": o.occurred_on.isoformat(),
                        "occurred_on_label": tanggal(o.occurred_on),
                        "what": o.what,
                        "action": o.action,
                    }
                    for o in row.occurrences
                ],
            }
        )
    return rows


def tk_ledger(report):
    """{"ledger": [...]}: the report's actor's ledger for the report's quarter,
    worded in Indonesian (the language of the official document)."""
    period = _quarter_of(report)
    if period is None:
        return {}
    actor = Actor.objects.select_related("province", "kind").get(pk=report.actor_id)
    with translation.override("id"):
        return {"ledger": ledger_rows(actor, period, report)}
