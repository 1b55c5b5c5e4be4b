"""A strict Content Security Policy on every page, no inline script or style
in any template, and production settings that pass `check --deploy`."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from tests.security.conftest import logged_in_client

ROOT = Path(__file__).resolve().parents[2]
PROD_ENV = {"SECRET_KEY": "a-long-random-test-secret-0123456789-abcdefghijklmnopq"}


def directives(header):
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/tugas/", "/akun/keamanan/", "/tugas/baru/"])
def test_pages_carry_a_csp_that_allows_no_inline_script_or_style(pjoprov_member, path):
    response = logged_in_client(pjoprov_member).get(path)
    assert response.status_code in (200, 403)
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    html = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert not re.search(r"\sstyle=", html), "inline style attribute"
    assert not re.search(r"<style", html), "inline <style>"


def test_the_login_page_has_the_policy_too():
    response = Client().get("/accounts/login/")
    assert "script-src 'self'" in response["Content-Security-Policy"]


WEB_TEMPLATES = [p for p in (ROOT / "templates").rglob("*.html") if "emails" not in p.parts]


@pytest.mark.parametrize("template", WEB_TEMPLATES, ids=lambda p: str(p.relative_to(ROOT / "templates")))
def test_no_template_has_inline_script_style_or_event_handlers(template):
    source = template.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", source), "inline <script>: move it to static/js/"
    assert not re.search(r"\sstyle\s*=", source), "style attribute: add a class to static/css/app.css"
    assert not re.search(r"<style\b", source), "<style> block: move it to static/css/app.css"
    assert not re.search(r"\son[a-z]+\s*=", source), "on...= event handler: use static/js/"
    assert "javascript:" not in source.lower()


def run_prod(code, **env):
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE")}
    clean.update(PROD_ENV, DJANGO_SETTINGS_MODULE="pnpm_prov.settings.prod", **env)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def test_production_cookies_are_secure_http_only_and_same_site():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in ('SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
        "'SESSION_COOKIE_HTTPONLY', 'CSRF_COOKIE_HTTPONLY', 'SESSION_COOKIE_SAMESITE', 'LANGUAGE_COOKIE_SECURE', "
        "'SECURE_SSL_REDIRECT', 'SECURE_CONTENT_TYPE_NOSNIFF', 'X_FRAME_OPTIONS', 'LOG_FORMAT')}))"
    )
    result = run_prod(code)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "LANGUAGE_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "X_FRAME_OPTIONS": "DENY",
        "LOG_FORMAT": "json",
    }


def test_check_deploy_is_clean_with_production_settings():
    result = run_prod(
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_an_unknown_log_format_stops_start_up():
    result = run_prod("import django; django.setup()", LOG_FORMAT="xml")
    assert result.returncode != 0
    assert "LOG_FORMAT" in result.stderr


FEATURES_OFF = ("camera", "microphone", "geolocation", "payment", "usb")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path", "signed_in", "status"),
    [
        ("get", "/", True, 200),
        ("get", "/tugas/", True, 200),
        ("get", "/tugas/", False, 302),  # to the login page
        ("get", "/accounts/login/", False, 200),
        ("get", "/tidak-ada/", True, 404),
        ("put", "/tugas/", True, 405),  # refused before any view
        ("get", "/healthz", False, 200),
        ("get", "/rapat/kalender/tebakan.ics", False, 404),
    ],
)
def test_every_answer_carries_a_permissions_policy(pjoprov_member, method, path, signed_in, status):
    client = logged_in_client(pjoprov_member) if signed_in else Client()
    response = getattr(client, method)(path)
    assert response.status_code == status
    policy = dict(part.strip().split("=", 1) for part in response["Permissions-Policy"].split(","))
    for feature in FEATURES_OFF:
        assert policy[feature] == "()", feature


def test_help_text_typed_in_the_admin_is_shown_as_text():
    # A report section's help text (ReportSection.help_text, edited in the
    # admin) becomes its field's help_text: _field.html must escape it.
    from django import forms
    from django.template.loader import render_to_string

    class SectionForm(forms.Form):
        section_a = forms.CharField(help_text='Isi <img src=x onerror="alert(1)"> & <b>tebal</b>')

    html = render_to_string("_field.html", {"field": SectionForm()["section_a"]})
    assert "<img" not in html and "<b>" not in html
    assert "Isi &lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &lt;b&gt;tebal&lt;/b&gt;" in html


def test_djangos_password_rules_still_show_as_a_list():
    # The one help text with markup is Django's own list of password rules,
    # marked safe by Django (not typed by anyone): it stays a list.
    from django.contrib.auth.forms import SetPasswordForm
    from django.template.loader import render_to_string

    html = render_to_string("_field.html", {"field": SetPasswordForm(user=None)["new_password1"]})
    assert "<ul><li>" in html and "&lt;li&gt;" not in html
