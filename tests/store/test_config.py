import pytest

from store.config import DEFAULT_CATEGORIES, DEFAULT_EMERGENCY, ConfigError, load_config


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
    path = write(
        tmp_path,
        'organisation = "University of Essex"\nlocations = ["Library", " Albert Sloman Library "]\nresponse_working_days = 3\nholiday_region = "GB-SCT"\n',
    )
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
        ("export_folder = 'exports'", "export_folder must be an absolute path"),
        ('export_folder = "/srv/exports\\u001b[2J"', "export_folder must not contain control characters"),
        ("export_folder = 7", "must be text"),
        ("evidence_graphics = 'iterm'", "one of auto, kitty, sixel or halfblocks"),
        ("evidence_graphics = 'KITTY'", "one of auto, kitty, sixel or halfblocks"),
        ("evidence_graphics = true", "must be text"),
    ],
)
def test_bad_settings_are_named(tmp_path, text, fragment):
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text))
    assert fragment in str(info.value)


def test_the_export_folder_is_unset_by_default_and_kept_as_given(tmp_path):
    assert load_config(write(tmp_path, "")).export_folder == ""
    assert load_config(write(tmp_path, 'export_folder = "/srv/tellus-exports"')).export_folder == "/srv/tellus-exports"


def test_the_picture_drawing_mode_defaults_to_asking_the_terminal(tmp_path):
    assert load_config(write(tmp_path, "")).evidence_graphics == "auto"
    for mode in ("auto", "kitty", "sixel", "halfblocks"):
        assert load_config(write(tmp_path, f"evidence_graphics = '{mode}'")).evidence_graphics == mode


# ----- texts in more languages, categories by key ----------------------------------------------------------------


def test_categories_as_a_table_have_the_keys_given_and_as_a_list_keys_from_their_labels(tmp_path):
    table = load_config(write(tmp_path, '[categories]\nbully = "Bullying"\nparking = "Parking"\n'))
    assert table.categories == ("bully", "parking") and table.category_label("parking") == "Parking"
    listed = load_config(write(tmp_path, 'categories = ["Bullying", "Something else / not sure", "Noise at night"]\n'))
    assert listed.categories == ("bullying", "something-else-not-sure", "noise-at-night")
    # A built-in label keeps the built-in key, so its Welsh comes from the catalogue.
    assert listed.category_label("bullying", "cy").msgid == "Bullying"
    assert listed.category_key("Noise at night") == "noise-at-night" and listed.category_key("nonsense") is None


@pytest.mark.parametrize(
    "text, fragment",
    [
        ('categories = ["Bullying", "bullying!"]', "have the key 'bullying'"),
        ('categories = ["!!!"]', "needs a key"),
        ('[categories]\n"Not A Key" = "x"', "needs a key of lower-case letters"),
        ('languages = ["cy"]', 'must include "en"'),
        ('languages = ["en", "Welsh"]', "language codes"),
        ('languages = ["en", "cy", "cy"]', "twice"),
        ('[texts.fr]\norganisation = "x"', "'fr' is not one of the other languages"),
        ('[texts.cy]\nname = "x"', "Unknown text 'name'"),
        ('[texts.cy]\norganisation = ""', "texts.cy.organisation must be text"),
        ('[texts.cy.categories]\nnope = "x"', "names 'nope', which is not one of the categories"),
        ('locations = ["Library"]\n[texts.cy.locations]\nGym = "Campfa"', "names 'Gym'"),
        ('[texts.cy]\nlocations = ["Llyfrgell"]', "must be a table of English name"),
        ("category_labels = {}", "Unknown setting"),
    ],
)
def test_bad_language_settings_are_named(tmp_path, text, fragment):
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text))
    assert fragment in str(info.value)


def test_missing_texts_are_listed_per_language(tmp_path):
    config = load_config(
        write(
            tmp_path,
            'organisation = "Example University"\nlocations = ["Library"]\n'
            '[categories]\nbullying = "Bullying"\nnoise = "Noise"\n'
            '[texts.cy]\ncategories = { noise = "Sŵn" }\n',
        )
    )
    catalogue = {"Bullying", DEFAULT_EMERGENCY}  # what a catalogue translates, as the site's would
    assert config.missing_texts("cy", catalogue.__contains__) == [
        "organisation: no cy text (texts.cy.organisation)",
        "locations: no cy name for 'Library'",
    ]
    assert config.missing_texts("en") == []
    assert config.text("organisation", "cy") == "Example University"  # English stands in
    assert config.locations_in("cy") == ("Library",)
