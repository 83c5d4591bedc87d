"""Training: the person's home page with today's training (and later plans, sessions, the player)."""
