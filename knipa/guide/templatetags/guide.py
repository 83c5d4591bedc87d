"""Links from Knipa's other pages to the guide page that answers the question they raise
(knipa/guide/links.py):

- `{% guide_pointer "stage" stage %}`: a line "Read more in the guide: <the page's title>", or
  nothing when the guide has no such page;
- `{% guide_pointers "leak" situations %}`: the same for several keys, each page once;
- `{% guide_link "stage" stage as link %}`: `link.url`, `link.title`, `link.language`, or None.

The title is the page's own, in the reader's language (or the language the page has).

Used by templates of rooms below the guide (training, outcomes, today): a template's link, like a
`{% url %}`, is not an import, so the rooms' layers (tests/test_layers.py) stay one-way.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.urls import reverse
from django.utils.translation import get_language

from knipa.guide import links, pages

register = template.Library()


@dataclass(frozen=True)
class GuideLink:
    url: str
    title: str
    language: str


@register.simple_tag
def guide_link(kind: str, key: str) -> GuideLink | None:
    found = links.topic(kind, key)
    if found is None:
        return None
    language = get_language()
    page = pages.guide(language).page(found.slug)
    if page is None:
        return None
    return GuideLink(reverse("guide:page", kwargs={"slug": page.slug}), page.header.title, page.language)


def _links(kind: str, keys) -> list[GuideLink]:
    found: dict[str, GuideLink] = {}
    for key in keys:
        link = guide_link(kind, key)
        if link is not None:
            found.setdefault(link.url, link)
    return list(found.values())


@register.inclusion_tag("guide/pointer.html")
def guide_pointer(kind: str, key: str) -> dict:
    return {"links": _links(kind, [key]), "kind": kind, "language": get_language()}


@register.inclusion_tag("guide/pointer.html")
def guide_pointers(kind: str, keys) -> dict:
    return {"links": _links(kind, keys or []), "kind": kind, "language": get_language()}
