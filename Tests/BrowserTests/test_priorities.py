"""Weighted ranking of main priorities (Venray): the coordinator of Ruwaard puts forward the area's main priority
(a verdict without its reason is refused with the form kept); the area manager scores it and adopts the demo
weighing; residents see every weight and score, the outcome per kind of area, and the funded priorities as
initiatives. axe runs on every page; the public pages reflow at phone width."""

from __future__ import annotations

import os

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from support import axe_check, clear_browser_state, follow, login, main_text, open_page, screenshot

COORDINATOR = os.environ.get("WIJKWERK_COORDINATOR_EMAIL", "coordinator@wijkwerk.test")
MANAGER = os.environ.get("WIJKWERK_AREA_MANAGER_EMAIL", "gebiedsmanager@wijkwerk.test")
LIST = "/gemeenten/oss/hoofdprioriteiten"


def submit(driver, label: str) -> None:
    follow(driver, driver.find_element(By.XPATH, f"//button[normalize-space()='{label}']"))


def fill(driver, field: str, text: str) -> None:
    element = driver.find_element(By.ID, field)
    element.clear()
    element.send_keys(text)


def test_a_main_priority_from_the_area_to_an_initiative(driver, base_url, admin_password):
    open_page(driver, base_url + LIST)
    axe_check(driver, "hoofdprioriteiten-lijst")
    follow(driver, driver.find_element(By.CSS_SELECTOR, "main table a"))
    ranking = driver.current_url
    assert "Voorlopig" in main_text(driver) and "Dorpen" in main_text(driver)
    axe_check(driver, "hoofdprioriteiten-rangorde")

    # The coordinator of Ruwaard puts forward Ruwaard's main priority.
    login(driver, base_url, COORDINATOR, admin_password)
    open_page(driver, ranking + "/beheer")
    axe_check(driver, "hoofdprioriteiten-beheer-coordinator")
    follow(driver, driver.find_element(By.PARTIAL_LINK_TEXT, "Hoofdprioriteit van Ruwaard"))
    fill(driver, "titel", "Buurtkamer Ruwaard")
    fill(driver, "samenvatting", "Een plek waar buren elkaar ontmoeten, met koffie en het wijkteam.")
    fill(driver, "kosten", "45000")
    fill(driver, "eigen_bedrag", "9000")
    fill(driver, "eigen_tekst", "Vrijwilligers richten in en houden open.")
    driver.find_element(By.CSS_SELECTOR, "input[name=haalbaar][value=ja]").click()
    fill(driver, "reden", "")
    fill(driver, "contact_naam", "Sam de Vries")
    fill(driver, "contact_email", "sam@voorbeeld.nl")
    submit(driver, "Hoofdprioriteit opslaan")
    assert "Leg uit waarom" in driver.find_element(By.CSS_SELECTOR, ".ww-error-summary").text
    assert driver.find_element(By.ID, "titel").get_attribute("value") == "Buurtkamer Ruwaard"
    axe_check(driver, "hoofdprioriteit-fout")
    fill(driver, "reden", "De ruimte in de flat is beschikbaar; de afdeling heeft het getoetst.")
    submit(driver, "Hoofdprioriteit opslaan")
    assert "is opgeslagen" in main_text(driver)
    assert "Buurtkamer Ruwaard" in main_text(driver)

    # The area manager scores it (the coordinator cannot) and adopts the ranking.
    clear_browser_state(driver)
    login(driver, base_url, MANAGER, admin_password)
    open_page(driver, ranking + "/beheer")
    follow(driver, driver.find_element(By.LINK_TEXT, "Scores geven voor Ruwaard"))
    axe_check(driver, "hoofdprioriteit-scores")
    selects = driver.find_elements(By.CSS_SELECTOR, "main select")
    assert len(selects) == 3
    for select, score in zip(selects, ["5", "4", "4"]):
        Select(select).select_by_value(score)
    fill(driver, "toelichting_1", "Veel eenzaamheid in de flats, geen ontmoetingsplek.")
    submit(driver, "Scores opslaan")
    assert "zijn opgeslagen" in main_text(driver)
    screenshot(driver, "hoofdprioriteiten-beheer")
    axe_check(driver, "hoofdprioriteiten-beheer")
    submit(driver, "Rangorde vaststellen")
    text = main_text(driver)
    assert "Vastgesteld op" in text and "Veel eenzaamheid in de flats" in text
    assert "sam@voorbeeld.nl" not in text
    screenshot(driver, "hoofdprioriteiten-vastgesteld")
    axe_check(driver, "hoofdprioriteiten-vastgesteld")
    row = driver.find_element(By.XPATH, "//table[.//caption[starts-with(., 'Rangorde')]]//tr[.//a[normalize-space()='Buurtkamer Ruwaard']]")
    assert "Krijgt geld" in row.text
    follow(driver, row.find_element(By.XPATH, ".//td/a"))
    assert "Buurtkamer Ruwaard" in main_text(driver) and "Toegekend" in main_text(driver)


def test_the_weighing_pages_reflow_at_phone_width(driver, base_url):
    open_page(driver, base_url + LIST)
    ranking = driver.find_element(By.CSS_SELECTOR, "main table a").get_attribute("href")
    for width in (390, 320):
        driver.set_window_size(width, 844)
        for url in (base_url + LIST, ranking):
            open_page(driver, url)
            assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth;"), (
                f"{url} scrolls sideways at {width} px (WCAG 1.4.10 reflow)")
    screenshot(driver, "hoofdprioriteiten-320")
    axe_check(driver, "hoofdprioriteiten-320")
