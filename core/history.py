"""The audit trail in sentences: "Budi Santoso (Sekretaris TK PNPM-MP Provinsi
Jawa Tengah) mengirim laporan sebagai versi 2, tepat waktu."

SENTENCES maps every action code the services record to the words after the
person: a gettext string, or a small function of the event's facts. An event
is told in the active language when it is shown, from what it stored
(`changes`, and `summary` where that is the person's own words), so the same
row reads in Indonesian or English. Rows written before a field was stored
still read sensibly: every function has a plain fallback and never assumes a
key is there. `core.audit.record` refuses an action with no sentence here.

`describe(events, actor_ids)` fills `who`, `does`, `note`, `link` and
`sentence` on each event with a fixed number of queries (names of the people,
actors and memberships the events mention, and each person's position in the
object's actors on the event's date), whatever the number of events.
"""

import datetime

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from . import clock
from .models import AuditEvent
from .periods import period_label
from .templatetags.fmt import tanggal, time_separator, waktu_lokal

# --- reading what an event stored ----------------------------------------------

# Keys of `changes` (top level, "before", "after") holding the id of a person,
# an actor or a membership; only integers are looked up (some keys hold a
# name in other events, e.g. a proposal's "actor").
USER_KEYS = {"assignee", "chair", "invited_people", "acting_for", "user_id", "person"}
ACTOR_KEYS = {"actor", "invited_actors"}
MEMBERSHIP_KEYS = {"membership", "successor", "successor_membership", "predecessor", "replaces"}


def _dict(value):
    return value if isinstance(value, dict) else {}


def _ids(value):
    values = value if isinstance(value, list | tuple) else [value]
    return {v for v in values if isinstance(v, int) and not isinstance(v, bool)}


class Names:
    """What the events mention, fetched once for all of them."""

    def __init__(self, users=(), actors=(), memberships=(), province=None):
        self.users = {u.pk: u for u in users}
        self.actors = {a.pk: a for a in actors}
        self.memberships = {m.pk: m for m in memberships}
        self.province = province

    def user(self, pk):
        user = self.users.get(pk) if isinstance(pk, int) else None
        if user is not None:
            return user.display_name
        return pk if isinstance(pk, str) and pk else _("orang lain")

    def actor(self, pk):
        actor = self.actors.get(pk) if isinstance(pk, int) else None
        if actor is not None:
            return actor.name
        return pk if isinstance(pk, str) and pk else _("pelaku lain")

    def membership(self, pk):
        return self.memberships.get(pk) if isinstance(pk, int) else None

    def person_of(self, pk):
        m = self.membership(pk)
        return m.user.display_name if m is not None else _("orang lain")


class Facts:
    """One event's stored facts, read safely whatever shape `changes` has."""

    def __init__(self, event, names):
        self.event = event
        self.names = names
        self.changes = _dict(event.changes)
        self.before = _dict(self.changes.get("before"))
        self.after = _dict(self.changes.get("after"))
        self.summary = (event.summary or "").strip()

    def get(self, key):
        """A top-level value of `changes`, or the same key of "after"."""
        value = self.changes.get(key)
        return self.after.get(key) if value is None else value

    @property
    def target_id(self):
        try:
            return int(self.event.target_id)
        except (TypeError, ValueError):
            return None


# --- formatting values ----------------------------------------------------------


def as_date(value):
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def as_moment(value):
    if isinstance(value, datetime.datetime):
        return value
    try:
        moment = datetime.datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment, datetime.UTC)
    return moment


def day(value):
    """'12 Oktober 2026'; the stored text when it is not a date."""
    parsed = as_date(value)
    return tanggal(parsed) if parsed else str(value or "")


def moment(value, names):
    parsed = as_moment(value)
    return waktu_lokal(parsed, names.province) if parsed else str(value or "")


def clock_time(value):
    """'09.00' (English '09:00') from 'HH:MM' or a time."""
    text = value.strftime("%H:%M") if isinstance(value, datetime.time) else str(value or "")[:5]
    return text.replace(":", time_separator())


def day_pair(before, after):
    """('10 Oktober', '12 Oktober 2026'): the year once when both share it."""
    b, a = as_date(before), as_date(after)
    if b and a and b.year == a.year:
        return tanggal(b).removesuffix(f" {b.year}"), tanggal(a)
    return day(before), day(after)


def names_list(values):
    return ", ".join(str(v) for v in values)


def term(start, end):
    if start and end:
        return _("%(start)s sampai %(end)s") % {"start": day(start), "end": day(end)}
    if start:
        return _("mulai %(start)s") % {"start": day(start)}
    return ""


def with_parts(main, *parts):
    """'main, part, part' without the empty parts."""
    return ", ".join([str(main), *(str(p) for p in parts if p)])


def files_part(facts):
    files = facts.changes.get("files")
    files = [str(name) for name in files if name] if isinstance(files, list) else []
    return _("melampirkan %(files)s") % {"files": names_list(files)} if files else ""


def links_part(facts):
    links = facts.changes.get("links")
    n = len(links) if isinstance(links, list) else 0
    if not n:
        return ""
    return ngettext("menambahkan %(n)s tautan bukti", "menambahkan %(n)s tautan bukti", n) % {"n": n}


# --- the fields of a change -------------------------------------------------------

# Keys that are no model field, or that read better under another name.
EXTRA_LABELS = {
    "person": gettext_lazy("orang"),
    "version": gettext_lazy("versi"),
    "period": gettext_lazy("periode"),
    "week": gettext_lazy("minggu"),
}
# Keys a change list leaves out: another key says it in words.
HIDDEN = {"user_id", "updated_at", "sequence"}


def _field(model, key):
    if model is None:
        return None
    try:
        return model._meta.get_field(key)
    except FieldDoesNotExist:
        return None


def field_label(model, key):
    if key in EXTRA_LABELS:
        return str(EXTRA_LABELS[key])
    field = _field(model, key)
    if field is not None and getattr(field, "verbose_name", None):
        return str(field.verbose_name)
    return str(key).replace("_", " ")


def field_value(model, key, value, names):
    """A stored value in words: a choice's label, a date, a time, a name."""
    Actor, Membership, User = _people_models()
    if value is None or value == "" or value == [] or isinstance(value, dict):
        return ""
    if key == "period":
        return period_label(str(value))
    if key == "week":
        return _("ke-%(n)s") % {"n": value}  # minggu ke-2
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    field = _field(model, key)
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    related = getattr(field, "related_model", None) if field is not None else None
    if isinstance(value, list):
        return names_list(field_value(model, key, v, names) for v in value)
    if related is User or key in USER_KEYS:
        return names.user(value)
    if related is Actor:
        return names.actor(value)
    if related is Membership or key in MEMBERSHIP_KEYS:
        return names.person_of(value) if isinstance(value, int) else str(value)
    internal = getattr(field, "get_internal_type", lambda: "")()
    if internal == "DateTimeField":
        return moment(value, names)
    if internal == "DateField" or key.endswith("date"):
        return day(value)
    if internal == "TimeField" or key.endswith("_time"):
        return clock_time(value)
    return str(value)


def _is_long_text(model, key):
    field = _field(model, key)
    return field is not None and field.get_internal_type() == "TextField"


def change_phrase(model, key, before, after, names):
    """'tenggat dari 10 Oktober menjadi 12 Oktober 2026' and its kin."""
    label = field_label(model, key)
    if isinstance(before, list) or isinstance(after, list):
        old, new = list(before or []), list(after or [])
        added = [field_value(model, key, v, names) for v in new if v not in old]
        removed = [field_value(model, key, v, names) for v in old if v not in new]
        parts = []
        if added:
            parts.append(_("%(field)s ditambah %(names)s") % {"field": label, "names": names_list(added)})
        if removed:
            parts.append(_("%(field)s dikurangi %(names)s") % {"field": label, "names": names_list(removed)})
        return "; ".join(parts) or _("%(field)s diubah") % {"field": label}
    if _is_long_text(model, key):
        return _("%(field)s diubah") % {"field": label}
    if _is_day(model, key):
        old, new = day_pair(before, after) if before and after else (day(before), day(after))
    else:
        old, new = field_value(model, key, before, names), field_value(model, key, after, names)
    if old and new:
        return _("%(field)s dari %(before)s menjadi %(after)s") % {"field": label, "before": old, "after": new}
    if new:
        return _("%(field)s menjadi %(after)s") % {"field": label, "after": new}
    if old:
        return _("%(field)s dikosongkan (semula %(before)s)") % {"field": label, "before": old}
    return _("%(field)s diubah") % {"field": label}


def _is_day(model, key):
    field = _field(model, key)
    if field is not None:
        return field.get_internal_type() == "DateField"
    return key.endswith("date")


def change_list(model, facts):
    """Every changed field of before/after in words, joined by semicolons; or
    the field names alone for rows that kept only {"fields": [...]}."""
    keys = [k for k in (*facts.before, *(k for k in facts.after if k not in facts.before)) if k not in HIDDEN]
    phrases = [
        change_phrase(model, k, facts.before.get(k), facts.after.get(k), facts.names)
        for k in keys
        if facts.before.get(k) != facts.after.get(k)
    ]
    if not phrases and isinstance(facts.changes.get("fields"), list):
        phrases = [field_label(model, k) for k in facts.changes["fields"] if isinstance(k, str)]
    return "; ".join(str(p) for p in phrases)


def _model(label):
    """A model by the label the audit trail stores ("actors.proposal"): the
    trail names its targets by label, so core reads them without importing
    the apps (core imports no app: the layer contract)."""
    return apps.get_model(label)


def _people_models():
    """The models naming people and seats in the sentences, by label."""
    return _model("actors.Actor"), _model("actors.Membership"), get_user_model()


# --- the registry --------------------------------------------------------------------


class Entry:
    def __init__(self, render, note=False, evidence=False):
        self.render = render
        # note: `summary` holds the person's own words (a reason, a note),
        # shown under the sentence. evidence: it may be the path of the page
        # that shows the evidence (shown as a link), or a note.
        self.note = note or evidence
        self.evidence = evidence


SENTENCES = {}


def sentence(*actions, note=False, evidence=False):
    def register(render):
        for action in actions:
            SENTENCES[action] = Entry(render, note, evidence)
        return render

    return register


def plain(action, text, note=False):
    SENTENCES[action] = Entry(lambda facts: str(text), note)


def has_sentence(action):
    return action in SENTENCES


# --- actors: proposals, decrees, memberships, accounts, provinces ---------------------


@sentence("proposal.created")
def _proposal_created(f):
    person, position, actor = f.after.get("person"), f.after.get("position"), f.after.get("actor")
    if person and position and actor:
        text = _("membuat usulan penetapan %(person)s sebagai %(position)s %(actor)s") % {
            "person": person,
            "position": position,
            "actor": actor,
        }
    else:
        text = _("membuat usulan penetapan")
    return with_parts(text, files_part(f))


@sentence("proposal.updated")
def _proposal_updated(f):
    changed = change_list(_model("actors.Proposal"), f)
    text = (
        _("mengubah usulan penetapan: %(changes)s") % {"changes": changed}
        if changed
        else _("mengubah usulan penetapan")
    )
    return with_parts(text, files_part(f))


@sentence("proposal.submitted")
def _proposal_submitted(f):
    version = f.after.get("version")
    if version and f.before.get("status") == _model("actors.Proposal").Status.RETURNED:
        return _("mengajukan kembali usulan penetapan sebagai versi %(n)s") % {"n": version}
    if version:
        return _("mengajukan usulan penetapan versi %(n)s untuk disetujui") % {"n": version}
    return _("mengajukan usulan penetapan untuk disetujui")


plain("proposal.returned", gettext_lazy("mengembalikan usulan penetapan untuk diperbaiki"), note=True)
plain("proposal.rejected", gettext_lazy("menolak usulan penetapan"), note=True)


@sentence("proposal.approved")
def _proposal_approved(f):
    m = f.names.membership(f.after.get("membership"))
    if m is None:
        return _("menyetujui usulan penetapan")
    seat = {
        "person": m.user.display_name,
        "position": m.position_label,
        "actor": m.actor.name,
        "start": day(m.start_date),
    }
    if m.decree_id:
        return _(
            "menyetujui usulan penetapan dengan SK %(number)s: %(person)s menjabat %(position)s %(actor)s "
            "mulai %(start)s"
        ) % {**seat, "number": m.decree.number}
    return _("menyetujui usulan penetapan tanpa SK: %(person)s menjabat %(position)s %(actor)s mulai %(start)s") % seat


@sentence("user.created")
def _user_created(f):
    account = f.names.users.get(f.target_id)
    if account is None:
        return _("membuat akun dari usulan penetapan")
    return _("membuat akun %(name)s (nama pengguna %(username)s) dari usulan penetapan") % {
        "name": account.display_name,
        "username": account.get_username(),
    }


@sentence("user.activation_resent")
def _activation_resent(f):
    if isinstance(f.get("person"), int):
        return _("mengirim ulang tautan pembuatan kata sandi kepada %(name)s") % {"name": f.names.user(f.get("person"))}
    return _("mengirim ulang tautan pembuatan kata sandi kepada orang yang ditetapkan")


@sentence("decree.created")
def _decree_created(f):
    a = f.after
    main = _("mencatat SK %(number)s") % {"number": a["number"]} if a.get("number") else _("mencatat surat keputusan")
    return with_parts(
        main,
        a.get("date") and _("tanggal %(date)s") % {"date": day(a["date"])},
        a.get("subject") and _("tentang %(subject)s") % {"subject": a["subject"]},
        a.get("signed_by") and _("ditandatangani oleh %(name)s") % {"name": a["signed_by"]},
        a.get("start_date") and _("berlaku %(term)s") % {"term": term(a["start_date"], a.get("end_date"))},
    )


def _seat(m):
    return {"person": m.user.display_name, "position": m.position_label, "actor": m.actor.name}


@sentence("membership.created")
def _membership_created(f):
    m = f.names.membership(f.target_id)
    main = _("menetapkan %(person)s sebagai %(position)s %(actor)s") % _seat(m) if m else _("mencatat keanggotaan")
    a = f.after
    start = a.get("start_date")
    return with_parts(
        main,
        start and _("masa jabatan %(term)s") % {"term": term(start, a.get("end_date"))},
        isinstance(a.get("acting_for"), int)
        and _("bertindak untuk %(name)s") % {"name": f.names.user(a["acting_for"])},
        a.get("decree") and _("berdasarkan SK %(number)s") % {"number": a["decree"]},
        isinstance(a.get("predecessor"), int)
        and _("sebagai pengganti %(name)s") % {"name": f.names.person_of(a["predecessor"])},
    )


@sentence("membership.ended")
def _membership_ended(f):
    m = f.names.membership(f.target_id)
    end, before = f.after.get("end_date"), f.before.get("end_date")
    if m and end:
        text = _("mengakhiri masa jabatan %(person)s sebagai %(position)s %(actor)s pada %(end)s") % {
            **_seat(m),
            "end": day(end),
        }
    elif end:
        text = _("mengakhiri masa jabatan pada %(end)s") % {"end": day(end)}
    else:
        text = _("mengakhiri masa jabatan")
    if before and end:
        return with_parts(text, _("semula sampai %(date)s") % {"date": day(before)})
    return text


@sentence("membership.handed_over")
def _membership_handed_over(f):
    successor = f.after.get("successor")
    moved = f.after.get("tasks_moved")
    if isinstance(successor, int):
        text = _("mencatat serah terima jabatan kepada %(name)s") % {"name": f.names.person_of(successor)}
    else:
        text = _("mencatat serah terima jabatan")
    if isinstance(moved, int):
        return with_parts(
            text,
            ngettext("%(n)s tugas terbuka dialihkan", "%(n)s tugas terbuka dialihkan", moved) % {"n": moved},
        )
    return text


@sentence("province.created")
def _province_created(f):
    a = f.after
    if not a.get("name"):
        return _("menambahkan provinsi")
    Province = _model("actors.Province")
    text = _("menambahkan provinsi %(name)s") % {"name": a["name"]}
    actors = a.get("actors")
    return with_parts(
        text,
        a.get("code") and _("kode %(code)s") % {"code": a["code"]},
        a.get("timezone") and _("zona %(zone)s") % {"zone": field_value(Province, "timezone", a["timezone"], f.names)},
        isinstance(actors, int) and ngettext("beserta %(n)s pelaku", "beserta %(n)s pelaku", actors) % {"n": actors},
    )


# --- duties: tasks ----------------------------------------------------------------


@sentence("task.created")
def _task_created(f):
    due, from_meeting = f.after.get("due_date"), f.get("meeting") is not None
    if from_meeting and due:
        return _("membuat tugas ini sebagai tindak lanjut rapat, dengan tenggat %(date)s") % {"date": day(due)}
    if from_meeting:
        return _("membuat tugas ini sebagai tindak lanjut rapat")
    if due:
        return _("membuat tugas dengan tenggat %(date)s") % {"date": day(due)}
    if "due_date" in f.after:
        return _("membuat tugas tanpa tenggat")
    return _("membuat tugas")


def _task_status(f, key):
    return field_value(_model("duties.Task"), "status", key, f.names)


@sentence("task.status_changed", note=True)
def _task_status_changed(f):
    before, after = _task_status(f, f.before.get("status")), _task_status(f, f.after.get("status"))
    if before and after:
        text = _("mengubah status tugas dari %(before)s menjadi %(after)s") % {"before": before, "after": after}
    elif after:
        text = _("mengubah status tugas menjadi %(after)s") % {"after": after}
    else:
        text = _("mengubah status tugas")
    return with_parts(text, files_part(f), links_part(f))


@sentence("task.noted", note=True)
def _task_noted(f):
    return with_parts(_("menambahkan catatan pada tugas"), files_part(f), links_part(f))


@sentence("task.assigned")
def _task_assigned(f):
    before, after = f.before.get("assignee"), f.after.get("assignee")
    if before and after:
        return _("mengalihkan tugas dari %(before)s kepada %(after)s") % {
            "before": f.names.user(before),
            "after": f.names.user(after),
        }
    if after:
        return _("menugaskan tugas kepada %(name)s") % {"name": f.names.user(after)}
    if before:
        return _("melepas penugasan tugas dari %(name)s") % {"name": f.names.user(before)}
    return _("mengubah penugasan tugas")


@sentence("task.completed_by_system", evidence=True)
def _task_completed_by_system(f):
    before = _task_status(f, f.before.get("status"))
    text = _("menandai tugas selesai karena pekerjaannya sudah tercatat di aplikasi")
    return with_parts(text, before and _("semula %(status)s") % {"status": before})


@sentence("task.handed_over")
def _task_handed_over(f):
    before, after = f.before.get("assignee"), f.after.get("assignee")
    if before and after:
        return _("mengalihkan tugas dari %(before)s kepada %(after)s karena serah terima jabatan") % {
            "before": f.names.user(before),
            "after": f.names.user(after),
        }
    return _("mengalihkan tugas karena serah terima jabatan")


# --- reports --------------------------------------------------------------------------


@sentence("report.created")
def _report_created(f):
    if f.summary:
        return _("membuat laporan insidental “%(title)s”") % {"title": f.summary}
    return _("membuat laporan insidental")


plain("report.draft_saved", gettext_lazy("menyimpan draf laporan"))


@sentence("report.attachment_added")
def _report_attachment_added(f):
    return _("melampirkan berkas %(name)s") % {"name": f.summary} if f.summary else _("melampirkan berkas")


@sentence("report.attachment_removed")
def _report_attachment_removed(f):
    return _("menghapus lampiran %(name)s") % {"name": f.summary} if f.summary else _("menghapus lampiran")


@sentence("report.submitted")
def _report_submitted(f):
    version, on_time = f.after.get("version"), f.after.get("on_time")
    if not version:
        return _("mengirim laporan")
    if on_time is True:
        return _("mengirim laporan sebagai versi %(n)s, tepat waktu") % {"n": version}
    if on_time is False:
        return _("mengirim laporan sebagai versi %(n)s, terlambat") % {"n": version}
    return _("mengirim laporan sebagai versi %(n)s") % {"n": version}


@sentence("report.acknowledged", note=True)
def _report_acknowledged(f):
    version = f.after.get("version")
    return _("menerima laporan versi %(n)s") % {"n": version} if version else _("menerima laporan")


@sentence("report.returned", note=True)
def _report_returned(f):
    version = f.after.get("version")
    if version:
        return _("mengembalikan laporan versi %(n)s untuk diperbaiki") % {"n": version}
    return _("mengembalikan laporan untuk diperbaiki")


# --- meetings ---------------------------------------------------------------------------


@sentence("meeting.scheduled")
def _meeting_scheduled(f):
    when, place = f.after.get("starts_at"), f.after.get("location")
    if when and place:
        return _("menjadwalkan rapat pada %(when)s di %(place)s") % {"when": moment(when, f.names), "place": place}
    if when:
        return _("menjadwalkan rapat pada %(when)s") % {"when": moment(when, f.names)}
    return _("menjadwalkan rapat")


@sentence("meeting.updated")
def _meeting_updated(f):
    changed = change_list(_model("meetings.Meeting"), f)
    if changed:
        return _("mengubah rapat: %(changes)s") % {"changes": changed}
    return _("menyimpan rapat tanpa perubahan") if f.before and f.after else _("mengubah rapat")


@sentence("meeting.postponed", note=True)
def _meeting_postponed(f):
    before, after = f.before.get("starts_at"), f.after.get("starts_at")
    if before and after:
        return _("menunda rapat dari %(before)s menjadi %(after)s") % {
            "before": moment(before, f.names),
            "after": moment(after, f.names),
        }
    if after:
        return _("menunda rapat ke %(after)s") % {"after": moment(after, f.names)}
    return _("menunda rapat")


plain("meeting.cancelled", gettext_lazy("membatalkan rapat"), note=True)


@sentence("meeting.held")
def _meeting_held(f):
    when = f.after.get("starts_at")
    if when:
        return _("mencatat rapat terlaksana pada %(when)s") % {"when": moment(when, f.names)}
    return _("mencatat rapat terlaksana")


@sentence("meeting.agenda_added")
def _meeting_agenda_added(f):
    title = f.get("title") or f.summary
    return _("menambahkan butir agenda %(title)s") % {"title": title} if title else _("menambahkan butir agenda")


@sentence("meeting.attendance_recorded")
def _meeting_attendance(f):
    n = f.changes.get("rows_changed")
    if isinstance(n, int):
        return ngettext("mencatat kehadiran (%(n)s baris berubah)", "mencatat kehadiran (%(n)s baris berubah)", n) % {
            "n": n
        }
    return _("mencatat kehadiran")


def _minutes_version(f):
    n = f.changes.get("version")
    return n if isinstance(n, int) else None


@sentence("meeting.minutes_saved")
def _minutes_saved(f):
    n = _minutes_version(f)
    return _("menyimpan notulen versi %(n)s") % {"n": n} if n else _("menyimpan notulen")


@sentence("meeting.minutes_approved")
def _minutes_approved(f):
    n = _minutes_version(f)
    return _("menyetujui notulen versi %(n)s") % {"n": n} if n else _("menyetujui notulen")


@sentence("meeting.minutes_correction", note=True)
def _minutes_correction(f):
    n = _minutes_version(f)
    return _("membuka koreksi notulen sebagai versi %(n)s") % {"n": n} if n else _("membuka koreksi notulen")


@sentence("meeting.follow_up_added")
def _follow_up_added(f):
    actor, title, due = f.changes.get("actor"), f.changes.get("title"), f.changes.get("due_date")
    if title and due:
        return _("menambahkan tindak lanjut untuk %(actor)s dengan tenggat %(due)s: %(title)s") % {
            "actor": f.names.actor(actor),
            "due": day(due),
            "title": title,
        }
    if isinstance(actor, int):
        return _("menambahkan tindak lanjut untuk %(actor)s") % {"actor": f.names.actor(actor)}
    return _("menambahkan tindak lanjut")


@sentence("meeting.attachment_added")
def _meeting_attachment_added(f):
    kind = f.changes.get("kind")
    if kind and f.summary:
        label = field_value(_model("meetings.MeetingAttachment"), "kind", kind, f.names)
        return _("melampirkan %(kind)s: %(name)s") % {"kind": label.lower(), "name": f.summary}
    return _("melampirkan berkas %(name)s") % {"name": f.summary} if f.summary else _("melampirkan berkas")


plain("calendar_feed.created", gettext_lazy("membuat alamat kalender pribadi"))
plain("calendar_feed.reset", gettext_lazy("mengganti alamat kalender pribadi; alamat lama tidak berlaku lagi"))


# --- ledger: the duty ledger's accounts, occurrences and declarations ---------------------


def _duty_ref(f):
    ref = f.get("duty")
    return ref if isinstance(ref, str) and ref else ""


def _quarter(f):
    key = f.get("period")
    return period_label(key) if isinstance(key, str) and key else ""


def _evidence_part(f):
    n = sum(f.changes.get(k) for k in ("tasks", "meetings", "documents") if isinstance(f.changes.get(k), int))
    return ngettext("%(n)s bukti terkait", "%(n)s bukti terkait", n) % {"n": n} if n else ""


@sentence("ledger.account_saved")
def _ledger_account_saved(f):
    ref, quarter = _duty_ref(f), _quarter(f)
    created = f.changes.get("created")
    if ref and quarter:
        words = (
            _("menulis uraian tugas %(ref)s untuk %(quarter)s")
            if created is not False
            else _("mengubah uraian tugas %(ref)s untuk %(quarter)s")
        )
        text = words % {"ref": ref, "quarter": quarter}
    else:
        text = _("menulis uraian tugas triwulan")
    return with_parts(text, _evidence_part(f), files_part(f))


@sentence("ledger.occurrence_recorded", note=True)
def _ledger_occurrence_recorded(f):
    ref, when = _duty_ref(f), f.get("occurred_on")
    if ref and when:
        text = _("mencatat kejadian tugas %(ref)s pada %(date)s") % {"ref": ref, "date": day(when)}
    else:
        text = _("mencatat kejadian tugas insidental")
    replaced = f.changes.get("replaced_declaration") is True
    return with_parts(text, replaced and _("menggantikan pernyataan tidak ada kejadian"), files_part(f))


@sentence("ledger.no_occurrence_declared")
def _ledger_no_occurrence(f):
    ref, quarter = _duty_ref(f), _quarter(f)
    if ref and quarter:
        return _("menyatakan tidak ada kejadian untuk tugas %(ref)s pada %(quarter)s") % {
            "ref": ref,
            "quarter": quarter,
        }
    return _("menyatakan tidak ada kejadian untuk tugas insidental")


@sentence("meeting_series.saved")
def _series_saved(f):
    changed = change_list(_model("meetings.MeetingSeries"), f)
    if changed:
        return _("mengubah rapat rutin: %(changes)s") % {"changes": changed}
    return _("menyimpan rapat rutin")


# --- security: the person's own account, the admin's settings ------------------------

plain("account.sessions_revoked", gettext_lazy("keluar dari semua perangkat lain"))
plain("account.two_factor_enabled", gettext_lazy("mengaktifkan verifikasi dua langkah"))
plain("account.two_factor_replaced", gettext_lazy("mengganti aplikasi autentikator"))
plain("account.two_factor_disabled", gettext_lazy("mematikan verifikasi dua langkah"))
plain("account.recovery_code_used", gettext_lazy("masuk dengan kode pemulihan"))


@sentence("account.two_factor_reset")
def _two_factor_reset(f):
    user = f.names.users.get(f.target_id)
    if user is None:
        return _("mereset verifikasi dua langkah sebuah akun")
    return _("mereset verifikasi dua langkah akun %(name)s") % {"name": user.display_name}


@sentence("two_factor_policy.changed")
def _policy_changed(f):
    Policy = _model("security.TwoFactorPolicy")
    before = field_value(Policy, "mode", f.before.get("mode"), f.names)
    after = field_value(Policy, "mode", f.after.get("mode"), f.names)
    if before and after:
        return _("mengubah verifikasi dua langkah dari %(before)s menjadi %(after)s") % {
            "before": before,
            "after": after,
        }
    return _("mengubah aturan verifikasi dua langkah")


@sentence("api_token.created")
def _api_token_created(f):
    return _("membuat token akses API")


@sentence("api_token.revoked")
def _api_token_revoked(f):
    return _("mencabut token akses API")


# --- putting it together --------------------------------------------------------------


def _is_app_path(text):
    """A page of this app ('/laporan/versi/12/'), never another site."""
    if not text.startswith("/") or text.startswith("//") or "\\" in text:
        return False
    try:
        resolve(text)
    except Resolver404:
        return False
    return True


def who(event, position=""):
    if event.user is None:
        return _("Sistem")
    if position and not event.on_behalf_of:
        return _("%(name)s (%(position)s)") % {"name": event.user.display_name, "position": position}
    return event.user.display_name


def _target_ids(events, label):
    return {int(e.target_id) for e in events if e.target_type == label and str(e.target_id).isdigit()}


def _fetch(events, actor_ids):
    """The names and positions the events need: at most three queries."""
    Actor, Membership, User = _people_models()

    user_ids, membership_ids, mentioned_actors = set(), set(), set()
    for e in events:
        changes = _dict(e.changes)
        for part in (changes, _dict(changes.get("before")), _dict(changes.get("after"))):
            for key, value in part.items():
                if key in USER_KEYS:
                    user_ids |= _ids(value)
                elif key in ACTOR_KEYS:
                    mentioned_actors |= _ids(value)
                elif key in MEMBERSHIP_KEYS:
                    membership_ids |= _ids(value)
    user_ids |= _target_ids(events, "actors.user")
    membership_ids |= _target_ids(events, "actors.membership")
    people = {e.user_id for e in events if e.user_id}
    actors = (
        list(Actor.objects.filter(pk__in=set(actor_ids) | mentioned_actors).select_related("kind", "province"))
        if actor_ids or mentioned_actors
        else []
    )
    seats = Q(pk__in=membership_ids)
    if people and actor_ids:
        seats |= Q(user_id__in=people, actor_id__in=actor_ids)
    memberships = (
        list(
            Membership.objects.filter(seats).select_related(
                "user", "position", "actor__kind", "actor__province", "decree"
            )
        )
        if membership_ids or (people and actor_ids)
        else []
    )
    users = list(User.objects.filter(pk__in=user_ids)) if user_ids else []
    return users, actors, memberships


def _position(event, memberships, actor_ids):
    """The person's position in one of the object's actors on the event's date."""
    for m in memberships:
        if m.user_id != event.user_id or m.actor_id not in actor_ids:
            continue
        on = timezone.localtime(event.at, clock.zone_of(m.actor.province)).date()
        if m.start_date <= on and (m.end_date is None or m.end_date >= on):
            return f"{m.position_label} {m.actor.name}"
    return ""


def describe(events, actor_ids=()):
    """Give each event `who`, `does`, `note`, `link` and `sentence`. `actor_ids`:
    the actors of the objects shown (a person's position is looked up there).
    A change made through the REST API (via=api) says so after what was done."""
    events = list(events)
    if not events:
        return events
    actor_ids = [pk for pk in actor_ids if pk]
    users, actors, memberships = _fetch(events, actor_ids)
    by_pk = {a.pk: a for a in actors}
    home = next((by_pk[pk] for pk in actor_ids if pk in by_pk), None)
    names = Names(users, actors, memberships, province=home.province if home is not None else None)
    for event in events:
        entry = SENTENCES.get(event.action)
        facts = Facts(event, names)
        event.who = who(event, _position(event, memberships, set(actor_ids)))
        event.does = entry.render(facts) if entry else _("mencatat perubahan")
        if getattr(event, "via", "") == AuditEvent.Via.API:
            event.does = _("%(does)s (lewat API)") % {"does": event.does}
        note = facts.summary if entry is not None and entry.note else ""
        event.note, event.link = note, ""
        if entry is not None and entry.evidence and _is_app_path(note):
            event.note, event.link = "", note
        if event.on_behalf_of:
            event.sentence = _("%(who)s, %(on_behalf_of)s, %(does)s.") % {
                "who": event.who,
                "on_behalf_of": event.on_behalf_of,
                "does": event.does,
            }
        else:
            event.sentence = _("%(who)s %(does)s.") % {"who": event.who, "does": event.does}
    return events
