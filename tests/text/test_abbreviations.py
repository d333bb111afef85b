from text.abbreviations import best_long_form, definitions, rewrite

# From CRS In Focus IF12608 ("U.S. Interest in Seabed Mining in Areas Beyond National Jurisdiction").
SEABED = ("The International Seabed Authority (ISA) regulates mining in the Area. To date, the ISA has issued "
          "31 exploration contracts, of which 17 are located in the Clarion-Clipperton Zone (CCZ).")


def test_long_form_before_the_short_form():
    assert definitions(SEABED) == (("ISA", "International Seabed Authority"), ("CCZ", "Clarion-Clipperton Zone"))


def test_short_form_before_the_long_form():
    text = "NOAA (National Oceanic and Atmospheric Administration) issued a permit."
    assert definitions(text) == (("NOAA", "National Oceanic and Atmospheric Administration"),)


def test_nested_parentheses_and_a_second_item_after_a_semicolon():
    text = ("The Infrastructure Investment and Jobs Act (IIJA; P.L. 117-58) passed. "
            "Z (the Zeta Alpha (ZA)) and the U.S. Geological Survey (USGS) reported.")
    assert dict(definitions(text)) == {"IIJA": "Infrastructure Investment and Jobs Act", "ZA": "Zeta Alpha",
                                       "USGS": "U.S. Geological Survey"}


def test_parentheses_that_are_no_abbreviation():
    text = ("The ISA has issued 31 exploration contracts (17 in the CCZ). Costs rose (see below) in 2023 (2024). "
            "Mining (deep) is risky (e.g., plumes). The plan (Plan B) failed.")
    assert definitions(text) == ()


def test_the_first_definition_of_a_short_form_wins_and_each_is_listed_once():
    text = "The Department of Defense (DOD) spent more. The Department of Defense (DOD) said so."
    assert definitions(text) == (("DOD", "Department of Defense"),)


def test_best_long_form_is_the_shortest_tail_that_spells_the_short_form():
    assert best_long_form("ISA", "regulates the International Seabed Authority") == "International Seabed Authority"
    assert best_long_form("XYZ", "International Seabed Authority") is None


def test_rewrite_swaps_either_form_whole_words_only():
    pairs = (("ISA", "International Seabed Authority"), ("US", "United States"))
    assert rewrite("How many contracts has the International Seabed Authority issued?", pairs) == \
        "How many contracts has the ISA issued?"
    assert rewrite("What has the ISA issued?", pairs) == "What has the International Seabed Authority issued?"
    assert rewrite("Has it told us about ISAs?", pairs) == "Has it told us about ISAs?"  # "us" is not "US"


def test_an_uppercase_short_form_never_starts_at_a_function_word():
    text = "The Office of Homeland Security (OHS) and the Department of the Interior (DOI) met."
    assert dict(definitions(text)) == {"OHS": "Office of Homeland Security", "DOI": "Department of the Interior"}
