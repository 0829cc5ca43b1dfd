"""Generation: backends (grounded, openai, llamacpp) that turn a retrieval result into an API call."""
