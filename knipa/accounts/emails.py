"""A person's e-mail address, and the confirmation that makes Knipa willing to mail it.

The address is the user's `email` (so Django's password reset tokens change with it). Knipa sends
mail to it (reminders, password reset links) only once its owner has opened the confirmation link
sent to it; until then the only mail that address can get from Knipa is that one link, and only a
few times a day (`CONFIRMATION_LIMITS`, docs/reminders.md). `Profile.confirmed_email` holds the
address as it was confirmed and is emptied whenever the address changes, so a link sent to an old
address cannot confirm a new one.

The address lives in this room, not in reminders, because password reset needs it too and this
room may not import reminders (docs/architecture.md, layers).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import smtplib
import threading
from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.base_user import BaseUserManager
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from knipa.accounts.models import EmailConfirmation, Profile
from knipa.accounts.pagecache import move_version_on
from knipa.accounts.throttle import Limits, allow_all
from knipa.middleware import client_address as _client_address
from knipa.middleware import supported_languages

log = logging.getLogger(__name__)

# A confirmation link works this long, once.
CONFIRMATION_VALID = timedelta(days=3)
# Confirmation mails. Per address, whoever asks: someone typing another person's address cannot
# make Knipa mail it more than once in ten minutes, four times a day. Per person (account): five
# a day. Per client (IP address): ten an hour, against one visitor making many accounts.
CONFIRMATION_LIMITS: dict[str, Limits] = {
    "confirm-address": ((1, timedelta(minutes=10)), (4, timedelta(days=1))),
    "confirm-person": ((5, timedelta(days=1)),),
    "confirm-client": ((10, timedelta(hours=1)),),
}


class Sent(StrEnum):
    SENT = "sent"
    THROTTLED = "throttled"
    NO_ADDRESS = "no_address"
    ALREADY_CONFIRMED = "already_confirmed"
    UNAVAILABLE = "unavailable"  # the host has no mail server
    FAILED = "failed"  # the mail server did not take it


def mail_available() -> bool:
    """Whether this Knipa can send mail at all (the host set KNIPA_EMAIL_HOST)."""
    return bool(settings.EMAIL_REMINDERS)


def public_base(request=None) -> str:
    """The site's public address, without a trailing slash: KNIPA_PUBLIC_URL when the host set it;
    otherwise the address the request came to (its Host is checked against ALLOWED_HOSTS, its scheme
    is the trusted proxy's), and without a request (the worker) the setting's default."""
    if request is None or settings.PUBLIC_URL_GIVEN:
        return settings.PUBLIC_URL
    return request.build_absolute_uri("/").rstrip("/")


def public_link(path: str, request=None) -> str:
    """An address for a link in a mail or on a page: the site's public address and the path."""
    return f"{public_base(request)}{path}"


def client_address(request) -> str:
    """The client's IP address, as login throttling counts it (knipa.middleware.client_address)."""
    return _client_address(request) or ""


def page_language(request, profile: Profile | None) -> str:
    """The language of a page reached from a mail (a confirmation or unsubscribe link), perhaps on
    a device where Knipa was never opened: the one this browser chose, else the person's."""
    supported = supported_languages()
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) in supported or profile is None \
            or profile.language not in supported:
        return request.LANGUAGE_CODE
    return profile.language


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalized(address: str) -> str:
    return BaseUserManager.normalize_email((address or "").strip())


def change_address(profile: Profile, address: str) -> bool:
    """Set the person's address. A different address is unconfirmed: no mail until its owner
    confirms it, and links sent to the old one no longer confirm anything. Returns whether it changed."""
    user = profile.user
    address = normalized(address)
    if address == user.email:
        return False
    with transaction.atomic():
        user.email = address
        user.save(update_fields=["email"])
        profile.confirmed_email, profile.email_confirmed_at, profile.unsubscribe_token = "", None, ""
        profile.save(update_fields=["confirmed_email", "email_confirmed_at", "unsubscribe_token", "updated_at"])
        EmailConfirmation.objects.filter(user=user).delete()
    move_version_on(profile.pk)
    return True


def send_confirmation(profile: Profile, request) -> Sent:
    """Send the link that confirms the person's current address, within the limits."""
    user = profile.user
    if not mail_available():
        return Sent.UNAVAILABLE
    address = user.email
    if not address:
        return Sent.NO_ADDRESS
    if profile.email_confirmed:
        return Sent.ALREADY_CONFIRMED
    if not allow_all([
        ("confirm-address", address.lower(), CONFIRMATION_LIMITS["confirm-address"]),
        ("confirm-person", str(user.pk), CONFIRMATION_LIMITS["confirm-person"]),
        ("confirm-client", client_address(request), CONFIRMATION_LIMITS["confirm-client"]),
    ]):
        return Sent.THROTTLED
    # Links no longer good for anything go, with the addresses they were sent to.
    EmailConfirmation.objects.filter(sent_at__lt=timezone.now() - CONFIRMATION_VALID).delete()
    token = secrets.token_urlsafe(32)
    confirmation = EmailConfirmation.objects.create(user=user, address=address, token_digest=token_digest(token),
                                                    sent_at=timezone.now())
    link = public_link(reverse("accounts:confirm_email", args=[token]), request)
    with translation.override(profile.language or settings.LANGUAGE_CODE):
        subject = render_to_string("accounts/mail/confirm_email_subject.txt").strip()
        body = render_to_string("accounts/mail/confirm_email.txt", {
            "link": link, "days": CONFIRMATION_VALID.days})
    message = EmailMessage(subject=subject, body=body, to=[address], headers={"Auto-Submitted": "auto-generated"})
    try:
        message.send(fail_silently=False)
    except (smtplib.SMTPException, OSError):
        log.warning("a confirmation mail could not be sent")  # no address in logs
        confirmation.delete()
        return Sent.FAILED
    return Sent.SENT


def tell(request, result: Sent, address: str = "") -> None:
    """Say in plain words what became of a confirmation link."""
    if result is Sent.SENT:
        messages.success(request, _("We have sent a link to %(address)s. Open it to confirm that the address is "
                                    "yours.") % {"address": address})
    elif result is Sent.THROTTLED:
        messages.error(request, _("A link was sent only a moment ago, or many have been asked for today. Please "
                                  "wait a while and try again."))
    elif result is Sent.NO_ADDRESS:
        messages.error(request, _("Give an e-mail address first."))
    elif result is Sent.ALREADY_CONFIRMED:
        messages.info(request, _("Your e-mail address is already confirmed."))
    elif result is Sent.UNAVAILABLE:
        messages.error(request, _("This Knipa cannot send e-mail: it has no mail server set up."))
    else:
        messages.error(request, _("The link could not be sent just now: the mail server did not take it. Please "
                                  "try again later."))


def pending_confirmation(token: str) -> EmailConfirmation | None:
    """The confirmation a link stands for, while it can still confirm its address (reads only)."""
    if not token or len(token) > 100:
        return None
    row = (EmailConfirmation.objects.select_related("user")
           .filter(token_digest=token_digest(token), sent_at__gt=timezone.now() - CONFIRMATION_VALID).first())
    # The address it was sent to must still be the person's address.
    if row is None or row.address != row.user.email:
        return None
    return row


def confirm(token: str) -> Profile | None:
    """Confirm the address the link was sent to; the link is spent. None if it cannot."""
    with transaction.atomic():
        row = pending_confirmation(token)
        if row is None:
            return None
        profile = Profile.objects.select_for_update().filter(user=row.user).first()
        if profile is None:
            return None
        profile.confirmed_email = row.address
        profile.email_confirmed_at = timezone.now()
        if not profile.unsubscribe_token:
            profile.unsubscribe_token = secrets.token_urlsafe(32)
        profile.save(update_fields=["confirmed_email", "email_confirmed_at", "unsubscribe_token", "updated_at"])
        EmailConfirmation.objects.filter(user=row.user).delete()
    move_version_on(profile.pk)  # the link may be opened while logged out, or on another device
    return profile


def last_link_sent_at(profile: Profile):
    """When the newest confirmation link for the current address went out (None if none waits)."""
    row = (EmailConfirmation.objects.filter(user_id=profile.user_id, address=profile.user.email,
                                            sent_at__gt=timezone.now() - CONFIRMATION_VALID)
           .order_by("-sent_at").first())
    return row.sent_at if row else None


def profile_for_unsubscribe(token: str) -> Profile | None:
    """The person an unsubscribe link belongs to (the secret in every reminder mail)."""
    if not token or len(token) < 32 or len(token) > 100:
        return None
    profile = Profile.objects.filter(unsubscribe_token=token).first()
    if profile is None or not secrets.compare_digest(profile.unsubscribe_token, token):
        return None
    return profile


# Mail sent while the answer goes back, so that how long the answer takes does not tell whether
# a mail was sent (password reset: whether an account exists). Tests wait for it with
# `wait_for_mail()`.
_sending: list[threading.Thread] = []


def send_in_background(message: EmailMessage) -> None:
    def send() -> None:
        try:
            message.send(fail_silently=False)
        except (smtplib.SMTPException, OSError):
            log.warning("a mail could not be sent")

    thread = threading.Thread(target=send, name="knipa-mail", daemon=True)
    _sending[:] = [t for t in _sending if t.is_alive()] + [thread]
    thread.start()


def wait_for_mail(timeout: float = 10) -> None:
    for thread in list(_sending):
        thread.join(timeout)

