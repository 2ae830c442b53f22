"""Councils: the coordinator plans a meeting with an agenda item and records a decision that adopts the
council's advice; the public sees the calendar, the meeting and downloads the iCalendar feed; the area's
alderman answers the advice. axe runs on every page."""

from __future__ import annotations

import datetime
import os
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from support import axe_check, clear_browser_state, follow, login, main_text, open_page

COORDINATOR = os.environ.get("WIJKWERK_COORDINATOR_EMAIL", "coordinator@wijkwerk.test")
ALDERMAN = os.environ.get("WIJKWERK_ALDERMAN_EMAIL", "wethouder@wijkwerk.test")


def submit(driver, action_suffix: str) -> None:
    follow(driver, driver.find_element(By.CSS_SELECTOR, f'form[action$="{action_suffix}"] button[type=submit]'))


def test_alderman_asks_coordinator_plans_council_adopts_public_follows_alderman_answers(driver, base_url, admin_password):
    import time
    subject = f"Fietsenstalling bij het station {int(time.time())}"

    # The alderman asks the council of Ruwaard for advice.
    login(driver, base_url, ALDERMAN, admin_password)
    open_page(driver, base_url + "/gemeenten/oss/adviezen")
    follow(driver, driver.find_element(By.LINK_TEXT, "Advies vragen of starten"))
    axe_check(driver, "advies-vragen")
    Select(driver.find_element(By.ID, "raad")).select_by_visible_text("Wijkraad Ruwaard")
    driver.find_element(By.ID, "onderwerp").send_keys(subject)
    driver.find_element(By.ID, "vraag").send_keys("Waar moet de nieuwe stalling komen?")
    future = (datetime.date.today() + datetime.timedelta(days=60)).isoformat()
    driver.execute_script("arguments[0].value = arguments[1]", driver.find_element(By.ID, "gewenst"), future)
    follow(driver, driver.find_element(By.CSS_SELECTOR, "form#formulier button[type=submit]"))
    assert "De vraag is naar de Wijkraad Ruwaard gestuurd." in driver.page_source
    advice_url = driver.current_url

    clear_browser_state(driver)
    login(driver, base_url, COORDINATOR, admin_password)
    open_page(driver, base_url + "/werk/raden")
    assert "Wijkraad Ruwaard" in main_text(driver)
    axe_check(driver, "raden-lijst")
    follow(driver, driver.find_element(By.LINK_TEXT, "Wijkraad Ruwaard"))
    axe_check(driver, "raad-ruwaard")

    # A meeting in the past cannot be planned; one in three weeks can.
    date_field = driver.find_element(By.ID, "datum")
    driver.execute_script("arguments[0].value = '2020-01-09'", date_field)
    driver.find_element(By.ID, "plaats").send_keys("Wijkcentrum De Ruwaard")
    submit(driver, "/vergaderingen")
    assert "Deze datum is al voorbij" in main_text(driver)
    axe_check(driver, "raad-plannen-fout")
    soon = (datetime.date.today() + datetime.timedelta(days=21)).isoformat()
    driver.execute_script("arguments[0].value = arguments[1]", driver.find_element(By.ID, "datum"), soon)
    submit(driver, "/vergaderingen")
    assert "is gepland" in driver.page_source
    axe_check(driver, "vergadering")
    driver.find_element(By.ID, "titel").send_keys("Plannen voor het Ruwaardpark")
    submit(driver, "/agenda")
    assert "Plannen voor het Ruwaardpark" in main_text(driver)
    public_href = driver.find_element(By.LINK_TEXT, "Bekijk de openbare pagina van deze vergadering").get_attribute("href")

    # In a held meeting the council adopts its advice with a numbered decision.
    open_page(driver, base_url + "/werk/raden")
    follow(driver, driver.find_element(By.LINK_TEXT, "Wijkraad Ruwaard"))
    rows = driver.find_elements(By.CSS_SELECTOR, "table tbody tr")
    held = [r for r in rows if "Geweest" in r.text and "Openbaar" in r.text]
    assert held, "the demo has held public meetings"
    follow(driver, held[0].find_element(By.TAG_NAME, "a"))
    driver.find_element(By.CSS_SELECTOR, 'input[name="soort"][value="adviceAdopted"]').click()
    driver.find_element(By.ID, "tekst").send_keys("De raad adviseert de stalling aan de noordkant.")
    Select(driver.find_element(By.ID, "advies")).select_by_visible_text(subject)
    submit(driver, "/besluiten")
    assert "is vastgelegd" in driver.page_source
    assert "-RUW-" in main_text(driver)
    axe_check(driver, "vergadering-besluit")

    # The public: calendar, the new meeting's page and the feed.
    clear_browser_state(driver)
    open_page(driver, base_url + "/gemeenten/oss/vergaderingen")
    axe_check(driver, "vergaderkalender")
    feed = driver.find_element(By.CSS_SELECTOR, 'a[type="text/calendar"]').get_attribute("href")
    with urllib.request.urlopen(feed) as response:
        body = response.read().decode("utf-8")
        assert response.headers["Content-Type"].startswith("text/calendar")
    assert body.startswith("BEGIN:VCALENDAR") and "BEGIN:VEVENT" in body
    open_page(driver, public_href)
    assert "Plannen voor het Ruwaardpark" in main_text(driver)
    axe_check(driver, "vergadering-openbaar")

    # The alderman of Ruwaard answers the council's advice.
    login(driver, base_url, ALDERMAN, admin_password)
    open_page(driver, advice_url)
    assert "noordkant" in main_text(driver)
    driver.find_element(By.ID, "tekst").send_keys("Het college neemt het advies over en organiseert een bewonersavond.")
    follow(driver, driver.find_element(By.CSS_SELECTOR, "form#formulier button[type=submit]"))
    assert "bewonersavond" in main_text(driver)
    axe_check(driver, "advies-beantwoord")


def test_a_resident_applies_staff_check_and_the_college_appoints(driver, base_url, admin_password):
    import time
    name = f"Sanne Test {int(time.time())}"
    email = f"sanne{int(time.time())}@voorbeeld.nl"
    open_page(driver, base_url + "/gemeenten/oss/gebieden/ruwaard")
    follow(driver, driver.find_element(By.LINK_TEXT, "Leden en aanmelden"))
    axe_check(driver, "raad-openbaar")
    follow(driver, driver.find_element(By.LINK_TEXT, "Aanmelden als lid"))
    assert "Kent het gebied sociaal, fysiek en cultureel" in main_text(driver)
    axe_check(driver, "raad-aanmelden")
    driver.find_element(By.ID, "naam").send_keys(name)
    driver.find_element(By.ID, "email").send_keys(email)
    buurten = Select(driver.find_element(By.ID, "buurt"))
    # First a buurt outside Ruwaard: refused with the reason, the form kept.
    buurten.select_by_visible_text("Verzetsheldenbuurt I")  # in Schadewijk
    driver.find_element(By.CSS_SELECTOR, 'input[name="politiek"][value="nee"]').click()
    driver.find_element(By.CSS_SELECTOR, 'input[name="gemeente"][value="nee"]').click()
    driver.find_element(By.ID, "motivatie").send_keys("Ik ken iedereen in de straat.")
    follow(driver, driver.find_element(By.CSS_SELECTOR, "form#formulier button[type=submit]"))
    assert "U woont niet in Ruwaard" in main_text(driver)
    assert driver.find_element(By.ID, "naam").get_attribute("value") == name
    axe_check(driver, "raad-aanmelden-fout")
    Select(driver.find_element(By.ID, "buurt")).select_by_visible_text("Dichtersbuurt")  # in Ruwaard
    follow(driver, driver.find_element(By.CSS_SELECTOR, "form#formulier button[type=submit]"))
    assert "Bedankt voor uw aanmelding" in main_text(driver)

    # The coordinator checks and records the selection group's nomination.
    login(driver, base_url, COORDINATOR, admin_password)
    open_page(driver, base_url + "/werk/raden")
    follow(driver, driver.find_element(By.LINK_TEXT, "Wijkraad Ruwaard"))
    follow(driver, driver.find_element(By.LINK_TEXT, "Leden en kandidaten"))
    axe_check(driver, "raad-leden")
    follow(driver, driver.find_element(By.XPATH, f'//button[normalize-space()="{name} controleren"]'))
    assert f"{name} kan lid worden." in driver.page_source
    follow(driver, driver.find_element(By.XPATH, f'//button[normalize-space()="{name} voordragen"]'))
    assert f"{name} is voorgedragen." in driver.page_source
    members_url = driver.current_url

    # The area's alderman appoints for the college.
    clear_browser_state(driver)
    login(driver, base_url, ALDERMAN, admin_password)
    open_page(driver, members_url)
    follow(driver, driver.find_element(By.XPATH, f'//button[normalize-space()="{name} benoemen"]'))
    assert f"{name} is benoemd en is nu lid." in driver.page_source
    axe_check(driver, "raad-benoemd")
    open_page(driver, base_url + "/gemeenten/oss/gebieden/ruwaard/raad")
    assert name in main_text(driver)


def test_theme_groups_are_accessible(driver, base_url, admin_password):
    open_page(driver, base_url + "/gemeenten/oss/themagroepen")
    axe_check(driver, "themagroepen")
    login(driver, base_url, COORDINATOR, admin_password)
    open_page(driver, base_url + "/gemeenten/oss/themagroepen")
    driver.find_element(By.ID, "onderwerp").send_keys("Groen in de wijk")
    follow(driver, driver.find_element(By.CSS_SELECTOR, "form#formulier button[type=submit]"))
    assert "Vul dit veld in." in main_text(driver) or "Kies minstens" in main_text(driver)
    axe_check(driver, "themagroep-fout")
