"""factory_boy factories and small builders shared by the tests.

Provinces, actor kinds, actors and duties come from the data migrations, so
tests look them up instead of building them.
"""

import datetime

import factory

from actors import services as actor_services
from actors.models import Actor, Position, User

PASSWORD = "s3cret-pass"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="id_ID")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


DEFAULT_POSITION = {
    "gubernur": "staf-biro",
    "tkpkd": "anggota",
    "tk-provinsi": "anggota",
    "pjoprov": "pjoprov",
    "kmw": "tenaga-ahli",
    "seknas": "staf-sekretariat",
    "tk-pusat": "anggota",
}


def actor(kind, province="33"):
    if kind in ("seknas", "tk-pusat"):
        return Actor.objects.select_related("kind", "province", "group").get(kind__code=kind, province__isnull=True)
    return Actor.objects.select_related("kind", "province", "group").get(kind__code=kind, province__code=province)


def member(kind, province="33", *, user=None, position=None, start=None, end=None, **user_fields):
    """A user with a membership of the given actor (current unless dated otherwise)."""
    user = user or UserFactory(**user_fields)
    actor_services.do_add_membership(
        user=user,
        actor=actor(kind, province),
        position=Position.objects.get(code=position or DEFAULT_POSITION[kind]),
        start_date=start or datetime.date(2000, 1, 1),
        end_date=end,
    )
    return user
