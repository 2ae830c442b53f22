"""The area profile: a coordinator reads Ruwaard's profile (real CBS figures over the years, a trend chart, the
signals monitor) and adds a note; a policy officer tries weights for the priority ranking, sees the order change
and sets it; the public sees the ranking and a map by indicator. axe runs on every page; the profile reflows at
phone width."""

from __future__ import annotations

import os
import time
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from support import axe_check, clear_browser_state, follow, login, main_text, open_page

COORDINATOR = os.environ.get("WIJKWERK_COORDINATOR_EMAIL", "coordinator@wijkwerk.test")


def test_coordinator_reads_the_profile_and_adds_a_note(driver, base_url, admin_password):
    open_page(driver, base_url + "/gemeenten/oss/gebieden/ruwaard")
    follow(driver, driver.find_element(By.LINK_TEXT, "Bekijk het gebiedsprofiel"))
    text = main_text(driver)
    assert "Gebiedsprofiel Ruwaard" in text and "Inwoners" in text and "2024" in text and "2022" in text
    assert driver.find_elements(By.CSS_SELECTOR, "svg.ww-chart--line"), "a trend chart where two years have figures"
    axe_check(driver, "profiel-openbaar")
    csv_href = driver.find_element(By.CSS_SELECTOR, 'a[type="text/csv"]').get_attribute("href")
    with urllib.request.urlopen(csv_href) as response:
        assert response.headers["Content-Type"].startswith("text/csv")
        assert "inhabitants" in response.read().decode("utf-8")

    note = f"Meer jonge gezinnen in de nieuwbouw {int(time.time())}"
    login(driver, base_url, COORDINATOR, admin_password)
    open_page(driver, base_url + "/gemeenten/oss/gebieden/ruwaard/profiel")
    follow(driver, driver.find_element(By.CSS_SELECTOR, 'form[action$="/profiel/notities"] button[type=submit]'))
    assert "Kies uw rol" in driver.find_element(By.CSS_SELECTOR, ".ww-error-summary").text
    axe_check(driver, "profiel-notitie-fout")
    Select(driver.find_element(By.ID, "rol")).select_by_visible_text("Wijkcoördinator")
    driver.find_element(By.ID, "tekst").send_keys(note)
    follow(driver, driver.find_element(By.CSS_SELECTOR, 'form[action$="/profiel/notities"] button[type=submit]'))
    assert note in main_text(driver) and "intern" in main_text(driver)
    axe_check(driver, "profiel-notitie")
    clear_browser_state(driver)
    open_page(driver, base_url + "/gemeenten/oss/gebieden/ruwaard/profiel")
    assert note not in main_text(driver), "an internal note is not public"


def test_policy_officer_tries_weights_and_sets_the_ranking(driver, base_url, admin_email, admin_password):
    open_page(driver, base_url + "/gemeenten/oss/rangorde")
    axe_check(driver, "rangorde-leeg")
    driver.find_element(By.ID, "gewicht-lowIncome").send_keys("1")
    follow(driver, driver.find_element(By.CSS_SELECTOR, "form#formulier button[type=submit]"))
    header = driver.find_element(By.CSS_SELECTOR, "table thead").text
    assert "Lage inkomens" in header and "Gemiddelde WOZ-waarde" not in header
    assert driver.find_elements(By.CSS_SELECTOR, "table tbody tr"), "every area has a row"
    axe_check(driver, "rangorde-proef")
    field = driver.find_element(By.ID, "gewicht-lowIncome")
    field.clear()
    driver.find_element(By.ID, "gewicht-wozValue").send_keys("1")
    follow(driver, driver.find_element(By.CSS_SELECTOR, "form#formulier button[type=submit]"))
    header = driver.find_element(By.CSS_SELECTOR, "table thead").text
    assert "Gemiddelde WOZ-waarde" in header and "Lage inkomens" not in header, "the ranking follows the weights"
    assert "proef met uw eigen gewichten" in main_text(driver)

    login(driver, base_url, admin_email, admin_password)
    open_page(driver, base_url + "/gemeenten/oss/rangorde?gewicht-lowIncome=2&gewicht-labourParticipation=1")
    follow(driver, driver.find_element(By.XPATH, "//button[normalize-space()='Deze gewichten vaststellen voor de gemeente']"))
    assert "De rangorde is vastgesteld." in driver.page_source
    clear_browser_state(driver)
    open_page(driver, base_url + "/gemeenten/oss/rangorde")
    assert "de rangorde die de gemeente heeft vastgesteld" in main_text(driver)
    axe_check(driver, "rangorde-vastgesteld")
    open_page(driver, base_url + "/gemeenten/oss/kaart?cijfer=lowIncome")
    assert driver.find_elements(By.CSS_SELECTOR, "svg .ww-map__area--q4")
    axe_check(driver, "kaart-per-cijfer")


def test_the_profile_reflows_at_phone_width(driver, base_url):
    for width in (390, 320):
        driver.set_window_size(width, 844)
        for path in ("/gemeenten/oss/gebieden/ruwaard/profiel", "/gemeenten/oss/rangorde?gewicht-lowIncome=1", "/gemeenten/oss/kaart"):
            open_page(driver, base_url + path)
            assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth;"), (
                f"{path} scrolls sideways at {width} px (WCAG 1.4.10 reflow)")
    axe_check(driver, "profiel-320")
