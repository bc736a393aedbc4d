from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "joinedup.funding"
    label = "funding"
    verbose_name = "The partnership's funding: funders, streams, and the services and posts funded"
