//! Async adapters over futures-io's `AsyncRead + AsyncWrite` (feature `futures-io`).
