"""The pages `make loadtest` measures: (name, path, needs login). Add a page
here (e.g. the reports matrix once it exists) and it is measured and reported
like the others, as a ratio to the health view."""

PAGES = [
    ("healthz", "/healthz", False),
    ("task_list", "/tugas/", True),
    # ("report_matrix", "/laporan/matriks/", True),
]
BASELINE = "healthz"
ROLES = ["load-pjoprov", "load-gubernur", "load-tk", "load-kmw", "load-seknas"]
