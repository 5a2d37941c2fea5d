"""Services: plain functions taking a session and the acting user. They flush; callers commit."""
