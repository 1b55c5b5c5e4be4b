from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST, require_safe

from actors.models import Actor
from core import clock
from core.audit_views import history_for
from core.files import attachment_response
from core.forms import add_errors
from core.pagination import PAGE_SIZE, paginate_ids
from core.permissions import CHANGE, VIEW, get_for_user_or_404, user_may

from . import permissions, services
from .forms import TaskAssignForm, TaskCreateForm, TaskFilterForm, TaskStatusForm
from .models import Duty, Task, TaskAttachment, shorten

# The columns a row shows (templates/duties/_task_row.html, with its
# assignee's display_name). The rest (long texts, five timestamps) cost more
# to load and convert than the query itself; a deferred one would be loaded,
# per row, on first use.
ROW_FIELDS = (
    *("duty_id", "actor_id", "origin", "title", "period", "due_date", "status", "assignee_id"),
    *("assignee__full_name", "assignee__first_name", "assignee__last_name", "assignee__username"),
)


# The two lists of tasks: "Tugas saya", the tasks of the actors the person
# holds a seat in, and "Tugas yang diawasi", those of the actors they oversee
# (the Governor's office over TK PNPM-MP, TKPKD and PjOProv). One view, the
# same filters, paging and columns; the scope statement tells them apart.
LISTS = {
    permissions.OWN: ("duties:task_list", _lazy("Tugas saya")),
    permissions.OVERSEEN: ("duties:overseen_task_list", _lazy("Tugas yang diawasi")),
}


@require_safe
def task_list(request):
    return _task_list(request, permissions.OWN)


@require_safe
def overseen_task_list(request):
    """The tasks of the actors the person oversees; a 404 for one who
    oversees nobody (their navigation offers no such list)."""
    if not permissions.oversees_anything(request.user):
        raise Http404
    return _task_list(request, permissions.OVERSEEN)


def _task_list(request, reach):
    today = clock.request_today(request)
    form = TaskFilterForm(request.GET or None, user=request.user, reach=reach)
    # What the user may see, then the actors of this list (as a filter on the
    # same queryset: `make bench` stands a plain filter in for TaskPolicy.restrict).
    tasks = Task.objects.for_user(request.user).filter(actor_id__in=permissions.scope_actors(request.user, reach))
    status = 200
    if form.is_bound and not form.is_valid():
        tasks = tasks.none()
        status = 400
    elif form.is_bound:
        tasks = form.apply(tasks, today)
    else:
        tasks = tasks.open()
    page = paginate_ids(
        tasks,
        ("due_date", "id"),
        request.GET.get("page"),
        PAGE_SIZE,
        # The duties come from the filter's choices and the actors' names from
        # the user's scope, not from joins: each table joined here cost about
        # a millisecond of PostgreSQL's planning and more of Python's.
        # paginate_ids keeps the ids' order: no ORDER BY here.
        lambda ids: Task.objects.filter(pk__in=ids).select_related("assignee").only(*ROW_FIELDS).order_by(),
    )
    prepare_rows(page.object_list, today, form.duties, permissions.scope_actor_names(request.user))
    query = request.GET.copy()
    query.pop("page", None)
    url_name, title = LISTS[reach]
    # The tabs between the two lists, only for a person who oversees someone.
    tabs = (
        [{"url": reverse(name), "label": label, "current": key == reach} for key, (name, label) in LISTS.items()]
        if permissions.oversees_anything(request.user)
        else []
    )
    return render(
        request,
        "duties/task_list.html",
        {
            "form": form,
            "list_url": reverse(url_name),
            "page": page,
            "today": today,
            "query": query.urlencode(),
            "reach": reach,
            "title": title,
            "tabs": tabs,
        },
        status=status,
    )


def prepare_rows(tasks, today, duties=(), actor_names=None):
    """Attach to each task of the list what its row
    (templates/duties/_task_row.html) shows besides its own columns: its
    `duty` (with its kind), its actor's name (`actor_name`), its origin in
    words (`origin_label`), its label cut to a line (`short_label`) and
    whether it is late (`late`). `duties` and
    `actor_names` ({actor id: name}) are those the page already has; any not
    given are loaded, one query each for all of them."""
    by_id = {duty.pk: duty for duty in duties}
    missing = {task.duty_id for task in tasks} - by_id.keys()
    if missing:
        by_id.update((duty.pk, duty) for duty in Duty.objects.filter(pk__in=missing).select_related("kind"))
    actor_names = dict(actor_names or {})
    missing = {task.actor_id for task in tasks} - actor_names.keys()
    if missing:
        actors = Actor.objects.filter(pk__in=missing).select_related("kind", "province")
        actor_names.update((actor.pk, actor.name) for actor in actors)
    # get_origin_display() builds its table of choices on every call.
    origins = dict(Task.Origin.choices)
    for task in tasks:
        task.duty = by_id[task.duty_id]
        task.actor_name = actor_names[task.actor_id]
        task.origin_label = origins.get(task.origin, task.origin)
        task.short_label = shorten(task.label, 110)
        task.late = task.is_overdue(today)


def _detail_context(request, task, status_form=None, assign_form=None):
    can_change = user_may(request.user, task, CHANGE)
    # The crumb leads back to the list the task is on: the person's own or
    # the overseen one.
    own = task.actor_id in permissions.scope_actors(request.user, permissions.OWN)
    list_url, list_title = LISTS[permissions.OWN if own else permissions.OVERSEEN]
    return {
        "task": task,
        "list_url": reverse(list_url),
        "list_title": list_title,
        "today": clock.local_today(task.actor.province),
        "can_change": can_change,
        "can_complete": user_may(request.user, task, permissions.COMPLETE),
        "status_form": status_form or TaskStatusForm(initial={"status": task.status}),
        "assign_form": assign_form or TaskAssignForm(actor=task.actor, initial={"assignee": task.assignee_id}),
        "attachments": task.attachments.select_related("uploaded_by"),
        "links": task.links.select_related("added_by"),
        "history": history_for(task),
    }


def _get_task(request, pk, action=VIEW):
    return get_for_user_or_404(
        Task.objects.select_related(
            "duty__kind", "actor__kind", "actor__province", "assignee", "completed_by", "created_by"
        ),
        request.user,
        pk,
        action,
    )


@require_safe
def task_detail(request, pk):
    task = _get_task(request, pk)
    return render(request, "duties/task_detail.html", _detail_context(request, task))


@require_POST
def task_update(request, pk):
    # Completing also needs the complete permission; the service checks it.
    task = _get_task(request, pk, CHANGE)
    form = TaskStatusForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.do_update_task_status(
                user=request.user,
                task=task,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                files=form.cleaned_data["files"],
                links=form.links(),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Tugas diperbarui."))
            return redirect("duties:task_detail", pk=task.pk)
    return render(request, "duties/task_detail.html", _detail_context(request, task, status_form=form), status=400)


@require_POST
def task_assign(request, pk):
    task = _get_task(request, pk, CHANGE)
    form = TaskAssignForm(request.POST, actor=task.actor)
    if form.is_valid():
        try:
            services.do_assign_task(user=request.user, task=task, assignee=form.cleaned_data["assignee"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Penanggung jawab diperbarui."))
            return redirect("duties:task_detail", pk=task.pk)
    return render(request, "duties/task_detail.html", _detail_context(request, task, assign_form=form), status=400)


def task_create(request):
    actors = permissions.actors_user_can_create_tasks_for(request.user)
    if not actors.exists():
        return render(request, "duties/task_create.html", {"form": None}, status=403)
    form = TaskCreateForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                task = services.do_create_task(
                    user=request.user,
                    actor=data["actor"],
                    duty=data["duty"],
                    title=data["title"],
                    description=data["description"],
                    due_date=data["due_date"],
                    assignee=data["assignee"],
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Tugas dibuat."))
                return redirect("duties:task_detail", pk=task.pk)
        return render(request, "duties/task_create.html", {"form": form}, status=400)
    return render(request, "duties/task_create.html", {"form": form})


@require_safe
def attachment_download(request, pk, attachment_pk):
    task = _get_task(request, pk)
    attachment = get_object_or_404(TaskAttachment, pk=attachment_pk, task=task)
    return attachment_response(attachment.file, attachment.name, attachment.content_type)
