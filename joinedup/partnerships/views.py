from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from joinedup.core.forms import add_domain_error
from joinedup.core.paging import paginate
from joinedup.partnerships import forms, selectors, services
from joinedup.partnerships import network as network_measures
from joinedup.partnerships.map import MapFilters
from joinedup.partnerships.models import LoggedRelationship, Partnership, Person

PAGE_SIZE = 25


@require_GET
def partnership_list(request: HttpRequest) -> HttpResponse:
    form = forms.PartnershipSearchForm(request.GET or None)
    context: dict[str, Any] = {"form": form, "may_create": services.may_create(request.user)}
    if form.is_bound and not form.is_valid():
        return render(request, "partnerships/partnership_list.html", context)
    filters = {k: v for k, v in form.cleaned_data.items() if v} if form.is_bound else {}
    partnerships = selectors.partnership_list(viewer=request.user, **filters)
    page, query = paginate(request, partnerships, PAGE_SIZE)
    context.update(page=page, query=query, filtered=bool(filters))
    return render(request, "partnerships/partnership_list.html", context)


@require_GET
def partnership_detail(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_detail(viewer=request.user, slug=slug)
    may_manage = services.may_manage(request.user, partnership)
    ended = None
    ended_id = request.session.pop("partnerships_ended_member", None)
    if may_manage and ended_id:
        ended = selectors.ended_member(
            viewer=request.user, partnership=partnership, member_id=ended_id
        )
    return render(
        request,
        "partnerships/partnership_detail.html",
        {"partnership": partnership, "may_manage": may_manage, "ended": ended},
    )


def _partnership_form_page(request: HttpRequest, partnership: Partnership | None) -> HttpResponse:
    initial: dict[str, Any] = {"is_active": True}
    if partnership is not None:
        initial = {
            "name": partnership.name,
            "kind": partnership.kind,
            "purpose": partnership.purpose,
            "level": partnership.level,
            "locality": partnership.locality,
            "parent": partnership.parent,
            "terms_of_reference": partnership.terms_of_reference,
            "panel": partnership.panel_id,
            "is_active": partnership.is_active,
        }
    form = forms.PartnershipForm(request.POST or None, initial=initial)
    if partnership is not None:
        parent_field: Any = form.fields["parent"]
        parent_field.queryset = parent_field.queryset.exclude(pk=partnership.pk)
    if request.method == "POST" and form.is_valid():
        try:
            if partnership is None:
                saved = services.partnership_create(actor=request.user, **form.cleaned_data)
            else:
                saved = services.partnership_update(
                    actor=request.user, partnership=partnership, **form.cleaned_data
                )
        except services.PartnershipError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{saved.name} saved.")
            return redirect("partnerships:partnership_detail", slug=saved.slug)
    return render(
        request,
        "partnerships/partnership_form.html",
        {"form": form, "partnership": partnership},
    )


@require_http_methods(["GET", "POST"])
def partnership_create(request: HttpRequest) -> HttpResponse:
    if not services.may_create(request.user):
        raise PermissionDenied
    return _partnership_form_page(request, None)


def _managed(request: HttpRequest, slug: str) -> Partnership:
    partnership = selectors.partnership_for_change(viewer=request.user, slug=slug)
    if not services.may_manage(request.user, partnership):
        raise PermissionDenied
    return partnership


@require_http_methods(["GET", "POST"])
def partnership_edit(request: HttpRequest, slug: str) -> HttpResponse:
    return _partnership_form_page(request, _managed(request, slug))


def _member_initial(request: HttpRequest) -> dict[str, Any]:
    """The person just added from this form's "add a new person" link, chosen for them."""
    person = selectors.person_chosen(viewer=request.user, person_id=request.GET.get("person"))
    if person is None:
        return {}
    return {"person": person.pk, "organisation": person.organisation_id}


@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _managed(request, slug)
    form = forms.MemberAddForm(
        request.POST or None, initial=_member_initial(request) if request.method == "GET" else {}
    )
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_add(
                actor=request.user, partnership=partnership, **form.cleaned_data
            )
        except services.PartnershipError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{member.organisation.name} added to {partnership.name}.")
            return redirect("partnerships:partnership_detail", slug=partnership.slug)
    return render(
        request, "partnerships/member_add.html", {"form": form, "partnership": partnership}
    )


@require_http_methods(["GET", "POST"])
def member_end(request: HttpRequest, slug: str, partnership_member_id: Any) -> HttpResponse:
    partnership = _managed(request, slug)
    member = selectors.member_for_change(
        viewer=request.user, partnership=partnership, member_id=partnership_member_id
    )
    if request.method == "POST":
        try:
            services.member_end(actor=request.user, member=member)
        except services.PartnershipError as error:
            messages.error(request, error.message)
        else:
            # The detail page offers the undo (adding the same member again) from this.
            request.session["partnerships_ended_member"] = str(member.pk)
            messages.success(request, f"{member.organisation.name} is no longer a member.")
        return redirect("partnerships:partnership_detail", slug=partnership.slug)
    return render(
        request,
        "partnerships/member_end.html",
        {"partnership": partnership, "member": member},
    )


@require_POST
def member_rejoin(request: HttpRequest, slug: str, partnership_member_id: Any) -> HttpResponse:
    """The undo of ending a membership: the same seat again, from the date it began."""
    partnership = _managed(request, slug)
    ended = selectors.member_for_change(
        viewer=request.user, partnership=partnership, member_id=partnership_member_id
    )
    try:
        services.member_add(
            actor=request.user,
            partnership=partnership,
            organisation=ended.organisation,
            person=ended.person,
            role=ended.role,
            delegated_authority=ended.delegated_authority,
            joined_on=ended.joined_on,
        )
    except services.PartnershipError as error:
        messages.error(request, error.message)
    else:
        request.session.pop("partnerships_ended_member", None)
        messages.success(request, f"Undone: {ended.organisation.name} is a member again.")
    return redirect("partnerships:partnership_detail", slug=partnership.slug)


EXPORTS = {
    "graphml": ("application/graphml+xml", "partnership-network.graphml"),
    "gexf": ("application/gexf+xml", "partnership-network.gexf"),
    "nodes.csv": ("text/csv; charset=utf-8", "partnership-network-nodes.csv"),
    "edges.csv": ("text/csv; charset=utf-8", "partnership-network-edges.csv"),
}


@require_GET
def network(request: HttpRequest) -> HttpResponse:
    """The measures of the whole partnership network, each explained in plain words."""
    data = selectors.network_data(viewer=request.user)
    return render(
        request,
        "partnerships/network.html",
        {"measures": network_measures.measures(data) if data.organisations else None},
    )


@require_GET
def network_export(request: HttpRequest, export_format: str) -> HttpResponse:
    """The whole network as a file for Gephi, yEd or a spreadsheet."""
    if export_format not in EXPORTS:
        raise Http404("No such export")
    content_type, filename = EXPORTS[export_format]
    data = selectors.network_data(viewer=request.user)
    if export_format in ("nodes.csv", "edges.csv"):
        nodes, edges = network_measures.to_csv(data)
        body: str | bytes = nodes if export_format == "nodes.csv" else edges
    elif export_format == "graphml":
        body = network_measures.to_graphml(network_measures.build_graph(data))
    else:
        body = network_measures.to_gexf(network_measures.build_graph(data))
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --------------------------------------------------------------------------------- people


@require_GET
def person_list(request: HttpRequest) -> HttpResponse:
    form = forms.PersonSearchForm(request.GET or None)
    context: dict[str, Any] = {
        "form": form,
        "may_keep_people": services.may_keep_people(request.user),
        "page": None,
    }
    if form.is_bound and not form.is_valid():
        return render(request, "partnerships/person_list.html", context)
    filters = {k: v for k, v in form.cleaned_data.items() if v} if form.is_bound else {}
    people = selectors.person_search(viewer=request.user, **filters)
    page, query = paginate(request, people, PAGE_SIZE)
    rows = selectors.person_page_rows(viewer=request.user, people=list(page.object_list))
    context.update(page=page, rows=rows, query=query, filtered=bool(filters))
    return render(request, "partnerships/person_list.html", context)


@require_GET
def person_detail(request: HttpRequest, person_id: Any) -> HttpResponse:
    person = selectors.person_detail(viewer=request.user, person_id=person_id)
    seats = selectors.person_seats(viewer=request.user, person=person)
    return render(
        request,
        "partnerships/person_detail.html",
        {
            "person": person,
            "current": [seat for seat in seats if seat.is_current],
            "ended": [seat for seat in seats if not seat.is_current],
            "may_keep_people": services.may_keep_people(request.user),
        },
    )


def _person_form_page(request: HttpRequest, person: Person | None) -> HttpResponse:
    if not services.may_keep_people(request.user):
        raise PermissionDenied
    # Coming from a partnership's "add a member" form: go back there with the person chosen.
    back_to = None
    slug = request.GET.get("partnership", "")
    if person is None and slug:
        back_to = selectors.partnership_or_none(viewer=request.user, slug=slug)
    initial: dict[str, Any] = {}
    if person is not None:
        initial = {
            "name": person.name,
            "role_title": person.role_title,
            "email": person.email,
            "organisation": person.organisation_id,
        }
    form = forms.PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if person is None:
                saved = services.person_create(actor=request.user, **form.cleaned_data)
            else:
                # The form leaves the link to a JoinedUp account as it was.
                saved = services.person_update(
                    actor=request.user, person=person, user=person.user, **form.cleaned_data
                )
        except services.PartnershipError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{saved.name} saved.")
            if back_to is not None:
                url = reverse("partnerships:member_add", kwargs={"slug": back_to.slug})
                return redirect(f"{url}?person={saved.pk}")
            return redirect("partnerships:person_detail", person_id=saved.pk)
    return render(
        request,
        "partnerships/person_form.html",
        {"form": form, "person": person, "back_to": back_to},
    )


@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    return _person_form_page(request, None)


@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, person_id: Any) -> HttpResponse:
    if not services.may_keep_people(request.user):
        raise PermissionDenied
    return _person_form_page(
        request, selectors.person_for_change(viewer=request.user, person_id=person_id)
    )


# ----------------------------------------------------------------------- relationship log


@require_GET
def relationship_list(request: HttpRequest) -> HttpResponse:
    form = forms.RelationshipSearchForm(request.GET or None)
    context: dict[str, Any] = {
        "form": form,
        "may_log": services.may_log(request.user),
        "page": None,
    }
    if form.is_bound and not form.is_valid():
        return render(request, "partnerships/relationship_list.html", context)
    filters = {k: v for k, v in form.cleaned_data.items() if v} if form.is_bound else {}
    logged = selectors.relationship_list(viewer=request.user, **filters)
    page, query = paginate(request, logged, PAGE_SIZE)
    for entry in page.object_list:
        entry.may_change = services.may_change_relationship(request.user, entry)
    context.update(
        page=page, query=query, filtered=bool(filters), organisation=filters.get("organisation")
    )
    return render(request, "partnerships/relationship_list.html", context)


def _own_organisation(user: Any) -> Any:
    membership = user.active_memberships().first()
    return membership.organisation_id if membership else None


def _relationship_form_page(
    request: HttpRequest, relationship: LoggedRelationship | None
) -> HttpResponse:
    if relationship is None:
        initial: dict[str, Any] = {"from_organisation": _own_organisation(request.user)}
    else:
        initial = {
            "from_organisation": relationship.from_organisation_id,
            "to_organisation": relationship.to_organisation_id,
            "kind": relationship.kind,
            "happened_on": relationship.happened_on,
            "description": relationship.description,
            "partnership": relationship.partnership_id,
        }
    form = forms.RelationshipForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if relationship is None:
                saved = services.relationship_log(actor=request.user, **form.cleaned_data)
            else:
                saved = services.relationship_update(
                    actor=request.user, relationship=relationship, **form.cleaned_data
                )
        except services.PartnershipError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                f"Logged: {saved.from_organisation.name} and {saved.to_organisation.name}.",
            )
            return redirect("partnerships:relationship_list")
    return render(
        request,
        "partnerships/relationship_form.html",
        {"form": form, "relationship": relationship},
    )


@require_http_methods(["GET", "POST"])
def relationship_create(request: HttpRequest) -> HttpResponse:
    if not services.may_log(request.user):
        raise PermissionDenied
    return _relationship_form_page(request, None)


def _changeable(request: HttpRequest, relationship_id: Any) -> LoggedRelationship:
    relationship = selectors.relationship_for_change(
        viewer=request.user, relationship_id=relationship_id
    )
    if not services.may_change_relationship(request.user, relationship):
        raise PermissionDenied
    return relationship


@require_http_methods(["GET", "POST"])
def relationship_edit(request: HttpRequest, relationship_id: Any) -> HttpResponse:
    return _relationship_form_page(request, _changeable(request, relationship_id))


@require_POST
def relationship_withdraw(request: HttpRequest, relationship_id: Any) -> HttpResponse:
    relationship = _changeable(request, relationship_id)
    try:
        services.relationship_withdraw(actor=request.user, relationship=relationship)
    except services.PartnershipError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"Withdrawn: {relationship.from_organisation.name} and "
            f"{relationship.to_organisation.name}. It is no longer on the log or the map.",
        )
    return redirect("partnerships:relationship_list")


MAP_PAGE_SIZE = 25


def _map_filters(request: HttpRequest) -> tuple[forms.MapFilterForm, MapFilters | None, str]:
    """The filter form, the filters (None when a choice is not valid), and the filters as a
    query string for links between the map, its data and the table."""
    form = forms.MapFilterForm(request.GET or None)
    chosen = QueryDict(mutable=True)
    for name in form.fields:
        if request.GET.get(name):
            chosen[name] = request.GET[name]
    if not form.is_bound:
        return form, MapFilters(), ""
    if not form.is_valid():
        return form, None, chosen.urlencode()
    return form, form.filters(), chosen.urlencode()


@require_GET
def partnership_map(request: HttpRequest) -> HttpResponse:
    """The network drawn in the browser (joinedup/static/js/partnership-map.js), which fetches
    map_data; the filters are a GET form, so the table view takes the same ones."""
    form, filters, query = _map_filters(request)
    # The drawing's data, asked for as the page starts to load rather than once the scripts
    # have run: at city scale building it takes as long as loading the scripts. The script
    # asks for exactly this address (the filters in the form's order, without the search).
    data_query = QueryDict(mutable=True)
    for name in form.fields:
        if name != "q" and request.GET.get(name):
            data_query[name] = request.GET[name]
    encoded = data_query.urlencode()
    data_url = reverse("partnerships:map_data") + (f"?{encoded}" if encoded else "")
    return render(
        request,
        "partnerships/map.html",
        {
            "form": form,
            "valid": filters is not None,
            "filters_query": query,
            "data_url": data_url,
        },
    )


@require_GET
def map_data(request: HttpRequest) -> HttpResponse:
    """The map's nodes and edges as JSON, for the filters in the query string."""
    form, filters, _ = _map_filters(request)
    if filters is None:
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    return JsonResponse(
        selectors.map_data(viewer=request.user, filters=filters),
        json_dumps_params={"separators": (",", ":")},
    )


@require_GET
def map_table(request: HttpRequest) -> HttpResponse:
    """The map's data as tables, for keyboards, screen readers and browsers without
    JavaScript: organisations with their partnerships and representatives, and relationships."""
    form, filters, query = _map_filters(request)
    context: dict[str, Any] = {"form": form, "filters_query": query, "table": None}
    if filters is not None:
        table = selectors.map_table(viewer=request.user, filters=filters)
        page, page_query = paginate(request, table.organisations, MAP_PAGE_SIZE)
        relationships = Paginator(table.relationships, MAP_PAGE_SIZE).get_page(
            request.GET.get("relationships_page")
        )
        others = request.GET.copy()
        others.pop("relationships_page", None)
        context.update(
            table=table,
            page=page,
            query=page_query,
            relationships=relationships,
            relationships_query=others.urlencode(),
            filtered=filters.any,
        )
    return render(request, "partnerships/map_table.html", context)
