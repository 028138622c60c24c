"""Session recordings: asciicast v2 files written incrementally and sealed at close."""
