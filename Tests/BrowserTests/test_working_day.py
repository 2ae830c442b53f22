"""The officer's working day (issue 11): an administrator adds a standard answer; the officer searches the inbox,
saves the filter, assigns reports to herself in one go, looks at them on the map, and answers one with the
standard answer after editing it. Every page checked with axe; the inbox also at phone width."""

from __future__ import annotations

import os
from urllib.parse import urlparse

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from support import axe_check, follow, login, main_text, open_page

OFFICER = os.environ.get("WIJKWERK_OFFICER_EMAIL", "openbareruimte@wijkwerk.test")


def test_an_officer_works_through_the_inbox(driver, base_url, admin_email, admin_password):
    # The administrator writes a standard answer for "in behandeling", for every subject.
    login(driver, base_url, admin_email, admin_password)
    open_page(driver, base_url + "/beheer/gemeenten/oss/meldingen/standaardantwoorden")
    axe_check(driver, "standaardantwoorden")
    driver.find_element(By.ID, "titel").send_keys("We gaan ermee aan de slag")
    Select(driver.find_element(By.ID, "status")).select_by_value("in_behandeling")
    driver.find_element(By.ID, "tekst").send_keys("Bedankt voor uw melding. Een medewerker gaat ermee aan de slag.")
    follow(driver, driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    assert "We gaan ermee aan de slag" in main_text(driver)
    driver.delete_all_cookies()

    login(driver, base_url, OFFICER, admin_password)
    open_page(driver, base_url + "/werk/meldingen")
    filters = driver.find_element(By.CSS_SELECTOR, "details.ww-filters")
    assert filters.get_attribute("open") is None, "the filters are folded away, the list comes first"
    driver.find_element(By.CSS_SELECTOR, "details.ww-filters > summary").click()
    driver.find_element(By.ID, "zoek").send_keys("lamp")
    follow(driver, driver.find_element(By.CSS_SELECTOR, "form.ww-form--filters button[type=submit]"))
    assert "zoek=lamp" in driver.current_url
    driver.find_element(By.CSS_SELECTOR, "details.ww-filters > summary").click()
    driver.find_element(By.ID, "filternaam").send_keys("Lampen")
    follow(driver, driver.find_element(By.XPATH, "//button[contains(., 'Bewaar dit filter')]"))
    assert "Filter Lampen is bewaard." in main_text(driver)
    assert driver.find_element(By.LINK_TEXT, "Lampen").get_attribute("aria-current") == "true"
    axe_check(driver, "inbox-bewaard-filter")

    boxes = driver.find_elements(By.CSS_SELECTOR, "input.ww-bulk-check")
    assert len(boxes) >= 2, "the demo has lamp reports for the officer's department"
    codes = [b.get_attribute("value") for b in boxes[:2]]
    for b in boxes[:2]:
        b.click()
    Select(driver.find_element(By.ID, "actie")).select_by_value("toewijzen:mij")
    follow(driver, driver.find_element(By.XPATH, "//button[contains(., 'Pas de gekozen meldingen aan')]"))
    assert "2 meldingen aangepast." in main_text(driver), main_text(driver)[:500]
    assert "zoek=lamp" in driver.current_url, "back on the same filtered list"

    follow(driver, driver.find_element(By.LINK_TEXT, "Bekijk deze meldingen op de kaart"))
    WebDriverWait(driver, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".ww-map-canvas .leaflet-interactive"))
    axe_check(driver, "inbox-kaart")
    follow(driver, driver.find_element(By.PARTIAL_LINK_TEXT, "Terug naar de lijst"))

    open_page(driver, base_url + "/werk/meldingen/" + codes[0])
    driver.find_element(By.CSS_SELECTOR, "details.ww-standard-answers > summary").click()
    follow(driver, driver.find_element(By.LINK_TEXT, "We gaan ermee aan de slag"))
    text = driver.find_element(By.ID, "publieke_tekst")
    assert text.get_attribute("value").startswith("Bedankt voor uw melding.")
    assert Select(driver.find_element(By.ID, "status")).first_selected_option.get_attribute("value") == "in_behandeling"
    text.send_keys(" We komen deze week langs.")
    axe_check(driver, "melding-standaardantwoord")
    follow(driver, driver.find_element(By.XPATH, "//form[.//textarea[@id='publieke_tekst']]//button[@type='submit']"))
    assert "We komen deze week langs." in main_text(driver)

    driver.set_window_size(390, 844)
    open_page(driver, base_url + "/werk/meldingen")
    assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1"), "no horizontal scrolling at 390 px"
    axe_check(driver, "inbox-390")
    export = driver.find_element(By.CSS_SELECTOR, 'a[type="text/csv"]')
    assert urlparse(export.get_attribute("href")).path.endswith("export.csv")
