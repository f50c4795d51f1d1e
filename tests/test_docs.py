"""`kfor-graph docs`: HTML documentation of the ontology with pyLODE."""

import pytest

from conftest import PROJECT


def test_docs_of_the_fixture_ontology(cli, tmp_path):
    out = tmp_path / "docs"
    code, stdout, stderr = cli("--root", PROJECT, "docs", "--out", out)
    assert (code, stdout, stderr) == (0, f"{out / 'index.html'}\n", "")
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "<title>KFOR Graph ontology (test fixture)</title>" in html
    assert "a period during which a person holds a post" in html  # kfor:Term's definition
    assert [p.name for p in out.iterdir()] == ["index.html"]


def test_docs_of_the_project_ontology(cli, tmp_path):
    code, _, _ = cli("docs", "--out", tmp_path)
    assert code == 0
    assert "KFOR Graph ontology" in (tmp_path / "index.html").read_text(encoding="utf-8")


def test_an_ontology_without_title_is_an_input_error(cli, tmp_path):
    (tmp_path / "ontology").mkdir()
    (tmp_path / "ontology" / "kfor.ttl").write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n<https://w3id.org/kfor/ontology> a owl:Ontology .\n"
    )
    code, out, err = cli("--root", tmp_path, "docs", "--out", tmp_path / "docs")
    assert (code, out) == (2, "")
    assert err.startswith("kfor-graph: error: pyLODE cannot document the ontology: ") and err.count("\n") == 1
    assert not (tmp_path / "docs").exists()


def readme_examples(command: str) -> list[tuple[list[str], list[str]]]:
    """The README's examples of `kfor-graph COMMAND ...`: (arguments, lines shown; "..." for lines left out)."""
    import shlex

    from conftest import REPO

    examples, current = [], None
    for line in (REPO / "README.md").read_text(encoding="utf-8").splitlines():
        if line.startswith(f"$ kfor-graph {command}"):
            current = (shlex.split(line[2:], comments=True)[1:], [])
            examples.append(current)
        elif line.startswith(("$ ", "```")):
            current = None
        elif current is not None:
            current[1].append(line)
    return examples


def shown_in(shown: list[str], output: list[str]) -> bool:
    """Whether the lines shown are the output's, in order, where "..." stands for any lines."""
    at, skipping = 0, False
    for line in shown:
        if line.strip() == "...":
            skipping = True
            continue
        while skipping and at < len(output) and output[at] != line:
            at += 1
        if at >= len(output) or output[at] != line:
            return False
        at, skipping = at + 1, False
    return skipping or at == len(output)


@pytest.mark.parametrize("command", ["query", "stats"])
def test_the_readmes_examples_show_what_the_commands_print(cli, command):
    examples = readme_examples(command)
    assert examples
    for arguments, shown in examples:
        while shown and not shown[-1]:  # the blank line before the next example
            shown.pop()
        code, out, _ = cli(*arguments)
        assert code == 0
        assert shown_in(shown, out.splitlines()), (arguments, out)


def test_shown_in_is_strict():
    assert shown_in(["a", "...", "d"], ["a", "b", "c", "d"])
    assert not shown_in(["a", "d"], ["a", "b", "c", "d"])
    assert not shown_in(["a", "...", "e"], ["a", "b", "c", "d"])
    assert not shown_in(["a"], ["a", "b"])
