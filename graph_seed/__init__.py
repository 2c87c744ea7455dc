"""The curated, sourced governance dataset (YAML files beside this module)."""
