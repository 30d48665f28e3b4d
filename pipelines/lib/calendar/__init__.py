"""Calendar exports (.ics): meetings and who attended them."""
