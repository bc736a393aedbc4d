from django.contrib import admin

from joinedup.referrals.models import Concern, EligibilityRule


@admin.register(Concern)
class ConcernAdmin(admin.ModelAdmin):
    list_display = ["label", "order", "is_active"]
    list_editable = ["order", "is_active"]


@admin.register(EligibilityRule)
class EligibilityRuleAdmin(admin.ModelAdmin):
    list_display = ["locality", "minimum_age", "maximum_age"]
