"""Host policy packs and actors; the only place vendor or network names appear."""
