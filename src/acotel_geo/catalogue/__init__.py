"""acotel_geo.catalogue."""
