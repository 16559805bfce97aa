"""Template helpers drawn in Python draw what the Jinja they replace drew."""

import pytest
from markupsafe import Markup

from webapp.formatting import summary_row

# The macro the finder's cards used for each row, before summary_row.
ROW_MACRO = """{% macro row(key, value) %}
  <div class="nhsuk-summary-list__row">
    <dt class="nhsuk-summary-list__key">{{ key }}</dt>
    <dd class="nhsuk-summary-list__value">{{ value }}</dd>
  </div>
{% endmacro %}
{{ row(key, value) }}"""


@pytest.mark.parametrize(("key", "value"), [
    ("Cost", "Free"),
    ("Where", "Durham, St Mary's & St John's <Hall>"),
    ("When", Markup("2pm to 3:30pm<br>monthly")),
    ("Distance", 3),
])  # fmt: skip
def test_a_summary_row_is_what_the_macro_drew(app, key, value):
    drawn = app.jinja_env.from_string(ROW_MACRO).render(key=key, value=value)
    assert str(summary_row(key, value)) == drawn


def test_text_in_a_summary_row_is_escaped():
    row = summary_row("<b>", "<script>x</script>")
    assert "<script>" not in row and "&lt;script&gt;x&lt;/script&gt;" in row
