"""Process plumbing: app workers, nginx in front of them, headless Chromium, timing, static files, the hand-out."""
