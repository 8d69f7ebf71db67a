"""Plans and output directories for the unit tests, made here, not read from a build."""
import copy
import json
import os

H = {c: c * 64 for c in "abcdef"}

PLAN = {
    "format_version": 3, "root": "/release", "out_dir": "out",
    "nodes": [
        {"id": "wh", "kind": "wheelhouse", "recipe": "wh/recipe.toml", "input_hash": H["a"],
         "command": ["cleanroom", "build", "wh/recipe.toml", "--out", "out"],
         "outputs": ["wh_1_amd64.deb", "wh_1_amd64.buildinfo"], "depends_on": [],
         "snapshot": {"name": "bookworm", "id": H["f"]}},
        {"id": "app", "kind": "venv", "recipe": "app/recipe.toml", "input_hash": H["b"],
         "command": ["cleanroom", "build", "app/recipe.toml", "--out", "out", "--wheelhouse", "out/wh_1_amd64.deb"],
         "outputs": ["app_1_amd64.deb"], "depends_on": ["wh"],
         "snapshot": {"name": "bookworm", "id": H["f"]}},
        {"id": "tool", "kind": "venv", "recipe": "tool/recipe.toml", "input_hash": H["c"],
         "command": ["cleanroom", "build", "tool/recipe.toml", "--out", "out", "--wheelhouse", "out/wh_1_amd64.deb"],
         "outputs": ["tool_1_amd64.deb"], "depends_on": ["wh"],
         "snapshot": {"name": "bookworm", "id": H["f"]}},
        {"id": "verify-app", "kind": "verify", "recipe": "app/recipe.toml", "input_hash": H["d"],
         "command": ["cleanroom", "verify", "app/recipe.toml", "--wheelhouse", "out/wh_1_amd64.deb"],
         "outputs": [], "depends_on": ["wh", "app"],
         "snapshot": {"name": "bookworm", "id": H["f"]}},
    ],
    "edges": [],
}


def plan():
    return copy.deepcopy(PLAN)


def node(p, node_id):
    return next(n for n in p["nodes"] if n["id"] == node_id)


def write_plan(directory, p=None):
    path = os.path.join(directory, "plan.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(p or PLAN, f)
    return path


def write_outputs(out_dir, n, salt=""):
    os.makedirs(out_dir, exist_ok=True)
    for name in n["outputs"]:
        with open(os.path.join(out_dir, name), "w", encoding="utf-8") as f:
            f.write(f"{name} of {n['input_hash']}{salt}\n")
