"""Form helpers shared by every blueprint."""
