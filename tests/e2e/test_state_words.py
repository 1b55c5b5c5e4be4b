"""One word per state, as a person meets it: each row of the task, meeting
and report lists (and the Governor's office's overseen tasks) says its state
in the same words as the page the row opens. The words come from one place
per kind of thing (Task.status_pill, Report.status_pill, Meeting.status_pill);
this walks the pages a person would click through, with the demo data and
the walk's completed task, held meeting and sent report."""

from django.urls import reverse

from tests.e2e.browser import E2E, log_in

pytestmark = E2E

LISTS = [
    ("demo-pjoprov", "duties:task_list"),
    ("demo-pjoprov", "meetings:meeting_list"),
    ("demo-pjoprov", "reports:report_list"),
    ("demo-tk", "reports:report_list"),
    ("demo-gubernur", "duties:overseen_task_list"),
]

# The first rows of the list's table: the link of the row and its state pill.
ROWS = """() => [...document.querySelectorAll('main table tbody tr')].map((row) => ({
  href: row.querySelector('a[href]')?.getAttribute('href'),
  word: row.querySelector('.pill')?.textContent.trim(),
})).filter((row) => row.href && row.word).slice(0, 8)"""


def test_each_state_reads_the_same_on_the_list_and_on_the_page_it_opens(walk, new_page):
    differ, seen = [], 0
    for username, name in LISTS:
        page = new_page()
        log_in(page, username)
        page.goto(reverse(name))
        rows = page.evaluate(ROWS)
        assert rows, f"{username} {name}: no rows with a state to compare"
        for row in rows:
            page.goto(row["href"])
            # The page's own state is its first pill, under the title.
            word = page.locator("main .pill").first.inner_text().strip()
            seen += 1
            if word != row["word"]:
                differ.append(f"{username} {name} {row['href']}: list {row['word']!r}, page {word!r}")
        page.context.close()
    assert not differ, "\n".join(differ)
    assert seen >= len(LISTS)
