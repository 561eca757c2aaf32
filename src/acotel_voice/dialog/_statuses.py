"""Call statuses of the experiment, exactly as the tender defines them (§6.1)."""

from __future__ import annotations

from ._state import CallState

DEFINITIONS = {
    "traite": "a first interaction happened: the open question was asked, answered, and the "
              "answer understood (with or without rewording)",
    "non_traite": "the caller hung up before the first question, or the answer to it was not "
                  "understood despite the prompts and rewordings",
    "requete": "a search was run (the call is efficace or non_efficace)",
    "efficace": "the search found workshops in the search area",
    "non_efficace": "the search ran but found nothing, even after widening distance and time",
    "abandonne": "the caller hung up before the result of the first search",
    "abouti": "the call reached the leave-taking",
    "evalue": "the caller answered the evaluation questions",
    "malade": "a sick or depressed caller was detected",
    "incivilite": "the call did not reach the leave-taking and the caller was uncivil",
    "hors_sujet": "the call was entirely out of scope or off topic",
}


def statuses(state: CallState) -> list[str]:
    results, outcome = state.results, state.outcome
    found: list[str] = []
    found.append("traite" if state.request.understood else "non_traite")
    if results.searches:
        found.append("requete")
        found.append("efficace" if results.found_any else "non_efficace")
    elif outcome.caller_hung_up and not outcome.off_topic and not outcome.safety:
        found.append("abandonne")  # a call answered for another service or for the caller's
        # safety was handled, not abandoned
    if outcome.reached_goodbye:
        found.append("abouti")
    if outcome.evaluation:
        found.append("evalue")
    if outcome.distress:
        found.append("malade")
    if outcome.insults and not outcome.reached_goodbye:
        found.append("incivilite")
    if outcome.off_topic and not results.searches:
        found.append("hors_sujet")
    return found
