import pytest

from store.config import DEFAULT_CATEGORIES, ConfigError, load_config


def write(tmp_path, text):
    path = tmp_path / "tellus.toml"
    path.write_text(text)
    return str(path)


def test_defaults_without_a_file(monkeypatch):
    monkeypatch.delenv("TELLUS_CONFIG", raising=False)
    config = load_config()
    assert config.response_working_days == 5
    assert config.holiday_region == "GB-ENG"
    assert config.categories == tuple(DEFAULT_CATEGORIES)
    assert config.category_label("sexual-misconduct") == "Sexual misconduct"


def test_a_file_overrides_defaults(tmp_path, monkeypatch):
    path = write(tmp_path, 'organisation = "University of Essex"\nlocations = ["Library", " Albert Sloman Library "]\nresponse_working_days = 3\nholiday_region = "GB-SCT"\n')
    monkeypatch.setenv("TELLUS_CONFIG", path)
    config = load_config()
    assert config.organisation == "University of Essex"
    assert config.locations == ("Library", "Albert Sloman Library")
    assert config.response_working_days == 3


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("colour = 'blue'", "Unknown setting"),
        ("response_working_days = 0", "between 1 and 60"),
        ("categories = []", "At least one category"),
        ("categories = 'Bullying'", "list of strings"),
        ("holiday_region = 'XX'", "Unknown holiday region"),
        ("timezone = 'Mars/Olympus'", "Unknown timezone"),
        ("https = 'yes'", "true or false"),
        ("this is not toml", "not valid TOML"),
    ],
)
def test_bad_settings_are_named(tmp_path, text, fragment):
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text))
    assert fragment in str(info.value)
