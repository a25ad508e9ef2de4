"""
Sphinx configuration: ``python -m sphinx -W -b html docs docs/_build/html``.
"""

import sys

from importlib import metadata
from pathlib import Path


sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "twilio-tokens"
author = "twilio-tokens developers"
copyright = "twilio-tokens developers"  # noqa: A001  (Sphinx's name)
release = metadata.version("twilio-tokens")

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "twilio_docs",
]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
root_doc = "index"
# A reference that resolves nowhere is a warning, an error under -W.
nitpicky = True

myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence"]

autodoc_typehints = "description"
autodoc_typehints_description_target = "documented_params"
autodoc_member_order = "alphabetical"
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_rtype = False
napoleon_use_ivar = True  # Attributes: as fields, not a second entry

# The modules whose __all__ must each be described on some page.
twilio_api_modules = [
    "twilio_tokens",
    "twilio_tokens.testing",
    "twilio_tokens.compat",
    "twilio_tokens.flex",
]

html_theme = "furo"
html_title = f"twilio-tokens {release}"

# Types from outside the package: no intersphinx (it needs the internet),
# so their names are left unlinked rather than called broken.
nitpick_ignore_regex = [
    ("py:class", r"(collections\.abc|typing|datetime|argparse|enum)\..*"),
    ("py:class", r"(attrs|attr|pytest|_pytest)\..*"),
    ("py:class", r"datetime|timedelta"),  # imported for type checking only
    # Private type variables and aliases the signatures name.
    (
        "py:class",
        r"twilio_tokens\._\w+\._\w+|Checkable|twilio_tokens\._check\.Mintable",
    ),
    # Properties whose docstring opens "The header: ..." read as a type.
    ("py:class", r"The (header|claims)"),
]
