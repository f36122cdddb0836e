"""`marsad watch`: poll feeds and folders, code what is new, store it once, and raise alerts (docs/watch.md)."""
