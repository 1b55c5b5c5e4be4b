"""`make loadtest` combines each page's rounds: what it adds, averages and
keeps (loadtest/run.py is a script, loaded here from its file)."""

import importlib.util
from pathlib import Path

import pytest

RUN = Path(__file__).resolve().parents[2] / "loadtest" / "run.py"


@pytest.fixture(scope="module")
def run():
    spec = importlib.util.spec_from_file_location("loadtest_run", RUN)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def result(rps, median, p99, requests=100, errors=0):
    return {"page": "task_list", "requests": requests, "errors": errors, "rps": rps, "median_ms": median, "p99_ms": p99}


def test_rounds_are_summed_averaged_and_the_worst_p99_kept(run):
    combined = run.combine([result(50.0, 120, 300), result(40.0, 150, 900, errors=2), result(60.0, 100, 250)])
    assert combined["requests"] == 300
    assert combined["errors"] == 2
    assert combined["rps"] == pytest.approx(50.0)
    assert combined["median_ms"] == 120
    assert combined["p99_ms"] == 900
    assert len(combined["rounds"]) == 3


def test_a_round_without_requests_counts_for_throughput_not_latency(run):
    empty = {"page": "task_list", "requests": 0, "errors": 0, "rps": 0.0, "median_ms": None, "p99_ms": None}
    combined = run.combine([result(60.0, 100, 200), empty])
    assert combined["rps"] == pytest.approx(30.0)
    assert combined["median_ms"] == 100 and combined["p99_ms"] == 200
    nothing = run.combine([empty])
    assert nothing["median_ms"] is None and nothing["p99_ms"] is None


def test_ratio(run):
    assert run.ratio(50.0, 200.0) == 0.25
    assert run.ratio(None, 200.0) is None
    assert run.ratio(50.0, 0) is None
