"""The web UI (`rashomon serve`): see rashomon.web.app."""
