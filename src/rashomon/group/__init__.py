"""Many articles: near-copies, and (in corpus mode) stories."""
