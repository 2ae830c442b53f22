"""Everyday use (issue 11, first part): the coordinator's "Mijn werk", the inbox's search and export, the
public list of reports, the contact form for the coordinator. Every page is checked with axe, also at phone
width where the page is new."""

from __future__ import annotations

import os
from urllib.parse import urlparse

from selenium.webdriver.common.by import By

from support import axe_check, follow, login, main_text, open_page

COORDINATOR = os.environ.get("WIJKWERK_COORDINATOR_EMAIL", "coordinator@wijkwerk.test")


def path_of(driver) -> str:
    return urlparse(driver.current_url).path


def test_the_coordinator_starts_on_mijn_werk_and_searches_the_inbox(driver, base_url, admin_password):
    login(driver, base_url, COORDINATOR, admin_password)
    assert path_of(driver) == "/werk", driver.current_url
    text = main_text(driver)
    assert "Mijn werk" in driver.title and "Meldingen over de termijn" in text
    axe_check(driver, "mijn-werk")
    follow(driver, driver.find_element(By.PARTIAL_LINK_TEXT, "Meldingen over de termijn"))
    assert path_of(driver) == "/werk/meldingen"
    # The filters fold away so the list is visible; open them to search.
    driver.find_element(By.CSS_SELECTOR, "details.ww-filters > summary").click()
    driver.find_element(By.ID, "zoek").send_keys("lantaarnpaal")
    follow(driver, driver.find_element(By.CSS_SELECTOR, "form.ww-form--filters button[type=submit]"))
    assert "zoek=lantaarnpaal" in driver.current_url
    export = driver.find_element(By.CSS_SELECTOR, 'a[type="text/csv"]')
    assert "export.csv" in export.get_attribute("href") and "zoek=lantaarnpaal" in export.get_attribute("href")
    axe_check(driver, "inbox-zoeken")


def test_residents_see_what_others_reported_and_ask_the_coordinator(driver, base_url):
    open_page(driver, base_url + "/gemeenten/oss/gebieden/ruwaard")
    follow(driver, driver.find_element(By.LINK_TEXT, "Bekijk de meldingen in dit gebied"))
    assert "Meldingen in Ruwaard" in main_text(driver)
    axe_check(driver, "meldingen-ruwaard")
    driver.set_window_size(390, 844)
    axe_check(driver, "meldingen-ruwaard-390")
    assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1"), "no horizontal scrolling at 390 px"
    driver.set_window_size(1280, 900)

    open_page(driver, base_url + "/gemeenten/oss/gebieden/ruwaard")
    follow(driver, driver.find_element(By.LINK_TEXT, "Stel een vraag aan de wijkcoördinator"))
    axe_check(driver, "vraag-wijkcoordinator")
    driver.find_element(By.ID, "vraag").send_keys("Wanneer wordt het Ruwaardpark gemaaid?")
    driver.find_element(By.ID, "email").send_keys("geen-adres")
    follow(driver, driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    summary = driver.find_element(By.CSS_SELECTOR, ".ww-error-summary").text
    assert "Uw e-mailadres:" in summary, summary
    assert driver.find_element(By.ID, "vraag").get_attribute("value") == "Wanneer wordt het Ruwaardpark gemaaid?"
    axe_check(driver, "vraag-fout")
    email = driver.find_element(By.ID, "email")
    email.clear()
    email.send_keys("bewoner@voorbeeld.nl")
    follow(driver, driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    assert "Uw vraag is verstuurd" in main_text(driver)
    axe_check(driver, "vraag-verstuurd")
