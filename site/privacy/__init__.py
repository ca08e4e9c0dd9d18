"""Personal data of citizens: what is masked before anything they wrote is published."""
