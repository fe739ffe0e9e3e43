"""docker-compose.yml: parsed here (no Docker engine), its wiring checked against the config code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from c360graph.config import ENV_KEYS, load_settings

ROOT = Path(__file__).resolve().parents[2]


def _compose() -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert isinstance(loaded, dict)
    return loaded


def test_service_environment_uses_only_variables_the_config_reads() -> None:
    env = _compose()["services"]["c360graph"]["environment"]
    assert set(env) <= set(ENV_KEYS)
    assert {"NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE"} <= set(env)


def test_service_points_at_the_neo4j_service_and_its_bolt_port() -> None:
    services = _compose()["services"]
    env = services["c360graph"]["environment"]
    settings = load_settings({k: str(v) for k, v in env.items() if "${" not in str(v)})
    assert not settings.uses_local_server
    assert settings.neo4j.uri == "neo4j://neo4j:7687"
    assert "7687:7687" in services["neo4j"]["ports"]
    assert "7474:7474" in services["neo4j"]["ports"]
    assert services["neo4j"]["image"].startswith("neo4j:5")
    assert "neo4j" in services["c360graph"]["depends_on"]


def test_neo4j_password_comes_from_the_environment_for_both_services() -> None:
    services = _compose()["services"]
    assert "${NEO4J_PASSWORD" in services["neo4j"]["environment"]["NEO4J_AUTH"]
    assert services["c360graph"]["environment"]["NEO4J_PASSWORD"].startswith("${NEO4J_PASSWORD")


def test_dockerfile_installs_the_package_with_its_cypher_files() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "COPY cypher ./cypher" in dockerfile
    assert "pip install --no-cache-dir ." in dockerfile


def test_dockerfile_ships_every_vendored_asset_the_makefile_builds() -> None:
    makefile = (ROOT / "Makefile").read_text().replace("\\\n", " ")
    assets = [
        word
        for line in makefile.splitlines()
        if line.startswith(("GRAPHIQL_ASSETS :=", "EXPLORER_ASSETS :="))
        for word in line.split(":=", 1)[1].split()
    ]
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert len(assets) >= 5
    for asset in assets:
        assert f"/build/node_modules/{asset}" in dockerfile, asset
