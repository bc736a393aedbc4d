from django.contrib import admin

from joinedup.panels.models import Panel


@admin.register(Panel)
class PanelAdmin(admin.ModelAdmin):
    list_display = ["name", "minimum_age", "maximum_age", "is_active"]
    filter_horizontal = ["localities"]
    prepopulated_fields = {"slug": ("name",)}
