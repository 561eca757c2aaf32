"""addok configuration for the side-by-side benchmark: the French national address
engine's own pipeline (addok-fr phonemicize and synonyms, addok-france query cleaning and
labels), on Redis databases 12 and 13 of 127.0.0.1 so nothing else is touched."""

import os

REDIS = {
    "host": os.environ.get("REDIS_HOST") or "127.0.0.1",
    "port": int(os.environ.get("REDIS_PORT") or 6379),
    "indexes": {"db": 12},
    "documents": {"db": 13},
}
QUERY_PROCESSORS_PYPATHS = [
    "addok.helpers.text.check_query_length",
    "addok_france.extract_address",
    "addok_france.clean_query",
    "addok_france.remove_leading_zeros",
]
PROCESSORS_PYPATHS = [
    "addok.helpers.text.tokenize",
    "addok.helpers.text.normalize",
    "addok_france.glue_ordinal",
    "addok_france.fold_ordinal",
    "addok_france.flag_housenumber",
    "addok.helpers.text.synonymize",
    "addok_fr.phonemicize",
]
SEARCH_RESULT_PROCESSORS_PYPATHS = [
    "addok.helpers.results.match_housenumber",
    "addok_france.make_labels",
    "addok.helpers.results.score_by_importance",
    "addok.helpers.results.score_by_autocomplete_distance",
    "addok.helpers.results.score_by_ngram_distance",
    "addok.helpers.results.score_by_geo_distance",
    "addok.helpers.results.adjust_scores",
]
FIELDS = [
    {"key": "name", "boost": 4, "null": False},
    {"key": "postcode", "boost": 1.2},
    {"key": "context"},
]
FILTERS = ["type", "postcode"]
BATCH_WORKERS = 1
