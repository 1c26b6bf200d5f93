"""Pages: each reads the view, calls pure functions and renders figures from `components`."""
