"""People: profiles started without registering, securing them, onboarding and data rights."""
