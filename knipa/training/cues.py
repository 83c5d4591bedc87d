"""What each cue of the timeline says, in the person's language.

The clinical core names cues by key (knipa.program.timeline); the words live here so that they
go through gettext. Texts are short: they are spoken aloud to someone with their eyes closed.
"""

from django.utils.translation import gettext_lazy as _

CUE_TEXTS = {
    # Introductions, shown and spoken before an exercise starts.
    "intro_find": _("Finding the muscles. Squeeze calmly, feel it, then let go completely."),  # E0
    "intro_strength": _("Strength. Squeeze as hard as you can and lift, and hold with the same force."),  # E1
    "intro_speed": _("Speed. Squeeze as fast and hard as you can, then let go."),  # E2
    "intro_endurance": _(
        "Endurance. Squeeze with moderate force and hold as long as you can. If you lose it, catch it again."
    ),  # E3
    "intro_functional": _("Functional. Squeeze first, then do the movement, then relax."),  # E5
    "intro_daily_life": _(
        "The squeeze in daily life. Squeeze first, and while you hold it, give a cough. Then relax."
    ),  # E6
    # S2: only so hard that it does not hurt; pain is a sign to stop (S1).
    "intro_circulation": _("Gentle squeezes. Only softly, and stop if it hurts."),  # E7
    "intro_relaxation": _("Relaxation. Breathe calmly and let the pelvic floor soften."),  # E8
    # During the repetitions.
    "squeeze_calm": _("Squeeze"),
    "squeeze_maximal": _("Squeeze hard"),
    "squeeze_fast": _("Quick squeeze"),
    "squeeze_moderate": _("Squeeze and hold"),
    "squeeze_soft": _("Squeeze gently"),
    "squeeze_then_move": _("Squeeze, then move"),
    "breathe_in": _("Breathe in"),
    "breathe_out_let_go": _("Breathe out and let go"),
    "hold": _("Hold"),
    # E3: the goal of the endurance hold is reached, and the hold goes on as long as it can.
    "target_reached": _("Goal reached! Hold on if you can, then press Done."),
    # During the squeeze: the movement (E5) or the cough (E6) while holding it.
    "move_stand_up": _("Now stand up"),
    "move_walk": _("Now walk a few steps"),
    "move_lift": _("Now lift something from the floor"),
    "move_jump": _("Now jump"),
    "cough_now": _("Now cough"),
    "relax": _("Relax"),
    "rest_between": _("Rest"),
    "done": _("Well done. The round is complete."),
}


def cue_text(key: str) -> str:
    return str(CUE_TEXTS[key])
