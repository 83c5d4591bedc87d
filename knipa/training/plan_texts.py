"""The words for the plan: stage names, why it changed, what the next milestone takes.

The rules (knipa.program.plan) name reasons and criteria by code; the sentences live here so that
they go through gettext. They explain, in the second person, without jargon.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext

from knipa.program.plan import Criterion, PlanParameters, Progress, Reason, strength_goal
from knipa.program.rounds import Stage

STAGE_NAMES = {
    Stage.LEARNING: gettext_lazy("Finding the muscles"),
    Stage.TRAINING: gettext_lazy("Strength, speed and endurance"),
    Stage.STANDING: gettext_lazy("Standing training"),
    Stage.FUNCTIONAL: gettext_lazy("Functional training"),
    Stage.MAINTENANCE: gettext_lazy("Maintenance"),
    Stage.CIRCULATION: gettext_lazy("Gentle circulation squeezes"),
    Stage.RELAXATION: gettext_lazy("Relaxation practice"),
    Stage.DAILY_LIFE: gettext_lazy("The squeeze in daily life"),
}

STAGE_SUMMARIES = {
    Stage.LEARNING: gettext_lazy("Ten calm squeezes, three times a day, until you can feel the squeeze and the "
                                 "release clearly."),  # E0
    Stage.TRAINING: gettext_lazy("Strength, speed and endurance in every round, lying, sitting or on all fours, "
                                 "every day."),  # E1-E3
    Stage.STANDING: gettext_lazy("The same three exercises, standing up, so the muscles learn to work when you "
                                 "are on your feet."),  # E4
    Stage.FUNCTIONAL: gettext_lazy("Squeeze before the movements that cause you trouble. Fewer days a week, "
                                   "but each time until the muscles are really tired."),  # E5, E1, E2
    Stage.MAINTENANCE: gettext_lazy("Keep what you have built with one to three rounds a week. Stopping completely "
                                    "tends to bring the symptoms back."),  # K2
    # E7, S2: no "midwife" here, since the same summary serves a birth and an operation (W3); the
    # templates name whoever treated the person.
    Stage.CIRCULATION: gettext_lazy("Soft, short squeezes that help blood flow and healing, until you have the "
                                    "go-ahead to start training."),  # E7, S2
    Stage.RELAXATION: gettext_lazy("Calm breathing that lets the pelvic floor relax, while there is "
                                   "pain."),  # E8, S1
}

REASON_TEXTS = {
    Reason.STARTED: gettext_lazy("Your plan began."),
    Reason.LEARNED: gettext_lazy("You felt the squeeze and the release clearly over several days and did the "
                                 "self-check, so the real training began."),
    Reason.HOLD_GREW: gettext_lazy("Three rounds in a row with every squeeze at full strength: the hold is now "
                                   "one second longer."),
    Reason.REPS_GREW: gettext_lazy("Three rounds in a row with every squeeze at full strength: one more "
                                   "squeeze per round."),
    Reason.ENDURANCE_FOLLOWED: gettext_lazy("You held the endurance squeeze to the goal, so the goal moved a "
                                            "little further."),
    Reason.STANDING_OPENED: gettext_lazy("Your strength and endurance goals are met: time to train standing."),
    Reason.FUNCTIONAL_OPENED: gettext_lazy("You are strong and sure of the technique standing: now squeeze before "
                                           "real movements, on fewer days but until you are really tired."),
    Reason.MAINTENANCE_REACHED: gettext_lazy("Your goals are met and you are satisfied: one to three rounds a week "
                                             "keep what you have built."),
    Reason.EASED_AFTER_FAILURES: gettext_lazy("The last rounds were too hard or not completed, so the plan is a "
                                              "little easier for now. Tired muscles let others take over."),
    Reason.STEPPED_BACK_AFTER_FAILURES: gettext_lazy("Rounds kept being too hard even at the easiest numbers, so "
                                                     "the plan went back one stage."),
    Reason.RELEARN_TECHNIQUE: gettext_lazy("You did not feel the squeeze in the last rounds, so the plan goes back "
                                           "to finding the muscles for a while."),
    Reason.EASED_AFTER_BREAK: gettext_lazy("You have not trained for two weeks or more, so the plan starts again a "
                                           "little easier."),
    Reason.STEPPED_BACK_AFTER_BREAK: gettext_lazy("A long break: the plan goes back one stage to build up again."),
    Reason.PAIN_RELAXATION: gettext_lazy("You told us about pain, so squeezing stops and you practise relaxing "
                                         "instead."),
    Reason.PAIN_IN_ROUND: gettext_lazy("You said that a round hurt, so squeezing stops and you practise relaxing "
                                       "instead. Talk to your health centre about the pain. Squeezing comes back "
                                       "when you tell us the pain has gone."),
    Reason.HEALING_WEEKS_OVER: gettext_lazy("The first weeks after your birth or operation are over: a careful start, "
                                            "softer and shorter than usual."),
    Reason.PAIN_GONE: gettext_lazy("The pain has gone, so you are back on your plan, starting a little easier."),
    Reason.WAIT_FOR_GO_AHEAD: gettext_lazy("After a birth or an operation: gentle circulation squeezes until you have "
                                           "the go-ahead."),
    Reason.GO_AHEAD: gettext_lazy("You have the go-ahead: a careful start, softer and shorter than usual."),
    Reason.PERSON_STAYS: gettext_lazy("You chose to stay at this stage."),
    Reason.PERSON_RESUMES: gettext_lazy("You let the plan move you on again when you are ready."),
    Reason.PERSON_STEPS_BACK: gettext_lazy("You chose to go back one stage."),
    Reason.PERSON_MOVES_ON: gettext_lazy("You chose to move on to the next stage."),
    Reason.PERSON_SET_NUMBERS: gettext_lazy("You set your own numbers."),
    Reason.PERSON_CHOSE_DAYS: gettext_lazy("You chose your training days, so your plan trains that many days a "
                                           "week. The rounds a day stay as the plan says."),
    Reason.PERSON_SATISFIED: gettext_lazy("You said you are satisfied with how your pelvic floor works."),
    Reason.SELF_CHECK_DONE: gettext_lazy("You did the self-check."),
    Reason.MOVEMENTS_CHOSEN: gettext_lazy("You chose the movements to practise."),
    Reason.PRESCRIBED: gettext_lazy("You accepted new numbers from your physiotherapist."),
}

PARAMETER_LABELS = {
    "strength_hold_seconds": gettext_lazy("Strength: seconds to hold"),
    "strength_rest_seconds": gettext_lazy("Strength: seconds to rest"),
    "strength_reps": gettext_lazy("Strength: squeezes per set"),
    "strength_sets": gettext_lazy("Strength: sets per round"),
    "speed_reps": gettext_lazy("Speed: quick squeezes"),
    "endurance_target_seconds": gettext_lazy("Endurance: goal in seconds"),
    "rounds_per_day": gettext_lazy("Rounds a day"),
    "days_per_week": gettext_lazy("Days a week"),
}

MOVEMENT_LABELS = {
    "stand_up": gettext_lazy("Standing up from a chair"),
    "walk": gettext_lazy("Walking a few steps"),
    "lift": gettext_lazy("Lifting something from the floor"),
    "jump": gettext_lazy("Jumping"),
}


def stage_name(stage: Stage | str) -> str:
    return str(STAGE_NAMES.get(Stage(stage), stage)) if stage else ""


def reason_text(reason: str) -> str:
    try:
        return str(REASON_TEXTS[Reason(reason)])
    except (KeyError, ValueError):
        return reason


def criterion_text(item: Progress, parameters: PlanParameters) -> str:
    """One line of a milestone: what it takes, and how far the person has come."""
    c = item.criterion
    if c is Criterion.CLEAR_ROUNDS:
        return _("Feel the squeeze and the release clearly in %(need)d rounds: %(have)d so far.") % item.__dict__
    if c is Criterion.LEARNING_DAYS:
        return _("Spread over at least %(need)d days: %(have)d so far.") % item.__dict__
    if c is Criterion.SELF_CHECK:
        return _("Check once with your fingers that you squeeze the right muscles.")
    if c is Criterion.FULL_ROUNDS_AT_TARGET:
        # E1: the goal (10 squeezes of 6 s) and, while the plan is still growing towards it, the plan's
        # numbers now, so that the goal and the plan page never seem to disagree.
        reps, hold = strength_goal(parameters)
        values = {"need": item.need, "have": item.have, "reps": reps, "hold": hold,
                  "now_reps": parameters.strength_reps, "now_hold": parameters.strength_hold_seconds}
        if (reps, hold) == (parameters.strength_reps, parameters.strength_hold_seconds):
            return _("%(need)d rounds in a row with all %(reps)d strength squeezes at full force for %(hold)d "
                     "seconds: %(have)d so far.") % values
        return _("The goal is %(reps)d strength squeezes of %(hold)d seconds. Your plan now has %(now_reps)d of "
                 "%(now_hold)d seconds and grows as you manage them. Then %(need)d rounds in a row with every "
                 "squeeze at full force: %(have)d so far.") % values
    if c is Criterion.ENDURANCE_MINUTE:
        return _("Hold the endurance squeeze for a whole minute: your best at this stage is %(have)d "
                 "seconds.") % item.__dict__
    if c is Criterion.FELT_LIFT:
        return _("Feel the lift upward and inward in %(need)d rounds in a row: %(have)d so far.") % item.__dict__
    if c is Criterion.WEEKS_IN_STAGE:
        return ngettext("At least %(need)d week at this stage: %(have)d done so far.",
                        "At least %(need)d weeks at this stage: %(have)d done so far.", item.need) % item.__dict__
    if c is Criterion.WEEKS_OF_TRAINING:
        return _("About six months of training in all, since full effect takes that long: %(have)d of %(need)d weeks "
                 "so far.") % item.__dict__
    if c is Criterion.SATISFIED:
        return _("You tell us you are satisfied with how your pelvic floor works.")
    if c is Criterion.PAIN_GONE:
        return _("The pain has gone. Then update your answer about pain.")
    if c is Criterion.GO_AHEAD:
        # S2, W3: said without "midwife", since this line does not know whether it was a birth or
        # an operation; the circulation guide beside it names who gives the go-ahead.
        return _("You get the go-ahead to start training.")
    return c.value
