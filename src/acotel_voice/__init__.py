"""acotel_voice: the conversation with the caller (turn engine and HTTP adapter)."""
