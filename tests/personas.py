"""The personas of the tests, defined once (after healthchecks' alice/bob/
charlie): a member of PjOProv Jawa Tengah, a colleague from another actor of
the same province, an outsider from the same actor kind in DI Yogyakarta, the
Governor's office of Jawa Tengah (and of DI Yogyakarta), seknas, a superuser
(no membership) and anonymous.

tests/conftest.py makes them fixtures (pjoprov_member, colleague, ...); the
URL walk (tests/security/world.py) and the property tests take them from here.
"""

from tests.factories import UserFactory, member

# persona -> (actor kind, province code or None for a national actor, username)
MEMBERS = {
    "member": ("pjoprov", "33", "pjo-jateng"),
    "colleague": ("kmw", "33", "kmw-jateng"),
    "outsider": ("pjoprov", "34", "pjo-diy"),
    "gubernur": ("gubernur", "33", "gub-jateng"),
    "gubernur_other": ("gubernur", "34", "gub-diy"),
    "seknas": ("seknas", None, "seknas"),
}


def make(persona):
    """The persona's user (None for anonymous), created now."""
    if persona == "anonymous":
        return None
    if persona == "superuser":
        return UserFactory(username="root", is_staff=True, is_superuser=True)
    kind, province, username = MEMBERS[persona]
    if province is None:
        return member(kind, username=username)
    return member(kind, province, username=username)
