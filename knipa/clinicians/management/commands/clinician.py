"""`knipa manage clinician ...`: the host's tool for clinician accounts (docs/clinicians.md)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from knipa.clinicians import hosting
from knipa.clinicians.models import Clinic, Clinician, Profession
from knipa.clinicians.welcome import VALID_FOR


class Command(BaseCommand):
    help = ("Clinician accounts: make clinics and clinicians, list them, deactivate one, reset a lost second "
            "factor. Clinicians cannot sign up themselves; each account is made here or on the staff page "
            "(/clinic/staff/). See docs/clinicians.md.")

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

        clinic = commands.add_parser("add-clinic",
                                     help="make a clinic (a practice or a ward) that clinicians belong to",
                                     description="Make a clinic. Its name is shown to people who share with its "
                                                 "clinicians.")
        clinic.add_argument("name", help='the clinic\'s name, e.g. "Kvinnohälsan Södermalm"')

        add = commands.add_parser(
            "add", help="make a clinician account and print its set-password link",
            description=f"Make a clinician account in a clinic and print a link, valid for "
                        f"{VALID_FOR.days} days and usable once, where the clinician chooses a password. Give the "
                        f"link to them by a way you trust. At their first sign-in they connect an authenticator "
                        f"app and get recovery codes.")
        add.add_argument("--clinic", required=True, help="the clinic's name (make it first with add-clinic)")
        add.add_argument("--username", required=True, help="the username the clinician signs in with")
        add.add_argument("--name", required=True, help='the name people see, e.g. "Eva Berg, fysioterapeut"')
        add.add_argument("--profession", required=True, choices=Profession.values, help="the clinician's profession")

        commands.add_parser("list", help="list clinics and clinicians, with whether each has a second factor",
                            description="List every clinic and its clinicians: username, name, profession, "
                                        "active or not, second factor connected or not.")

        link = commands.add_parser("link", help="print a new set-password link (a forgotten password)",
                                   description="Print a new set-password link for a clinician who forgot their "
                                               "password. Their second factor stays as it is.")
        link.add_argument("username")

        deactivate = commands.add_parser(
            "deactivate", help="stop a clinician's account now",
            description="Deactivate a clinician: they are signed out everywhere, cannot sign in, and see nothing "
                        "of the people who shared with them. People's access logs keep their name.")
        deactivate.add_argument("username")

        reset = commands.add_parser(
            "reset-2fa", help="forget a clinician's authenticator app and recovery codes (a lost phone)",
            description="Reset a clinician's second factor: the authenticator app and the recovery codes stop "
                        "working, they are signed out everywhere, and at their next sign-in (with their password) "
                        "they connect a new app.")
        reset.add_argument("username")

    def handle(self, *args, action, **options):
        try:
            getattr(self, "_" + action.replace("-", "_"))(**options)
        except hosting.Refused as refusal:
            raise CommandError(str(refusal)) from None

    def _add_clinic(self, name, **options):
        clinic = hosting.add_clinic(name)
        self.stdout.write(self.style.SUCCESS(f"Clinic made: {clinic.name}"))

    def _add(self, clinic, username, name, profession, **options):
        try:
            found = hosting.find_clinic(clinic)
        except hosting.Refused:
            raise CommandError(f'There is no clinic named "{clinic}". Make it first: '
                               f'knipa manage clinician add-clinic "{clinic}"') from None
        clinician, link = hosting.add_clinician(found, username, name, profession)
        self.stdout.write(self.style.SUCCESS(f"Clinician made: {clinician.user.username} ({clinician.display_name}, "
                                             f"{found.name})."))
        self.stdout.write(f"Their link to choose a password (valid {VALID_FOR.days} days, once):")
        self.stdout.write(link)

    def _list(self, **options):
        clinics = Clinic.objects.prefetch_related("clinicians__user").order_by("name")
        if not clinics:
            self.stdout.write("No clinics yet. Make one with: knipa manage clinician add-clinic NAME")
            return
        for clinic in clinics:
            self.stdout.write(clinic.name)
            clinicians = list(clinic.clinicians.all())
            if not clinicians:
                self.stdout.write("  (no clinicians)")
            for clinician in clinicians:
                state = "active" if clinician.active else "deactivated"
                second = "second factor connected" if hosting.has_second_factor(clinician.user) else \
                    "no second factor yet"
                self.stdout.write(f"  {clinician.user.username}\t{clinician.display_name}\t{clinician.profession}\t"
                                  f"{state}\t{second}")

    def _link(self, username, **options):
        link = hosting.new_link(hosting.find_clinician(username))
        self.stdout.write(f"The link to choose a new password (valid {VALID_FOR.days} days, once):")
        self.stdout.write(link)

    def _deactivate(self, username, **options):
        clinician = hosting.find_clinician(username)
        if not clinician.active:
            self.stdout.write(f"{clinician.user.username} was already deactivated.")
            return
        hosting.deactivate(clinician)
        self.stdout.write(self.style.SUCCESS(f"Deactivated: {clinician.user.username}. They are signed out and "
                                             f"see nothing."))

    def _reset_2fa(self, username, **options):
        clinician: Clinician = hosting.find_clinician(username)
        hosting.reset_second_factor(clinician)
        self.stdout.write(self.style.SUCCESS(f"Second factor reset for {clinician.user.username}. At their next "
                                             f"sign-in they connect a new authenticator app."))
