"""`kfor-graph docs`: HTML documentation of the ontology with pyLODE."""

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
