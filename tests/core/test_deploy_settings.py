"""Hardening (issue 10): with the production settings docs/operations.md gives (a real
SECRET_KEY, SECURE_SSL=1 behind HTTPS, DEBUG off), Django's deployment checks find nothing:
secure and HTTP-only cookies, HSTS, the HTTPS redirect, no debug pages. Run as an operator
would, in a process of its own, since the settings are read from the environment at start."""

import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "SECRET_KEY": "k" * 20 + "a-long-random-key-for-this-test-only-0123456789",
    "SECURE_SSL": "1",
    "ALLOWED_HOSTS": "joinedup.example.org",
    "LOG_LEVEL": "WARNING",
}


def _check_deploy(**environment: str) -> subprocess.CompletedProcess[str]:
    # Not the test run's own settings: the browser tests allow Django's ORM in Playwright's
    # event loop (DJANGO_ALLOW_ASYNC_UNSAFE), which no deployment may.
    harness = ("DEBUG", "JOINEDUP_DEMO", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {key: value for key, value in os.environ.items() if key not in harness}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO_ROOT,
        env={**env, **environment},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_production_settings_pass_every_deployment_check():
    checked = _check_deploy(**PRODUCTION)
    assert checked.returncode == 0, checked.stderr
    assert "System check identified no issues" in checked.stdout


def test_the_deployment_checks_refuse_the_development_key_and_plain_http():
    without_https = {key: value for key, value in PRODUCTION.items() if key != "SECURE_SSL"}
    checked = _check_deploy(**{**without_https, "SECRET_KEY": ""})
    assert checked.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W009", "security.W012"):
        assert warning in checked.stderr, warning
