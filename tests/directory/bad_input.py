"""The directory import page's row of the bad-input table (tests/accounts/test_bad_input.py).
`world` is that module's World."""

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from joinedup.directory.models import Provider, Service


class NamedUpload(SimpleUploadedFile):
    """An upload read afresh each time it is posted, with its name as its test id."""

    def __init__(self, name: str, content: bytes) -> None:
        super().__init__(name, content)

    def read(self, *args: Any) -> bytes:
        self.seek(0)
        return super().read(*args)

    def __str__(self) -> str:
        return self.name or ""


def import_page(world: Any) -> str:
    return world.as_persona("admin_user", reverse("directory:import_upload"))


def import_answers(world: Any) -> dict[str, Any]:
    return {"file": NamedUpload("services.csv", b"Organisation name,Service name\r\nA,B\r\n")}


IMPORT_WRONG = (
    ("file", NamedUpload("photo.png", b"\x89PNG\r\n\x1a\n")),
    ("file", NamedUpload("empty.csv", b"")),
    ("file", NamedUpload("colours.csv", b"Name,Colour\r\nA,blue\r\n")),
    ("file", NamedUpload("header-only.csv", b"Organisation name,Service name\r\n")),
)


def directory_as_saved(world: Any) -> tuple[int, int]:
    return Service.objects.count(), Provider.objects.count()
