"""Which page each cpkit role lands on after logging in to the hub.

A case manager lands on their caseload (the forms' landing page), an agency member on
their agency's page (what the Task Force asks of their agency: invitations to answer,
progress reports to send, minutes to acknowledge), a supervisor on the dashboard, a trainer on
the trainer kit.  Pure data and one function: the hub's spawner and the tests use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cpkit import resources


@dataclass(frozen=True)
class Landing:
    """The folder a user's Voila serves and the notebook they land on in it."""

    root: Path
    notebook: str

    @property
    def path(self) -> str:
        """The landing page's path under the user's server (``voila/render/...``)."""
        return f"voila/render/{self.notebook}"


# role -> (folder, notebooks to try in order): the first one present is the landing.
PAGES: dict[str, tuple[Path, tuple[str, ...]]] = {
    "case_manager": (resources.FORMS, ("index.ipynb",)),
    "agency_member": (resources.FORMS, ("agency.ipynb", "index.ipynb")),
    "supervisor": (resources.FORMS, ("dashboard.ipynb", "index.ipynb")),
    "trainer": (resources.TRAINING, ("index.ipynb",)),
}
# Who has several roles lands on the first of these they hold (admin has no case page).
ORDER = ("supervisor", "case_manager", "agency_member", "trainer")


def landing_for(roles) -> Landing | None:
    """The landing of a user with ``roles``; ``None`` for a role without cases (admin)."""
    for role in ORDER:
        if role in roles:
            root, candidates = PAGES[role]
            notebook = next((n for n in candidates if (Path(root) / n).exists()),
                            candidates[-1])
            return Landing(Path(root), notebook)
    return None
