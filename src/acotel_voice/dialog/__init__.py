"""acotel_voice.dialog."""
