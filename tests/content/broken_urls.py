"""Knipa's URLs plus one view that fails, to see what a person gets when something breaks."""

from django.urls import path

from knipa.urls import handler500, urlpatterns as knipa_urlpatterns  # noqa: F401


def broken_view(request):
    raise RuntimeError("secret internals")


urlpatterns = [*knipa_urlpatterns, path("broken/", broken_view)]
