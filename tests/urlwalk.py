"""Every URL pattern of the project, with sample arguments, for tests that
must cover all of them (a new URL is covered without editing the test)."""

import uuid

from django.urls import URLPattern, URLResolver, get_resolver

SAMPLE = {"int": "1", "str": "x", "slug": "x", "path": "x", "uuid": str(uuid.uuid4())}


def _walk(patterns, prefix="", namespace=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            yield prefix + str(p.pattern), name


def sample_path(route):
    """'pelaku/<int:pk>/' -> '/pelaku/1/'; the API router's regex routes
    ('api/v1/^tugas/(?P<pk>[^/.]+)/$') -> '/api/v1/tugas/1/'. Other regex
    routes (admin) are skipped."""
    import re

    if route.startswith("api/"):
        route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route.replace("^", "").replace("$", ""))
    if route.startswith("^") or "(?P" in route:
        return None
    path = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE[m.group(1) or "str"], route)
    return "/" + path


def all_routes():
    return list(_walk(get_resolver().url_patterns))
