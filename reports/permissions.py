"""Who may see and do what with reports: the rules the permission engine
(core.permissions) asks: views and services ask through the engine.

Grants are guardian object permissions on direct foreign-key rows
(ReportGroupObjectPermission), given to actor groups, never to people:

- the writing actor's group, when the report is created: view, change (edit
  the draft, submit it). Drafts are seen by nobody else;
- at submission: view for the recipient groups, the tembusan groups and the
  seknas group; view and review for the reviewing group (the Gubernur's office
  of the province for the TK report, TK Provinsi for PjOProv/KMW reports).

`view_report` opens the submitted versions; `change_report` opens the draft.
Seknas therefore reads every province's submitted versions and never a draft.
A superuser is not a shortcut here: the admin is the superuser's place.

Access rule: a report the user may not view is a 404, exactly like a missing
one; a report they may view but not act on is a 403 on the action.
"""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from actors.models import Actor, ActorKind, ActorRelation, Province
from actors.permissions import InTermPolicy, current_group_ids
from core.permissions import CHANGE, VIEW, Policy, is_active, register

from .models import Report, ReportGroupObjectPermission, ReportVersion

REVIEW = "review"
WRITER_ACTIONS = (VIEW, CHANGE)


@register
class ReportPolicy(InTermPolicy):
    """Reports: the writer's group views and changes from the start; once a
    version has been sent, the recipients, the tembusan and seknas view, and
    the reviewer views and reviews."""

    model = Report
    grant_model = ReportGroupObjectPermission
    # Who received a version keeps it, even when the report type's recipients
    # or the reviewing relation change before the next version.
    grants_accumulate = True

    def grants(self, reports):
        group_by_actor = dict(Actor.objects.filter(pk__in={r.actor_id for r in reports}).values_list("pk", "group_id"))
        seknas = None
        rows = set()
        for report in reports:
            writer = group_by_actor[report.actor_id]
            rows.update((report.pk, writer, action) for action in WRITER_ACTIONS)
            if not report.version_count:
                continue
            reviewer, recipients, copies = recipients_of(report)
            seknas = seknas or seknas_actor()
            viewers = {a.group_id for a in [*recipients, *copies, *([seknas] if seknas else [])]} - {writer}
            rows.update((report.pk, group_id, VIEW) for group_id in viewers)
            if reviewer and reviewer.group_id != writer:
                rows.update((report.pk, reviewer.group_id, action) for action in (VIEW, REVIEW))
        return rows


@register
class ReportVersionPolicy(Policy):
    """A submitted version is seen by whoever may view its report."""

    model = ReportVersion

    def restrict(self, queryset, user, action, **options):
        if action != VIEW:  # versions are only ever read
            return queryset.none()
        return queryset.filter(report__in=Report.objects.for_user(user, VIEW).values("pk"))


def reviewer_kind_for(report_type, writer_kind):
    """The provincial actor kind that reviews this type's reports: the type's
    own setting, else whom the writer reports to (ActorRelation data)."""
    if report_type.reviewer_kind_id and report_type.reviewer_kind_id != writer_kind.pk:
        return report_type.reviewer_kind
    for relation in (ActorRelation.Relation.REPORTS_TO, ActorRelation.Relation.RESPONSIBLE_TO):
        target = (
            ActorRelation.objects.filter(source=writer_kind, relation=relation, target__level="provinsi")
            .select_related("target")
            .order_by("order")
            .first()
        )
        if target:
            return target.target
    return None


def _actor_for_kind(kind, province):
    if kind.level == ActorKind.Level.NATIONAL:
        return Actor.objects.filter(kind=kind, province__isnull=True).select_related("kind", "province").first()
    return Actor.objects.filter(kind=kind, province=province).select_related("kind", "province").first()


def recipients_of(report):
    """(reviewer actor or None, [recipient actors], [tembusan actors]) of a
    report: the type's kinds resolved in the report's province (national
    bodies as themselves), the writer itself left out."""
    writer_kind = report.actor.kind
    reviewer_kind = reviewer_kind_for(report.report_type, writer_kind)
    reviewer = _actor_for_kind(reviewer_kind, report.province) if reviewer_kind else None
    recipients = []
    for kind in report.report_type.recipient_kinds.all():
        if kind.pk != writer_kind.pk:
            actor = _actor_for_kind(kind, report.province)
            if actor:
                recipients.append(actor)
    if reviewer and reviewer not in recipients:
        recipients.insert(0, reviewer)
    copies = [
        actor
        for kind in report.report_type.copy_kinds.all()
        if kind.pk != writer_kind.pk and (actor := _actor_for_kind(kind, report.province))
    ]
    return reviewer, recipients, copies


def seknas_actor():
    return Actor.objects.filter(kind__code=ActorKind.SEKNAS, province__isnull=True).first()


def user_actors(user):
    """Provincial actors where the user holds a current membership (who they write for)."""
    if not is_active(user):
        return Actor.objects.none()
    return Actor.objects.filter(group__in=current_group_ids(user), province__isnull=False).select_related(
        "kind", "province"
    )


def national_viewer_groups(user):
    """The user's seknas groups (through a current membership): any at all
    makes them a national viewer."""
    if not is_active(user):
        return Group.objects.none()
    return Group.objects.filter(
        pk__in=current_group_ids(user), actor__kind__code=ActorKind.SEKNAS, actor__province__isnull=True
    )


def is_national_viewer(user):
    """Seknas members: the national matrix and every submitted version."""
    cached = getattr(user, "_reports_is_seknas", None)
    if cached is None:
        cached = national_viewer_groups(user).exists()
        user._reports_is_seknas = cached
    return cached


def require_national_viewer(user):
    if not is_national_viewer(user):
        raise PermissionDenied


# Provincial actors who read the assessment across their province's reports.
ASSESSMENT_VIEWER_KINDS = (ActorKind.TK_PROVINSI, ActorKind.GUBERNUR)


def assessment_viewer_groups(user):
    """The user's groups (through a current membership) that open the
    assessment across reports: seknas, and the TK or the Governor's office
    of a province. Any at all shows the navigation's entry."""
    if not is_active(user):
        return Group.objects.none()
    return Group.objects.filter(pk__in=current_group_ids(user)).filter(
        Q(actor__kind__code=ActorKind.SEKNAS, actor__province__isnull=True)
        | Q(actor__kind__code__in=ASSESSMENT_VIEWER_KINDS, actor__province__isnull=False)
    )


def assessment_provinces(user):
    """The provinces whose assessment across reports the user may see, by
    code: every province for seknas (is_national_viewer), the province of
    each TK or Governor's office they are a member of in term; none for
    anyone else. Two queries (whether seknas, and the provinces)."""
    if not is_active(user):
        return []
    provinces = Province.objects.order_by("code")
    if not is_national_viewer(user):
        groups = assessment_viewer_groups(user).filter(actor__province__isnull=False)
        provinces = provinces.filter(pk__in=groups.values("actor__province_id"))
    return list(provinces)
