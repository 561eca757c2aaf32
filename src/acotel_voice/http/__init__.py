"""acotel_voice.http."""
