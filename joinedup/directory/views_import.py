"""Importing services into the directory from a file: upload it, read the check report, import
the rows that passed, see what was done.

Between the check and the import the file is kept in the person's own session (signed, on the
server, never in the web root, capped at csv_import.MAX_BYTES), so nobody has to send it twice
and nobody else can import it. The pages know nothing about the file's layout: IMPORTERS maps a
file's extension to the import that reads it, each returning the same ImportReport.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from joinedup.core.errors import FieldError
from joinedup.core.forms import GovukForm, add_domain_error
from joinedup.directory import csv_import, oruk_import
from joinedup.directory.imports import ImportReport
from joinedup.organisations.models import Locality

PENDING_KEY = "directory_import_pending"
DONE_KEY = "directory_import_done"


@dataclass(frozen=True)
class Importer:
    label: str
    run: Callable[..., ImportReport]  # (content: bytes, *, actor, save, source) -> ImportReport


IMPORTERS: dict[str, Importer] = {
    ".csv": Importer("CSV", csv_import.import_csv),
    ".json": Importer("Open Referral UK feed (JSON)", oruk_import.import_feed),
}


def _kinds() -> str:
    return " or ".join(importer.label for importer in IMPORTERS.values())


class ImportUploadForm(GovukForm):
    file = forms.FileField(
        label="Upload a file",
        help_text=f"A {_kinds()} file, up to {csv_import.MAX_BYTES // (1024 * 1024)} MB.",
        error_messages={
            "required": "Select a file to upload",
            "empty": "The selected file is empty",
            "invalid": "Select a file to upload",
            "missing": "Select a file to upload",
        },
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if PurePath(upload.name).suffix.lower() not in IMPORTERS:
            raise forms.ValidationError(f"The selected file must be a {_kinds()} file")
        if upload.size > csv_import.MAX_BYTES:
            raise forms.ValidationError(
                f"The selected file must be smaller than {csv_import.MAX_BYTES // (1024 * 1024)} MB"
            )
        return upload


def _importer(name: str) -> Importer:
    return IMPORTERS[PurePath(name).suffix.lower()]


def _pending(request: HttpRequest) -> tuple[str, bytes] | None:
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or PurePath(pending.get("name", "")).suffix not in IMPORTERS:
        return None
    return pending["name"], base64.b64decode(pending["content"])


def _help_context() -> dict[str, Any]:
    return {
        "columns": csv_import.COLUMNS,
        "needs": csv_import.known_needs(),
        "localities": Locality.objects.order_by("name"),
        "max_mb": csv_import.MAX_BYTES // (1024 * 1024),
        "max_rows": csv_import.MAX_ROWS,
    }


@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        name = PurePath(upload.name).name.lower()
        try:
            _importer(name).run(content, actor=request.user, save=False, source=name)
        except FieldError as error:
            add_domain_error(form, error)
        else:
            request.session[PENDING_KEY] = {
                "name": name,
                "content": base64.b64encode(content).decode("ascii"),
            }
            request.session.pop(DONE_KEY, None)
            return redirect("directory:import_check")
    return render(request, "directory/import_upload.html", {"form": form, **_help_context()})


@require_http_methods(["GET", "POST"])
def import_check(request: HttpRequest) -> HttpResponse:
    pending = _pending(request)
    if pending is None:
        return redirect("directory:import_upload")
    name, content = pending
    importer = _importer(name)
    save = request.method == "POST"
    try:
        report = importer.run(content, actor=request.user, save=save, source=name)
    except FieldError as error:
        # The directory changed under the file, or saving failed: nothing was imported.
        request.session.pop(PENDING_KEY, None)
        form = ImportUploadForm()
        add_domain_error(form, error)
        return render(request, "directory/import_upload.html", {"form": form, **_help_context()})
    if save:
        request.session.pop(PENDING_KEY, None)
        request.session[DONE_KEY] = {
            "source": name,
            "created": report.created if report.saved else 0,
            "updated": report.updated if report.saved else 0,
            "rejected": len(report.rejected),
        }
        return redirect("directory:import_done")
    return render(request, "directory/import_check.html", {"report": report, "name": name})


@require_GET
def import_done(request: HttpRequest) -> HttpResponse:
    done = request.session.get(DONE_KEY)
    if not isinstance(done, dict):
        return redirect("directory:import_upload")
    return render(request, "directory/import_done.html", {"done": done})


@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    # The byte order mark makes Excel open the file as UTF-8, so "£" and "é" survive.
    response = HttpResponse(
        "\ufeff" + csv_import.template_csv(), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="directory-services-template.csv"'
    return response
