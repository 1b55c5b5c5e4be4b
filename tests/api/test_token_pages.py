"""The account page's tokens: a person makes one (shown once, on the answer
only), sees their own list with the last use, revokes one; a refused form
says what to fix and makes nothing; nobody touches another person's token."""

import pytest
from django.urls import reverse

from api.models import PersonalAccessToken
from api.tokens import digest, do_create_token

pytestmark = pytest.mark.django_db


def test_a_token_is_made_shown_once_and_listed_without_its_secret(pjoprov_member, login):
    client = login(pjoprov_member)
    assert 'href="/akun/token/"' in client.get(reverse("security:account")).content.decode()
    response = client.post(reverse("api:tokens"), {"name": "Ponsel", "scope": "baca-tulis", "days": "30"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    html = response.content.decode()
    token = html.split('<code class="token">')[1].split("</code>")[0]
    record = PersonalAccessToken.objects.get(user=pjoprov_member)
    assert record.digest == digest(token) and record.scope == "baca-tulis" and record.name == "Ponsel"
    assert (record.expires_at - record.created_at).days == 30
    # The list shows it again, never its secret.
    html = client.get(reverse("api:tokens")).content.decode()
    assert "Ponsel" in html and record.prefix in html and token not in html


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "scope": "baca", "days": "90"}, "name", "Bidang ini tidak boleh kosong."),
        ({"name": "x", "scope": "admin", "days": "90"}, "scope", "Masukkan pilihan yang valid."),
        (
            {"name": "x", "scope": "baca", "days": "366"},
            "days",
            "Pastikan nilai ini lebih kecil dari atau sama dengan 365.",
        ),
        (
            {"name": "x", "scope": "baca", "days": "0"},
            "days",
            "Pastikan nilai ini lebih besar dari atau sama dengan 1.",
        ),
    ],
)
def test_a_refused_form_says_what_to_fix_and_makes_nothing(pjoprov_member, login, data, field, message):
    client = login(pjoprov_member)
    response = client.post(reverse("api:tokens"), data)
    assert response.status_code == 400
    html = response.content.decode()
    error = html.split(f'id="id_{field}_error"')[1].split("</div>")[0]
    assert message in error and "data-error-summary" in html
    assert f'value="{data["name"]}"' in html or not data["name"]
    assert not PersonalAccessToken.objects.exists()


def test_a_person_revokes_their_own_token_and_nobody_elses(pjoprov_member, colleague, login):
    own, _token = do_create_token(user=pjoprov_member, name="Ponsel", scope="baca")
    others, _other = do_create_token(user=colleague, name="Laptop", scope="baca")
    client = login(pjoprov_member)
    assert client.post(reverse("api:token_revoke", args=[others.pk])).status_code == 404
    others.refresh_from_db()
    assert others.revoked_at is None
    response = client.post(reverse("api:token_revoke", args=[own.pk]), follow=True)
    assert "dicabut" in response.content.decode()
    own.refresh_from_db()
    assert own.revoked_at is not None
    assert "Laptop" not in client.get(reverse("api:tokens")).content.decode()
