"""Model files assembled from registry packages (see models/manifest.json)."""
