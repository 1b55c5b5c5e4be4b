"""The benchmark itself must keep working, keep writing the application's
grants and keep comparing like with like: each check here must be able to fail."""

import pytest

from core.permissions import VIEW, permission_id
from duties import bench
from duties.models import Task, TaskGroupObjectPermission
from duties.permissions import ALL, OWN, TaskPolicy, scope_actors

SIZE = 2000


@pytest.fixture
def dataset(db):
    bench.build_dataset(SIZE, log=lambda *_: None)


def _first_open_task(scope):
    ids, _total = scope.call("list", plain=False)
    return Task.objects.get(pk=ids[0])


def test_the_dataset_has_the_applications_grants(dataset):
    assert Task.objects.count() == SIZE
    # 3 owner grants per task, plus a view grant to the Governor's office for
    # the three supervised kinds (3 of the 5 provincial kinds).
    supervised = Task.objects.filter(actor__kind__code__in=["tkpkd", "tk-provinsi", "pjoprov"]).count()
    assert TaskGroupObjectPermission.objects.count() == SIZE * 3 + supervised
    assert bench.check_grants_match_the_application() >= Task.objects.values("actor_id").distinct().count()


@pytest.mark.parametrize("change", ["missing", "stray"])
def test_grants_that_differ_from_sync_grants_fail_the_check(dataset, change):
    task = Task.objects.filter(actor__kind__code="pjoprov").order_by("pk").select_related("actor").first()
    if change == "missing":
        TaskGroupObjectPermission.objects.filter(content_object=task, group_id=task.actor.group_id).first().delete()
    else:
        other = Task.objects.exclude(actor=task.actor).select_related("actor").first()
        TaskGroupObjectPermission.objects.create(
            content_object=task, group_id=other.actor.group_id, permission_id=permission_id(Task, "view_task")
        )
    with pytest.raises(AssertionError, match="differ from sync_grants"):
        bench.check_grants_match_the_application()


def test_every_scope_lists_the_same_tasks_both_ways_and_is_timed(dataset):
    shipped = TaskPolicy.__dict__["restrict"]
    scopes = {scope.name: scope for scope in bench.scopes()}
    assert list(scopes) == ["pjoprov", "governor", "governor-last"]
    # The Governor's office sees its own actor's tasks and those of the 3 it oversees.
    assert scopes["governor"].total > 3 * scopes["pjoprov"].total > 0
    assert scopes["governor-last"].page["list"] >= 1
    for scope in scopes.values():
        scope.check_same_rows()
    results = bench.add_growth(bench.measure_size(SIZE, log=lambda *_: None, repeats=1))
    assert TaskPolicy.__dict__["restrict"] is shipped
    assert [(r["scope"], r["level"]) for r in results] == [
        (name, level) for name in bench.SCOPES for level in bench.LEVELS
    ]
    for row in results:
        assert row["baseline_ms"] > 0
        assert row["filtered_ms"] > 0
        assert row["open_tasks"] > 0
        assert row["ratio"] == pytest.approx(row["filtered_ms"] / row["baseline_ms"], abs=0.02)
        assert row["filtered_vs_smallest"] == 1


def test_the_baseline_lists_with_no_permission_check_and_is_unpatched_after(dataset):
    scope = bench.scopes()[0]
    task = _first_open_task(scope)
    TaskGroupObjectPermission.objects.filter(
        content_object=task, permission_id=permission_id(Task, f"{VIEW}_task")
    ).delete()
    shipped = TaskPolicy.__dict__["restrict"]
    assert task.pk not in scope.call("list", plain=False)[0]
    assert task.pk in scope.call("list", plain=True)[0]
    assert TaskPolicy.__dict__["restrict"] is shipped


def test_two_lists_of_different_tasks_fail_the_check(dataset):
    scope = bench.scopes()[0]
    task = _first_open_task(scope)
    # The filtered page loses a task that the plain one still lists.
    TaskGroupObjectPermission.objects.filter(content_object=task).delete()
    with pytest.raises(AssertionError, match="lists differ"):
        scope.check_same_rows()


def test_a_plain_engine_listing_other_actors_fails_the_check(dataset):
    pjoprov, governor = bench.scopes()[:2]
    governors_office = scope_actors(bench.fresh(governor.user), OWN)
    pjoprov.engines.plain = bench.plain_restrict_for({pjoprov.user.pk: dict.fromkeys((ALL, OWN), governors_office)})
    with pytest.raises(AssertionError, match="lists differ"):
        pjoprov.check_same_rows()


def test_a_kept_dataset_is_reused_only_when_complete_and_of_this_version(dataset, monkeypatch):
    assert not bench.dataset_ready(SIZE)
    bench.mark_dataset(SIZE)
    assert bench.dataset_ready(SIZE)
    assert not bench.dataset_ready(SIZE * 10)
    monkeypatch.setattr(bench, "DATASET_VERSION", bench.DATASET_VERSION + 1)
    assert not bench.dataset_ready(SIZE)
    monkeypatch.undo()
    Task.objects.order_by("-pk").first().delete()
    assert not bench.dataset_ready(SIZE)
