"""Views for starting, onboarding, the profile page and the account. Thin by design."""

from __future__ import annotations

import secrets
from datetime import timedelta

from axes.utils import reset as reset_login_attempts
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from knipa.accounts import emails, passwords
from knipa.accounts.access import profile_required
from knipa.accounts.backends import login_attempts_name
from knipa.accounts.forms import (
    DeleteAccountForm,
    EmailAddressForm,
    KnipaPasswordChangeForm,
    KnipaSetPasswordForm,
    LoginForm,
    PasswordResetRequestForm,
    SecureProfileForm,
)
from knipa.accounts.models import Profile, answers_changed
from knipa.accounts.onboarding import STEPS, STEPS_BY_SLUG, first_unanswered, step_after
from knipa.accounts.pagecache import move_version_on
from knipa.accounts.retention import forget_left_behind
from knipa.accounts.throttle import allow
from knipa.middleware import client_address, remember_language, supported_languages, too_many_requests


# Throttles per client address (knipa.accounts.throttle, counted in the database so that every app
# process agrees; settings and docs/configuration.md). Starting a profile costs a user and a
# profile row (and makes room for an import), so a script must not make them by the thousand;
# securing one answers "that username is taken", so it must not tell which usernames exist faster
# than logging in does (django-axes: a few wrong passwords per username and address).
BEGIN_WINDOW = timedelta(hours=1)
CLAIM_WINDOW = timedelta(minutes=15)


@require_POST
def begin(request):
    """"Start training": a private profile bound to this browser, with no e-mail or password."""
    if request.user.is_authenticated:
        return redirect("today:home")
    if not allow("begin", client_address(request) or "", ((settings.BEGIN_LIMIT_PER_HOUR, BEGIN_WINDOW),)):
        return too_many_requests(request, _(
            "Many new profiles have been started from your network in the last hour. Please wait an hour and "
            "try again, or log in if you already have an account."), retry_after=BEGIN_WINDOW.total_seconds())
    user_model = get_user_model()
    with transaction.atomic():
        user = user_model(username=f"browser-{secrets.token_hex(12)}")
        user.set_unusable_password()
        user.save()
        Profile.objects.create(user=user, language=request.LANGUAGE_CODE)
    login(request, user, backend="knipa.accounts.backends.CaseInsensitiveModelBackend")
    return redirect("accounts:onboarding", step=STEPS[0].slug)


@profile_required(onboarded=False)
def onboarding(request, profile, step):
    current = STEPS_BY_SLUG.get(step)
    if current is None:
        raise Http404
    editing = request.GET.get("from") == "profile"
    if not editing and profile.onboarded_at is None:
        # Onboarding is a sequence: no skipping ahead past an unanswered step.
        pending = first_unanswered(profile)
        if pending is not None and STEPS.index(pending) < STEPS.index(current):
            return redirect("accounts:onboarding", step=pending.slug)
    form_kwargs = {"instance": profile}
    if current.slug == "time-zone":
        form_kwargs["detect"] = profile.onboarded_at is None
    form = current.form_class(request.POST if request.method == "POST" else None, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        form.save()
        if current.slug == "safety" and profile.onboarded_at is not None:
            # S1, S2: pain, a birth or an operation change the plan at once.
            answers_changed.send(sender=Profile, profile=profile)
        if editing:
            messages.success(request, _("Saved. Your plan has been updated."))
            return redirect("accounts:profile")
        following = step_after(current)
        if following is not None:
            return redirect("accounts:onboarding", step=following.slug)
        if profile.onboarded_at is None:
            profile.onboarded_at = timezone.now()
            profile.save(update_fields=["onboarded_at", "updated_at"])
            answers_changed.send(sender=Profile, profile=profile)  # the plan begins
        return redirect("today:home")
    index = STEPS.index(current)
    previous = STEPS[index - 1] if index > 0 else None
    return render(
        request,
        "accounts/onboarding_step.html",
        {
            "step": current,
            "form": form,
            "number": index + 1,
            "total": len(STEPS),
            "previous": previous,
            "editing": editing,
        },
    )


@profile_required
def profile_page(request, profile):
    return render(request, "accounts/profile.html", {"profile": profile, "path": profile.training_path.value})


@profile_required(onboarded=False)
def account(request, profile):
    form = None
    if not profile.secured:
        if request.method == "POST" and not allow("claim-username", client_address(request) or "",
                                                  ((settings.USERNAME_CLAIM_LIMIT, CLAIM_WINDOW),)):
            return too_many_requests(request, _(
                "You have tried to save your profile many times in a short while. Please wait 15 minutes and "
                "try again."), retry_after=CLAIM_WINDOW.total_seconds())
        form = SecureProfileForm(request.POST if request.method == "POST" else None, instance=request.user,
                                 mail_available=emails.mail_available())
        if request.method == "POST" and form.is_valid():
            with transaction.atomic():
                user = form.save()
                profile.secured = True
                profile.save(update_fields=["secured", "updated_at"])
            update_session_auth_hash(request, user)
            messages.success(request, _("Your profile is saved. You can now log in on any device."))
            if "email" in form.cleaned_data and emails.change_address(profile, form.cleaned_data["email"]) \
                    and user.email:
                emails.tell(request, emails.send_confirmation(profile, request), user.email)
            return redirect("accounts:account")
    return render(request, "accounts/account.html", {"profile": profile, "form": form, **_email_context(profile),
                                                     "anonymous_days": settings.ANONYMOUS_PROFILE_DAYS})


@profile_required(onboarded=False)
def delete_account(request, profile):
    form = DeleteAccountForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        username = user.get_username()
        with transaction.atomic():
            # The profile and, later, everything else of theirs goes with the user (CASCADE).
            user.delete()
        reset_login_attempts(username=login_attempts_name(username))
        logout(request)
        messages.success(request, _("Your account and everything in it has been deleted."))
        return redirect("content:start")
    return render(request, "accounts/delete_account.html", {"form": form, "profile": profile})


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm

    def form_valid(self, form):
        # A browser-only profile here is left behind by logging into another account (the page
        # said so): nothing could open it again, so it goes now (knipa.accounts.retention).
        before = self.request.user
        left_behind = before if before.is_authenticated and before.pk != form.get_user().pk else None
        response = super().form_valid(form)
        if left_behind is not None:
            forget_left_behind(left_behind)
        # The person's language comes along to this device and stays after they log out here.
        profile = Profile.objects.filter(user=form.get_user()).first()
        if profile is not None and profile.language in supported_languages():
            remember_language(response, profile.language)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        # Logging in elsewhere leaves a browser-bound profile behind for good: say so first.
        context["unsecured_profile_here"] = (
            user.is_authenticated and not Profile.objects.filter(user=user, secured=True).exists()
        )
        return context


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = KnipaPasswordChangeForm
    success_url = reverse_lazy("accounts:account")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_usable_password():
            return redirect("accounts:account")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


def login_locked_out(request, credentials, *args, **kwargs):
    """Shown by django-axes after too many wrong passwords (status 429, translated)."""
    response = render(
        request,
        "accounts/locked_out.html",
        {
            # Back to the login it came from: a person's, or a clinician's (/clinic/login/).
            "login_url": request.path if request.path == reverse("clinicians:login") else reverse("accounts:login"),
            "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
        status=429,
    )
    return response


# --- The e-mail address (knipa.accounts.emails) ---------------------------------------------

def _email_context(profile, email_form=None) -> dict:
    address = profile.user.email
    confirmed = profile.email_confirmed
    return {
        "mail_available": emails.mail_available(),
        "email_address": address,
        "email_confirmed": confirmed,
        "email_link_sent_at": emails.last_link_sent_at(profile) if address and not confirmed else None,
        "email_zone": profile.zone,
        "email_form": email_form or EmailAddressForm(initial={"email": address}),
    }


def _next_or(request, fallback: str) -> str:
    """Where to go back to after a form shown on another page (the reminders page), if it is ours."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return reverse(fallback)


@require_POST
@profile_required(onboarded=False)
def email_address(request, profile):
    """Set, change or remove the person's address; a new address gets its confirmation link."""
    form = EmailAddressForm(request.POST)
    if not form.is_valid():
        return render(request, "accounts/account.html", {"profile": profile, "form": None,
                                                         **_email_context(profile, email_form=form)})
    if not emails.change_address(profile, form.cleaned_data["email"]):
        messages.info(request, _("Your e-mail address is the same as before."))
    elif profile.user.email:
        emails.tell(request, emails.send_confirmation(profile, request), profile.user.email)
    else:
        messages.success(request, _("Your e-mail address is removed. Knipa sends you no more e-mail."))
    return redirect("accounts:account")


@require_POST
@profile_required(onboarded=False)
def send_email_link(request, profile):
    """Send (again) the link that confirms the person's address."""
    emails.tell(request, emails.send_confirmation(profile, request), profile.user.email)
    return redirect(_next_or(request, "accounts:account"))


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm_email(request, token):
    """The link in the confirmation mail. Opening it shows a button (a GET never writes); pressing
    it confirms. No login is needed: the secret in the link is the proof, and it is spent."""
    pending = emails.pending_confirmation(token)
    profile = Profile.objects.filter(user_id=pending.user_id).first() if pending is not None else None
    context = {"address": pending.address if pending else "", "valid": pending is not None, "confirmed": False}
    if request.method == "POST" and pending is not None:
        context["confirmed"] = emails.confirm(token) is not None
        context["valid"] = context["confirmed"]
    request.LANGUAGE_CODE = emails.page_language(request, profile)
    with translation.override(request.LANGUAGE_CODE):
        return render(request, "accounts/confirm_email.html", context, status=200 if context["valid"] else 404)


# --- A forgotten password (knipa.accounts.passwords) ---------------------------------------

@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def password_reset(request):
    form = PasswordResetRequestForm(request.POST if request.method == "POST" else None)
    context = {"form": form, "mail_available": emails.mail_available()}
    if request.method == "POST" and context["mail_available"] and form.is_valid():
        if not passwords.client_may_ask(request):
            context.update(throttled=True, wait_minutes=passwords.CLIENT_WAIT_MINUTES)
            return render(request, "accounts/password_reset.html", context, status=429)
        # Whatever the name or address, the same answer (and a mail, if an account goes with it).
        passwords.send_reset_links(form.cleaned_data["name"])
        return redirect("accounts:password_reset_sent")
    return render(request, "accounts/password_reset.html", context)


def password_reset_sent(request):
    return render(request, "accounts/password_reset_sent.html",
                  {"minutes": settings.PASSWORD_RESET_TIMEOUT // 60})


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's own: the token is checked, kept in the session and taken out of the address."""

    template_name = "accounts/password_reset_confirm.html"
    form_class = KnipaSetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def dispatch(self, request, *args, token="", **kwargs):
        # The link has one part, "<account id in base64>.<token>" (knipa.accounts.passwords).
        uidb64, _dot, token = token.partition(".")
        return super().dispatch(request, *args, uidb64=uidb64, token=token, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        # The new password ends the person's other sessions (Django checks each session's hash of
        # the password); the pages kept for them (pagecache) must not be sent to those either.
        move_version_on(user_id=self.user.pk)
        reset_login_attempts(username=login_attempts_name(self.user.get_username()))
        return response


def password_reset_done(request):
    return render(request, "accounts/password_reset_done.html")
