"""The FastAPI service: a thin HTTP shell over the govmap library."""
