"""The report page: figures for a panel, a locality or the city, month or quarter."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from joinedup.reports import selectors
from joinedup.reports.catalogue import FIELD_LABELS, FIGURES
from joinedup.reports.charts import svg_chart
from joinedup.reports.forms import ReportForm


@require_GET
def report(request: HttpRequest) -> HttpResponse:
    scopes = selectors.scopes_for(viewer=request.user)
    data = {**ReportForm.defaults(scopes), **request.GET.dict()}
    form = ReportForm(data, scopes=scopes)
    report = None
    figures = []
    if scopes and form.is_valid():
        scope, period = form.chosen()
        report = selectors.build_report(viewer=request.user, scope=scope, period=period)
        fields = {spec.key: [FIELD_LABELS[f] for f in spec.fields] for spec in FIGURES}
        figures = [
            {"table": table, "chart": svg_chart(table), "fields": fields.get(table.key, [])}
            for table in report.tables
        ]
    return render(
        request,
        "reports/report.html",
        {
            "form": form if scopes else None,
            "report": report,
            "figures": figures,
            "empty": report is not None and selectors.report_is_empty(report),
        },
    )
