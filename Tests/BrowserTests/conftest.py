"""pytest fixtures for Wijkwerk's browser tests. Run them with scripts/test (see README.md)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from support import clear_browser_state, make_driver, screenshot  # noqa: E402


@pytest.fixture(scope="session")
def base_url() -> str:
    """The running server, e.g. http://127.0.0.1:8089 (no trailing slash)."""
    return os.environ.get("WIJKWERK_BASE_URL", "http://127.0.0.1:8089").rstrip("/")


@pytest.fixture(scope="session")
def admin_email() -> str:
    return os.environ.get("WIJKWERK_ADMIN_EMAIL", "admin@wijkwerk.test")


@pytest.fixture(scope="session")
def admin_password() -> str:
    return os.environ.get("WIJKWERK_ADMIN_PASSWORD", "Test-wachtwoord-123")


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run (starting one costs about a second)."""
    drv = make_driver()
    yield drv
    drv.quit()


@pytest.fixture
def driver(browser):
    """The session's Chromium with cookies cleared, so each test starts logged out."""
    clear_browser_state(browser)
    browser.set_window_size(1280, 900)
    yield browser


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failing test, save a screenshot named after it (screenshots/FAILED-<test>.png)."""
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        drv = item.funcargs.get("driver") or item.funcargs.get("browser")
        if drv is not None:
            try:
                path = screenshot(drv, f"FAILED-{item.name}")
                report.sections.append(("screenshot", str(path)))
            except Exception:
                pass
