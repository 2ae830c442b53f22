"""Buurtbegroting: the coordinator of Ruwaard sets up a round; a resident sends an idea; the coordinator assesses
it, prints voting codes and opens voting; a resident votes with a code from the letters; after voting the resident
sees the result and which of their projects won; the coordinator closes the round and the winner is an
initiative. The phases are moved by changing the round's dates (allowed until the round closes). axe runs on every
page; the pages reflow at phone width."""

from __future__ import annotations

import datetime
import os
import re
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from support import axe_check, clear_browser_state, follow, login, main_text, open_page

COORDINATOR = os.environ.get("WIJKWERK_COORDINATOR_EMAIL", "coordinator@wijkwerk.test")
ROUNDS = "/gemeenten/oss/buurtbegroting"
STATE: dict[str, str] = {}


def set_date(driver, field_id: str, offset: int) -> None:
    day = datetime.date.today() + datetime.timedelta(days=offset)
    driver.execute_script("arguments[0].value = arguments[1];", driver.find_element(By.ID, field_id), day.isoformat())


def set_dates(driver, offsets: list[int]) -> None:
    for field, offset in zip(["ideeen_van", "ideeen_tot", "haalbaarheid_tot", "stemmen_van", "stemmen_tot"], offsets):
        set_date(driver, field, offset)


def submit(driver, label: str) -> None:
    follow(driver, driver.find_element(By.XPATH, f"//button[normalize-space()='{label}']"))


def test_a_round_from_idea_to_initiative(driver, base_url, admin_password):
    title = f"Buurtbegroting Ruwaard {int(time.time())}"
    login(driver, base_url, COORDINATOR, admin_password)
    open_page(driver, base_url + ROUNDS)
    axe_check(driver, "buurtbegroting-lijst")
    follow(driver, driver.find_element(By.LINK_TEXT, "Nieuwe buurtbegroting"))
    Select(driver.find_element(By.ID, "gebied")).select_by_visible_text("Ruwaard")
    driver.find_element(By.ID, "titel").send_keys(title)
    driver.find_element(By.ID, "tekst").send_keys("Bewoners van Ruwaard kiezen samen wat er met het geld gebeurt.")
    budget = Select(driver.find_element(By.ID, "budget"))
    budget.select_by_visible_text(next(o.text for o in budget.options if o.text.startswith("Wijkbudget Ruwaard")))
    driver.find_element(By.ID, "bedrag").send_keys("5000")
    set_dates(driver, [0, 5, 6, 7, 10])
    driver.find_element(By.ID, "stemregel").click()
    driver.find_element(By.ID, "beslisregel").click()
    # Money with cents: the form comes back, with what was typed.
    driver.find_element(By.ID, "bedrag").clear()
    driver.find_element(By.ID, "bedrag").send_keys("5000,50")
    submit(driver, "Maak de buurtbegroting")
    assert "hele euro" in driver.find_element(By.CSS_SELECTOR, ".ww-error-summary").text
    assert driver.find_element(By.ID, "titel").get_attribute("value") == title
    axe_check(driver, "buurtbegroting-nieuw-fout")
    driver.find_element(By.ID, "bedrag").clear()
    driver.find_element(By.ID, "bedrag").send_keys("5000")
    submit(driver, "Maak de buurtbegroting")
    assert "De buurtbegroting is aangemaakt." in driver.page_source
    manage = driver.current_url.split("#")[0]
    STATE["round"] = manage.rsplit("/beheer", 1)[0]
    axe_check(driver, "buurtbegroting-beheer")

    # A resident sends an idea through the round.
    clear_browser_state(driver)
    open_page(driver, STATE["round"])
    axe_check(driver, "buurtbegroting-ideeen")
    follow(driver, driver.find_element(By.LINK_TEXT, "Stuur een idee in"))
    driver.find_element(By.ID, "titel").send_keys("Picknicktafels in het park")
    driver.find_element(By.ID, "tekst").send_keys("Twee picknicktafels bij de speeltuin.")
    Select(driver.find_element(By.ID, "thema")).select_by_index(1)
    driver.find_element(By.ID, "naam").send_keys("Sam")
    driver.find_element(By.ID, "email").send_keys("sam@voorbeeld.nl")
    axe_check(driver, "buurtbegroting-idee")
    submit(driver, "Idee delen")
    assert "doet mee aan de buurtbegroting" in driver.page_source and "Picknicktafels in het park" in main_text(driver)

    # The coordinator assesses it, makes codes, and moves the round to voting.
    login(driver, base_url, COORDINATOR, admin_password)
    open_page(driver, manage)
    follow(driver, driver.find_element(By.PARTIAL_LINK_TEXT, "Beoordeel plan 1"))
    driver.find_element(By.ID, "haalbaar").click()
    driver.find_element(By.ID, "kosten").send_keys("1800")
    submit(driver, "Beoordeling opslaan")
    assert "Uitleg" in driver.find_element(By.CSS_SELECTOR, ".ww-error-summary").text, "a reason is required"
    axe_check(driver, "buurtbegroting-beoordelen-fout")
    driver.find_element(By.ID, "reden").send_keys("Past in het park, de gemeente plaatst ze in het voorjaar.")
    submit(driver, "Beoordeling opslaan")
    assert "is opgeslagen" in driver.page_source
    driver.find_element(By.ID, "aantal").send_keys("3")
    submit(driver, "Maak stemcodes")
    assert "3 stemcodes gemaakt" in driver.page_source
    follow(driver, driver.find_element(By.LINK_TEXT, "Brieven om te printen"))
    axe_check(driver, "buurtbegroting-brieven")
    codes = re.findall(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", main_text(driver))
    assert len(codes) == 3
    open_page(driver, manage)
    set_dates(driver, [-10, -5, -2, -1, 5])
    submit(driver, "Instellingen opslaan")
    assert "De instellingen zijn opgeslagen." in driver.page_source

    # A resident votes: first asks what is left, then votes; the same code a second time is refused.
    clear_browser_state(driver)
    open_page(driver, STATE["round"])
    follow(driver, driver.find_element(By.LINK_TEXT, "Stem nu"))
    axe_check(driver, "buurtbegroting-stemmen")
    driver.find_element(By.ID, "code").send_keys(codes[0].lower())
    driver.find_element(By.XPATH, "//label[contains(., 'Picknicktafels')]").click()
    submit(driver, "Bekijk wat ik nog over heb")
    assert "nog € 3.200,- over" in main_text(driver)
    assert driver.find_element(By.ID, "code").get_attribute("value") == codes[0].lower(), "the code is kept"
    submit(driver, "Stem")
    assert "Bevestig" in driver.find_element(By.CSS_SELECTOR, ".ww-error-summary").text
    axe_check(driver, "buurtbegroting-stemmen-fout")
    driver.find_element(By.XPATH, "//label[contains(., 'Ik woon in Ruwaard')]").click()
    submit(driver, "Stem")
    assert "Uw stem is geteld" in driver.page_source
    follow(driver, driver.find_element(By.LINK_TEXT, "Stem nu"))
    driver.find_element(By.ID, "code").send_keys(codes[0])
    driver.find_element(By.XPATH, "//label[contains(., 'Picknicktafels')]").click()
    driver.find_element(By.XPATH, "//label[contains(., 'Ik woon in Ruwaard')]").click()
    submit(driver, "Stem")
    assert "al gestemd" in driver.find_element(By.CSS_SELECTOR, ".ww-error-summary").text

    # Voting ends; the result with both rules, and the resident's own projects.
    login(driver, base_url, COORDINATOR, admin_password)
    open_page(driver, manage)
    set_dates(driver, [-10, -5, -4, -3, -1])
    submit(driver, "Instellingen opslaan")
    clear_browser_state(driver)
    open_page(driver, STATE["round"])
    assert "1 stemmen geteld" in main_text(driver) and "Gelijke delen" in main_text(driver)
    axe_check(driver, "buurtbegroting-uitslag")
    driver.find_element(By.ID, "code").send_keys(codes[0])
    submit(driver, "Bekijk mijn plannen")
    assert "Picknicktafels in het park: gewonnen" in main_text(driver)

    # The coordinator closes the round: the winner becomes an initiative.
    login(driver, base_url, COORDINATOR, admin_password)
    open_page(driver, manage)
    submit(driver, "Sluit af en maak de winnaars initiatieven")
    assert "De winnende plannen zijn initiatieven geworden" in driver.page_source
    follow(driver, driver.find_element(By.PARTIAL_LINK_TEXT, "Initiatief "))
    assert "Picknicktafels in het park" in main_text(driver)
    axe_check(driver, "buurtbegroting-initiatief")


def test_the_round_pages_reflow_at_phone_width(driver, base_url):
    open_page(driver, base_url + ROUNDS)
    first = driver.find_element(By.CSS_SELECTOR, "main table a").get_attribute("href")
    for width in (390, 320):
        driver.set_window_size(width, 844)
        for url in (base_url + ROUNDS, first, STATE.get("round", first)):
            open_page(driver, url)
            assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth;"), (
                f"{url} scrolls sideways at {width} px (WCAG 1.4.10 reflow)")
    axe_check(driver, "buurtbegroting-320")


def test_a_cheque_round_where_a_resident_gives_a_cheque(driver, base_url, admin_password):
    login(driver, base_url, COORDINATOR, admin_password)
    open_page(driver, base_url + ROUNDS)
    follow(driver, driver.find_element(By.LINK_TEXT, "Nieuwe chequeronde"))
    axe_check(driver, "cheques-nieuw")
    Select(driver.find_element(By.ID, "gebied")).select_by_visible_text("Ruwaard")
    driver.find_element(By.ID, "titel").send_keys(f"Cheques Ruwaard {int(time.time())}")
    driver.find_element(By.ID, "tekst").send_keys("Geef uw cheque aan een initiatief in uw straat.")
    budget = Select(driver.find_element(By.ID, "budget"))
    budget.select_by_visible_text(next(o.text for o in budget.options if o.text.startswith("Wijkbudget Ruwaard")))
    driver.find_element(By.ID, "bedrag").send_keys("100")
    driver.find_element(By.ID, "chequewaarde").send_keys("7,50")
    set_date(driver, "geldig_van", 0)
    set_date(driver, "geldig_tot", 60)
    submit(driver, "Maak de chequeronde")
    assert "De buurtbegroting is aangemaakt." in driver.page_source
    manage = driver.current_url.split("#")[0]
    initiative = Select(driver.find_element(By.ID, "initiatief"))
    assert len(initiative.options) > 1, "the demo has submitted initiatives in Ruwaard"
    initiative.select_by_index(1)
    driver.find_element(By.ID, "doel").send_keys("15")
    set_date(driver, "deadline", 30)
    submit(driver, "Laat dit initiatief cheques verzamelen")
    assert "verzamelt nu cheques" in driver.page_source
    driver.find_element(By.ID, "aantal").send_keys("2")
    submit(driver, "Maak cheques")
    follow(driver, driver.find_element(By.LINK_TEXT, "Brieven om te printen"))
    assert "Uw cheque" in main_text(driver)
    codes = re.findall(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", main_text(driver))
    round_page = manage.rsplit("/beheer", 1)[0]

    clear_browser_state(driver)
    open_page(driver, round_page)
    axe_check(driver, "cheques-ronde")
    driver.find_element(By.ID, "code").send_keys(codes[0])
    driver.find_element(By.ID, "initiatief").click()
    submit(driver, "Geef mijn cheque")
    assert "Uw cheque is gegeven" in driver.page_source and "nog 1 cheques nodig" in main_text(driver)
    driver.find_element(By.ID, "code").send_keys(codes[0])
    driver.find_element(By.ID, "initiatief").click()
    submit(driver, "Geef mijn cheque")
    assert "één keer geven" in driver.find_element(By.CSS_SELECTOR, ".ww-error-summary").text
    axe_check(driver, "cheques-fout")
    driver.find_element(By.ID, "code").clear()
    driver.find_element(By.ID, "code").send_keys(codes[1])
    driver.find_element(By.ID, "initiatief").click()
    submit(driver, "Geef mijn cheque")
    assert "Bedrag gehaald" in main_text(driver)


def test_a_round_for_the_whole_municipality_with_a_pot_per_area(driver, base_url, admin_password):
    """The area manager makes one buurtbegroting for two areas, each pot from its own area's budget; an amount
    above a budget is refused for that area with the form kept; residents see the pots on the series page."""
    login(driver, base_url, os.environ.get("WIJKWERK_AREA_MANAGER_EMAIL", "gebiedsmanager@wijkwerk.test"), admin_password)
    open_page(driver, base_url + ROUNDS)
    follow(driver, driver.find_element(By.LINK_TEXT, "Buurtbegroting voor de hele gemeente"))
    axe_check(driver, "buurtbegroting-reeks-nieuw")
    title = f"Buurtbegroting Oss {int(time.time())}"
    driver.find_element(By.ID, "titel").send_keys(title)
    driver.find_element(By.ID, "tekst").send_keys("Elk gebied kiest zelf wat er met zijn pot gebeurt.")
    set_dates(driver, [0, 5, 6, 7, 10])
    driver.find_element(By.ID, "stemregel").click()
    driver.find_element(By.ID, "beslisregel").click()
    chosen = []
    for select in driver.find_elements(By.CSS_SELECTOR, "select[name^=budget_]"):
        options = [o for o in Select(select).options if o.get_attribute("value")]
        if options and len(chosen) < 2:
            Select(select).select_by_value(options[0].get_attribute("value"))
            chosen.append(select.get_attribute("name").removeprefix("budget_"))
    assert len(chosen) == 2
    driver.find_element(By.ID, f"bedrag_{chosen[0]}").send_keys("2000")
    driver.find_element(By.ID, f"bedrag_{chosen[1]}").send_keys("9000000")
    submit(driver, "Maak de buurtbegrotingen")
    assert "Zo veel geld is er niet" in driver.find_element(By.CSS_SELECTOR, ".ww-error-summary").text
    assert driver.find_element(By.ID, "titel").get_attribute("value") == title
    axe_check(driver, "buurtbegroting-reeks-fout")
    field = driver.find_element(By.ID, f"bedrag_{chosen[1]}")
    field.clear()
    field.send_keys("1500")
    submit(driver, "Maak de buurtbegrotingen")
    assert "2 gebieden met elk een eigen pot" in main_text(driver)
    assert title == driver.find_element(By.TAG_NAME, "h1").text
    axe_check(driver, "buurtbegroting-reeks")
    clear_browser_state(driver)
    open_page(driver, driver.current_url)
    rows = driver.find_elements(By.CSS_SELECTOR, "main table tbody tr")
    assert len(rows) == 2
    follow(driver, rows[0].find_element(By.TAG_NAME, "a"))
    assert "Dit is de pot van één gebied in" in main_text(driver)
    driver.set_window_size(320, 844)
    open_page(driver, driver.find_element(By.LINK_TEXT, title).get_attribute("href"))
    assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth;"), "series page scrolls sideways at 320 px"
