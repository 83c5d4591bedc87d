"""Knipa as an installable app (issue 15): the web app manifest, the offline page and the tags every
page carries for phones. The browser's side (installability, offline use) is in
tests/e2e/test_offline_app.py."""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db

CSS = Path(__file__).resolve().parents[2] / "knipa" / "static" / "knipa" / "css" / "app.css"


def palette(dark: bool) -> dict[str, str]:
    """The custom properties of app.css's light (:root) or dark (prefers-color-scheme) palette."""
    css = CSS.read_text(encoding="utf-8")
    block = re.search(r"@media \(prefers-color-scheme: dark\) \{\s*:root \{(.*?)\}" if dark else r":root \{(.*?)\}",
                      css, flags=re.S).group(1)
    return dict(re.findall(r"--([\w-]+):\s*([^;]+);", block))


def manifest(client) -> dict:
    response = client.get(reverse("content:manifest"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json; charset=utf-8"
    return json.loads(response.content)


def png_size(path: str) -> tuple[int, int]:
    data = Path(path).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_the_manifest_starts_the_app_on_the_persons_home_page_standalone(client):
    app = manifest(client)
    assert (app["name"], app["short_name"]) == ("Knipa", "Knipa")
    assert app["start_url"] == reverse("today:home") == "/home/"
    assert (app["scope"], app["display"], app["id"]) == ("/", "standalone", "/")
    assert app["lang"] == "sv" and app["description"] == "Bäckenbottenträning som passar in i din vardag"


def test_the_manifest_is_in_the_language_the_person_chose(client):
    client.post(reverse("content:set_language"), {"language": "en", "next": "/"})
    app = manifest(client)
    assert app["lang"] == "en" and app["description"] == "Pelvic floor training that fits your day"
    assert [shortcut["url"] for shortcut in app["shortcuts"]] == [reverse("training:player"), reverse("guide:index")]


def test_the_manifests_colours_are_the_stylesheets_and_the_dark_one_is_in_the_page(client):
    app = manifest(client)
    light, dark = palette(dark=False), palette(dark=True)
    assert app["theme_color"] == light["surface"]  # the header, around which the phone's bars sit
    assert app["background_color"] == light["bg"]
    html = client.get("/").content.decode()
    assert f'<meta name="theme-color" content="{light["surface"]}" media="(prefers-color-scheme: light)">' in html
    assert f'<meta name="theme-color" content="{dark["surface"]}" media="(prefers-color-scheme: dark)">' in html


def test_every_icon_of_the_manifest_exists_with_the_size_it_declares(client):
    icons = manifest(client)["icons"]
    sizes = set()
    for icon in icons:
        name = re.sub(r"^/static/", "", icon["src"])
        original = re.sub(r"\.[0-9a-f]{12}(\.\w+)$", r"\1", name)  # the hashed name's original
        found = finders.find(original)
        assert found, f"{icon['src']} is not one of Knipa's static files"
        if icon["type"] == "image/png":
            width, height = png_size(found)
            assert icon["sizes"] == f"{width}x{height}"
            sizes.add((width, icon["purpose"]))
        else:
            assert (icon["type"], icon["sizes"]) == ("image/svg+xml", "any")
    # Chromium installs with a PNG of at least 144 px; phones ask for 192 and 512, one maskable.
    assert {(192, "any"), (512, "any"), (512, "maskable")} <= sizes


def test_every_page_links_the_manifest_and_the_apple_tags_for_the_home_screen(client):
    html = client.get(reverse("content:privacy")).content.decode()
    assert f'<link rel="manifest" href="{reverse("content:manifest")}" crossorigin="use-credentials">' in html
    assert '<meta name="apple-mobile-web-app-capable" content="yes">' in html
    assert '<meta name="mobile-web-app-capable" content="yes">' in html
    assert '<meta name="apple-mobile-web-app-title" content="Knipa">' in html
    assert '<meta name="apple-mobile-web-app-status-bar-style" content="default">' in html
    touch_icon = re.search(r'<link rel="apple-touch-icon" href="/static/(knipa/img/apple-touch-icon)\.[0-9a-f]{12}\.png">',
                           html)
    assert touch_icon and png_size(finders.find(touch_icon.group(1) + ".png")) == (180, 180)
    assert re.search(r'<script type="module" src="/static/knipa/js/app\.[0-9a-f]{12}\.js"></script>', html)


def test_the_offline_page_is_the_same_for_everyone_and_says_the_page_needs_a_connection(client, owner_client):
    for visitor in (client, owner_client):
        response = visitor.get(reverse("content:offline"))
        html = response.content.decode()
        assert response.status_code == 200
        assert "<h1>Ingen anslutning</h1>" in html
        assert "Den här sidan behöver en anslutning till Knipa." in html
        assert "data-offline-page" in html
        # Nothing of the person who happens to be logged in: no menu, no owner for the outbox.
        assert "data-signed-in" not in html and "data-profile" not in html
        assert 'aria-label="Huvudmeny"' not in html and reverse("accounts:account") not in html


def test_a_persons_page_tells_the_scripts_whose_rounds_it_may_send(owner_client, owner, client):
    html = owner_client.get(reverse("content:privacy")).content.decode()
    assert f'<body data-signed-in data-profile="{owner.pk}" data-rounds-url="{reverse("api:save_round")}">' in html
    assert "<body>" in client.get(reverse("content:privacy")).content.decode()


def test_the_install_hint_is_on_the_home_page_only(owner_client):
    assert 'id="install-hint"' in owner_client.get(reverse("today:home")).content.decode()
    assert 'id="install-hint"' not in owner_client.get(reverse("training:player")).content.decode()
    assert 'id="install-hint"' not in owner_client.get(reverse("training:history")).content.decode()
