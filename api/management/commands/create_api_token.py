from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from api.models import PersonalAccessToken
from api.tokens import DEFAULT_DAYS, do_create_token


class Command(BaseCommand):
    help = (
        "Make a personal access token for a user (as the account page does) and print it once on stdout. "
        "For scripts and the API contract test; people make their own on Akun -> Token akses API."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="manage.py create_api_token")
        parser.add_argument("--scope", choices=PersonalAccessToken.Scope.values, default=PersonalAccessToken.Scope.READ)
        parser.add_argument("--days", type=int, default=DEFAULT_DAYS)

    def handle(self, *args, username, name, scope, days, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        try:
            _record, token = do_create_token(user=user, name=name, scope=scope, days=days)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(token)
