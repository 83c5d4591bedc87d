"""Where the guide answers a question that Knipa raises elsewhere: the one place for those slugs.

Templates ask with `{% load guide %}{% guide_link "stage" stage as link %}` (templatetags/guide.py)
and get the page's address and its title in the reader's language, or nothing when the guide has no
such page (a host's folder cannot take one of ours away, but a page can fail its checks).
Each entry names the spec ids the page must cover for the link to be right, and
tests/guide/test_links.py holds every entry to that, so a page rewritten to cover something else
cannot leave a link pointing at the wrong explanation.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    slug: str
    covers: tuple[str, ...]  # spec ids the page must explain


TOPICS: dict[str, dict[str, Topic]] = {
    # The stage of the plan (knipa.program.rounds.Stage): the player's setup and the plan page.
    "stage": {
        "learning": Topic("finding-the-muscles", ("E0",)),
        "training": Topic("three-kinds", ("E1", "E2", "E3")),
        "standing": Topic("positions", ("P4",)),  # E4: the three kinds, standing
        "functional": Topic("daily-life", ("E5",)),
        "maintenance": Topic("how-long", ("K2",)),
        "circulation": Topic("birth-and-surgery", ("E7", "S2")),
        "relaxation": Topic("pain-and-relaxation", ("E8", "S1")),
        "daily_life": Topic("daily-life", ("E6",)),
    },
    # The advice beside the training (knipa.program.safety.Advice): training/advice.html.
    "advice": {
        "contact_care_about_pain": Topic("pain-and-relaxation", ("S1", "W5")),
        "wait_for_go_ahead": Topic("birth-and-surgery", ("S2",)),
        "start_carefully": Topic("birth-and-surgery", ("S2",)),
        "ask_about_go_ahead": Topic("birth-and-surgery", ("S2",)),
        "treat_cough": Topic("lifestyle", ("L2", "W4")),
    },
    # The seek-care advice (knipa.program.outcomes): outcomes/care_advice.html.
    "care": {
        "seek_care_after_birth": Topic("seek-care", ("V3",)),
        "contact_now_avoiding": Topic("seek-care", ("V1",)),
        "contact_not_improving": Topic("seek-care", ("V2",)),
        "needs_help_with_training": Topic("seek-care", ("V1",)),
    },
    # The situation of a logged leak (outcomes.models.Leak.Situation): outcomes/leaks.html.
    "leak": {
        "jump_or_run": Topic("sport", ("S5",)),
        "cough": Topic("daily-life", ("E6",)),
        "sneeze": Topic("daily-life", ("E6",)),
        "laugh": Topic("daily-life", ("E6",)),
        "lift": Topic("daily-life", ("E6",)),
    },
    # Pages with one question each.
    "page": {
        "check_in": Topic("seek-care", ("V1",)),
        "help": Topic("seek-care", ("V1", "H2")),
        "pain": Topic("pain-and-relaxation", ("S1", "E8")),
    },
}


def topic(kind: str, key: str) -> Topic | None:
    return TOPICS.get(kind, {}).get(str(key))
