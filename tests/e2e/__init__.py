"""End-to-end tests: the web server with a real browser and client."""
