//! Cross-crate tests of the diatomic workspace; see `tests/` and `examples/`.
