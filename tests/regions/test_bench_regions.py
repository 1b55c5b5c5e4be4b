"""The unit picker's part of `make bench` (duties/bench.py): its queries are
real fragments of village names drawn with a fixed seed, and the measurement
times both searches and reports percentiles and their ratio."""

from django.core.management import load_command_class

from duties import bench


def test_queries_are_fragments_of_the_provinces_village_names_and_the_same_each_run(regions):
    names = [u.search_name for u in regions.values() if u.level == "desa" and u.province_code == "33"]
    queries = bench.region_queries(40)
    assert queries == bench.region_queries(40) and len(queries) == 40
    assert all(3 <= len(q) <= 5 for q in queries)
    prefixes, fragments = queries[::2], queries[1::2]
    assert all(any(name.startswith(q) for name in names) for q in prefixes)
    assert all(any(q in word[1:] for name in names for word in name.split()) for q in fragments)
    assert set(queries) != set(bench.region_queries(40, seed=bench.REGION_SEED + 1))


def test_the_measurement_reports_percentiles_and_ratios(regions):
    figures = bench.measure_region_search(bench.region_queries(30), warmup=2)
    assert figures["queries"] == 30 and figures["queries_with_results"] == 30
    assert 0 < figures["search_p50_ms"] <= figures["search_p95_ms"]
    assert 0 < figures["baseline_p50_ms"] <= figures["baseline_p95_ms"]
    assert figures["ratio_p95"] == round(figures["search_p95_ms"] / figures["baseline_p95_ms"], 2)
    assert figures["target_p95_ms"] == 50.0


def test_percentile_interpolates():
    assert bench._percentile([1, 2, 3, 4, 5], 50) == 3
    assert bench._percentile(list(range(1, 101)), 95) == 95.05


def test_the_bench_command_offers_to_run_only_the_picker():
    parser = load_command_class("duties", "bench").create_parser("manage.py", "bench")
    assert "--only {tasks,regions}" in parser.format_help()
    assert parser.parse_args(["--only", "regions"]).only == "regions"
