"""The public verification page: no login, nothing of a document's content,
only what its paper already shows and how it stands today. Throttled per
client address; every lookup is logged."""

import functools
import logging
import time

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from core.cache import cache_call
from core.middleware import request_client_ip

from . import codes, services
from .forms import UNKNOWN_CODE, CompareForm, VerifyForm
from .models import Document
from .signing import SigningUnavailable
from .uploads import HashingUploadHandler

log = logging.getLogger("pnpm.verification")


def export_unavailable(request, exc):
    """The friendly 503 page when a document cannot be issued now: the PDF's
    font is missing (the message names the package to install) or the
    province's certificate cannot be opened (logged with its path; the page
    does not show server paths)."""
    if isinstance(exc, SigningUnavailable):
        logging.getLogger("documents.signing").error("Signing certificate unusable: %s", exc)
        error = _(
            "Sertifikat penandatanganan provinsi tidak dapat dibuka (kata sandi salah atau berkas rusak). "
            "Beri tahu administrator; dokumen diterbitkan begitu sertifikatnya diperbaiki."
        )
    else:
        error = str(exc)
    return render(request, "documents/export_unavailable.html", {"error": error}, status=503)


def _log(request, outcome, code=None, document=None):
    """One line per lookup: the outcome, the first characters of the code
    (enough to find a lookup again; the whole code opens the page) or
    "malformed" for what cannot be a code (never the raw text: it may hold
    anything), where from. `document` is the one found, if any."""
    normal = codes.normalize(code) if code else None
    prefix = normal[:6] if normal else ("malformed" if code else "-")
    log.info(
        "verification.%s code=%s ip=%s document=%s",
        outcome,
        prefix,
        request_client_ip(request),
        document.pk if document else None,
        extra={
            "event": f"verification.{outcome}",
            "code_prefix": prefix,
            "ip": request_client_ip(request),
            "document": document.pk if document else None,
        },
    )


def throttled(view):
    """At most settings.VERIFICATION_RATE_PER_MINUTE lookups per client
    address per minute (counted in the cache: Redis, shared by every web
    process, when REDIS_URL is set); then 429 with Retry-After until the
    minute is over. A cache that does not answer lets the lookup through
    (core.cache): the page stays up, unthrottled, while Redis is away."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        now = time.time()
        key = f"verifikasi:{request_client_ip(request)}:{int(now // 60)}"
        cache_call("add", key, 0, 120)
        count = cache_call("incr", key)
        if count is not None and count > settings.VERIFICATION_RATE_PER_MINUTE:
            _log(request, "throttled")
            response = render(request, "documents/throttled.html", status=429)
            response["Retry-After"] = str(60 - int(now) % 60)
            return response
        return view(request, *args, **kwargs)

    return wrapper


def hashing_uploads(view):
    """Uploaded files are hashed as they arrive and never kept. The handlers
    must be set before anything reads request.POST, which CSRF checking does:
    CSRF is checked inside, after they are set (Django's documented pattern)."""
    protected = csrf_protect(view)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        handler = HashingUploadHandler(request)
        request.upload_handlers = [handler]
        request.hashing_handler = handler
        return protected(request, *args, **kwargs)

    return csrf_exempt(wrapper)


def _bound(form_class, request):
    form = form_class(request.POST, request.FILES)
    if request.hashing_handler.too_large:
        form.is_valid()
        form.add_error(
            "berkas",
            _("Berkas lebih besar dari %(mb)s MB; itu bukan dokumen yang diterbitkan aplikasi ini.")
            % {"mb": settings.VERIFICATION_MAX_UPLOAD // (1024 * 1024)},
        )
    return form


def _unknown(request, form=None, code=None):
    _log(request, "unknown", code)
    return render(request, "documents/unknown.html", {"form": form or VerifyForm()}, status=404)


def _result(request, document, match=None, form=None, status=200):
    return render(
        request,
        "documents/verify.html",
        {
            "document": document,
            "standing": services.standing(document),
            "match": match,
            "compare_form": form or CompareForm(),
        },
        status=status,
    )


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
@throttled
@hashing_uploads
def verify_form(request):
    """Type a code (or follow ?kode=...), drop the PDF, or both."""
    if request.method != "POST":
        typed = request.GET.get("kode")
        if typed is None:
            return render(request, "documents/verify_form.html", {"form": VerifyForm()})
        code = codes.normalize(typed)
        if code is None:
            return _unknown(request, VerifyForm(initial={"kode": typed}), typed)
        return redirect("documents:verify", code=code)
    form = _bound(VerifyForm, request)
    if not form.is_valid():
        if form.has_error("kode", "unknown"):
            return _unknown(request, form, request.POST.get("kode"))
        _log(request, "refused", request.POST.get("kode"))
        return render(request, "documents/verify_form.html", {"form": form}, status=400)
    code, hashed = form.cleaned_data["kode"], form.cleaned_data["berkas"]
    if code:
        document = Document.objects.select_related("province", "actor").filter(code=code).first()
        if document is None:
            form.add_error("kode", UNKNOWN_CODE)
            return _unknown(request, form, code)
        if hashed is None:  # the page logs the lookup
            return redirect("documents:verify", code=code)
        match = hashed.sha256 == document.sha256
        _log(request, "file_match" if match else "file_mismatch", code, document)
        return _result(request, document, match=match)
    document = Document.objects.select_related("province", "actor").filter(sha256=hashed.sha256).first()
    _log(request, "file_match" if document else "file_mismatch", None, document)
    if document is None:
        return render(request, "documents/verify_form.html", {"form": VerifyForm(), "mismatch": True})
    return _result(request, document, match=True)


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
@throttled
@hashing_uploads
def verify(request, code):
    """The document of a code: what its paper shows, how it stands today,
    and a form to compare a PDF file with it."""
    normal = codes.normalize(code)
    document = normal and Document.objects.select_related("province", "actor").filter(code=normal).first()
    if not document:
        return _unknown(request, code=code)
    if normal != code:
        return redirect("documents:verify", code=normal)
    if request.method != "POST":
        _log(request, "found", code, document)
        return _result(request, document)
    form = _bound(CompareForm, request)
    if not form.is_valid():
        _log(request, "refused", code, document)
        return _result(request, document, form=form, status=400)
    match = form.cleaned_data["berkas"].sha256 == document.sha256
    _log(request, "file_match" if match else "file_mismatch", code, document)
    return _result(request, document, match=match)
