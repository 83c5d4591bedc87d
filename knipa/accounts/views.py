"""Views for starting, onboarding, the profile page and the account. Thin by design."""

from __future__ import annotations

import secrets

from axes.utils import reset as reset_login_attempts
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from knipa.accounts.access import profile_required
from knipa.accounts.forms import DeleteAccountForm, LoginForm, SecureProfileForm
from knipa.accounts.models import Profile, answers_changed
from knipa.accounts.onboarding import STEPS, STEPS_BY_SLUG, first_unanswered, step_after
from knipa.middleware import remember_language, supported_languages


@require_POST
def begin(request):
    """"Start training": a private profile bound to this browser, with no e-mail or password."""
    if request.user.is_authenticated:
        return redirect("today:home")
    user_model = get_user_model()
    with transaction.atomic():
        user = user_model(username=f"browser-{secrets.token_hex(12)}")
        user.set_unusable_password()
        user.save()
        Profile.objects.create(user=user, language=request.LANGUAGE_CODE)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
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
        form = SecureProfileForm(request.POST if request.method == "POST" else None, instance=request.user)
        if request.method == "POST" and form.is_valid():
            with transaction.atomic():
                user = form.save()
                profile.secured = True
                profile.save(update_fields=["secured", "updated_at"])
            update_session_auth_hash(request, user)
            messages.success(request, _("Your profile is saved. You can now log in on any device."))
            return redirect("accounts:account")
    return render(request, "accounts/account.html", {"profile": profile, "form": form})


@profile_required(onboarded=False)
def delete_account(request, profile):
    form = DeleteAccountForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        username = user.get_username()
        with transaction.atomic():
            # The profile and, later, everything else of theirs goes with the user (CASCADE).
            user.delete()
        reset_login_attempts(username=username)
        logout(request)
        messages.success(request, _("Your account and everything in it has been deleted."))
        return redirect("content:start")
    return render(request, "accounts/delete_account.html", {"form": form, "profile": profile})


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm

    def form_valid(self, form):
        response = super().form_valid(form)
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
            "login_url": reverse("accounts:login"),
            "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
        status=429,
    )
    return response
