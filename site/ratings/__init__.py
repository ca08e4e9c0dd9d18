"""好差评: citizens' ratings, the rectification work orders bad ones open, and appeals."""
