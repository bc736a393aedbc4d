"""The reports app's models live in one module per part (stories, reflections, ...); importing
them here makes them part of the app and its migrations."""

from joinedup.reports.models_reflections import (  # noqa: F401
    CommittedToActions,
    PulseAnswer,
    PulseGiven,
    PulseReflection,
)
from joinedup.reports.models_saved import SavedReport  # noqa: F401
from joinedup.reports.models_stories import (  # noqa: F401
    Story,
    StoryFamilyReview,
)
