"""A clinician's sign-in pages: password, second factor (or its first set-up), recovery codes, and
the welcome link's first password. Thin: the steps are in knipa.clinicians.signin."""

from __future__ import annotations

from axes.utils import reset as reset_login_attempts
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from knipa.clinicians import signin
from knipa.clinicians.access import may_use_clinic
from knipa.clinicians.forms import ClinicSignInForm, CodeForm, EnrolForm, WelcomePasswordForm
from knipa.clinicians.welcome import welcome_tokens

NEXT_KEY = "knipa_clinic_next"


def _home_for(user) -> str:
    return reverse("clinic:home") if hasattr(user, "clinician") else reverse("clinic:staff")


def _safe_next(request, target: str) -> str:
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return ""


def _verified_clinic_user(request):
    user = request.user
    if user.is_authenticated and may_use_clinic(user) and getattr(user, "is_verified", lambda: False)():
        return user
    return None


def _after_sign_in(request, user):
    target = _safe_next(request, request.session.pop(NEXT_KEY, ""))
    return redirect(target or _home_for(user))


def _sign_in_again(request):
    messages.info(request, _("Please log in again with your username and password."))
    return redirect("clinicians:login")


@never_cache
@sensitive_post_parameters("password")
@require_http_methods(["GET", "HEAD", "POST"])
def sign_in(request):
    """Step one: username and password. Nobody is logged in yet (knipa.clinicians.signin)."""
    user = _verified_clinic_user(request)
    if user is not None:
        return redirect(_safe_next(request, request.GET.get("next", "")) or _home_for(user))
    form = ClinicSignInForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        signin.start_pending(request, user)
        request.session[NEXT_KEY] = _safe_next(request, request.POST.get("next", ""))
        return redirect("clinicians:code" if signin.totp_device(user) else "clinicians:enrol")
    return render(request, "clinicians/sign_in.html", {"form": form, "next": request.GET.get("next", "")})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def code(request):
    """Step two: the code from the authenticator app, or one recovery code."""
    user = signin.pending_user(request)
    if user is None:
        return _sign_in_again(request)
    if signin.totp_device(user) is None:
        return redirect("clinicians:enrol")
    form = CodeForm(request.POST if request.method == "POST" else None)
    context = {"form": form, "username": user.get_username()}
    if request.method == "POST":
        wait = signin.throttled(user)
        if wait is not None:
            context["wait_seconds"] = wait.seconds
            response = render(request, "clinicians/code.html", context, status=429)
            response["Retry-After"] = str(wait.seconds)
            return response
        if form.is_valid():
            device = signin.verify_code(user, form.cleaned_data["code"])
            if device is not None:
                next_page = request.session.get(NEXT_KEY, "")
                signin.finish(request, user, device)
                request.session[NEXT_KEY] = next_page
                if isinstance(device, StaticDevice):
                    left = signin.recovery_codes_left(user)
                    messages.warning(request, _(
                        "You logged in with a recovery code; it is now used up. Recovery codes left: %(left)s.")
                        % {"left": left})
                return _after_sign_in(request, user)
            if signin.count_wrong_code(request):
                messages.error(request, _("Too many wrong codes. Please log in again from the start."))
                return redirect("clinicians:login")
            form.add_error("code", _("That code is not right. Check the app and type the six digits shown now, "
                                     "or use a recovery code you have not used before."))
    return render(request, "clinicians/code.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def enrol(request):
    """The first sign-in: connect an authenticator app, confirm it with a code."""
    user = signin.pending_user(request)
    if user is None:
        return _sign_in_again(request)
    if signin.totp_device(user) is not None:
        # Set up once; a lost phone is the host's to reset (knipa manage clinician reset-2fa).
        return redirect("clinicians:code")
    form = EnrolForm(request.POST if request.method == "POST" else None)
    secret = signin.enrolment_secret(request)
    if request.method == "POST" and form.is_valid():
        next_page = request.session.get(NEXT_KEY, "")
        codes = signin.confirm_enrolment(request, user, form.cleaned_data["code"])
        if codes is not None:
            signin.keep_codes_to_show(request, codes)
            request.session[NEXT_KEY] = next_page
            return redirect("clinicians:recovery_codes")
        if signin.count_wrong_code(request):
            messages.error(request, _("Too many wrong codes. Please log in again from the start."))
            return redirect("clinicians:login")
        form.add_error("code", _("That code is not right. Check that the app shows Knipa and type the six digits "
                                 "shown now."))
    return render(request, "clinicians/enrol.html", {
        "form": form,
        "qr_code": signin.qr_code_data_uri(secret, user.get_username()),
        "secret_text": signin.secret_as_text(secret),
        "username": user.get_username(),
    })


@never_cache
@require_http_methods(["GET", "HEAD"])
def recovery_codes(request):
    """The recovery codes made a moment ago, shown this once (taken out of the session)."""
    user = _verified_clinic_user(request)
    if user is None:
        return redirect("clinicians:login")
    codes = signin.take_codes_to_show(request)
    target = _safe_next(request, request.session.pop(NEXT_KEY, "")) or _home_for(user)
    return render(request, "clinicians/recovery_codes.html", {
        "codes": codes, "left": signin.recovery_codes_left(user), "continue_to": target,
    })


@require_POST
def new_recovery_codes(request):
    """Ten new recovery codes for a signed-in clinician; the old ones stop working."""
    user = _verified_clinic_user(request)
    if user is None:
        return redirect("clinicians:login")
    signin.keep_codes_to_show(request, signin.new_recovery_codes(user))
    return redirect("clinicians:recovery_codes")


class WelcomeView(auth_views.PasswordResetConfirmView):
    """The host's link: the clinician's first password (Django's view, with the link's own token)."""

    template_name = "clinicians/welcome.html"
    form_class = WelcomePasswordForm
    token_generator = welcome_tokens
    success_url = reverse_lazy("clinicians:login")

    def dispatch(self, request, *args, token="", **kwargs):
        # One part, "<account id in base64>.<token>" (knipa.clinicians.welcome).
        uidb64, _dot, token = token.partition(".")
        return super().dispatch(request, *args, uidb64=uidb64, token=token, **kwargs)

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and may_use_clinic(user) else None

    def form_valid(self, form):
        response = super().form_valid(form)
        reset_login_attempts(username=self.user.get_username().lower())
        messages.success(self.request, _("Your password is saved. Log in with it now; the first time, you also "
                                         "connect an authenticator app."))
        return response
