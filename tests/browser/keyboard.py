"""Driving a page with the keyboard alone, as someone who cannot use a mouse would.

Nothing here clicks, fills or focuses an element directly: focus moves only by
Tab and Shift+Tab, radios are chosen with the arrow keys and Space, checkboxes
are ticked with Space, text is typed into the field Tab reached, and forms are
sent with Enter on their button.
"""

IS_FOCUSED = "selector => !!document.activeElement && document.activeElement.matches(selector)"
FOCUSED_VALUE = "() => document.activeElement && document.activeElement.value"
# How many Tab presses any BoneCheck page needs at most to reach anything on it.
MOST_TABS = 120


def focused_matches(page, selector: str) -> bool:
    """True when the element with keyboard focus matches the CSS `selector`."""
    return page.evaluate(IS_FOCUSED, selector)


def describe_focus(page) -> str:
    """The focused element in a few words, for a failure message."""
    return page.evaluate(
        """() => { const e = document.activeElement;
            if (!e) return 'nothing';
            const text = (e.innerText || e.value || '').trim().slice(0, 40);
            return `<${e.tagName.toLowerCase()} id="${e.id}" name="${e.name || ''}"> ${text}`; }"""
    )


def tab_to(page, selector: str, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until focus is on an element matching `selector`."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(MOST_TABS):
        page.keyboard.press(key)
        if focused_matches(page, selector):
            return
    raise AssertionError(f"{key} never reached {selector} on {page.url}")


def type_into(page, name: str, text: str) -> None:
    """Tab to the text field `name`, clear what is in it, and type `text`."""
    tab_to(page, f'input[name="{name}"]:not([type=hidden]), textarea[name="{name}"]')
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.press("Delete")
    if text:
        page.keyboard.type(text)


def choose_radio(page, name: str, value: str) -> None:
    """Tab into the radio group `name`, arrow to the option `value`, and press Space."""
    tab_to(page, f'input[type=radio][name="{name}"]')
    options = page.locator(f'input[type=radio][name="{name}"]').count()
    for _ in range(options):
        if page.evaluate(FOCUSED_VALUE) == value:
            page.keyboard.press("Space")
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"no radio {name}={value!r} on {page.url}")


def tick_checkboxes(page, name: str, values: list[str]) -> None:
    """Tab through the checkboxes `name` in page order, pressing Space on each of `values`."""
    boxes = page.locator(f'input[type=checkbox][name="{name}"]')
    in_page_order = [boxes.nth(i).get_attribute("value") for i in range(boxes.count())]
    missing = set(values) - set(in_page_order)
    assert not missing, f"no checkbox {name}={sorted(missing)} on {page.url}"
    for value in (value for value in in_page_order if value in values):
        box = f'input[type=checkbox][name="{name}"][value="{value}"]'
        tab_to(page, box)
        if not page.locator(box).is_checked():
            page.keyboard.press("Space")


def press_button(page, selector: str = "main form button, main form input[type=submit]") -> None:
    """Tab to the form's button and press Enter, waiting for the page that comes back."""
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def follow_link(page, selector: str) -> None:
    """Tab to a link and press Enter, waiting for the page it opens."""
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")
