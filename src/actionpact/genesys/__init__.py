"""The emulation: what Genesys does with a Data Action definition, step by step."""
