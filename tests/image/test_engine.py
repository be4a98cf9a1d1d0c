"""The image tier's Docker engine chooses its storage driver: overlay2, or vfs where overlay2 cannot start.

This file sorts first in tests/image/, so its engine runs and stops before the tier's own starts: one dockerd at a
time manages the docker0 bridge."""

from __future__ import annotations

import pytest

import docker_engine


def test_the_engine_falls_back_to_vfs_where_its_first_driver_cannot_start(tmp_path, monkeypatch):
    monkeypatch.setattr(docker_engine, "STORAGE_DRIVERS", ("no-such-driver", "vfs"))
    engine = docker_engine.DockerEngine(tmp_path / "docker")
    try:
        engine.start()
    except docker_engine.EngineUnavailable as e:
        pytest.skip(f"no Docker engine here: {e}")
    try:
        assert engine.storage_driver == "vfs"
        assert engine.fallback_reason.startswith("no-such-driver failed: "), engine.fallback_reason
        assert engine.docker("info", "--format={{.Driver}}").stdout.strip() == "vfs"
    finally:
        engine.stop()
    assert engine.mounts_in(tmp_path) == [], "the engine's folder is left mounted"
