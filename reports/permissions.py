"""Who may see and do what with reports. Every view and service goes through here.

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
from django.http import Http404

from actors.models import Actor, ActorKind, ActorRelation
from actors.permissions import current_group_ids
from core.permissions import permission_id, permission_ids

from .models import Report, ReportGroupObjectPermission, ReportVersion

VIEW = "view_report"
CHANGE = "change_report"
REVIEW = "review_report"
WRITER_PERMS = (VIEW, CHANGE)


def _grant(rows):
    ReportGroupObjectPermission.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def grant_writer_permissions(reports):
    """View and change for the writing actor's group. Idempotent; call inside
    the creating transaction."""
    perm_ids = permission_ids(Report)
    group_by_actor = dict(Actor.objects.filter(pk__in={r.actor_id for r in reports}).values_list("pk", "group_id"))
    return _grant(
        [
            ReportGroupObjectPermission(
                group_id=group_by_actor[r.actor_id], permission_id=perm_ids[codename], content_object_id=r.pk
            )
            for r in reports
            for codename in WRITER_PERMS
        ]
    )


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


def grant_submission_permissions(report, reviewer, recipients, copies):
    """View for recipients, tembusan and seknas; view and review for the
    reviewer. Idempotent (resubmissions grant nothing new)."""
    perm_ids = permission_ids(Report)
    viewers = {a.group_id for a in [*recipients, *copies]}
    seknas = seknas_actor()
    if seknas:
        viewers.add(seknas.group_id)
    viewers.discard(report.actor.group_id)
    rows = [
        ReportGroupObjectPermission(group_id=g, permission_id=perm_ids[VIEW], content_object_id=report.pk)
        for g in viewers
    ]
    if reviewer and reviewer.group_id != report.actor.group_id:
        rows += [
            ReportGroupObjectPermission(
                group_id=reviewer.group_id, permission_id=perm_ids[p], content_object_id=report.pk
            )
            for p in (VIEW, REVIEW)
        ]
    return _grant(rows)


def _granted_report_ids(user, perm):
    return ReportGroupObjectPermission.objects.filter(
        group__in=current_group_ids(user), permission_id=permission_id(Report, perm)
    ).values("content_object_id")


def reports_for_user(user, perm=VIEW, queryset=None):
    """Every report the user holds `perm` on, through their groups (one query,
    served by guardian's unique (group, permission, object) index)."""
    queryset = queryset if queryset is not None else Report.objects.all()
    if not (user.is_authenticated and user.is_active):
        return queryset.none()
    return queryset.filter(pk__in=_granted_report_ids(user, perm))


def user_has_report_perm(user, report, perm):
    if not (user.is_authenticated and user.is_active):
        return False
    return _granted_report_ids(user, perm).filter(content_object_id=report.pk).exists()


def get_report_for_user(user, pk, perm=VIEW, queryset=None):
    """The report, or 404 when missing or not visible, or 403 when visible but
    `perm` is not held."""
    base = queryset if queryset is not None else Report.objects.select_related("report_type", "actor__kind", "province")
    try:
        report = reports_for_user(user, VIEW, base).get(pk=pk)
    except (Report.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if perm != VIEW and not user_has_report_perm(user, report, perm):
        raise PermissionDenied
    return report


def get_version_for_user(user, pk):
    """A submitted version, visible to whoever may view its report."""
    try:
        version = (
            ReportVersion.objects.select_related(
                "report__report_type", "report__actor__kind", "report__province", "submitted_by"
            )
            .filter(report__in=reports_for_user(user).values("pk"))
            .get(pk=pk)
        )
    except (ReportVersion.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    return version


def user_actors(user):
    """Provincial actors where the user holds a current membership (who they write for)."""
    if not (user.is_authenticated and user.is_active):
        return Actor.objects.none()
    return Actor.objects.filter(group__in=current_group_ids(user), province__isnull=False).select_related(
        "kind", "province"
    )


def national_viewer_groups(user):
    """The user's seknas groups (through a current membership): any at all
    makes them a national viewer."""
    if not (user.is_authenticated and user.is_active):
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
