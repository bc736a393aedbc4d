from django.urls import path

from joinedup.panels import pack_views

# Placed before the panel pages in panels/urls.py: "<slug:slug>/" would otherwise take
# "contributions/" for a panel's slug.
urlpatterns = [
    path("meetings/<uuid:meeting_id>/pack/", pack_views.pack_page, name="pack"),
    path("meetings/<uuid:meeting_id>/pack.pdf", pack_views.pack_pdf, name="pack_pdf"),
    path("contributions/", pack_views.contribution_list, name="contribution_list"),
    path(
        "agenda/<uuid:item_id>/contribution/",
        pack_views.contribution_edit,
        name="contribution_edit",
    ),
    path(
        "agenda/<uuid:item_id>/contribution/withdraw/",
        pack_views.contribution_withdraw,
        name="contribution_withdraw",
    ),
]
