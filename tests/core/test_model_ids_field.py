"""core.forms.ModelIdsField: ids no database integer can hold are a form
error, never a query that fails (a 500)."""

import pytest
from django.core.exceptions import ValidationError

from actors.models import Actor
from core.forms import ModelIdsField


@pytest.fixture
def field(db):
    return ModelIdsField(queryset=Actor.objects.all())


@pytest.mark.parametrize("value", ["99999999999999999999", "²", "-1", "1.5", "abc", " "])
def test_an_impossible_id_is_an_invalid_choice(field, value):
    with pytest.raises(ValidationError) as raised:
        field.clean([value])
    assert raised.value.code == "invalid_choice"


def test_real_ids_are_the_actors(field):
    actors = list(Actor.objects.order_by("pk")[:2])
    assert list(field.clean([str(a.pk) for a in actors]).order_by("pk")) == actors
