"""The family-facing page: public, no child's data, in English and Somali."""

import shutil
import subprocess
from gettext import GNUTranslations
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

PO = Path(settings.LOCALE_PATHS[0]) / "so" / "LC_MESSAGES" / "django.po"


def test_anyone_can_read_the_family_page_in_english(client, db):
    response = client.get(reverse("consent:family_consent"))
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="en-gb"' in content
    assert "Sharing information about your child" in content
    assert "UK GDPR" in content
    assert "ico.org.uk" in content
    assert 'media="print"' in content
    assert "draft" not in content.lower()


def test_the_somali_page_is_translated_and_marked_as_a_draft(client, db):
    response = client.get(reverse("consent:family_consent"), {"lang": "so"})
    assert response.status_code == 200
    assert response["Content-Language"] == "so"
    content = response.content.decode()
    assert '<html lang="so"' in content
    assert "Wadaagista macluumaadka ku saabsan ilmahaaga" in content
    assert "Xuquuqdaada" in content
    assert "ico.org.uk" in content  # placeholders filled in the translated sentence
    assert "Sharing information about your child" not in content
    assert "machine-assisted draft awaiting review by a native speaker" in content


def test_a_somali_speakers_browser_gets_the_somali_page(client, db):
    response = client.get(reverse("consent:family_consent"), HTTP_ACCEPT_LANGUAGE="so,en;q=0.5")
    assert '<html lang="so"' in response.content.decode()


def test_an_unknown_language_falls_back_to_english(client, db):
    response = client.get(reverse("consent:family_consent"), {"lang": "xx"})
    assert '<html lang="en-gb"' in response.content.decode()


def test_the_staff_pages_stay_in_english_after_the_somali_page(client, db):
    client.get(reverse("consent:family_consent"), {"lang": "so"})
    response = client.get(reverse("core:start"))
    assert '<html lang="en-GB"' in response.content.decode()


def test_every_somali_string_is_translated():
    text = PO.read_text(encoding="utf-8")
    assert 'msgstr ""\n\n' not in text.split("\n\n", 1)[1] + "\n\n"
    assert "needs native-speaker review" in text


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs GNU gettext's msgfmt")
def test_the_committed_somali_catalogue_is_compiled_from_the_po_file(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(PO)], check=True)
    with compiled.open("rb") as fresh, PO.with_suffix(".mo").open("rb") as committed:
        assert GNUTranslations(fresh)._catalog == GNUTranslations(committed)._catalog, (
            "compile the messages (manage.py compilemessages) and commit django.mo"
        )
