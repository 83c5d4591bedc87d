"""The ids of the programme specification's clinical facts, each with a one-line summary.

Code, content and tests cite these ids (``# spec E1``) so that anyone can check that every fact is
implemented and tested. The specification itself lives outside this repository; this list keeps
the ids inside it, so that tests/test_traceability.py can check a fresh clone on its own (and,
where the specification is at hand, that this list still matches it). The summaries are ours,
written to jog the memory, not the specification's wording.
"""

from __future__ import annotations

SPEC_IDS: dict[str, str] = {
    # Who it is for
    "W1": "Anyone, of any sex or age, can train; it also prevents problems.",
    "W2": "Above all for pregnancy and after birth, prolapse, and urine or bowel leakage.",
    "W3": "Around childbirth and around pelvic, prostate or continence operations.",
    "W4": "A chronic cough or COPD strains the pelvic floor, which makes training more important.",
    "W5": "Genital pain may call for learning to relax the muscles rather than to squeeze.",
    "W6": "The aims: tighten on demand, let go fully, live actively, react automatically; sex can improve.",
    # Positions
    "P1": "Lying on the back or side, knees bent, a cushion under or between them.",
    "P2": "Sitting on a chair with the upper body tipped forward.",
    "P3": "Kneeling on all fours on the forearms, for hard-to-find muscles or a heavy pelvis.",
    "P4": "Standing, feet apart, toes a little inward, knees soft, once the basics are in place.",
    "P5": "Use several positions so the muscles work in everyday life.",
    # Technique
    "T1": "Keep back, belly, buttocks and legs loose; a hand on the belly checks it.",
    "T2": "Breathe as usual and never push down.",
    "T3": "Close the back passage, then the front openings, then add a lift inward and up.",
    "T4": "Let go completely after each squeeze and rest no shorter than it lasted.",
    "T5": "Train in distinct, focused rounds.",
    "T6": "Watch that belly, buttocks or thighs do not do the work, most of all when tired.",
    # Exercises
    "E0": "Learning to find the muscles: short holds, 10 reps, 3 rounds a day, then move on.",
    "E1": "Strength: maximal squeeze and lift held 5-6 s, up to 10 reps, 1-3 a day, later 3-4 a week.",
    "E2": "Speed: quick hard squeezes, 2 s on and 2 s off, 10 times.",
    "E3": "Endurance: a moderate squeeze held towards a minute, last in every round.",
    "E4": "The three kinds of training (E1-E3) done standing.",
    "E5": "Squeeze before a movement that brings symptoms, move, then let go.",
    "E6": "Squeeze on purpose when sneezing, coughing or lifting.",
    "E7": "Gentle short squeezes soon after birth or genital surgery, for blood flow, if painless.",
    "E8": "Relaxation practice for genital pain, from usual down-training; a physiotherapist can guide.",
    # Self-checks
    "C1": "Feel the anal opening tighten under the fingertips, over clothing.",
    "C2": "With a vagina: fingers inside feel pressure or an inward movement at the sides.",
    "C3": "With a penis: a good squeeze moves the penis and scrotum a little.",
    # Safety
    "S1": "No squeezing exercises with genital pain or pain on squeezing.",
    "S2": "After birth or surgery wait as advised, then start gently and painlessly.",
    "S3": "Never stop the urine stream to practise; let go fully on the toilet.",
    "S4": "No electrical stimulation with a pacemaker, in pregnancy or with an infection.",
    "S5": "Leaking during exercise: drop those exercises for now; hard trainers may leak anyway.",
    # Course over time
    "K1": "Improvement shows after about two months; the full effect may take half a year.",
    "K2": "Once good enough, keep it up 1-3 times a week; stopping brings symptoms back.",
    # Habit and aids
    "H1": "Regularity is what works, so set daily reminders.",
    "H2": "Apps, websites and professionals (physiotherapist, urotherapist, midwife) can help.",
    "H3": "Vaginal weights and electrical stimulators can help find the muscles, after instruction.",
    # Lifestyle
    "L1": "Do not smoke.",
    "L2": "Get a lasting cough treated.",
    "L3": "Keep a healthy body weight.",
    "L4": "Avoid constipation and heavy straining.",
    "L5": "Local oestrogen can ease dry mucous membranes; ask a midwife or doctor.",
    # How the pelvic floor works
    "A1": "What the pelvic floor is: layers that carry the pelvic organs and close their openings.",
    "A2": "The muscles are always somewhat active and work hardest under load and movement.",
    "A3": "What weakens it: pregnancy, birth, menopause, cough, constipation, overweight, cancer care.",
    # When to seek care
    "V1": "See primary care for help, for too little effect, or when symptoms limit life.",
    "V2": "Training is central for leakage and prolapse but may not be enough; then get checked.",
    "V3": "Seek care for major symptoms after giving birth.",
    "V4": "The health advice number (1177 in Sweden) and its wording are configurable.",
}
