"""The benchmark itself must keep working and keep comparing like with like."""

import pytest

from duties import bench
from duties.models import Task, TaskGroupObjectPermission


@pytest.mark.django_db
def test_bench_builds_its_dataset_with_the_applications_grants_and_measures_both_pages():
    results = bench.run([2000, 4000], log=lambda *_: None, repeats=1)
    assert Task.objects.count() == 4000
    # 3 owner grants per task, plus a view grant to the Governor's office for
    # the three supervised kinds (3 of the 5 provincial kinds).
    supervised = Task.objects.filter(actor__kind__code__in=["tkpkd", "tk-provinsi", "pjoprov"]).count()
    assert TaskGroupObjectPermission.objects.count() == 4000 * 3 + supervised
    assert [r["rows"] for r in results] == [2000, 4000]
    for row in results:
        assert row["baseline_ms"] > 0
        assert row["filtered_ms"] > 0
        assert row["listed_for_user"] > 0
        assert row["ratio"] == pytest.approx(row["filtered_ms"] / row["baseline_ms"], abs=0.02)
