"""The pages `make loadtest` measures: (name, path, roles that request it).
Add a page here and it is measured and reported like the others, as a ratio
to the health view. Every simulated user logs in (round robin over the
page's roles), whether or not the page needs it, so every phase pays the same."""

ROLES = ["load-pjoprov", "load-gubernur", "load-tk", "load-kmw", "load-seknas"]
PAGES = [
    ("healthz", "/healthz", ROLES),
    ("task_list", "/tugas/", ROLES),
    # The national matrix is for seknas only; everyone else gets 404 there.
    ("report_matrix", "/nasional/", ["load-seknas"]),
    # The same matrix from the API (JSON, the session's login), in the same run.
    ("report_matrix_api", "/api/v1/nasional/", ["load-seknas"]),
    # Beside it, the duty ledgers' coverage matrix (38 provinces x 5 actors x
    # 33 duties for the current quarter), seknas only too.
    ("coverage_matrix", "/buku-tugas/nasional/", ["load-seknas"]),
]
BASELINE = "healthz"
