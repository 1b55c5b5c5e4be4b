"""The task-list benchmark (`make bench`, `python manage.py bench`).

Builds a synthetic dataset of 38 provinces with N tasks spread over every
provincial actor, with the same guardian grants the application gives
(`duties.permissions.grant_task_permissions`, reproduced in SQL for speed and
checked against it on a sample), and times, in the same process, the task
list page of one PjOProv Jawa Tengah member:

- filtered: the page as shipped (permission-filtered queryset);
- baseline: the same view and template with the queryset replaced by a plain
  indexed filter on the actor column (what a single-actor app would do).

It reports medians and their ratio. Times are compared only within one run;
absolute milliseconds depend on the machine.
"""

import datetime
import json
import random
import re
import statistics
import time
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from actors.models import Actor, ActorRelation, Membership, Position, User
from actors.services import do_add_membership

from . import permissions
from .models import Duty, Task, TaskGroupObjectPermission

BENCH_USER = "bench-pjoprov-33"
STATUSES = ["terbuka", "dikerjakan", "selesai", "dibatalkan"]


def _actors_and_duties():
    duty_by_kind = {}
    for duty in Duty.objects.order_by("kind_id", "number"):
        duty_by_kind.setdefault(duty.kind_id, duty.pk)
    actors = list(Actor.objects.provincial().order_by("pk").values_list("pk", "kind_id"))
    return [(i, actor_id, duty_by_kind[kind_id]) for i, (actor_id, kind_id) in enumerate(actors)]


def _grow_tasks(target, log):
    """Insert synthetic tasks until there are `target` of them (set-based SQL)."""
    current = Task.objects.count()
    if current >= target:
        return
    slots = _actors_and_duties()
    n_slots = len(slots)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_slots")
        cursor.execute("CREATE TEMPORARY TABLE bench_slots (idx integer PRIMARY KEY, actor_id bigint, duty_id bigint)")
        cursor.executemany("INSERT INTO bench_slots VALUES (%s, %s, %s)", slots)
        started = time.perf_counter()
        # Rows are numbered from current+1 so growing 10^4 -> 10^5 keeps the first ones.
        date_expr = (
            "CAST(DATE '2026-01-01' + CAST(g.n %% 365 AS integer) AS date)"
            if connection.vendor == "postgresql"
            else "date('2026-01-01', '+' || (g.n %% 365) || ' days')"
        )
        cursor.execute(
            f"""
            WITH RECURSIVE g(n) AS (SELECT %s UNION ALL SELECT n + 1 FROM g WHERE n < %s)
            INSERT INTO {quote("duties_task")}
              (duty_id, actor_id, origin, title, description, period, due_date, status,
               completion_note, created_at, updated_at)
            SELECT s.duty_id, s.actor_id, 'adhoc', 'Tugas uji ' || g.n, '', '', {date_expr},
                   CASE g.n %% 4 WHEN 0 THEN 'terbuka' WHEN 1 THEN 'dikerjakan'
                                WHEN 2 THEN 'selesai' ELSE 'dibatalkan' END,
                   '', %s, %s
            FROM g JOIN bench_slots s ON s.idx = g.n %% {n_slots}
            """,
            [current + 1, target, datetime.datetime.now(datetime.UTC), datetime.datetime.now(datetime.UTC)],
        )
        log(f"  tasks: {current} -> {target} in {time.perf_counter() - started:.1f}s")
        started = time.perf_counter()
        _grant_sql(cursor, after_id=_max_granted_task_id())
        log(f"  grants in {time.perf_counter() - started:.1f}s")
        cursor.execute("DROP TABLE bench_slots")
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # What autovacuum does soon after a bulk load in production: fresh
            # statistics and a visibility map for index-only scans. (Inside a
            # transaction, as under pytest's db fixture, VACUUM is refused.)
            cursor.execute("VACUUM ANALYZE duties_task")
            cursor.execute("VACUUM ANALYZE duties_taskgroupobjectpermission")
        elif connection.vendor == "postgresql":  # inside a test's transaction
            cursor.execute("ANALYZE duties_task")
            cursor.execute("ANALYZE duties_taskgroupobjectpermission")
        else:
            cursor.execute("ANALYZE")


def _max_granted_task_id():
    last = TaskGroupObjectPermission.objects.order_by("-content_object_id").values_list("content_object_id", flat=True)
    return last.first() or 0


def _grant_sql(cursor, after_id):
    """The rows grant_task_permissions() would write, for tasks with id > after_id."""
    perms = dict(
        Permission.objects.filter(content_type__app_label="duties", content_type__model="task").values_list(
            "codename", "id"
        )
    )
    for codename in permissions.OWNER_PERMS:
        cursor.execute(
            """
            INSERT INTO duties_taskgroupobjectpermission (group_id, permission_id, content_object_id)
            SELECT a.group_id, %s, t.id FROM duties_task t JOIN actors_actor a ON a.id = t.actor_id
            WHERE t.id > %s
            """,
            [perms[codename], after_id],
        )
    relations = set(
        ActorRelation.objects.filter(relation__in=permissions.SUPERVISOR_RELATIONS).values_list(
            "source_id", "target_id"
        )
    )
    for source_kind, target_kind in relations:
        cursor.execute(
            """
            INSERT INTO duties_taskgroupobjectpermission (group_id, permission_id, content_object_id)
            SELECT sup.group_id, %s, t.id
            FROM duties_task t
            JOIN actors_actor a ON a.id = t.actor_id
            JOIN actors_actor sup ON sup.province_id = a.province_id AND sup.kind_id = %s
            WHERE t.id > %s AND a.kind_id = %s
            """,
            [perms[permissions.VIEW], target_kind, after_id, source_kind],
        )


def _check_grants_match_the_application(sample=50):
    """The SQL above must give exactly what the application would grant."""
    last = Task.objects.order_by("-pk").values_list("pk", flat=True).first()
    picked = random.Random(last).sample(range(1, last + 1), min(sample, last))
    tasks = list(Task.objects.select_related("actor").filter(pk__in=picked))
    expected = set()
    with transaction.atomic():
        sid = transaction.savepoint()
        TaskGroupObjectPermission.objects.filter(content_object__in=tasks).delete()
        permissions.grant_task_permissions(tasks)
        expected = set(
            TaskGroupObjectPermission.objects.filter(content_object__in=tasks).values_list(
                "group_id", "permission_id", "content_object_id"
            )
        )
        transaction.savepoint_rollback(sid)
    actual = set(
        TaskGroupObjectPermission.objects.filter(content_object__in=tasks).values_list(
            "group_id", "permission_id", "content_object_id"
        )
    )
    if actual != expected:
        raise AssertionError("synthetic grants differ from grant_task_permissions()")


def build_dataset(size, log=print):
    """The benchmark's dataset, grown to `size` tasks with the application's
    grants (checked on a sample). Also used by `make loadtest`."""
    _grow_tasks(size, log)
    _check_grants_match_the_application()


def _bench_user():
    user = User.objects.filter(username=BENCH_USER).first()
    if user is None:
        user = User.objects.create_user(BENCH_USER, full_name="Bench PjOProv Jawa Tengah")
        do_add_membership(
            user=user,
            actor=Actor.objects.get(kind__code="pjoprov", province__code="33"),
            position=Position.objects.get(code="pjoprov"),
            start_date=datetime.date(2000, 1, 1),
        )
    return user


def _time_page(client, url, repeats):
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return samples


def measure(user, repeats=21, warmup=3):
    """Median milliseconds of the task list page: (baseline, filtered, rows listed)."""
    client = Client()
    client.force_login(user)
    url = reverse("duties:task_list")
    actor_id = Membership.objects.filter(user=user).values_list("actor_id", flat=True).get()
    shipped = permissions.tasks_for_user

    def plain(user, perm=permissions.VIEW, queryset=None):
        queryset = queryset if queryset is not None else Task.objects.all()
        return queryset.filter(actor_id=actor_id)

    # Both ways must build the same page: same tasks listed, same total.
    filtered_page = client.get(url).content.decode()
    with mock.patch.object(permissions, "tasks_for_user", plain):
        baseline_page = client.get(url).content.decode()
    listed = re.findall(r'href="/tugas/(\d+)/"', filtered_page)
    if not listed or listed != re.findall(r'href="/tugas/(\d+)/"', baseline_page):
        raise AssertionError("the filtered and the baseline page list different tasks")
    filtered_rows = permissions.tasks_for_user(user).open().count()
    if filtered_rows != plain(user).open().count():
        raise AssertionError("the filtered and the baseline queryset count different tasks")
    baseline, filtered = [], []
    for _ in range(warmup):
        client.get(url)
    # Interleave so that drift (cache, other load) hits both alike.
    for _ in range(repeats):
        with mock.patch.object(permissions, "tasks_for_user", plain):
            baseline += _time_page(client, url, 1)
        assert permissions.tasks_for_user is shipped
        filtered += _time_page(client, url, 1)
    return statistics.median(baseline), statistics.median(filtered), filtered_rows


def run(sizes, log=print, repeats=21):
    """Grow the dataset through `sizes` and measure at each. Returns the rows."""
    user = _bench_user()
    results = []
    for size in sorted(sizes):
        log(f"{size:>9,} tasks: building")
        _grow_tasks(size, log)
        _check_grants_match_the_application()
        baseline_ms, filtered_ms, listed = measure(user, repeats=repeats)
        results.append(
            {
                "rows": size,
                "listed_for_user": listed,
                "baseline_ms": round(baseline_ms, 2),
                "filtered_ms": round(filtered_ms, 2),
                "ratio": round(filtered_ms / baseline_ms, 2),
            }
        )
        log(f"{size:>9,} tasks: baseline {baseline_ms:.2f} ms, filtered {filtered_ms:.2f} ms")
    first = results[0]["filtered_ms"]
    for row in results:
        row["filtered_vs_smallest"] = round(row["filtered_ms"] / first, 2)
    return results


def write_results(results, database):
    out = Path(settings.BASE_DIR) / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    path = out / "tasks.json"
    path.write_text(json.dumps(results, indent=2) + "\n")
    meta = {"database": database, "at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")}
    (out / "tasks.meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    return path
