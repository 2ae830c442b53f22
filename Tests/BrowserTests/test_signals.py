"""Signals: a resident reports a broken street light with the map and follows the code; a department
officer handles and closes it with a text for the reporter; the resident answers the satisfaction
question; an escalation reaches the area's alderman. axe runs on every page."""

from __future__ import annotations

import os
import re

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from support import axe_check, clear_browser_state, follow, login, main_text, open_page

OFFICER = os.environ.get("WIJKWERK_OFFICER_EMAIL", "openbareruimte@wijkwerk.test")
ALDERMAN = os.environ.get("WIJKWERK_ALDERMAN_EMAIL", "wethouder@wijkwerk.test")


def submit(driver, form_action_part: str = "") -> None:
    selector = f'form[action$="{form_action_part}"] button[type=submit]' if form_action_part else "form#formulier button[type=submit]"
    follow(driver, driver.find_element(By.CSS_SELECTOR, selector))


def report_street_light(driver, base_url) -> str:
    """Reports from the area page of Ruwaard, picking the place on the map; returns the tracking code."""
    open_page(driver, base_url + "/gemeenten/oss/gebieden/ruwaard")
    follow(driver, driver.find_element(By.LINK_TEXT, "Melding doen"))
    axe_check(driver, "melden-onderwerp")
    # Continue without choosing: a clear message, then choose.
    submit(driver)
    assert "Kies waar uw melding over gaat" in main_text(driver)
    Select(driver.find_element(By.ID, "categorie")).select_by_visible_text("Straat en openbare ruimte: Straatverlichting")
    submit(driver)
    assert "U meldt: Straat en openbare ruimte: Straatverlichting" in main_text(driver)
    axe_check(driver, "melden-formulier")

    driver.find_element(By.ID, "omschrijving").send_keys("De lantaarnpaal bij het speeltuintje brandt niet.")
    # Click the middle of the background map: the point is filled in without a reload, the text stays.
    # (The server-drawn map that works without JavaScript is tested in test_report_place.py.)
    from selenium.webdriver.support.ui import WebDriverWait
    WebDriverWait(driver, 15).until(lambda d: d.execute_script(
        "return document.querySelector('.ww-map-canvas.leaflet-container') !== null"))
    canvas = driver.find_element(By.CSS_SELECTOR, ".ww-map-canvas")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", canvas)
    ActionChains(driver).move_to_element(canvas).click().perform()
    WebDriverWait(driver, 10).until(lambda d: d.find_element(By.ID, "lat").get_attribute("value"))
    assert "Gekozen plek" in driver.find_element(By.CSS_SELECTOR, ".ww-map-message").text
    assert driver.find_element(By.ID, "omschrijving").get_attribute("value").startswith("De lantaarnpaal")
    axe_check(driver, "melden-punt-gekozen")

    # Send without answering the required question: an error summary, everything kept.
    follow(driver, driver.find_element(By.CSS_SELECTOR, 'button[name="verstuur"]'))
    assert "Hoeveel lampen doen het niet?" in main_text(driver)
    assert driver.find_element(By.ID, "omschrijving").get_attribute("value").startswith("De lantaarnpaal")
    axe_check(driver, "melden-fout")
    radio = driver.find_element(By.CSS_SELECTOR, 'input[name="vraag_hoeveel"][value="Eén"]')
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", radio)
    radio.click()
    follow(driver, driver.find_element(By.CSS_SELECTOR, 'button[name="verstuur"]'))
    if "Is dit al gemeld?" in main_text(driver) and "Klik dan nog een keer op versturen" in main_text(driver):
        # Open reports of the same subject nearby (the demo's or an earlier test's): shown once before sending,
        # with everything typed kept; this is another lamp, so send again.
        assert driver.find_element(By.ID, "omschrijving").get_attribute("value").startswith("De lantaarnpaal")
        axe_check(driver, "melden-al-gemeld")
        follow(driver, driver.find_element(By.CSS_SELECTOR, 'button[name="verstuur"]'))

    text = main_text(driver)
    match = re.search(r"SIG-[0-9A-Z]{4}-[0-9A-Z]{4}", text)
    assert match, text[:500]
    assert "Bedankt voor uw melding" in driver.page_source
    assert "Ruwaard" in text
    axe_check(driver, "melding-volgen")
    assert "sleutel" not in driver.current_url, "the key never stays in the address bar"
    own_link = driver.find_element(By.ID, "eigen-link").get_attribute("href")
    assert "/sleutel/" in own_link, "the reporter's own link, to keep"
    return match.group(0), own_link


def test_a_resident_reports_and_staff_close_it_with_feedback(driver, base_url, admin_password):
    code, own_link = report_street_light(driver, base_url)

    # Following the code through the lookup form.
    clear_browser_state(driver)
    open_page(driver, base_url + "/melding")
    axe_check(driver, "melding-zoeken")
    driver.find_element(By.ID, "code").send_keys(code.lower().replace("-", " "))
    submit(driver)
    assert code in main_text(driver) and "Gemeld" in main_text(driver)

    # The department officer finds it in the inbox and handles it.
    login(driver, base_url, OFFICER, admin_password)
    open_page(driver, base_url + "/werk/meldingen?sorteer=nieuw")
    axe_check(driver, "meldingen-inbox")
    open_page(driver, base_url + "/werk/meldingen/overzicht")
    assert "Per onderwerp" in main_text(driver)
    axe_check(driver, "meldingen-overzicht")
    open_page(driver, base_url + "/werk/meldingen?sorteer=nieuw")
    follow(driver, driver.find_element(By.LINK_TEXT, code))
    axe_check(driver, "melding-medewerker")
    Select(driver.find_element(By.ID, "status")).select_by_visible_text("In behandeling")
    submit(driver, "/status")
    assert "De status is nu: In behandeling." in driver.page_source
    # Closing without a text for the reporter is refused; with one it works.
    Select(driver.find_element(By.ID, "status")).select_by_visible_text("Afgehandeld")
    submit(driver, "/status")
    assert "Schrijf een tekst voor de melder" in main_text(driver)
    axe_check(driver, "melding-afhandelen-fout")
    Select(driver.find_element(By.ID, "status")).select_by_visible_text("Afgehandeld")
    driver.find_element(By.ID, "publieke_tekst").send_keys("De lamp is vervangen. Bedankt voor uw melding!")
    submit(driver, "/status")
    assert "De status is nu: Afgehandeld." in driver.page_source

    # The resident, on their own link, sees the answer and says they are not satisfied: the signal asks to be reopened.
    clear_browser_state(driver)
    open_page(driver, base_url + f"/melding/{code}")
    assert "Bent u tevreden?" not in main_text(driver), "the public page has no forms"
    open_page(driver, own_link)
    text = main_text(driver)
    assert "De lamp is vervangen." in text and "Bent u tevreden?" in text
    axe_check(driver, "melding-tevredenheid")
    driver.find_element(By.CSS_SELECTOR, 'input[name="tevreden"][value="nee"]').click()
    driver.find_element(By.ID, "toelichting").send_keys("Hij brandt nog steeds niet.")
    submit(driver)
    assert "Wij bekijken uw melding opnieuw" in driver.page_source
    assert "Verzoek tot heropenen" in main_text(driver)


def test_an_escalation_reaches_the_alderman(driver, base_url, admin_email, admin_password):
    code, _ = report_street_light(driver, base_url)
    login(driver, base_url, admin_email, admin_password)
    open_page(driver, base_url + f"/werk/meldingen/{code}")
    driver.find_element(By.ID, "reden").send_keys("Dit is al de derde melding over deze lamp.")
    submit(driver, "/escaleren")
    assert "De melding is geëscaleerd." in driver.page_source

    clear_browser_state(driver)
    login(driver, base_url, ALDERMAN, admin_password)
    open_page(driver, base_url + "/werk/meldingen")
    text = main_text(driver)
    assert "Escalaties voor u" in text and code in text and "derde melding" in text
    axe_check(driver, "wethouder-escalaties")


def test_admin_sets_routing_ladder_and_open311_keys(driver, base_url, admin_email, admin_password):
    login(driver, base_url, admin_email, admin_password)
    open_page(driver, base_url + "/beheer/gemeenten/oss/meldingen")
    axe_check(driver, "beheer-meldingen")
    # A time window with only a start: the page comes back with the error, axe-clean.
    driver.find_element(By.ID, "from").send_keys("1700")
    Select(driver.find_element(By.ID, "department")).select_by_visible_text("Openbare ruimte")
    submit(driver, "/regels")
    assert "Vul zowel" in main_text(driver)
    axe_check(driver, "beheer-meldingen-fout")
    # A key for an app: shown once.
    field = driver.find_element(By.ID, "name")
    field.send_keys("Testapp")
    submit(driver, "/open311")
    assert re.search(r"ww311_[A-Za-z0-9]+", main_text(driver))
    axe_check(driver, "beheer-meldingen-sleutel")
