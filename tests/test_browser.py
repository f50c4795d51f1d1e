"""A real browser on `kfor-graph serve`: Debian's chromium, headless, driven by Selenium through
chromium-driver. From the landing page to a commander, his term and its source, then a query on the
query page. Screenshots go to a temporary folder, or to the folder KFOR_SCREENSHOTS names
(`KFOR_SCREENSHOTS=docs/screenshots pytest tests/test_browser.py` renews the README's pictures)."""

import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.expected_conditions import staleness_of
from selenium.webdriver.support.ui import WebDriverWait

from conftest import REPO, start_server, stop
from kfor_graph.cli import main

# Both tests on one worker (pytest-xdist), so chromium and the server start once.
pytestmark = pytest.mark.xdist_group("browser")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1100,900",
]


@pytest.fixture(scope="module")
def server_url(tmp_path_factory):
    """The server reads an on-disk Oxigraph store made by `kfor-graph load --store` (the other
    server tests use the in-memory store of the files)."""
    store = tmp_path_factory.mktemp("store")
    assert main(["--root", str(REPO), "load", "--store", str(store)]) == 0
    process, url = start_server("--store", str(store))
    yield url
    stop(process)


@pytest.fixture(scope="module")
def browser():
    profile = tempfile.mkdtemp(prefix="kfor-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [*FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    folder = os.environ.get("KFOR_SCREENSHOTS")
    path = (REPO / folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def shoot(browser, folder: Path, name: str) -> None:
    path = folder / f"{name}.png"
    assert browser.save_screenshot(str(path)) and path.stat().st_size > 10_000


def click(browser, text: str, within=None) -> None:
    """Follow a link by its text, and wait until the next page has replaced this one."""
    page = browser.find_element(By.TAG_NAME, "html")
    (within or browser).find_element(By.LINK_TEXT, text).click()
    WebDriverWait(browser, 20).until(staleness_of(page))


def test_from_the_landing_page_to_a_commander_his_term_and_its_source(browser, server_url, shots):
    browser.get(server_url + "/")
    assert browser.title == "Home · KFOR Graph"
    assert browser.find_element(By.TAG_NAME, "h1").text == "KFOR Graph"
    figures = browser.find_element(By.CSS_SELECTOR, "table.figures").text
    assert re.search(r"KFOR Graph data \d+\nKFOR Graph inferred triples \d+\nKFOR Graph ontology \d+", figures)
    shoot(browser, shots, "landing")

    click(browser, "term of office")  # the class page: terms of office in order
    assert browser.find_element(By.TAG_NAME, "h1").text == "term of office"
    terms = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "ol.instances li")]
    assert (
        terms[:2] == ["Term 1 of COMKFOR: Michael Jackson", "Term 2 of COMKFOR: Klaus Reinhardt"] and len(terms) == 30
    )

    click(browser, "Term 7 of COMKFOR: Fabio Mini")
    click(browser, "Fabio Mini")  # the commander
    assert browser.current_url == server_url + "/id/person/fabio-mini.html"
    assert browser.find_element(By.TAG_NAME, "h1").text == "Fabio Mini"
    assert [li.text for li in browser.find_elements(By.CSS_SELECTOR, "ol.terms-list li")] == [
        "Term 7 of COMKFOR: Fabio Mini: Term 7 of COMKFOR (Fabio Mini): 4 October 2002 to October 2003"
    ]
    shoot(browser, shots, "person")

    click(browser, "Term 7 of COMKFOR: Fabio Mini")  # his term, from his page
    assert browser.find_element(By.TAG_NAME, "h1").text == "Term 7 of COMKFOR: Fabio Mini"
    nav = browser.find_element(By.CSS_SELECTOR, "nav.terms").text
    assert "previous: Term 6 of COMKFOR: Marcel Valentin" in nav and "next:" not in nav  # Mini's successor: unread
    notes = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "ol.footnotes li")]
    assert notes == ["Italian Wikinews, 1 September 2005", "NATO Update e1004a"]
    shoot(browser, shots, "term")

    click(browser, "NATO Update e1004a", within=browser.find_element(By.CSS_SELECTOR, "ol.footnotes"))
    assert browser.current_url == server_url + "/id/source/nato-update-2002-10-04.html"
    assert browser.find_element(By.TAG_NAME, "h1").text == "NATO Update e1004a"
    citing = browser.find_element(By.CSS_SELECTOR, "ul.citing").text
    assert "Term 7 of COMKFOR: Fabio Mini" in citing
    shoot(browser, shots, "source")


def test_running_a_query_on_the_query_page(browser, server_url, shots):
    browser.get(server_url + "/sparql")
    assert browser.find_element(By.TAG_NAME, "h1").text == "SPARQL endpoint"
    click(browser, "Who commanded KFOR on a given date?")
    textarea = browser.find_element(By.NAME, "query")
    assert "VALUES ?date" in textarea.get_attribute("value")
    page = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 20).until(staleness_of(page))
    table = browser.find_element(By.CSS_SELECTOR, "table.results")
    headers = [th.text for th in table.find_elements(By.TAG_NAME, "th")]
    assert headers == ["ordinal", "commander", "name", "rank", "nationality", "start", "end", "term"]
    rows = [tr.text for tr in table.find_elements(By.CSS_SELECTOR, "tbody tr")]
    assert len(rows) == 1 and "Yves de Kermabon" in rows[0] and "2004-09-01" in rows[0]
    assert browser.find_element(By.CSS_SELECTOR, "p.count").text == "1 row"
    shoot(browser, shots, "query")
