"""acotel_voice.calls."""
