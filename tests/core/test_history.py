"""The history on each page tells every event in a sentence, in Indonesian and
in English: who did what, with the before and after of a change. Every
action the code can record has one (found by reading the source), and
history_for costs the same queries for one event or twenty."""

import ast
import datetime
import re
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from actors.models import Membership
from core import audit
from core.audit_views import history_for
from core.history import SENTENCES, describe
from core.models import AuditEvent
from duties import services as duty_services
from duties.models import Task
from reports import services as report_services
from tests.actors.conftest import approve, submitted
from tests.factories import actor, member
from tests.reports.conftest import content, report_of

ROOT = Path(__file__).resolve().parents[2]
SKIPPED_DIRS = {".venv", "tests", "var", "node_modules", "__pycache__", ".git", "staticfiles"}
MOMENT = datetime.datetime(2026, 10, 5, 3, 0, tzinfo=datetime.UTC)  # 10.00 WIB

# An action code in a sentence: 'task.status_changed', 'meeting_series.saved'
# (a file name such as 'cv.pdf' is fine).
PREFIXES = "|".join(sorted({action.split(".")[0] for action in SENTENCES}))
DOTTED_CODE = re.compile(rf"\b(?:{PREFIXES})\.[a-z_]+")

# Call sites whose action the reader below cannot work out (a value built at
# run time): "path::function" -> every action it may record, written out by
# hand. Empty today; a new unresolvable call fails
# test_every_recorded_action_is_found_in_the_source until listed here.
LISTED = {}


# --- reading the source -----------------------------------------------------------


def _source_files():
    for path in sorted(ROOT.rglob("*.py")):
        if not SKIPPED_DIRS & set(path.relative_to(ROOT).parts):
            yield path


def _params(function):
    args = function.args
    return [a.arg for a in (*args.posonlyargs, *args.args)], [a.arg for a in args.kwonlyargs]


class Module:
    """One source file: which names record to the audit trail, and where."""

    def __init__(self, path, source):
        self.path = path
        self.tree = ast.parse(source, filename=path)
        self.parents = {}
        for node in ast.walk(self.tree):
            for child in ast.iter_child_nodes(node):
                self.parents[child] = node
        self.functions = [n for n in ast.walk(self.tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
        # name -> (position of the action argument, its keyword)
        self.recorders = {}
        self.audit_modules = set()
        in_core = self.path.startswith("core/")
        for node in ast.walk(self.tree):
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    if (node.module == "core" or (in_core and node.level == 1 and node.module is None)) and (
                        alias.name == "audit"
                    ):
                        self.audit_modules.add(alias.asname or "audit")
                    if (node.module == "core.audit" or (in_core and node.level == 1 and node.module == "audit")) and (
                        alias.name == "record"
                    ):
                        self.recorders[alias.asname or "record"] = (1, "action")
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name == "core.audit" and alias.asname:
                        self.audit_modules.add(alias.asname)
        self._find_wrappers()

    def recorder_of(self, call):
        func = call.func
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id in self.audit_modules
            and func.attr == "record"
        ):
            return (1, "action")
        if isinstance(func, ast.Name):
            return self.recorders.get(func.id)
        return None

    def action_arg(self, call, recorder):
        index, keyword = recorder
        for kw in call.keywords:
            if kw.arg == keyword:
                return kw.value
        if index is not None and len(call.args) > index and not isinstance(call.args[index], ast.Starred):
            return call.args[index]
        return None

    def enclosing_function(self, node):
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                return node
        return None

    def record_calls(self):
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Call):
                recorder = self.recorder_of(node)
                if recorder is not None:
                    yield node, recorder

    def _passthrough(self, call, recorder):
        """The function around `call` and the parameter it passes on as the
        action, when it does (then it is a wrapper, not a call site)."""
        arg = self.action_arg(call, recorder)
        function = self.enclosing_function(call)
        if function is None or not isinstance(arg, ast.Name):
            return None, None
        positional, keyword_only = _params(function)
        if arg.id in positional:
            return function, (positional.index(arg.id), arg.id)
        if arg.id in keyword_only:
            return function, (None, arg.id)
        return None, None

    def _find_wrappers(self):
        """_record(user, action, ...), _proposal_record, _decide(..., action):
        functions handing one of their parameters to a recorder."""
        changed = True
        while changed:
            changed = False
            for call, recorder in list(self.record_calls()):
                function, recorder_of_function = self._passthrough(call, recorder)
                if function is not None and function.name not in self.recorders:
                    self.recorders[function.name] = recorder_of_function
                    changed = True

    def sites(self):
        for call, recorder in self.record_calls():
            function, _ = self._passthrough(call, recorder)
            if function is None or function.name not in self.recorders:
                yield call, recorder

    def resolve(self, expr, at):
        """The strings `expr` may hold, or None when they cannot be known."""
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return {expr.value}
        if isinstance(expr, ast.IfExp):
            body, orelse = self.resolve(expr.body, at), self.resolve(expr.orelse, at)
            return body | orelse if body is not None and orelse is not None else None
        if isinstance(expr, ast.Name):
            function = self.enclosing_function(at)
            if function is None:
                return None
            values = set()
            for node in ast.walk(function):
                if isinstance(node, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id == expr.id for t in node.targets
                ):
                    found = self.resolve(node.value, node)
                    if found is None:
                        return None
                    values |= found
            return values or None
        return None


def _follow_imported_wrappers(modules):
    """A wrapper imported from a sibling module (`from ._common import
    _record`) records as it does where it is defined."""
    changed = True
    while changed:
        changed = False
        for module in modules.values():
            folder = module.path.rsplit("/", 1)[0] if "/" in module.path else ""
            for node in ast.walk(module.tree):
                if not (isinstance(node, ast.ImportFrom) and node.level == 1 and node.module):
                    continue
                source = modules.get(f"{folder}/{node.module.replace('.', '/')}.py".lstrip("/"))
                for alias in node.names:
                    name = alias.asname or alias.name
                    if source is not None and alias.name in source.recorders and name not in module.recorders:
                        module.recorders[name] = source.recorders[alias.name]
                        module._find_wrappers()
                        changed = True


def recorded_actions(sources=None):
    """{action: [where]} for every call that records to the audit trail, and
    the call sites whose action could not be worked out. `sources`: {path:
    text}, the project's files by default."""
    if sources is None:
        sources = {path.relative_to(ROOT).as_posix(): path.read_text() for path in _source_files()}
    modules = {path: Module(path, source) for path, source in sources.items()}
    _follow_imported_wrappers(modules)
    actions, unresolved = {}, []
    for module in modules.values():
        for call, recorder in module.sites():
            function = module.enclosing_function(call)
            where = f"{module.path}::{function.name if function else '<module>'}"
            arg = module.action_arg(call, recorder)
            found = module.resolve(arg, call) if arg is not None else None
            if found is None:
                found = LISTED.get(where)
            if found is None:
                unresolved.append(f"{where} (line {call.lineno})")
                continue
            for action in found:
                actions.setdefault(action, []).append(where)
    return actions, unresolved


def test_every_recorded_action_is_found_in_the_source():
    actions, unresolved = recorded_actions()
    assert unresolved == [], "list the actions these calls may record in LISTED"
    # The wrappers and the computed actions are followed, not missed.
    for action in (
        "task.status_changed",
        "task.noted",
        "proposal.returned",
        "proposal.rejected",
        "report.acknowledged",
        "report.returned",
        "calendar_feed.created",
        "calendar_feed.reset",
        "meeting.scheduled",
        "account.two_factor_reset",
        "membership.created",
        "meeting_series.saved",
    ):
        assert action in actions
    assert len(actions) >= 45


def test_the_reader_follows_wrappers_and_refuses_what_it_cannot_know():
    source = """
from core import audit


def _record(user, action, obj, summary=""):
    audit.record(user, action, obj, summary=summary)


def _decide(user, obj, action):
    _record(user, action, obj)


def do_thing(user, obj, done):
    _record(user, "thing.done" if done else "thing.skipped", obj)
    _decide(user, obj, action="thing.decided")
    kind = "thing.made"
    audit.record(user, kind, obj)
    audit.record(user, f"thing.{obj.kind}", obj)
"""
    actions, unresolved = recorded_actions({"app/services.py": source})
    assert set(actions) == {"thing.done", "thing.skipped", "thing.decided", "thing.made"}
    assert unresolved == ["app/services.py::do_thing (line 18)"]


def test_the_reader_follows_a_wrapper_imported_from_a_sibling_module():
    common = """
from core import audit


def _record(user, action, obj):
    audit.record(user, action, obj)
"""
    service = """
from ._common import _record


def do_thing(user, obj):
    _record(user, "thing.done", obj)
"""
    actions, unresolved = recorded_actions({"app/services/_common.py": common, "app/services/things.py": service})
    assert actions == {"thing.done": ["app/services/things.py::do_thing"]}
    assert unresolved == []


def test_every_action_the_code_can_record_has_a_sentence():
    actions, _ = recorded_actions()
    missing = sorted(set(actions) - set(SENTENCES))
    assert missing == [], "add a sentence for these actions to core/history.py"


def test_recording_an_action_without_a_sentence_is_refused(pjoprov_member):
    with pytest.raises(ValueError, match="no sentence"):
        audit.record(pjoprov_member, "task.teleported", pjoprov_member)
    assert not AuditEvent.objects.filter(action="task.teleported").exists()


# --- every sentence, in both languages, from new and old rows ---------------------------

# What each action stores today (ids that match nothing read "orang lain").
SAMPLES = {
    "api_token.created": {"after": {"scope": "baca"}},
    "api_token.revoked": {},
    "proposal.created": {
        "after": {"person": "Ani Lestari", "position": "Sekretaris", "actor": "TK PNPM-MP Provinsi Jawa Tengah"},
        "files": ["cv.pdf"],
    },
    "proposal.updated": {
        "before": {"start_date": "2026-10-10", "mode": "definitif", "reason": "a", "phone": ""},
        "after": {"start_date": "2026-10-12", "mode": "plt", "reason": "b", "phone": "0812"},
        "files": [],
    },
    "proposal.submitted": {"before": {"status": "dikembalikan"}, "after": {"status": "diajukan", "version": 2}},
    "proposal.returned": {"before": {"status": "diajukan"}, "after": {"status": "dikembalikan"}},
    "proposal.rejected": {"before": {"status": "diajukan"}, "after": {"status": "ditolak"}},
    "proposal.approved": {"before": {"status": "diajukan"}, "after": {"status": "disetujui", "membership": 999999}},
    "user.created": {},
    "user.activation_resent": {"person": 999999},
    "decree.created": {
        "after": {
            "number": "188/379/2026",
            "date": "2026-10-01",
            "subject": "Penetapan TK",
            "signed_by": "Gubernur",
            "start_date": "2026-10-12",
            "end_date": None,
        }
    },
    "membership.created": {
        "after": {"start_date": "2026-10-12", "end_date": "2027-10-11", "mode": "plt", "decree": "188/379/2026"}
    },
    "membership.ended": {"before": {"end_date": "2027-12-31"}, "after": {"end_date": "2026-10-11"}},
    "membership.handed_over": {"after": {"successor": 999999, "tasks_moved": 3}},
    "province.created": {"after": {"code": "97", "name": "Papua Pegunungan", "timezone": "Asia/Jayapura", "actors": 5}},
    "task.created": {"after": {"due_date": "2026-10-12"}},
    "task.status_changed": {
        "before": {"status": "terbuka"},
        "after": {"status": "selesai"},
        "files": ["bukti.pdf"],
        "links": ["https://example.org"],
    },
    "task.noted": {"before": {"status": "terbuka"}, "after": {"status": "terbuka"}, "files": [], "links": []},
    "task.assigned": {"before": {"assignee": None}, "after": {"assignee": 999999}},
    "task.completed_by_system": {"before": {"status": "terbuka"}, "after": {"status": "selesai"}},
    "task.handed_over": {"before": {"assignee": 999998}, "after": {"assignee": 999999}},
    "report.created": {},
    "report.draft_saved": {},
    "report.attachment_added": {},
    "report.attachment_removed": {},
    "report.submitted": {"before": {"status": "draf"}, "after": {"status": "dikirim", "version": 2, "on_time": True}},
    "report.acknowledged": {"before": {"status": "dikirim"}, "after": {"status": "diterima", "version": 2}},
    "report.returned": {"before": {"status": "dikirim"}, "after": {"status": "dikembalikan", "version": 2}},
    "meeting.scheduled": {"after": {"starts_at": "2026-11-03T02:00:00+00:00", "location": "Bappeda"}},
    "meeting.updated": {
        "before": {"title": "Rapat", "location": "", "chair": None, "invited_actors": [1], "invited_people": []},
        "after": {"title": "Rapat rutin", "location": "Bappeda", "chair": 999999, "invited_actors": [2]},
    },
    "meeting.postponed": {
        "before": {"status": "terjadwal", "starts_at": "2026-11-03T02:00:00+00:00"},
        "after": {"status": "ditunda", "starts_at": "2026-11-05T02:00:00+00:00"},
    },
    "meeting.cancelled": {"before": {"status": "terjadwal"}, "after": {"status": "dibatalkan"}},
    "meeting.held": {
        "before": {"status": "terjadwal"},
        "after": {"status": "terlaksana", "starts_at": "2026-11-03T02:00"},
    },
    "meeting.agenda_added": {},
    "meeting.attendance_recorded": {"rows_changed": 4},
    "meeting.minutes_saved": {"version": 1},
    "meeting.minutes_approved": {"version": 1},
    "meeting.minutes_correction": {"version": 2},
    "meeting.follow_up_added": {"task": 1, "actor": 999999, "title": "Kirim surat", "due_date": "2026-11-10"},
    "meeting.attachment_added": {"kind": "foto"},
    "calendar_feed.created": {},
    "calendar_feed.reset": {},
    "meeting_series.saved": {
        "before": {"weekday": 1, "start_time": "09:00", "rule": "hari", "invited_actors": ["KMW Provinsi Jawa Tengah"]},
        "after": {"weekday": 2, "start_time": "10:30", "rule": "tanggal", "invited_actors": []},
    },
    "account.sessions_revoked": {},
    "account.two_factor_enabled": {},
    "account.two_factor_replaced": {},
    "account.two_factor_disabled": {},
    "account.recovery_code_used": {},
    "account.two_factor_reset": {},
    "two_factor_policy.changed": {"before": {"mode": "optional"}, "after": {"mode": "required"}},
    "ledger.account_saved": {
        "duty": "PjOProv-3",
        "period": "2026-Q4",
        "created": True,
        "tasks": 2,
        "meetings": 1,
        "documents": 0,
        "files": ["notulen.pdf"],
    },
    "ledger.occurrence_recorded": {
        "duty": "PjOProv-8",
        "occurred_on": "2026-10-12",
        "replaced_declaration": True,
        "files": [],
    },
    "ledger.no_occurrence_declared": {"duty": "PjOProv-8", "period": "2026-Q4"},
}
# Rows written before a field was stored, or by hand: never a crash, never a code.
OLD_SHAPES = [{}, {"before": {}, "after": {}}, {"before": None, "after": "x"}, [], {"fields": ["location", 3]}]


def event(action, changes, summary="Catatan", user=None, on_behalf_of=""):
    return AuditEvent(
        action=action,
        changes=changes,
        summary=summary,
        user=user,
        on_behalf_of=on_behalf_of,
        at=MOMENT,
        target_type="actors.user",
        target_id="999999",
    )


def sentences(changes_of, language, **kwargs):
    with translation.override(language):
        events = describe(
            [event(action, changes_of(action), **kwargs) for action in sorted(SENTENCES)],
            [actor("pjoprov").pk],
        )
        return {e.action: e for e in events}


def test_every_sentence_has_a_sample():
    assert sorted(set(SENTENCES) - set(SAMPLES)) == []


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("shape", range(len(OLD_SHAPES) + 1))
def test_every_action_reads_as_a_sentence_without_codes(db, language, shape):
    def changes_of(action):
        return SAMPLES.get(action, {}) if shape == len(OLD_SHAPES) else OLD_SHAPES[shape]

    for action, e in sentences(changes_of, language).items():
        text = e.sentence
        assert text.startswith("Sistem " if language == "id" else ("Sistem ", "System ")), (action, text)
        assert text.endswith("."), (action, text)
        assert not DOTTED_CODE.search(text), (action, text)
        assert "%(" not in text and "None" not in text, (action, text)


def test_every_sentence_has_english_words(db):
    """Fails until the English of core/history.py's strings is in locale/en."""
    indonesian = sentences(lambda action: SAMPLES.get(action, {}), "id")
    english = sentences(lambda action: SAMPLES.get(action, {}), "en")
    assert [a for a in SENTENCES if english[a].does == indonesian[a].does] == []


# --- sentences from what the services record -----------------------------------------------


@pytest.fixture
def sekretaris(db):
    return member("tk-provinsi", "33", username="sekretaris-tk", position="sekretaris", full_name="Sri Wahyuni")


def test_a_submitted_report_says_who_in_which_position_sent_which_version(tk_report_ready, sekretaris):
    report = tk_report_ready
    report_services.do_save_draft(user=sekretaris, report=report, **content(report))
    report_services.do_submit_report(user=sekretaris, report=report)
    newest = history_for(report)[0]
    assert newest.sentence == (
        "Sri Wahyuni (Sekretaris TK PNPM-MP Provinsi Jawa Tengah) mengirim laporan sebagai versi 1, tepat waktu."
    )
    assert history_for(report)[1].does == "menyimpan draf laporan"


@pytest.fixture
def tk_report_ready(slots):
    return report_of("tk-triwulan")


def _new_task(user):
    return duty_services.do_create_task(
        user=user,
        actor=actor("pjoprov"),
        duty=actor("pjoprov").kind.duties.order_by("number").first(),
        title="Menyusun rencana kerja",
        due_date=datetime.date(2026, 10, 12),
    )


def test_a_status_change_names_both_statuses_by_their_labels(pjoprov_member):
    task = _new_task(pjoprov_member)
    duty_services.do_update_task_status(user=pjoprov_member, task=task, status=Task.Status.DONE, note="Sudah")
    done, created = history_for(task)
    name = pjoprov_member.display_name
    assert done.sentence == (
        f"{name} (Penanggung Jawab Operasional Provinsi PjOProv Jawa Tengah) "
        "mengubah status tugas dari Terbuka menjadi Selesai."
    )
    assert done.note == "Sudah"
    assert created.does == "membuat tugas dengan tenggat 12 Oktober 2026"


def test_a_change_of_date_reads_from_before_to_after(db):
    changes = {"before": {"end_date": "2026-10-10"}, "after": {"end_date": "2026-10-12"}}
    with translation.override("id"):
        (e,) = describe([event("proposal.updated", changes)])
    assert e.does == "mengubah usulan penetapan: selesai dari 10 Oktober menjadi 12 Oktober 2026"
    changes = {"before": {"start_date": "2025-12-30"}, "after": {"start_date": "2026-01-02"}}
    with translation.override("id"):
        (e,) = describe([event("proposal.updated", changes)])
    assert e.does == "mengubah usulan penetapan: mulai dari 30 Desember 2025 menjadi 2 Januari 2026"


def test_an_acting_official_is_shown_with_the_stamp(pjoprov_member):
    stamp = "a.n. Ketua TK PNPM-MP Provinsi Jawa Tengah (Plt.)"
    (e,) = describe([event("report.draft_saved", {}, user=pjoprov_member, on_behalf_of=stamp)])
    assert e.sentence == f"{pjoprov_member.display_name}, {stamp}, menyimpan draf laporan."


def test_a_series_change_reads_in_both_forms(db):
    new = {
        "before": {"weekday": 1, "start_time": "09:00", "location": "Bappeda", "invited_actors": ["A", "B"]},
        "after": {"weekday": 3, "start_time": "10:30", "location": "Gedung Gradhika", "invited_actors": ["B", "C"]},
    }
    with translation.override("id"):
        (e,) = describe([event("meeting_series.saved", new)])
        (old,) = describe([event("meeting_series.saved", {"fields": ["location", "weekday"]})])
    assert e.does == (
        "mengubah rapat rutin: hari dari Selasa menjadi Kamis; jam mulai dari 09.00 menjadi 10.30; "
        "tempat dari Bappeda menjadi Gedung Gradhika; pelaku yang diundang ditambah C; "
        "pelaku yang diundang dikurangi A"
    )
    assert old.does == "mengubah rapat rutin: tempat; hari"


def test_the_history_panel_renders_in_both_languages(pjoprov_member):
    task = Task.objects.create(
        duty=actor("pjoprov").kind.duties.order_by("number").first(), actor=actor("pjoprov"), title="T"
    )
    for action, changes in SAMPLES.items():
        AuditEvent.objects.create(
            action=action, changes=changes, user=pjoprov_member, target_type="duties.task", target_id=str(task.pk)
        )
    for language in ("id", "en"):
        with translation.override(language):
            html = render_to_string("_history.html", {"events": history_for(task), "province": task.actor.province})
        assert html.count("<li>") == len(SAMPLES)
        assert not DOTTED_CODE.search(re.sub(r"<[^>]+>", " ", html))


# --- a fixed number of queries ----------------------------------------------------------


def _events(task, user, n):
    """n events of a task naming people (task.assigned), and a person who has
    a position in the task's actor."""
    for i in range(n):
        AuditEvent.objects.create(
            action="task.assigned",
            changes={"before": {"assignee": None}, "after": {"assignee": user.pk}},
            user=user,
            target_type="duties.task",
            target_id=str(task.pk),
            at=MOMENT + datetime.timedelta(minutes=i),
        )


@pytest.mark.parametrize("n", [1, 20])
def test_history_for_costs_the_same_queries_for_1_or_20_events(pjoprov_member, django_assert_num_queries, n):
    task = Task.objects.create(
        duty=actor("pjoprov").kind.duties.order_by("number").first(), actor=actor("pjoprov"), title="T"
    )
    _events(task, pjoprov_member, n)
    task = Task.objects.get(pk=task.pk)
    # The events with their people; the task's actor; the people's seats; the people named.
    with django_assert_num_queries(4):
        events = history_for(task)
        assert [e.sentence for e in events] == [
            f"{pjoprov_member.display_name} (Penanggung Jawab Operasional Provinsi PjOProv Jawa Tengah) "
            f"menugaskan tugas kepada {pjoprov_member.display_name}."
        ] * n


def test_a_person_no_longer_in_post_is_shown_by_name_alone(pjoprov_member):
    Membership.objects.filter(user=pjoprov_member).update(end_date=datetime.date(2026, 1, 1))
    (e,) = describe([event("report.draft_saved", {}, user=pjoprov_member)], [actor("pjoprov").pk])
    assert e.sentence == f"{pjoprov_member.display_name} menyimpan draf laporan."


# --- the pages ------------------------------------------------------------------------


def _history_text(response):
    html = response.content.decode()
    start = html.index('<ol class="history">')
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[start : html.index("</ol>", start)]))


def test_the_proposal_page_tells_the_trail_of_the_proposal_its_decree_and_its_membership(
    pjoprov_member, gubernur_office
):
    """Needs appointments.views._history to go through history_for
    (history_for(proposal, decree, proposal.membership, limit=200))."""
    proposal = approve(submitted(pjoprov_member), gubernur_office)
    c = Client()
    c.force_login(pjoprov_member)
    text = _history_text(c.get(reverse("appointments:proposal_detail", args=[proposal.pk])))
    assert not DOTTED_CODE.search(text)
    for words in (
        "membuat usulan penetapan",
        "mengajukan usulan penetapan versi 1 untuk disetujui",
        "menyetujui usulan penetapan dengan SK",
        "mencatat SK",
        "menetapkan",
    ):
        assert words in text


def test_the_task_page_tells_its_history(pjoprov_member):
    task = _new_task(pjoprov_member)
    duty_services.do_update_task_status(user=pjoprov_member, task=task, status=Task.Status.IN_PROGRESS)
    c = Client()
    c.force_login(pjoprov_member)
    text = _history_text(c.get(reverse("duties:task_detail", args=[task.pk])))
    assert "mengubah status tugas dari Terbuka menjadi Sedang dikerjakan." in text
    assert not DOTTED_CODE.search(text)


def test_the_evidence_of_a_task_done_elsewhere_is_a_link_to_its_page(db):
    path = reverse("reports:version_detail", args=[1])
    (linked, noted, elsewhere) = describe(
        [
            event("task.completed_by_system", {}, summary=path),
            event("task.completed_by_system", {}, summary="Rapat terlaksana."),
            event("task.completed_by_system", {}, summary="//example.org/x"),
        ]
    )
    assert (linked.link, linked.note) == (path, "")
    assert (noted.link, noted.note) == ("", "Rapat terlaksana.")
    assert (elsewhere.link, elsewhere.note) == ("", "//example.org/x")
    html = render_to_string("_history.html", {"events": [linked], "province": None})
    assert f'<a href="{path}">' in html
