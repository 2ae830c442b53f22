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


def test_coordinator_plans_public_follows_alderman_answers(driver, base_url, admin_password):
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
    future = (datetime.date.today() + datetime.timedelta(days=21)).isoformat()
    driver.execute_script("arguments[0].value = arguments[1]", driver.find_element(By.ID, "datum"), future)
    submit(driver, "/vergaderingen")
    assert "is gepland" in driver.page_source
    axe_check(driver, "vergadering")
    driver.find_element(By.ID, "titel").send_keys("Plannen voor het Ruwaardpark")
    submit(driver, "/agenda")
    assert "Plannen voor het Ruwaardpark" in main_text(driver)
    public_href = driver.find_element(By.LINK_TEXT, "Bekijk de openbare pagina van deze vergadering").get_attribute("href")

    # A held meeting: the council adopts its advice with a numbered decision.
    open_page(driver, base_url + "/werk/raden")
    follow(driver, driver.find_element(By.LINK_TEXT, "Wijkraad Ruwaard"))
    rows = driver.find_elements(By.CSS_SELECTOR, "table tbody tr")
    held = [r for r in rows if "Geweest" in r.text and "Openbaar" in r.text]
    assert held, "the demo has held public meetings"
    follow(driver, held[0].find_element(By.TAG_NAME, "a"))
    driver.find_element(By.CSS_SELECTOR, 'input[name="soort"][value="adviceAdopted"]').click()
    driver.find_element(By.ID, "tekst").send_keys("De raad adviseert eerst met de bewoners te praten.")
    options = Select(driver.find_element(By.ID, "advies")).options
    assert len(options) > 1, "the demo council has advice without a decision"
    Select(driver.find_element(By.ID, "advies")).select_by_index(1)
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
    open_page(driver, base_url + "/gemeenten/oss/adviezen")
    axe_check(driver, "adviesregister")
    links = [a for a in driver.find_elements(By.CSS_SELECTOR, ".ww-card__title a") if a.get_attribute("href")]
    answered = False
    for href in [a.get_attribute("href") for a in links]:
        open_page(driver, href)
        if driver.find_elements(By.ID, "tekst") and "Wijkraad Ruwaard" in main_text(driver):
            driver.find_element(By.ID, "tekst").send_keys("Het college neemt het advies over en organiseert een bewonersavond.")
            follow(driver, driver.find_element(By.CSS_SELECTOR, "form#formulier button[type=submit]"))
            assert "bewonersavond" in main_text(driver)
            axe_check(driver, "advies-beantwoord")
            answered = True
            break
    assert answered, "the alderman of Ruwaard could answer an advice of the Ruwaard council"
