"""Item pipelines: extract -> archive (dedup + store) -> index. Thin glue, one step each."""
