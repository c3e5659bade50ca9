"""Print the runtime dependencies named in pyproject.toml, one per line (for `pip download`)."""

import tomllib
from pathlib import Path

data = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())
print("\n".join(d.split(";")[0].strip() for d in data["project"]["dependencies"]))
