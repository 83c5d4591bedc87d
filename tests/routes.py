"""Every route Knipa answers, walked from Django's URL resolver, with sample values for its parts.

Tests that must hold for every route (a GET never writes; later: who may see what) use
`every_route()`, so that a new route is covered the moment it is added. A route with a part this
module has no sample for fails loudly: add the sample here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


# Sample values for parts of public routes, the same whoever asks; each test adds its own for the
# parts that belong to a person (a round's id, a leak's id ...).
PUBLIC_SAMPLES: dict[str, Callable[[], object]] = {
    "slug": lambda: "how-it-works",  # a page of the guide (knipa/guide/pages/)
    "code": lambda: "ABCD-EFGH",  # a person's share code a clinician enters (made up: it opens nothing)
    "action": lambda: "link",  # what the staff page does with a clinician (knipa/clinic/staff.py)
}


@dataclass(frozen=True)
class Route:
    pattern: str  # e.g. "history/<uuid:round_id>/"
    name: str  # namespace:name, or the pattern when unnamed
    parts: tuple[str, ...]  # the names of its variable parts

    def path(self, samples: dict[str, Callable[[], object]]) -> str:
        samples = {**PUBLIC_SAMPLES, **samples}
        missing = [part for part in self.parts if part not in samples]
        if missing:
            raise LookupError(f"no sample value for {missing} of route {self.name} ({self.pattern}): add one")
        result = self.pattern
        for part in self.parts:
            result = re.sub(r"<(?:[a-z]+:)?" + part + ">", str(samples[part]()), result)
        return "/" + result


def _walk(patterns, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            pattern = prefix + str(entry.pattern)
            if pattern.startswith("^") or "(?P" in pattern:
                raise ValueError(f"a regular-expression route ({pattern}) needs its own sample handling")
            parts = tuple(re.findall(r"<(?:[a-z]+:)?([a-z_]+)>", pattern))
            yield Route(pattern, f"{namespace}{entry.name}" if entry.name else pattern, parts)


def every_route() -> list[Route]:
    routes = {route.pattern: route for route in _walk(get_resolver().url_patterns)}
    return sorted(routes.values(), key=lambda route: route.pattern)
