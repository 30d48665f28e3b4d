import datetime as dt

import pytest

from pipelines.settings import ConfigError, load_settings


def test_option_beats_environment_beats_config_file(tmp_path, monkeypatch):
    config = tmp_path / "c.toml"
    config.write_text('as_of = "2024-01-01"\n[paths]\ninbox = "from-file"\n')
    monkeypatch.setenv("CONSTELLATION_CONFIG", str(config))
    assert load_settings().inbox == tmp_path / "from-file"
    assert load_settings().as_of == dt.date(2024, 1, 1)
    monkeypatch.setenv("CONSTELLATION_INBOX", str(tmp_path / "from-env"))
    monkeypatch.setenv("CONSTELLATION_AS_OF", "2025-02-02")
    assert load_settings().inbox == tmp_path / "from-env"
    assert load_settings().as_of == dt.date(2025, 2, 2)
    chosen = load_settings(inbox=str(tmp_path / "from-option"), as_of="2026-03-03")
    assert chosen.inbox == tmp_path / "from-option"
    assert chosen.as_of == dt.date(2026, 3, 3)


def test_owner_identity_is_read_from_the_config_file(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text('[owner]\nnames = ["Maya L"]\nemails = "Maya@Example.com"\n')
    owner = load_settings(config_path=config).owner
    assert owner.names == ("Maya L",)
    assert owner.emails == ("maya@example.com",)


def test_broken_config_file_names_the_file(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text("[owner\n")
    with pytest.raises(ConfigError, match="c.toml is not valid TOML"):
        load_settings(config_path=config)


def test_snapshot_sits_beside_the_warehouse(tmp_path):
    settings = load_settings(db_path=tmp_path / "w.duckdb", inbox=tmp_path)
    assert settings.snapshot_path == tmp_path / "w.snapshot.duckdb"


def test_example_config_is_valid(tmp_path):
    from pipelines.settings import PROJECT_ROOT

    settings = load_settings(config_path=PROJECT_ROOT / "constellation.example.toml")
    assert settings.store_email_snippets is True


def test_an_empty_inbox_runs_the_sample_in_its_own_warehouse_as_of_its_story_end(monkeypatch):
    import pipelines.settings as settings_module

    monkeypatch.setattr(settings_module, "_has_files", lambda folder: False)
    settings = load_settings()
    assert settings.using_sample
    assert settings.inbox == settings_module.DEFAULT_SAMPLE
    assert settings.db_path == settings_module.DEFAULT_SAMPLE_DB
    assert settings.as_of == settings_module.SAMPLE_AS_OF
    assert load_settings(as_of="2025-01-01").as_of == dt.date(2025, 1, 1)
