from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "joinedup.reviews"
    label = "reviews"
    verbose_name = "Partnership reviews: the relationship survey and the health check, in rounds"
