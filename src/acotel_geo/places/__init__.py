"""acotel_geo.places."""
