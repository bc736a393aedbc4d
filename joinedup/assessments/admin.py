from django.contrib import admin

from joinedup.assessments.models import Domain


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    """Configuring what assessments rate: the default list (no panel) and any panel's own list.
    A panel with active domains of its own rates those instead of the default list, from the
    next assessment started. Retire a domain by unticking "is active" rather than deleting it."""

    list_display = ["name", "panel", "key", "order", "is_active"]
    list_filter = ["panel", "is_active"]
    list_editable = ["order", "is_active"]
    ordering = ["panel__name", "order", "name"]
    search_fields = ["name", "key"]
