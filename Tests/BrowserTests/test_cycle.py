"""The area cycle: a coordinator starts a new version of Ruwaard's outdated agenda, adds a spearhead and opens the
consultation; a resident responds; the coordinator submits an analysis and the alderman adopts it for the college;
a department registers a project and the coordinator judges the linking opportunity with a partner's project.
axe runs on every page; the pages reflow at phone width."""

from __future__ import annotations

import datetime
import os
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from support import axe_check, clear_browser_state, follow, login, main_text, open_page

COORDINATOR = os.environ.get("WIJKWERK_COORDINATOR_EMAIL", "coordinator@wijkwerk.test")
ALDERMAN = os.environ.get("WIJKWERK_ALDERMAN_EMAIL", "wethouder@wijkwerk.test")
OFFICER = os.environ.get("WIJKWERK_OFFICER_EMAIL", "openbareruimte@wijkwerk.test")
CYCLE = "/gemeenten/oss/gebieden/ruwaard/gebiedscyclus"


def set_date(driver, field_id: str, day: datetime.date) -> None:
    driver.execute_script("arguments[0].value = arguments[1];", driver.find_element(By.ID, field_id), day.isoformat())


def start(driver, kind: str) -> None:
    follow(driver, driver.find_element(By.CSS_SELECTOR, f"form input[name=soort][value={kind}] ~ button"))


def test_coordinator_adjusts_the_agenda_and_a_resident_responds(driver, base_url, admin_password):
    login(driver, base_url, COORDINATOR, admin_password)
    open_page(driver, base_url + CYCLE)
    assert "Verouderd sinds" in main_text(driver), "the demo's agenda for Ruwaard is past its cadence"
    axe_check(driver, "cyclus-overzicht")
    start(driver, "agenda")
    assert "Concept" in main_text(driver) and "versie 2" in main_text(driver)
    spearhead = f"Veilige fietsroute {int(time.time())}"
    # A spearhead without why: the form comes back with what was typed.
    driver.find_element(By.ID, "sp_titel").send_keys(spearhead)
    follow(driver, driver.find_element(By.XPATH, "//button[normalize-space()='Speerpunt toevoegen']"))
    assert "Vul" in driver.find_element(By.CSS_SELECTOR, ".ww-error-summary").text
    assert driver.find_element(By.ID, "sp_titel").get_attribute("value") == spearhead
    axe_check(driver, "cyclus-speerpunt-fout")
    driver.find_element(By.ID, "sp_waarom").send_keys("Veel meldingen over onveilige oversteken.")
    driver.find_element(By.ID, "sp_succes").send_keys("Een veilige route naar school.")
    driver.find_element(By.ID, "sp_wie").send_keys("Wijkraad, verkeer, scholen")
    follow(driver, driver.find_element(By.XPATH, "//button[normalize-space()='Speerpunt toevoegen']"))
    assert spearhead in main_text(driver) and "Nieuw: " + spearhead in main_text(driver), "what changed since version 1"
    set_date(driver, "einde", datetime.date.today() + datetime.timedelta(days=30))
    follow(driver, driver.find_element(By.XPATH, "//button[normalize-space()='Consultatie openen']"))
    assert "De consultatie is geopend" in driver.page_source
    agenda = driver.current_url.split("#")[0]
    axe_check(driver, "cyclus-consultatie")

    clear_browser_state(driver)
    open_page(driver, agenda)
    Select(driver.find_element(By.ID, "rol")).select_by_visible_text("bewoner")
    driver.find_element(By.ID, "reactie").send_keys("Neem ook de route naar het sportpark mee.")
    follow(driver, driver.find_element(By.XPATH, "//button[normalize-space()='Reactie versturen']"))
    assert "Dank u wel" in driver.page_source and "route naar het sportpark" in main_text(driver)
    axe_check(driver, "cyclus-reactie")
    open_page(driver, base_url + "/gemeenten/oss/gebieden/ruwaard")
    assert "ligt ter consultatie" in main_text(driver), "the area page points to the open consultation"


def test_the_college_adopts_an_analysis(driver, base_url, admin_password):
    login(driver, base_url, COORDINATOR, admin_password)
    open_page(driver, base_url + CYCLE)
    start(driver, "analysis")
    assert "Cijfers uit het gebiedsprofiel" in main_text(driver)
    title = driver.find_element(By.ID, "titel")
    title.clear()
    title.send_keys("Gebiedsanalyse Ruwaard")
    driver.find_element(By.ID, "tekst").send_keys("Jonge gezinnen en meer ouderen; afval is het grootste onderwerp.")
    follow(driver, driver.find_element(By.XPATH, "//button[normalize-space()='Opslaan']"))
    follow(driver, driver.find_element(By.XPATH, "//button[normalize-space()='Aanbieden aan het college']"))
    analysis = driver.current_url.split("#")[0]
    assert "Aangeboden aan het college" in main_text(driver)

    clear_browser_state(driver)
    login(driver, base_url, ALDERMAN, admin_password)
    open_page(driver, analysis)
    axe_check(driver, "cyclus-vaststellen")
    driver.find_element(By.ID, "besluit").send_keys("Collegebesluit 2026/431")
    follow(driver, driver.find_element(By.XPATH, "//button[normalize-space()='Vaststellen']"))
    assert "Vastgesteld door het college op" in main_text(driver) and "Collegebesluit 2026/431" in main_text(driver)
    clear_browser_state(driver)
    open_page(driver, base_url + "/gemeenten/oss/gebiedscyclus")
    axe_check(driver, "cyclus-gemeente")
    open_page(driver, base_url + "/gemeenten/oss")
    assert "Gebiedsagenda's en -plannen in Oss" in main_text(driver) and "Verouderd sinds" in main_text(driver), (
        "the municipality page shows per area what is in force and what is outdated")
    axe_check(driver, "gemeente-met-cyclus")


def test_a_department_registers_a_project_and_the_coordinator_judges_a_linking_opportunity(driver, base_url, admin_password):
    today = datetime.date.today()
    login(driver, base_url, OFFICER, admin_password)
    open_page(driver, base_url + "/werk/projecten")
    axe_check(driver, "projecten")
    title = f"Stoepen vernieuwen {int(time.time())}"
    driver.find_element(By.ID, "titel").send_keys(title)
    driver.find_element(By.CSS_SELECTOR, "input[name='gebieden[]'][value=ruwaard]").click()
    set_date(driver, "van", today + datetime.timedelta(days=30))
    set_date(driver, "tot", today + datetime.timedelta(days=200))
    driver.find_element(By.ID, "contact").send_keys("Team wegen")
    follow(driver, driver.find_element(By.XPATH, "//button[normalize-space()='Project registreren']"))
    assert "Het project is geregistreerd." in driver.page_source and title in main_text(driver)

    clear_browser_state(driver)
    login(driver, base_url, COORDINATOR, admin_password)
    open_page(driver, base_url + "/werk/projecten")
    partner = f"Buurtfeest in de straat {int(time.time())}"
    driver.find_element(By.ID, "titel").send_keys(partner)
    driver.find_element(By.ID, "partner").send_keys("Wijkraad Ruwaard")
    driver.find_element(By.CSS_SELECTOR, "input[name='gebieden[]'][value=ruwaard]").click()
    set_date(driver, "van", today + datetime.timedelta(days=60))
    set_date(driver, "tot", today + datetime.timedelta(days=61))
    driver.find_element(By.ID, "contact").send_keys("Secretaris wijkraad")
    follow(driver, driver.find_element(By.XPATH, "//button[normalize-space()='Project registreren']"))
    open_page(driver, base_url + "/werk/koppelkansen")
    article = driver.find_element(By.XPATH, f"//article[contains(., '{title}') and contains(., '{partner}')]")
    assert "Zelfde plek" in article.text
    axe_check(driver, "koppelkansen")
    Select(article.find_element(By.CSS_SELECTOR, "select")).select_by_visible_text("Gekoppeld")
    follow(driver, article.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "Het oordeel is opgeslagen." in driver.page_source
    article = driver.find_element(By.XPATH, f"//article[contains(., '{title}') and contains(., '{partner}')]")
    assert "Gekoppeld" in article.find_element(By.CSS_SELECTOR, ".ww-status-badge").text


def test_the_cycle_pages_reflow_at_phone_width(driver, base_url):
    for width in (390, 320):
        driver.set_window_size(width, 844)
        for path in (CYCLE, "/gemeenten/oss/gebiedscyclus"):
            open_page(driver, base_url + path)
            assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth;"), (
                f"{path} scrolls sideways at {width} px (WCAG 1.4.10 reflow)")
    axe_check(driver, "cyclus-320")
