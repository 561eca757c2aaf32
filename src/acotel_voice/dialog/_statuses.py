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
    found: list[str] = []
    found.append("traite" if state.request_understood else "non_traite")
    if state.searches:
        found.append("requete")
        found.append("efficace" if state.found_any else "non_efficace")
    elif state.caller_hung_up and not state.off_topic and not state.safety:
        found.append("abandonne")  # a call answered for another service or for the caller's
        # safety was handled, not abandoned
    if state.reached_goodbye:
        found.append("abouti")
    if state.evaluation:
        found.append("evalue")
    if state.distress:
        found.append("malade")
    if state.insults and not state.reached_goodbye:
        found.append("incivilite")
    if state.off_topic and not state.searches:
        found.append("hors_sujet")
    return found
