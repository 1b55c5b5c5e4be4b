from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST, require_safe

from actors.models import Actor
from core import clock
from core.audit_views import history_for
from core.files import attachment_response
from core.html import quick_format_html
from core.pagination import paginate_ids
from core.templatetags.fmt import tanggal

from . import permissions, services
from .forms import TaskAssignForm, TaskCreateForm, TaskFilterForm, TaskStatusForm
from .models import Duty, Task, TaskAttachment, shorten
from .periods import period_label
from .templatetags.tasks import status_pill

PAGE_SIZE = 25
# The columns a row shows (ROW_HTML and its assignee's display_name). The
# rest (long texts, five timestamps) cost more to load and convert than the
# query itself; a deferred one would be loaded, per row, on first use.
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
    # same queryset: `make bench` stands a plain filter in for tasks_for_user).
    tasks = permissions.tasks_for_user(request.user).filter(actor_id__in=permissions.scope_actors(request.user, reach))
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
            "filter_html": filter_html(form, reverse(url_name)),
            "page": page,
            "today": today,
            "query": query.urlencode(),
            "reach": reach,
            "title": title,
            "tabs": tabs,
        },
        status=status,
    )


def filter_html(form, list_url=None):
    """The task filter's HTML (templates/duties/_task_filter.html). Unbound,
    it depends only on the language and the duties it offers, so it is made
    once per process for as long as the duty catalogue is kept (its memo);
    rendering it took a tenth of the list's time. A bound one shows the
    person's choices and errors (and a link back to `list_url` without
    them), and is made every time."""
    if form.is_bound:
        return render_to_string("duties/_task_filter.html", {"form": form, "list_url": list_url})
    key = ("task-filter", get_language(), tuple(duty.pk for duty in form.duties))
    html = form.catalogue.memo.get(key)
    if html is None:
        html = form.catalogue.memo[key] = render_to_string("duties/_task_filter.html", {"form": form})
    return html


# One row of the task list, built in Python (as Django's admin builds its
# change-list cells): through the template engine, 25 rows of variables,
# filters and an include took about as long as all of the page's queries.
# Everything put in is escaped, except what is already HTML (the pill), by
# quick_format_html: format_html's output without its per-argument overhead.
ROW_HTML = (
    '<tr{}><td><a href="{}">{}</a><br><span class="muted">{} · {}</span></td>'
    '<td data-label="{}">{}</td><td data-label="{}">{}</td><td data-label="{}">{}</td>'
    '<td data-label="{}">{}</td><td data-label="{}">{}</td></tr>\n'
)
# The column names a row repeats for the phone's cards (data-label, shown
# above each value by static/css/app.css), as the table's head says them.
COLUMN_LABELS = (_lazy("Pelaku"), _lazy("Periode"), _lazy("Tenggat"), _lazy("Penanggung jawab"), _lazy("Status"))
LATE = mark_safe(' class="is-overdue"')


def prepare_rows(tasks, today, duties=(), actor_names=None):
    """Attach `row` (its HTML) to each task of the list. `duties` (with their
    kinds) are attached to the tasks, and `actor_names` ({actor id: name})
    name their actors; duties and actors not given are loaded, one query
    each for all of them."""
    by_id = {duty.pk: duty for duty in duties}
    missing = {task.duty_id for task in tasks} - by_id.keys()
    if missing:
        by_id.update((duty.pk, duty) for duty in Duty.objects.filter(pk__in=missing).select_related("kind"))
    actor_names = dict(actor_names or {})
    missing = {task.actor_id for task in tasks} - actor_names.keys()
    if missing:
        actors = Actor.objects.filter(pk__in=missing).select_related("kind", "province")
        actor_names.update((actor.pk, actor.name) for actor in actors)
    dates, pills, periods = {}, {}, {"": "—"}
    origins = {value: str(label) for value, label in Task.Origin.choices}
    # reverse() once: "/tugas/0/" -> "/tugas/" + pk + "/" (tests compare with reverse()).
    url_prefix = reverse("duties:task_detail", args=[0]).removesuffix("0/")
    actor_l, period_l, due_l, assignee_l, status_l = (str(label) for label in COLUMN_LABELS)
    for task in tasks:
        task.duty = by_id[task.duty_id]
        label = task.label
        late = task.is_overdue(today)
        if task.due_date not in dates:
            dates[task.due_date] = tanggal(task.due_date)
        if task.period not in periods:  # a few periods per page, in words
            periods[task.period] = period_label(task.period)
        if (task.status, late) not in pills:  # a handful of kinds of pill per page
            pills[task.status, late] = status_pill(task, today)
        task.row = quick_format_html(
            ROW_HTML,
            LATE if late else "",
            f"{url_prefix}{task.pk}/",
            shorten(label, 110),
            task.duty.ref,
            origins.get(task.origin, task.origin),
            actor_l,
            actor_names[task.actor_id],
            period_l,
            periods[task.period],
            due_l,
            dates[task.due_date] or "—",
            assignee_l,
            task.assignee.display_name if task.assignee_id else "—",
            status_l,
            pills[task.status, late],
        )


def _detail_context(request, task, status_form=None, assign_form=None):
    can_change = permissions.user_has_task_perm(request.user, task, permissions.CHANGE)
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
        "can_complete": permissions.user_has_task_perm(request.user, task, permissions.COMPLETE),
        "status_form": status_form or TaskStatusForm(initial={"status": task.status}),
        "assign_form": assign_form or TaskAssignForm(actor=task.actor, initial={"assignee": task.assignee_id}),
        "attachments": task.attachments.select_related("uploaded_by"),
        "links": task.links.select_related("added_by"),
        "history": history_for(task),
    }


def _get_task(request, pk, perm=permissions.VIEW):
    return permissions.get_task_for_user(
        request.user,
        pk,
        perm,
        queryset=Task.objects.select_related(
            "duty__kind", "actor__kind", "actor__province", "assignee", "completed_by", "created_by"
        ),
    )


@require_safe
def task_detail(request, pk):
    task = _get_task(request, pk)
    return render(request, "duties/task_detail.html", _detail_context(request, task))


@require_POST
def task_update(request, pk):
    # Completing also needs the complete permission; the service checks it.
    task = _get_task(request, pk, permissions.CHANGE)
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
            _add_errors(form, exc)
        else:
            messages.success(request, _("Tugas diperbarui."))
            return redirect("duties:task_detail", pk=task.pk)
    return render(request, "duties/task_detail.html", _detail_context(request, task, status_form=form), status=400)


@require_POST
def task_assign(request, pk):
    task = _get_task(request, pk, permissions.CHANGE)
    form = TaskAssignForm(request.POST, actor=task.actor)
    if form.is_valid():
        try:
            services.do_assign_task(user=request.user, task=task, assignee=form.cleaned_data["assignee"])
        except ValidationError as exc:
            _add_errors(form, exc)
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
                _add_errors(form, exc)
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


def _add_errors(form, exc):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
