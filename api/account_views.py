"""The person's own API tokens, on the account pages: list, make (the token
is shown once, on the answer to the form), revoke."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import add_errors

from .forms import TokenForm
from .models import PersonalAccessToken
from .tokens import do_create_token, do_revoke_token


def _page(request, form, new_token=None, status=200):
    tokens = PersonalAccessToken.objects.filter(user=request.user).order_by("-created_at", "-id")
    return render(request, "api/tokens.html", {"form": form, "tokens": tokens, "new_token": new_token}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def tokens(request):
    if request.method != "POST":
        return _page(request, TokenForm())
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            record, token = do_create_token(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            # Shown on this answer only: it is stored as a digest. No redirect,
            # so the token is never in a URL or a session.
            response = _page(request, TokenForm(), new_token={"record": record, "token": token})
            response["Cache-Control"] = "no-store"
            return response
    return _page(request, form, status=400)


@require_POST
def revoke(request, pk):
    token = get_object_or_404(PersonalAccessToken, pk=pk, user=request.user)
    do_revoke_token(user=request.user, token=token)
    messages.success(
        request, _("Token %(name)s dicabut; aplikasi yang memakainya tidak dapat masuk lagi.") % {"name": token.name}
    )
    return redirect("api:tokens")
