"""Driving the 现场考试 page in headless Chromium (shared by the web exam tests): the form, the options of one item,
answering and waiting for the server's confirmation, and valid resident ID numbers."""
from __future__ import annotations

import re

from web_driver import open_tab, pick_dropdown

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def resident_id(first17: str) -> str:
    """An 18-digit resident ID number with a valid check digit."""
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS)) % 11]


def fill_form(page, *, enterprise: str, enterprise_type: str, person: str, id_number: str | None, role: str,
              inspector: str = "王检查") -> None:
    """The exam form; `id_number` None ticks 无身份证号."""
    open_tab(page, "现场考试")
    page.locator("#exam-enterprise :is(input, textarea)").fill(enterprise)
    pick_dropdown(page, "exam-etype", enterprise_type)
    page.locator("#exam-person :is(input, textarea)").fill(person)
    if id_number is None:
        page.locator("#exam-noid input").check()
        page.wait_for_function("document.querySelector('#exam-idnumber :is(input, textarea)').value === '无身份证号'")
    else:
        page.locator("#exam-idnumber :is(input, textarea)").fill(id_number)
    pick_dropdown(page, "exam-role", role)
    page.locator("#exam-inspector :is(input, textarea)").fill(inspector)


def start_exam(page, **form) -> str:
    """Fill the form (fill_form's arguments), start, wait for the sheet; -> the exam id."""
    fill_form(page, **form)
    page.locator("#exam-start").click()
    page.locator("#exam-q1").wait_for()
    return page.locator("#exam-head .hz-exam-head").get_attribute("data-exam")


def option(page, position: int, letter: str):
    """The option labelled “A. …” of one item (radio or checkbox)."""
    return page.locator(f"#exam-q{position} label").filter(has_text=re.compile(rf"^\s*{letter}\.\s"))


def some_answer(page, position: int) -> str:
    """A plausible answer for any item: A for 判断/单选, AB for 多选."""
    return "AB" if page.locator(f"#exam-q{position} input[type=checkbox]").count() else "A"


def tap(page, position: int, letters: str) -> None:
    for letter in letters:
        option(page, position, letter).click()


def answer(page, position: int, letters: str) -> None:
    """Choose `letters` on one item and wait until the server says it is saved."""
    tap(page, position, letters)
    page.locator("#exam-saved .hz-saved", has_text=f"第 {position} 题已保存（{letters}）").wait_for()


def checked(page, position: int) -> str:
    """The letters shown as chosen on one item, once its options are on the page (after a reload the sheet's
    items are drawn by their own render, a moment after the head and the status bar)."""
    option(page, position, "A").wait_for()
    return "".join(letter for letter in "ABCD"
                   if option(page, position, letter).count() and option(page, position, letter).locator(
                       "input").is_checked())
