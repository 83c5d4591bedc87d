"""The guide's two pages: the list, and one page in the reader's language and for their body.

Public: anyone may read the guide, logged in or not, and reading it writes nothing. A logged-in
person sees the passages for the body they chose (T3, C2, C3); a visitor, or a person who chose
neutral words, sees both, each under its heading. `?body=vagina|penis|both` switches the view for
this reading (links on the page carry it on; nothing is stored, since a GET never writes).
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from knipa.guide import pages
from knipa.guide.markup import PASSAGE_BODIES, PageError, View

VIEWS = frozenset(view.value for view in View)


def reading_view(request) -> tuple[View, str]:
    """The reader's view of the body passages, and the query that keeps a view they chose."""
    asked = request.GET.get("body", "")
    if asked in VIEWS:
        return View(asked), f"?body={asked}"
    profile = getattr(request.user, "profile", None) if request.user.is_authenticated else None
    body = getattr(profile, "body", "")
    return (View(body) if body in PASSAGE_BODIES else View.BOTH), ""


def index(request):
    language = get_language()
    _view, link_query = reading_view(request)
    return render(request, "guide/index.html", {
        "guide_pages": pages.guide(language).pages, "link_query": link_query, "language": language,
    })


def page(request, slug):
    language = get_language()
    guide = pages.guide(language)
    found = guide.page(slug)
    if found is None:
        raise Http404
    view, link_query = reading_view(request)
    try:
        rendered = pages.render(found, guide, view, link_query)
    except PageError:
        # The file changed after the guide was built, and is now broken: logged when the guide is
        # built again on the next request; this one gets a plain 404, never a 500.
        raise Http404 from None
    position = guide.pages.index(found)
    return render(request, "guide/page.html", {
        "page": found,
        "language": language,
        # Made by markup.render_markdown: escaped text, checked links, our own figures only.
        "article": mark_safe(rendered.html),  # noqa: S308
        "body_specific": rendered.body_specific,
        "view": view.value,
        "views": [(choice.value, _view_label(choice)) for choice in View],
        "link_query": link_query,
        "previous": guide.pages[position - 1] if position > 0 else None,
        "next": guide.pages[position + 1] if position + 1 < len(guide.pages) else None,
    })


def _view_label(view: View) -> str:
    return {
        View.VAGINA: _("A body with a vagina"),
        View.PENIS: _("A body with a penis"),
        View.BOTH: _("Both"),
    }[view]
