"""Logging in through the municipality's own identity provider (issue 11): a real OpenID Connect provider built
on Authlib (oidc_provider.py, started by scripts/test) with the authorization code flow and PKCE. The coordinator
logs in there and lands on "Mijn werk" with the roles Wijkwerk gave her; someone the provider knows but Wijkwerk
does not is told to ask for an invitation; the login page works at phone width."""

from __future__ import annotations

import os
from urllib.parse import urlparse

import pytest
import requests
from selenium.webdriver.common.by import By

from support import axe_check, follow, main_text, open_page

PROVIDER = os.environ.get("WIJKWERK_TEST_OIDC", "")
PROVIDER_PASSWORD = "Provider-wachtwoord-1"
needs_provider = pytest.mark.skipif(not PROVIDER, reason="WIJKWERK_TEST_OIDC comes from scripts/test")


def sign_in_at_provider(driver, email: str) -> None:
    assert urlparse(driver.current_url).netloc == urlparse(PROVIDER).netloc, driver.current_url
    assert "Test identity provider" in driver.title
    driver.find_element(By.ID, "email").send_keys(email)
    driver.find_element(By.ID, "password").send_keys(PROVIDER_PASSWORD)
    follow(driver, driver.find_element(By.CSS_SELECTOR, "button[type=submit]"))


@needs_provider
def test_a_coordinator_logs_in_with_the_municipalitys_account(driver, base_url):
    open_page(driver, base_url + "/inloggen?terug=/werk/meldingen")
    axe_check(driver, "inloggen met knop voor de identiteitsprovider")
    button = driver.find_element(By.PARTIAL_LINK_TEXT, "Inloggen via")
    assert "het testaccount van de gemeente" in button.text
    follow(driver, button)
    sign_in_at_provider(driver, "coordinator@wijkwerk.test")
    assert urlparse(driver.current_url).path == "/werk/meldingen", driver.current_url
    assert "Test areaCoordinator" in driver.page_source, "logged in with the account and role from Wijkwerk"
    # Wijkwerk sent the PKCE verifier with the code (the provider requires it and keeps a log of token requests).
    log = requests.get(PROVIDER + "/log", timeout=5).json()
    assert log and all(entry["code_verifier"] and entry["grant_type"] == "authorization_code" for entry in log)

    # Coming back with the same answer again (a replayed code and state) does not log anyone in.
    replay = [entry for entry in log if entry.get("redirect_uri")][-1]["redirect_uri"]
    driver.delete_all_cookies()
    open_page(driver, replay + "?code=replayed&state=replayed")
    assert "Deze inlogpoging is verlopen of al gebruikt" in main_text(driver)


@needs_provider
def test_someone_without_a_wijkwerk_account_is_told_what_to_do(driver, base_url):
    driver.set_window_size(390, 800)
    try:
        open_page(driver, base_url + "/inloggen")
        assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1"), "no horizontal scrolling at 390 px"
        follow(driver, driver.find_element(By.PARTIAL_LINK_TEXT, "Inloggen via"))
        sign_in_at_provider(driver, "onbekend@wijkwerk.test")
        assert urlparse(driver.current_url).path == "/inloggen/oidc/terug"
        text = main_text(driver)
        assert "geen Wijkwerk-account voor onbekend@wijkwerk.test" in text, text[:400]
        assert driver.find_element(By.ID, "password"), "the password form stays the other way in"
        axe_check(driver, "inloggen via de identiteitsprovider zonder account")
    finally:
        driver.set_window_size(1280, 900)
