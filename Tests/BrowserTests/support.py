"""Helpers for Wijkwerk's browser tests: a headless Chromium, axe-core checks, screenshots, login.

Everything here works offline: Chromium and chromedriver come from Debian's packages and
axe-core from Tests/BrowserTests/vendor/axe.min.js (fetched by scripts/install-deps).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

BROWSER_TESTS_DIR = Path(__file__).resolve().parent
AXE_JS = BROWSER_TESTS_DIR / "vendor" / "axe.min.js"
SCREENSHOT_DIR = BROWSER_TESTS_DIR / "screenshots"

CHROMIUM = os.environ.get("WIJKWERK_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("WIJKWERK_CHROMEDRIVER", "/usr/bin/chromedriver")

# WCAG 2.1 A + AA rule tags, and the impacts that fail a test.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_FAILING_IMPACTS = ("serious", "critical")

WINDOW_SIZE = (1280, 900)


def make_driver() -> WebDriver:
    """A headless Chromium (Dutch UI language) driven through Debian's chromedriver.

    The driver path is passed explicitly so Selenium Manager never tries to download one.
    """
    # Belt and braces: should Selenium Manager run at all, keep it offline.
    os.environ.setdefault("SE_OFFLINE", "true")
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.access(path, os.X_OK):
            pytest.fail(f"{path} not found: run scripts/install-deps", pytrace=False)

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    options.add_argument("--headless=new")
    options.add_argument("--no-sandbox")
    options.add_argument("--disable-dev-shm-usage")
    options.add_argument("--disable-gpu")
    options.add_argument("--no-first-run")
    options.add_argument("--disable-extensions")
    options.add_argument(f"--window-size={WINDOW_SIZE[0]},{WINDOW_SIZE[1]}")
    options.add_argument("--lang=nl")
    options.add_experimental_option("prefs", {"intl.accept_languages": "nl,nl-NL"})

    service = Service(CHROMEDRIVER)
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(60)
    return driver


def clear_browser_state(driver: WebDriver) -> None:
    """Forget cookies (all domains) and cache, so a test does not see the previous test's login."""
    try:
        driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
        driver.execute_cdp_cmd("Network.clearBrowserCache", {})
    except Exception:  # pragma: no cover - fallback for drivers without CDP
        driver.delete_all_cookies()


# ---------------------------------------------------------------------------- screenshots

def screenshot(driver: WebDriver, name: str) -> Path:
    """Saves a PNG of the current viewport as Tests/BrowserTests/screenshots/<name>.png."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_") or "screenshot"
    path = SCREENSHOT_DIR / f"{safe}.png"
    driver.save_screenshot(str(path))
    return path


# ---------------------------------------------------------------------------- axe-core

_AXE_RUN = """
const done = arguments[arguments.length - 1];
const tags = arguments[0];
axe.run(document, {runOnly: {type: 'tag', values: tags}})
  .then(function (results) {
    done({
      version: axe.version,
      violations: results.violations.map(function (v) {
        return {
          id: v.id,
          impact: v.impact,
          help: v.help,
          helpUrl: v.helpUrl,
          targets: v.nodes.map(function (n) { return n.target.join(' '); })
        };
      })
    });
  })
  .catch(function (e) { done({error: String(e && e.stack || e)}); });
"""


def _inject_axe(driver: WebDriver) -> None:
    if driver.execute_script("return typeof window.axe !== 'undefined';"):
        return
    if not AXE_JS.is_file():
        pytest.fail(f"{AXE_JS} missing: run scripts/install-deps", pytrace=False)
    driver.execute_script(AXE_JS.read_text(encoding="utf-8"))


def run_axe(driver: WebDriver) -> dict:
    """Runs axe-core (WCAG 2.0/2.1 A and AA rules) on the current page; returns its trimmed result."""
    _inject_axe(driver)
    result = driver.execute_async_script(_AXE_RUN, AXE_TAGS)
    if not isinstance(result, dict) or "error" in result:
        pytest.fail(f"axe-core failed to run: {result!r}", pytrace=False)
    return result


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = ", ".join(v["targets"][:3])
        more = f" (+{len(v['targets']) - 3} more)" if len(v["targets"]) > 3 else ""
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']}\n      at {targets}{more}\n      {v['helpUrl']}")
    return "\n".join(lines)


def axe_check(driver: WebDriver, context_name: str) -> dict:
    """Fails the test if axe-core finds a serious or critical WCAG 2.1 A/AA violation on the page.

    context_name names the page/state in the failure message and the screenshot taken on failure.
    Returns the axe result (version + all violations, including minor/moderate ones).
    """
    result = run_axe(driver)
    bad = [v for v in result["violations"] if v.get("impact") in AXE_FAILING_IMPACTS]
    if bad:
        shot = screenshot(driver, f"axe-{context_name}")
        pytest.fail(
            f"axe-core {result.get('version')} found {len(bad)} serious/critical accessibility "
            f"violation(s) on '{context_name}' ({driver.current_url}):\n"
            f"{format_violations(bad)}\n  screenshot: {shot}",
            pytrace=False,
        )
    return result


# ---------------------------------------------------------------------------- keyboard focus

def first_focused_by_tab(driver: WebDriver):
    """Presses Tab once from the top of a freshly loaded page; returns the element that got focus."""
    driver.execute_script(
        "if (document.activeElement && document.activeElement !== document.body)"
        " { document.activeElement.blur(); }"
        "window.scrollTo(0, 0);"
    )
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    return driver.switch_to.active_element


# ---------------------------------------------------------------------------- login

def login(driver: WebDriver, base_url: str, email: str, password: str, timeout: float = 15) -> None:
    """Signs in through the real form: /inloggen, fields #email and #password, the form's submit button.

    Waits until the login page has been replaced by whatever the server answers with.
    It does not check that the login succeeded: assert on the resulting page.
    """
    driver.get(base_url.rstrip("/") + "/inloggen")
    email_field = driver.find_element(By.ID, "email")
    password_field = driver.find_element(By.ID, "password")
    form = password_field.find_element(By.XPATH, "ancestor::form[1]")
    email_field.clear()
    email_field.send_keys(email)
    password_field.clear()
    password_field.send_keys(password)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(driver, timeout).until(replaced(form))
    WebDriverWait(driver, timeout).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )


# ---------------------------------------------------------------------------- page helpers

WAIT = 15


def wait_until_loaded(driver) -> None:
    WebDriverWait(driver, WAIT).until(lambda d: d.execute_script("return document.readyState") == "complete")


def open_page(driver, url: str) -> None:
    driver.get(url)
    wait_until_loaded(driver)


def replaced(element):
    """A wait condition: the element's document has been replaced by a new page.

    Chromium reports a replaced document either as a stale element or, when the old node is asked about
    while the new document loads, as "Node with given id does not belong to the document"; both mean gone.
    """
    def check(_driver) -> bool:
        try:
            element.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            if "does not belong to the document" in str(error):
                return True
            raise
    return check


def follow(driver, element) -> None:
    """Clicks a link or submit button and waits until the next page has replaced this one."""
    old_html = driver.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(driver, WAIT).until(replaced(old_html))
    wait_until_loaded(driver)


def main_text(driver) -> str:
    return driver.find_element(By.CSS_SELECTOR, "main").text
