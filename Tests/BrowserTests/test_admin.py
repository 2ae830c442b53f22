"""Staff pages: log in, add an area coordinator, change the division into areas, the audit log,
and what the forms do with bad input.

Every page the tests visit is checked with axe-core (support.axe_check). Each test logs in itself
and uses fresh names, and a changed division is put back afterwards (the `restore_mapping`
fixture), so the tests do not depend on their order or on what earlier runs left behind.
"""

from __future__ import annotations

import time
import uuid
from urllib.parse import parse_qs, urlparse

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from support import WAIT, follow, main_text, open_page, axe_check, clear_browser_state, login

MAPPING_PATH = "/beheer/gemeenten/oss/indeling"
NEW_USER_PASSWORD = "Nieuw-wachtwoord-2026"


# ---------------------------------------------------------------------------- helpers

def unique(prefix: str) -> str:
    """A value no earlier run used, e.g. 'coord-1732368000-1a2b3c'."""
    return f"{prefix}-{int(time.time())}-{uuid.uuid4().hex[:6]}"








def path_of(driver) -> str:
    return urlparse(driver.current_url).path


def http_status(driver) -> int:
    """The HTTP status of the current document (Navigation Timing; Chromium 109+)."""
    return driver.execute_script("return performance.getEntriesByType('navigation')[0].responseStatus;")


def status_message(driver) -> str:
    el = WebDriverWait(driver, WAIT).until(EC.visibility_of_element_located((By.CSS_SELECTOR, '[role="status"]')))
    return el.text.strip()




def submit_button(form):
    return form.find_element(By.CSS_SELECTOR, "button[type=submit]")


def log_in(driver, base_url, email, password) -> None:
    """Checks the login page with axe, signs in through it (support.login), lands on "Mijn werk", then opens /beheer."""
    open_page(driver, base_url + "/inloggen")
    axe_check(driver, "inloggen")
    login(driver, base_url, email, password)
    assert path_of(driver) == "/werk", f"login as {email} did not land on /werk but {driver.current_url}"
    assert "Mijn werk" in driver.title
    axe_check(driver, "mijn-werk")
    open_page(driver, base_url + "/beheer")
    axe_check(driver, "beheer")


def open_admin_link(driver, base_url, href: str, name: str) -> None:
    """From /beheer, follows the link to `href` (the admin home is the menu)."""
    if path_of(driver) != "/beheer":
        open_page(driver, base_url + "/beheer")
        axe_check(driver, "beheer")
    follow(driver, driver.find_element(By.CSS_SELECTOR, f'main a[href="{href}"]'))
    assert path_of(driver) == href, driver.current_url
    axe_check(driver, name)


def open_new_user_form(driver, base_url) -> None:
    open_admin_link(driver, base_url, "/beheer/gebruikers", "beheer-gebruikers")
    follow(driver, driver.find_element(By.LINK_TEXT, "Nieuwe gebruiker toevoegen"))
    assert path_of(driver) == "/beheer/gebruikers/nieuw"
    axe_check(driver, "beheer-gebruiker-nieuw")


def checkbox_for_label(driver, text: str):
    label = driver.find_element(By.XPATH, f'//label[normalize-space()="{text}"]')
    return driver.find_element(By.ID, label.get_attribute("for"))


def fill_new_user_form(driver, *, name, email, role="areaCoordinator", municipality="Oss",
                       areas=("Oss – Ruwaard",), password=NEW_USER_PASSWORD) -> None:
    driver.find_element(By.ID, "name").clear()
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.ID, "email").clear()
    driver.find_element(By.ID, "email").send_keys(email)
    Select(driver.find_element(By.ID, "role")).select_by_value(role)
    Select(driver.find_element(By.ID, "municipality")).select_by_visible_text(municipality)
    for area in areas:
        box = checkbox_for_label(driver, area)
        if not box.is_selected():
            box.click()
    driver.find_element(By.ID, "password").clear()
    driver.find_element(By.ID, "password").send_keys(password)


def create_user(driver, base_url, *, name, email, areas=("Oss – Ruwaard",)) -> None:
    """Adds an area coordinator of Oss through the form; asserts the success message and the list."""
    open_new_user_form(driver, base_url)
    fill_new_user_form(driver, name=name, email=email, areas=areas)
    follow(driver, submit_button(driver.find_element(By.CSS_SELECTOR, "main form")))
    assert path_of(driver) == "/beheer/gebruikers", (
        f"adding {email} did not go back to the list but to {driver.current_url}: {main_text(driver)[:400]}"
    )
    axe_check(driver, "beheer-gebruikers-na-toevoegen")
    assert name in status_message(driver)
    row = user_row(driver, email)
    assert row is not None, f"{email} is not in the user list"
    assert name in row.text and "Wijkcoördinator" in row.text and "Oss" in row.text, row.text


def user_row(driver, email):
    for row in driver.find_elements(By.CSS_SELECTOR, "main table tbody tr"):
        if email in row.text:
            return row
    return None


def contact_names(driver, role_label: str) -> str:
    """The text of the <dd> after <dt>role_label</dt> on a public area page."""
    dd = driver.find_element(By.XPATH, f'//main//dl/dt[normalize-space()="{role_label}"]/following-sibling::dd[1]')
    return dd.text.strip()


def open_public_area(driver, base_url, slug: str) -> None:
    open_page(driver, f"{base_url}/gemeenten/oss/gebieden/{slug}")
    axe_check(driver, f"gebied-{slug}")


def public_buurten(driver) -> list[str]:
    """The 'Buurten in dit gebied' list of a public area page, e.g. ['Staatsliedenbuurt (BU08280600)', ...]."""
    items = driver.find_elements(
        By.XPATH, '//main//h2[normalize-space()="Buurten in dit gebied"]/following-sibling::ul[1]/li'
    )
    assert items, "no list of buurten on " + driver.current_url
    return [li.text.strip() for li in items]


# -- the division into areas (/beheer/gemeenten/oss/indeling)

def mapping_values(driver) -> dict[str, str]:
    """{select id: chosen area name ('Kies een gebied' when none)} for every buurt on the page."""
    # One script instead of hundreds of WebDriver calls (Oss has 106 buurten).
    return driver.execute_script(
        "var out = {};"
        "document.querySelectorAll('main form select[name^=\"area[\"]').forEach(function (s) {"
        "  var o = s.options[s.selectedIndex]; out[s.id] = o ? o.text.trim() : null; });"
        "return out;"
    )


def buurt_label(driver, select_id: str) -> str:
    """The row header of a buurt's select, e.g. 'Staatsliedenbuurt (BU08280600)'."""
    return driver.find_element(By.ID, f"{select_id}-naam").text.strip()


def buurten_of(values: dict[str, str], area: str) -> list[str]:
    return [sid for sid, chosen in values.items() if chosen == area]


def save_mapping(driver) -> None:
    form = driver.find_element(By.CSS_SELECTOR, f'main form[action="{MAPPING_PATH}"]')
    button = submit_button(form)
    assert button.text.strip() == "Indeling opslaan"
    follow(driver, button)


@pytest.fixture
def restore_mapping(driver, base_url, admin_email, admin_password):
    """Remembers the Oss division before the test and puts back any buurt the test moved."""
    log_in(driver, base_url, admin_email, admin_password)
    open_admin_link(driver, base_url, MAPPING_PATH, "beheer-indeling-oss")
    original = mapping_values(driver)
    yield original
    clear_browser_state(driver)
    log_in(driver, base_url, admin_email, admin_password)
    open_page(driver, base_url + MAPPING_PATH)
    now = mapping_values(driver)
    changed = [sid for sid, area in original.items() if now.get(sid) != area]
    for sid in changed:
        Select(driver.find_element(By.ID, sid)).select_by_visible_text(original[sid])
    if changed:
        save_mapping(driver)
        assert path_of(driver) == MAPPING_PATH and not driver.find_elements(By.CSS_SELECTOR, ".ww-error-summary"), (
            "could not restore the division: " + main_text(driver)[:400]
        )
        assert mapping_values(driver) == original


# -- the audit log

def filter_audit_log(driver, kind_label: str) -> None:
    Select(driver.find_element(By.ID, "soort")).select_by_visible_text(kind_label)
    follow(driver, submit_button(driver.find_element(By.CSS_SELECTOR, 'main form[action="/beheer/logboek"]')))


def audit_rows(driver) -> list[dict]:
    """The rows of the audit table: action, subject, who, and the changes shown in <details>
    as {field: (before, after)}. Read in one script call, so a row cannot go stale halfway."""
    raw = driver.execute_script("""
        return Array.from(document.querySelectorAll('main table tbody tr')).map(function (tr) {
          var cells = Array.from(tr.children).map(function (c) { return c.textContent.trim(); });
          var changes = Array.from(tr.querySelectorAll('details dt')).map(function (dt) {
            return [dt.textContent.trim(), dt.nextElementSibling ? dt.nextElementSibling.textContent.trim() : ''];
          });
          return {cells: cells, changes: changes, text: tr.textContent};
        });
    """)
    rows = []
    for row in raw:
        changes = {}
        for field, value in row["changes"]:
            before, _, after = value.partition(" → ")
            changes[field] = (before, after)
        rows.append({"who": row["cells"][1], "action": row["cells"][2], "subject": row["cells"][3],
                     "changes": changes, "text": row["text"]})
    return rows


# ---------------------------------------------------------------------------- tests

def test_admin_adds_coordinator_changes_division_and_sees_audit_log(
    driver, base_url, admin_email, admin_password, restore_mapping
):
    original = restore_mapping  # the fixture logged in and opened the division page

    # 1. A new area coordinator for Oss - Ruwaard.
    stamp = unique("coord")
    name = f"Coördinator {stamp}"
    email = f"{stamp}@wijkwerk.test"
    create_user(driver, base_url, name=name, email=email, areas=("Oss – Ruwaard",))

    # 2. The public Ruwaard page names the coordinator.
    open_public_area(driver, base_url, "ruwaard")
    assert name in contact_names(driver, "Wijkcoördinator")
    ruwaard_before = public_buurten(driver)

    # 3. Move the first buurt of Ruwaard to Schadewijk.
    open_page(driver, base_url + "/beheer")
    open_admin_link(driver, base_url, MAPPING_PATH, "beheer-indeling-oss")
    ruwaard_selects = buurten_of(mapping_values(driver), "Ruwaard")
    assert ruwaard_selects, "no buurt of Oss is in Ruwaard"
    moved = ruwaard_selects[0]
    moved_label = buurt_label(driver, moved)
    moved_code = moved.removeprefix("buurt-")
    assert moved_label in ruwaard_before
    Select(driver.find_element(By.ID, moved)).select_by_visible_text("Schadewijk")
    save_mapping(driver)
    assert path_of(driver) == MAPPING_PATH, driver.current_url
    axe_check(driver, "beheer-indeling-opgeslagen")
    assert "opgeslagen" in status_message(driver)
    after_save = mapping_values(driver)
    assert after_save[moved] == "Schadewijk"
    assert {k: v for k, v in after_save.items() if k != moved} == {k: v for k, v in original.items() if k != moved}

    # 4. The public pages follow: Schadewijk lists the buurt, Ruwaard no longer does.
    open_public_area(driver, base_url, "schadewijk")
    assert moved_label in public_buurten(driver)
    open_public_area(driver, base_url, "ruwaard")
    assert moved_label not in public_buurten(driver)

    # 5. The audit log: kind "Indeling" shows the move, kind "Gebruiker" the new user.
    open_page(driver, base_url + "/beheer")
    open_admin_link(driver, base_url, "/beheer/logboek", "beheer-logboek")
    filter_audit_log(driver, "Indeling")
    assert parse_qs(urlparse(driver.current_url).query).get("soort") == ["mapping"], driver.current_url
    axe_check(driver, "beheer-logboek-indeling")
    rows = audit_rows(driver)
    assert rows, "the audit log shows no mapping changes"
    assert all(r["subject"].startswith("Indeling:") for r in rows), [r["subject"] for r in rows]
    newest = rows[0]
    assert newest["action"] == "Indeling in gebieden gewijzigd", newest
    assert newest["changes"] == {moved_code: ("Ruwaard", "Schadewijk")}, newest
    assert admin_email in newest["who"], newest

    filter_audit_log(driver, "Gebruiker")
    assert parse_qs(urlparse(driver.current_url).query).get("soort") == ["user"], driver.current_url
    axe_check(driver, "beheer-logboek-gebruiker")
    rows = audit_rows(driver)
    assert all(r["subject"].startswith("Gebruiker:") for r in rows), [r["subject"] for r in rows]
    created = [r for r in rows if r["action"] == "Gebruiker toegevoegd" and email in r["subject"]]
    assert len(created) == 1, f"no single 'Gebruiker toegevoegd' row for {email}: {rows[:5]}"
    changes = created[0]["changes"]
    assert changes["E-mailadres"] == ("–", email) and changes["Naam"] == ("–", name), changes
    assert changes["Rol"] == ("–", "Wijkcoördinator"), changes
    assert changes["Gebieden"] == ("–", "Ruwaard"), "area ids are shown as names"
    assert admin_email in created[0]["who"]
    assert "password" not in created[0]["text"].lower() and "$2" not in created[0]["text"], "the audit log shows password data"


def test_new_user_form_with_bad_input_shows_errors_and_keeps_values(driver, base_url, admin_email, admin_password):
    log_in(driver, base_url, admin_email, admin_password)
    open_new_user_form(driver, base_url)
    bad_email = unique("geen-e-mailadres")  # no @
    fill_new_user_form(driver, name="", email=bad_email, areas=("Oss – Ruwaard",))
    follow(driver, submit_button(driver.find_element(By.CSS_SELECTOR, "main form")))

    assert driver.title.startswith("Fout:"), driver.title
    assert http_status(driver) == 422
    axe_check(driver, "beheer-gebruiker-nieuw-fouten")

    # Focus is on the error summary (autofocus), which links to each wrong field.
    focused = driver.switch_to.active_element
    assert "ww-error-summary" in (focused.get_attribute("class") or "").split(), (
        f"focus is on <{focused.tag_name} class={focused.get_attribute('class')!r}>, not on the error summary"
    )
    summary = driver.find_element(By.CSS_SELECTOR, ".ww-error-summary")
    links = {a.get_dom_attribute("href"): a.text.strip() for a in summary.find_elements(By.CSS_SELECTOR, "a")}
    assert "#name" in links and "#email" in links, links
    assert set(links) == {"#name", "#email"}, f"only name and e-mail are wrong, the summary says: {links}"
    for href in links:
        field = driver.find_element(By.ID, href[1:])
        assert field.get_attribute("aria-invalid") == "true"
        message = driver.find_element(By.ID, f"{href[1:]}-fout")
        assert "ww-error-message" in message.get_attribute("class")
        assert message.get_attribute("id") in (field.get_attribute("aria-describedby") or "").split()
        # The summary names the question ("Naam: Vul de naam in."); the message at the field says the same.
        label, _, text = links[href].partition(": ")
        assert label and text and text in message.text, (links[href], message.text)
    assert links["#name"].startswith("Naam: "), links

    # What was typed and chosen is kept (the password is not sent back).
    assert driver.find_element(By.ID, "email").get_attribute("value") == bad_email
    assert Select(driver.find_element(By.ID, "role")).first_selected_option.get_attribute("value") == "areaCoordinator"
    assert Select(driver.find_element(By.ID, "municipality")).first_selected_option.text.strip() == "Oss"
    assert checkbox_for_label(driver, "Oss – Ruwaard").is_selected()
    assert driver.find_element(By.ID, "password").get_attribute("value") == ""

    # A link in the summary moves focus to its field.
    summary.find_element(By.CSS_SELECTOR, 'a[href="#name"]').click()
    WebDriverWait(driver, WAIT).until(lambda d: d.switch_to.active_element.get_attribute("id") == "name")

    # Nothing was saved.
    open_page(driver, base_url + "/beheer/gebruikers")
    axe_check(driver, "beheer-gebruikers")
    assert user_row(driver, bad_email) is None


def test_wrong_password_does_not_reveal_whether_the_account_exists(driver, base_url, admin_email, admin_password):
    # An account of its own, so failed logins never count against the admin (lockout after 5).
    log_in(driver, base_url, admin_email, admin_password)
    stamp = unique("inlog")
    existing = f"{stamp}@wijkwerk.test"
    create_user(driver, base_url, name=f"Inlogtest {stamp}", email=existing, areas=("Oss – Geffen",))
    clear_browser_state(driver)

    answers = {}
    for email in (existing, f"{unique('bestaat-niet')}@wijkwerk.test"):
        open_page(driver, base_url + "/inloggen")
        axe_check(driver, "inloggen")
        login(driver, base_url, email, "Verkeerd-wachtwoord-123")
        assert path_of(driver) == "/inloggen", f"a wrong password for {email} went to {driver.current_url}"
        assert driver.title.startswith("Fout:"), driver.title
        axe_check(driver, "inloggen-fout")
        focused = driver.switch_to.active_element
        assert "ww-error-summary" in (focused.get_attribute("class") or "").split()
        assert driver.find_element(By.ID, "email").get_attribute("value") == email
        assert driver.find_element(By.ID, "password").get_attribute("value") == ""
        answers[email] = (
            http_status(driver),
            driver.title,
            driver.find_element(By.CSS_SELECTOR, ".ww-error-summary").text.strip(),
            [m.text.strip() for m in driver.find_elements(By.CSS_SELECTOR, ".ww-error-message")],
        )
        assert not driver.find_elements(By.CSS_SELECTOR, ".ww-header__user"), "logged in with a wrong password"

    (known, unknown) = answers.values()
    assert known == unknown, f"the answer differs for an existing and an unknown account:\n{known}\n{unknown}"
    message = " ".join(known[3]).lower()
    assert "e-mailadres of het wachtwoord" in message, message
    for telltale in ("bestaat niet", "onbekend", "geen account", "niet gevonden", "wachtwoord is onjuist"):
        assert telltale not in message, f"the error message gives away the account: {message!r}"


def test_mapping_form_rejects_a_buurt_without_area_and_saves_nothing(
    driver, base_url, admin_email, admin_password, restore_mapping
):
    original = restore_mapping  # logged in, on the division page of Oss
    ruwaard_selects = buurten_of(original, "Ruwaard")
    assert len(ruwaard_selects) >= 2, "need two buurten in Ruwaard"
    emptied, moved = ruwaard_selects[0], ruwaard_selects[1]
    emptied_label = buurt_label(driver, emptied)
    moved_label = buurt_label(driver, moved)

    Select(driver.find_element(By.ID, emptied)).select_by_visible_text("Kies een gebied")
    Select(driver.find_element(By.ID, moved)).select_by_visible_text("Herpen")
    save_mapping(driver)

    assert path_of(driver) == MAPPING_PATH, driver.current_url
    assert driver.title.startswith("Fout:"), driver.title
    assert http_status(driver) == 422
    axe_check(driver, "beheer-indeling-fout")
    focused = driver.switch_to.active_element
    assert "ww-error-summary" in (focused.get_attribute("class") or "").split()

    summary = driver.find_element(By.CSS_SELECTOR, ".ww-error-summary")
    links = summary.find_elements(By.CSS_SELECTOR, "a")
    assert [a.get_dom_attribute("href") for a in links] == [f"#{emptied}"], [a.get_attribute("outerHTML") for a in links]
    assert emptied_label in links[0].text, (emptied_label, links[0].text)
    select = driver.find_element(By.ID, emptied)
    assert select.get_attribute("aria-invalid") == "true"
    inline = driver.find_element(By.ID, f"{emptied}-fout")
    assert emptied_label in inline.text and f"{emptied}-fout" in select.get_attribute("aria-describedby").split()

    # The form keeps every choice, including the other (valid) change.
    expected = dict(original)
    expected[emptied] = "Kies een gebied"
    expected[moved] = "Herpen"
    assert mapping_values(driver) == expected

    links[0].click()
    WebDriverWait(driver, WAIT).until(lambda d: d.switch_to.active_element.get_attribute("id") == emptied)

    # Nothing was saved: the stored division and the public pages are unchanged.
    open_page(driver, base_url + MAPPING_PATH)
    axe_check(driver, "beheer-indeling-oss")
    assert mapping_values(driver) == original
    open_public_area(driver, base_url, "ruwaard")
    buurten = public_buurten(driver)
    assert emptied_label in buurten and moved_label in buurten
    open_public_area(driver, base_url, "herpen")
    assert moved_label not in public_buurten(driver)
