"""The file uploader's own words in the page's language.

Streamlit draws its uploader with English words it takes no label for: a line "10MB per
file • XLSX, XLSM, ODS" and a button "Upload". The page states the kinds and the size limit
once in its own caption, so that line is hidden. The button's word is hidden too and the
page's word is shown in its place by a style rule (a CSS string, `css_string`).

Screen readers and axe-core do not count CSS generated text as a button's name, so a short
script also gives the button that word as its `aria-label`. Streamlit redraws the uploader
(a new file list, a new widget key after a submission), so the script keeps watching the
page and names every uploader button that appears; the word it uses is replaced on each
run, so a language switch renames the button at once.
"""

from __future__ import annotations

import streamlit as st

from capacity.plaintext import css_string, js_string

DROPZONE = "[data-testid='stFileUploaderDropzone']"
BUTTON_WORD = f"{DROPZONE} button [data-testid='stMarkdownContainer']"

NAMING_SCRIPT = """
window.capacityUploadWord = %(word)s;
window.capacityNameUploadButtons = () => {
  for (const button of document.querySelectorAll("%(dropzone)s button")) {
    if (button.getAttribute("aria-label") !== window.capacityUploadWord) {
      button.setAttribute("aria-label", window.capacityUploadWord);
    }
  }
};
if (!window.capacityUploadObserver) {
  window.capacityUploadObserver = new MutationObserver(() => window.capacityNameUploadButtons());
  window.capacityUploadObserver.observe(document.body, { childList: true, subtree: true });
}
window.capacityNameUploadButtons();
"""


def name_upload_button(word: str) -> None:
    """Show `word` (already translated) on every uploader button, to the eye and to assistive technology."""
    style = (
        f"[data-testid='stFileUploaderDropzoneInstructions'] {{ display: none; }}"
        f"{BUTTON_WORD} p {{ display: none; }}"
        f"{BUTTON_WORD}::after {{ content: {css_string(word)}; }}"
    )
    script = NAMING_SCRIPT % {"word": js_string(word), "dropzone": DROPZONE}
    st.html(f"<style>{style}</style><script>{script}</script>", unsafe_allow_javascript=True)
