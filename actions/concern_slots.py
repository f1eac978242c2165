"""The concern form's slots in the order they are asked, and which of them a resident may skip."""

from actions import answers

DESCRIPTION = "concern_description"
PLACE = "concern_place"
TIME_OF_DAY = "concern_time_of_day"
WEEKDAY = "concern_weekday"
FREQUENCY = "concern_frequency"
FELT_SAFETY = "concern_felt_safety"
SUGGESTION = "concern_suggestion"

# The themes proposed in the summary; confirming the summary makes them the resident's themes.
THEMES = "concern_themes"
# Correcting them: "ändra ämnet" sets THEME_CHANGE, which adds the theme question (THEME_CHOICE) to the form;
# THEME_CANDIDATES holds the classifier's best themes, offered as buttons.
THEME_CHANGE = "concern_theme_change"
THEME_CHOICE = "concern_theme_choice"
THEME_CANDIDATES = "concern_theme_candidates"
THEME_SLOTS = (THEMES, THEME_CHANGE, THEME_CHOICE, THEME_CANDIDATES)

FORM_SLOTS = (DESCRIPTION, PLACE, TIME_OF_DAY, WEEKDAY, FREQUENCY, FELT_SAFETY, SUGGESTION)
OPTIONAL_SLOTS = (WEEKDAY, FELT_SAFETY, SUGGESTION)
# Stored in an optional slot when the resident skips it: the form needs a value to move on.
SKIPPED = "hoppade_over"

# Entities that fill a slot whenever the resident mentions them (docs/conversation-design.md).
ENTITY_SLOTS = {
    "district": PLACE,
    "place": PLACE,
    "time_of_day": TIME_OF_DAY,
    "weekday": WEEKDAY,
    "frequency": FREQUENCY,
    "felt_safety": FELT_SAFETY,
}
# Coded slots: their codes, and the label group in actions/messages.yml that says them back.
CODES = {
    TIME_OF_DAY: answers.TIME_OF_DAY_CODES,
    WEEKDAY: answers.WEEKDAY_CODES,
    FREQUENCY: answers.FREQUENCY_CODES,
}
LABEL_GROUPS = {TIME_OF_DAY: "time_of_day", WEEKDAY: "weekday", FREQUENCY: "frequency"}
