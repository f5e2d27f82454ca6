"""AppTest of the Framework page, in both languages."""

from __future__ import annotations

from capacity.framework import current_framework
from tests.apptest import open_page


def run_framework_page(lang: str | None = None):
    return open_page("views/framework.py", lang=lang)


def test_framework_page_lists_every_dimension_and_offers_the_template() -> None:
    at = run_framework_page()
    framework = current_framework()
    assert at.title[0].value == "Framework"
    labels = [e.label for e in at.expander]
    assert len(labels) == len(framework.dimensions)
    for dimension in framework.dimensions:
        assert any(dimension.name("en") in label for label in labels)
    markdown = " ".join(m.value for m in at.markdown)
    for indicator in framework.indicators:
        assert indicator.code in markdown
    # The roadmap targets table shows the three milestones.
    columns = [list(df.value.columns) for df in at.dataframe]
    assert any(any("2053" in str(c) for c in cols) for cols in columns)
    # Every dimension shares the index's targets: one row says so, with a note.
    [targets] = [df.value for df in at.dataframe if any("2053" in str(c) for c in df.value.columns)]
    assert list(targets.iloc[:, 0]) == ["Index and every dimension"]
    assert any("share these targets" in caption.value for caption in at.caption)


def test_framework_page_in_turkish() -> None:
    at = run_framework_page("tr")
    assert at.title[0].value == "Çerçeve"
    assert any("Kurumsal Kapasite" in e.label for e in at.expander)
