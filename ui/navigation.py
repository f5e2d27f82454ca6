"""Which pages each role finds in the navigation: the page list of app.py, by role.

A page the role may not use is registered but hidden from the menu, so links between
pages keep working (`st.page_link` needs the page registered) and opening its address
shows that page's own clear refusal. Hiding is a courtesy, not the protection: every
page calls the library, which refuses what the role may not do. Someone not signed in
gets the whole menu hidden, and app.py shows the sign-in form in place of the page, so
a shared link (`/profile?org=…`) opens once they are signed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from capacity import access
from capacity.access import Actor
from capacity.i18n import N_
from ui.language import t

ROOT = Path(__file__).resolve().parents[1]
# Streamlit draws a sectioned menu as <ul> holding one <div> per section, each holding a
# <header> and the <li> links: a list whose items are not its children, which screen
# readers announce wrongly (axe rules "list" and "listitem", WCAG 1.3.1). The script gives
# the outer <ul> no role and makes each section's <div> the list of its links, named by
# its heading, so a screen reader hears "Dashboards, list, 4 items". A MutationObserver
# repeats the repair whenever Streamlit redraws the menu (a page change, a language
# switch); it is installed once per browser tab. Nothing a person typed goes into it.
_NAVIGATION_REPAIR = """
<style>[data-testid='stElementContainer']:has([data-capacity-navigation]) { display: none; }</style>
<span data-capacity-navigation></span>
<script>
(() => {
  if (window.capacityNavigationRepair) return;
  const repair = () => {
    for (const menu of document.querySelectorAll('[data-testid="stSidebarNavItems"]')) {
      const sections = [...menu.children].filter((child) => child.tagName === 'DIV');
      if (sections.length === 0) continue;  // one flat list: already valid
      if (menu.getAttribute('role') !== 'none') menu.setAttribute('role', 'none');
      for (const section of sections) {
        if (section.getAttribute('role') !== 'list') section.setAttribute('role', 'list');
        const name = ((section.querySelector('header') || {}).textContent || '').trim();
        if (name && section.getAttribute('aria-label') !== name) section.setAttribute('aria-label', name);
      }
    }
  };
  window.capacityNavigationRepair = new MutationObserver(repair);
  const watched = { childList: true, subtree: true, characterData: true };
  window.capacityNavigationRepair.observe(document.body, watched);
  repair();
})();
</script>
"""


@dataclass(frozen=True)
class PageSpec:
    """One page: its file, title and address, its section, and the action its role must be allowed."""

    path: str
    title: str  # msgid
    icon: str
    url_path: str
    section: str  # msgid
    action: str | None  # None: every signed-in person
    default: bool = False


DASHBOARDS, MANAGE, REFERENCE = N_("Dashboards"), N_("Manage"), N_("Reference")

# A new page is one line here: its file, title, address, section and the action it needs.
# A listed page whose file does not exist yet is left out (see `present_specs`).
PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "views/overview.py",
        N_("Overview"),
        ":material/dashboard:",
        "overview",
        DASHBOARDS,
        access.VIEW_DASHBOARD,
        default=True,
    ),
    PageSpec(
        "views/profile.py",
        N_("Organisation profile"),
        ":material/apartment:",
        "profile",
        DASHBOARDS,
        access.VIEW_PROFILE,
    ),
    PageSpec(
        "views/benchmark.py",
        N_("Benchmark"),
        ":material/leaderboard:",
        "benchmark",
        DASHBOARDS,
        access.VIEW_DASHBOARD,
    ),
    PageSpec(
        "views/roadmap.py", N_("Roadmap"), ":material/flag:", "roadmap", DASHBOARDS, access.VIEW_DASHBOARD
    ),
    PageSpec(
        "views/rounds.py", N_("Rounds"), ":material/event_available:", "rounds", MANAGE, access.VIEW_ROUNDS
    ),
    PageSpec("views/upload.py", N_("Upload"), ":material/upload_file:", "upload", MANAGE, access.UPLOAD),
    PageSpec(
        "views/scorecards.py",
        N_("Scorecards"),
        ":material/description:",
        "scorecards",
        MANAGE,
        access.EXPORT_SCORECARD,
    ),
    PageSpec("views/audit.py", N_("Audit log"), ":material/history:", "audit", MANAGE, access.VIEW_AUDIT),
    PageSpec(
        "views/admin.py",
        N_("Administration"),
        ":material/admin_panel_settings:",
        "admin",
        MANAGE,
        access.MANAGE_USERS,
    ),
    PageSpec("views/framework.py", N_("Framework"), ":material/menu_book:", "framework", REFERENCE, None),
)


def present_specs() -> list[PageSpec]:
    """The pages whose file exists (pages still being written are left out, not broken)."""
    return [spec for spec in PAGES if (ROOT / spec.path).exists()]


def shown_to(actor: Actor | None, spec: PageSpec) -> bool:
    """Whether `spec` appears in the menu of `actor` (nobody's menu shows when nobody is signed in)."""
    return actor is not None and (spec.action is None or access.is_allowed(actor, spec.action))


def pages_for(actor: Actor | None) -> dict[str, list[st.Page]]:
    """The st.navigation page list of `actor`, by section, in the reader's language."""
    _ = t()
    sections: dict[str, list[st.Page]] = {}
    for spec in present_specs():
        page = st.Page(
            spec.path,
            title=_(spec.title),
            icon=spec.icon,
            url_path=spec.url_path,
            default=spec.default,
            visibility="visible" if shown_to(actor, spec) else "hidden",
        )
        sections.setdefault(_(spec.section), []).append(page)
    return sections


def position_for(actor: Actor | None) -> str:
    """Show the navigation in the sidebar only to someone signed in."""
    return "sidebar" if actor is not None else "hidden"


def repair_menu_semantics() -> None:
    """Give Streamlit's sectioned page menu valid list semantics (see `_NAVIGATION_REPAIR`)."""
    st.html(_NAVIGATION_REPAIR, unsafe_allow_javascript=True)
