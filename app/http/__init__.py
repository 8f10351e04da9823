"""The HTTP edge: Flask views that validate, build a typed request, hand it to the
kernel and render the response. No decisions are made here."""
