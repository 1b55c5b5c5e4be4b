"""The task-list benchmark (`make bench`, `python manage.py bench`).

The dataset: 38 provinces with N tasks spread over every provincial actor,
with the grants the application gives (`TaskPolicy.grants`, written in SQL
for speed and checked against `core.permissions.sync_grants` on a sample at
every run). The command keeps one database per size and reuses it while its
`DATASET_VERSION` and size match (`dataset_ready`); bump the version whenever
what `build_dataset` writes changes.

The measurement, in one process, for three scopes (`scopes`):

- pjoprov: a PjOProv Jawa Tengah member, their own tasks (1 actor), page 1;
- governor: a member of the Governor's office of Jawa Tengah, every task they
  may see (their own actor and the 3 it oversees), page 1;
- governor-last: the same list, its last page (the deepest OFFSET).

Each scope is timed twice, at two levels:

- list: what a list page asks the database, the same calls as
  `duties.views._task_list` (the scope, the page's ids with the total, the
  page's rows), without the template;
- page: the real page over HTTP (`/tugas/` for pjoprov, `/tugas/diawasi/`
  for the Governor's office, whose tasks are only ever listed in two pages:
  3 of its 4 actors there).

filtered is the engine as shipped (`Task.objects.for_user` ->
`TaskPolicy.restrict`: scope + guardian grant); baseline the same code with
`TaskPolicy.restrict` patched to `actor_id__in=[the same actors]` (known in
advance, no permission check), which PostgreSQL answers from the
(actor, due_date, id) index `task_actor_due`, as a plain design would. Both
must list the same tasks (checked before timing). It reports medians and
their ratio; times compare only within one run.
"""

import copy
import datetime
import json
import math
import random
import re
import statistics
import time
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Min
from django.test import Client
from django.urls import reverse

from actors.models import Actor, ActorRelation, Position, User
from actors.services import do_add_membership
from core.pagination import paginate_ids
from core.permissions import VIEW, permission_ids, policy_for, sync_grants

from .models import Duty, Task, TaskGroupObjectPermission
from .permissions import ALL, OVERSEEN, OWN, OWNER_ACTIONS, SUPERVISOR_RELATIONS, TaskPolicy, scope_actors

# Bump when what build_dataset writes changes: a kept dataset of another
# version is built again.
DATASET_VERSION = 2
META_TABLE = "bench_dataset"

# (username, actor kind, province code, position)
BENCH_USERS = {
    "pjoprov": ("bench-pjoprov-33", "pjoprov", "33", "pjoprov"),
    "governor": ("bench-gubernur-33", "gubernur", "33", "staf-biro"),
}
# name -> (user key, reach of the list, page: 1 or "last", URL name and reach of its HTTP page)
SCOPES = {
    "pjoprov": ("pjoprov", OWN, 1, "duties:task_list", OWN),
    "governor": ("governor", ALL, 1, "duties:overseen_task_list", OVERSEEN),
    "governor-last": ("governor", ALL, "last", "duties:overseen_task_list", OVERSEEN),
}
LEVELS = ("list", "page")


# --- the dataset ------------------------------------------------------------------


def _actors_and_duties():
    duty_by_kind = {}
    for duty in Duty.objects.order_by("kind_id", "number"):
        duty_by_kind.setdefault(duty.kind_id, duty.pk)
    actors = list(Actor.objects.provincial().order_by("pk").values_list("pk", "kind_id"))
    return [(i, actor_id, duty_by_kind[kind_id]) for i, (actor_id, kind_id) in enumerate(actors)]


def _analyze(cursor):
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # What autovacuum does soon after a bulk load in production: fresh
        # statistics and a visibility map for index-only scans. (Inside a
        # transaction, as under pytest's db fixture, VACUUM is refused.)
        cursor.execute("VACUUM ANALYZE duties_task")
        cursor.execute("VACUUM ANALYZE duties_taskgroupobjectpermission")
    elif connection.vendor == "postgresql":
        cursor.execute("ANALYZE duties_task")
        cursor.execute("ANALYZE duties_taskgroupobjectpermission")
    else:
        cursor.execute("ANALYZE")


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
        now = datetime.datetime.now(datetime.UTC)
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
            [current + 1, target, now, now],
        )
        log(f"  tasks: {current} -> {target} in {time.perf_counter() - started:.1f}s")
        started = time.perf_counter()
        grant_sql(cursor, after_id=_max_granted_task_id())
        log(f"  grants in {time.perf_counter() - started:.1f}s")
        cursor.execute("DROP TABLE bench_slots")
        _analyze(cursor)


def _max_granted_task_id():
    last = TaskGroupObjectPermission.objects.order_by("-content_object_id").values_list("content_object_id", flat=True)
    return last.first() or 0


def grant_sql(cursor, after_id):
    """Write, for the tasks with id > after_id, the rows `TaskPolicy.grants`
    gives (and `sync_grants` writes): to the task's actor group each of
    OWNER_ACTIONS; to the group of each actor of the same province whose kind
    the task actor's kind answers to (SUPERVISOR_RELATIONS), view."""
    policy = policy_for(Task)
    ids = permission_ids(Task)
    for action in OWNER_ACTIONS:
        cursor.execute(
            """
            INSERT INTO duties_taskgroupobjectpermission (group_id, permission_id, content_object_id)
            SELECT a.group_id, %s, t.id FROM duties_task t JOIN actors_actor a ON a.id = t.actor_id
            WHERE t.id > %s
            """,
            [ids[policy.codename(action)], after_id],
        )
    # A set: two relations between the same kinds give one grant.
    relations = set(
        ActorRelation.objects.filter(relation__in=SUPERVISOR_RELATIONS).values_list("source_id", "target_id")
    )
    for source_kind, target_kind in sorted(relations):
        cursor.execute(
            """
            INSERT INTO duties_taskgroupobjectpermission (group_id, permission_id, content_object_id)
            SELECT sup.group_id, %s, t.id
            FROM duties_task t
            JOIN actors_actor a ON a.id = t.actor_id
            JOIN actors_actor sup ON sup.province_id = a.province_id AND sup.kind_id = %s
            WHERE t.id > %s AND a.kind_id = %s
            """,
            [ids[policy.codename(VIEW)], target_kind, after_id, source_kind],
        )


def check_grants_match_the_application(sample=50):
    """The grant rows of a sample (the first task of every actor and `sample`
    random ones) must be exactly what the application writes: `sync_grants`,
    run on them in a savepoint that is then rolled back, adds and removes
    nothing. Raises AssertionError otherwise."""
    last = Task.objects.order_by("-pk").values_list("pk", flat=True).first()
    if last is None:
        raise AssertionError("the bench dataset has no tasks")
    picked = set(random.Random(last).sample(range(1, last + 1), min(sample, last)))
    picked.update(Task.objects.values("actor_id").annotate(first=Min("pk")).values_list("first", flat=True))
    tasks = list(Task.objects.select_related("actor").filter(pk__in=picked))
    with transaction.atomic():
        sid = transaction.savepoint()
        try:
            added, removed = sync_grants(tasks)
        finally:
            transaction.savepoint_rollback(sid)
    if added or removed:
        raise AssertionError(
            f"synthetic grants differ from sync_grants() on {len(tasks)} sampled tasks: "
            f"it would add {added} rows and remove {removed}"
        )
    return len(tasks)


def build_dataset(size, log=print):
    """Grow the current database's dataset to `size` tasks with the
    application's grants (checked on a sample). Also used by `make loadtest`."""
    _grow_tasks(size, log)
    check_grants_match_the_application()


def dataset_ready(size):
    """Whether the current database holds the bench dataset of `size` tasks
    in the current DATASET_VERSION, completely built (`mark_dataset`)."""
    if META_TABLE not in connection.introspection.table_names():
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT size, version FROM {META_TABLE}")
        rows = cursor.fetchall()
    return rows == [(size, DATASET_VERSION)] and Task.objects.count() == size


def mark_dataset(size):
    """Record that the current database holds the complete dataset of `size`."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {META_TABLE}")
        cursor.execute(f"CREATE TABLE {META_TABLE} (size integer NOT NULL, version integer NOT NULL, built_at text)")
        cursor.execute(
            f"INSERT INTO {META_TABLE} VALUES (%s, %s, %s)",
            [size, DATASET_VERSION, datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")],
        )


# --- the users and the two engines ------------------------------------------------------------


def bench_user(key):
    """The bench's member of BENCH_USERS[key], created on first use."""
    username, kind, province, position = BENCH_USERS[key]
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username, full_name=f"Bench {kind} {province}")
        do_add_membership(
            user=user,
            actor=Actor.objects.get(kind__code=kind, province__code=province),
            position=Position.objects.get(code=position),
            start_date=datetime.date(2000, 1, 1),
        )
    return User.objects.get(pk=user.pk)


def fresh(user):
    """A copy of `user` that has computed nothing (as a request's user: the
    scope is made once per user object)."""
    user = copy.copy(user)
    for name in [name for name in vars(user) if name.startswith("_task_") or name == "_current_group_ids"]:
        delattr(user, name)
    return user


def plain_restrict_for(actors_by_user):
    """A stand-in for TaskPolicy.restrict: the same actors' tasks, known in
    advance ({user pk: {reach: [actor ids]}}), with no permission check."""

    def plain_restrict(self, queryset, user, action, reach=ALL):
        return queryset.filter(actor_id__in=actors_by_user[user.pk][reach])

    return plain_restrict


class Engines:
    """The shipped engine and the plain one, swapped by patching TaskPolicy."""

    def __init__(self, users):
        self.shipped = TaskPolicy.__dict__["restrict"]
        actors = {u.pk: {reach: list(scope_actors(fresh(u), reach)) for reach in (ALL, OWN, OVERSEEN)} for u in users}
        self.plain = plain_restrict_for(actors)

    def run(self, plain, call):
        if not plain:
            return call()
        with mock.patch.object(TaskPolicy, "restrict", self.plain):
            result = call()
        if TaskPolicy.__dict__["restrict"] is not self.shipped:
            raise AssertionError("TaskPolicy.restrict was left patched")
        return result


# --- the measured calls -----------------------------------------------------------------------


def list_page(user, reach, page):
    """What `duties.views._task_list` asks the database for an unfiltered
    list: the user's open tasks of `reach`, the page's ids and the total, the
    page's rows. Returns (ids listed, total)."""
    from .views import PAGE_SIZE, ROW_FIELDS

    user = fresh(user)
    tasks = Task.objects.for_user(user, VIEW, reach=reach).open()
    result = paginate_ids(
        tasks,
        ("due_date", "id"),
        page,
        PAGE_SIZE,
        lambda ids: Task.objects.filter(pk__in=ids).select_related("assignee").only(*ROW_FIELDS).order_by(),
    )
    return [task.pk for task in result.object_list], result.paginator.count


def http_page(client, url):
    response = client.get(url)
    if response.status_code != 200:
        raise AssertionError(f"{url}: {response.status_code}")
    return [int(pk) for pk in re.findall(r'href="/tugas/(\d+)/"', response.content.decode())]


class Scope:
    """One scope of SCOPES, ready to time at both levels."""

    def __init__(self, name, users, engines):
        key, self.reach, page, url_name, page_reach = SCOPES[name]
        self.name, self.user, self.engines = name, users[key], engines
        self.client = Client()
        self.client.force_login(self.user)
        self.total = list_page(self.user, self.reach, 1)[1]
        # The HTTP page lists `page_reach` (OVERSEEN: 3 of the Governor's office's 4 actors).
        self.page_total = list_page(self.user, page_reach, 1)[1]
        self.page = {"list": self._number(page, self.total), "page": self._number(page, self.page_total)}
        self.url = f"{reverse(url_name)}?page={self.page['page']}"

    @staticmethod
    def _number(page, total):
        from .views import PAGE_SIZE

        return max(1, math.ceil(total / PAGE_SIZE)) if page == "last" else page

    def call(self, level, plain):
        if level == "list":
            return self.engines.run(plain, lambda: list_page(self.user, self.reach, self.page["list"]))
        return self.engines.run(plain, lambda: http_page(self.client, self.url))

    def check_same_rows(self):
        """Both engines must list the same tasks at both levels; raises AssertionError."""
        for level in LEVELS:
            filtered, baseline = self.call(level, False), self.call(level, True)
            listed = filtered[0] if level == "list" else filtered
            if not listed or filtered != baseline:
                raise AssertionError(
                    f"{self.name} ({level}): the filtered and the baseline lists differ "
                    f"({_preview(filtered)} against {_preview(baseline)})"
                )


def _preview(rows):
    return repr(rows)[:120]


def scopes(users=None):
    users = users or {key: bench_user(key) for key in BENCH_USERS}
    engines = Engines(users.values())
    return [Scope(name, users, engines) for name in SCOPES]


def _timed(call):
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def measure(scope, level, repeats=21, warmup=10):
    """Median milliseconds (baseline, filtered) of the scope at the level."""
    for _ in range(warmup):
        scope.call(level, True)
        scope.call(level, False)
    baseline, filtered = [], []
    # Interleave so that drift (cache, other load) hits both alike.
    for _ in range(repeats):
        baseline.append(_timed(lambda: scope.call(level, True)))
        filtered.append(_timed(lambda: scope.call(level, False)))
    return statistics.median(baseline), statistics.median(filtered)


def measure_size(size, log=print, repeats=21):
    """Check and time every scope at both levels on the current database
    (which holds the dataset of `size`). Returns the rows of the table."""
    sampled = check_grants_match_the_application()
    log(f"  grants of {sampled} sampled tasks match sync_grants()")
    results = []
    for scope in scopes():
        scope.check_same_rows()
        for level in LEVELS:
            baseline_ms, filtered_ms = measure(scope, level, repeats=repeats)
            results.append(
                {
                    "tasks": size,
                    "scope": scope.name,
                    "level": level,
                    "page": scope.page[level],
                    "open_tasks": scope.total if level == "list" else scope.page_total,
                    "baseline_ms": round(baseline_ms, 2),
                    "filtered_ms": round(filtered_ms, 2),
                    "ratio": round(filtered_ms / baseline_ms, 2),
                }
            )
            log(
                f"  {scope.name:<14} {level:<5} page {scope.page[level]:>4}: baseline {baseline_ms:.2f} ms, "
                f"filtered {filtered_ms:.2f} ms"
            )
    return results


def add_growth(results):
    """Each row's filtered time against the same scope and level at the smallest size."""
    smallest = min(r["tasks"] for r in results)
    first = {(r["scope"], r["level"]): r["filtered_ms"] for r in results if r["tasks"] == smallest}
    for row in results:
        row["filtered_vs_smallest"] = round(row["filtered_ms"] / first[(row["scope"], row["level"])], 2)
    return results


def write_results(results, database):
    out = Path(settings.BASE_DIR) / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    path = out / "tasks.json"
    path.write_text(json.dumps(results, indent=2) + "\n")
    meta = {
        "database": database,
        "dataset_version": DATASET_VERSION,
        "at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }
    (out / "tasks.meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    return path


# --- the unit picker's search (regions.search) ---------------------------------------------

# The picker's target: a village found in under 50 ms at the 95th percentile
# over the full tree (83,762 villages).
REGION_PROVINCE = "33"
REGION_LEVEL = "desa"
REGION_QUERIES = 300
REGION_SEED = 23
REGION_TARGET_P95_MS = 50.0


def ensure_region_tree(log=print):
    """Load the full region tree (the pinned idn-area-data edition,
    downloaded once into REGIONS_DATA_DIR) into the current database when it
    holds fewer units than the edition. Returns the number of villages in
    force."""
    from regions import edition as editions
    from regions.loading import load
    from regions.models import Region

    edition = editions.read(editions.download())
    if Region.objects.count() < len(edition):
        started = time.perf_counter()
        result = load(edition)
        log(
            f"  regions: loaded {result.edition} ({result.added} added, {result.changed} changed) in "
            f"{time.perf_counter() - started:.1f}s"
        )
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("ANALYZE regions_region")
            else:
                cursor.execute("ANALYZE")
    return Region.objects.in_force().filter(level=REGION_LEVEL).count()


def region_queries(n=REGION_QUERIES, seed=REGION_SEED, province_code=REGION_PROVINCE):
    """`n` search texts drawn (fixed seed) from real village names of the
    province: half prefixes of a name (3 to 5 letters), half fragments from
    inside a word (3 or 4 letters, not at its start)."""
    from regions.models import Region

    names = list(
        Region.objects.in_force()
        .filter(province_code=province_code, level=REGION_LEVEL)
        .order_by("code")
        .values_list("search_name", flat=True)
    )
    if not names:
        raise AssertionError(f"no villages of province {province_code} in the bench database")
    rng = random.Random(seed)
    queries = []
    while len(queries) < n:
        name = rng.choice(names)
        if len(queries) % 2 == 0:
            queries.append(name[: rng.randint(3, 5)].strip())
            continue
        words = [w for w in name.split() if len(w) >= 5]
        if not words:
            continue
        word = rng.choice(words)
        size = rng.choice((3, 4))
        start = rng.randint(1, len(word) - size)
        queries.append(word[start : start + size])
    return queries


def _percentile(values, p):
    """The p-th percentile (linear interpolation between the closest ranks)."""
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    low = math.floor(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def measure_region_search(queries, log=print, warmup=20):
    """Time regions.search.search (the picker) and regions.search.prefix_lookup
    (the baseline: a plain indexed prefix lookup) for each query, interleaved
    (the order alternating), in this process. Returns the figures."""
    from regions.search import prefix_lookup, search

    def picker(q):
        return search(province_code=REGION_PROVINCE, level=REGION_LEVEL, text=q)

    def baseline(q):
        return prefix_lookup(province_code=REGION_PROVINCE, level=REGION_LEVEL, text=q)

    for q in queries[:warmup]:
        picker(q)
        baseline(q)
    found = sum(1 for q in queries if picker(q))
    searched, plain = [], []
    for i, q in enumerate(queries):
        if i % 2:
            plain.append(_timed(lambda q=q: baseline(q)))
            searched.append(_timed(lambda q=q: picker(q)))
        else:
            searched.append(_timed(lambda q=q: picker(q)))
            plain.append(_timed(lambda q=q: baseline(q)))
    figures = {
        "province": REGION_PROVINCE,
        "level": REGION_LEVEL,
        "queries": len(queries),
        "queries_with_results": found,
        "seed": REGION_SEED,
        "search_p50_ms": round(_percentile(searched, 50), 2),
        "search_p95_ms": round(_percentile(searched, 95), 2),
        "baseline_p50_ms": round(_percentile(plain, 50), 2),
        "baseline_p95_ms": round(_percentile(plain, 95), 2),
        "target_p95_ms": REGION_TARGET_P95_MS,
    }
    figures["ratio_p50"] = round(figures["search_p50_ms"] / figures["baseline_p50_ms"], 2)
    figures["ratio_p95"] = round(figures["search_p95_ms"] / figures["baseline_p95_ms"], 2)
    figures["target_met"] = figures["search_p95_ms"] < REGION_TARGET_P95_MS
    return figures


def measure_regions(log=print, n=REGION_QUERIES):
    """The picker's search on the current database: the full tree loaded
    when needed, then `n` queries timed against the baseline."""
    from regions.models import Region

    villages = ensure_region_tree(log)
    province_villages = Region.objects.in_force().filter(province_code=REGION_PROVINCE, level=REGION_LEVEL).count()
    figures = measure_region_search(region_queries(n), log)
    figures.update(villages=villages, province_villages=province_villages)
    return figures


def write_region_results(figures, database):
    out = Path(settings.BASE_DIR) / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    path = out / "regions.json"
    figures = {
        **figures,
        "database": database,
        "at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }
    path.write_text(json.dumps(figures, indent=2) + "\n")
    return path
