from joinedup.reports.models_saved import SavedReport  # noqa: F401
