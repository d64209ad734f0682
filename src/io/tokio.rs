//! Async adapters over tokio's `AsyncRead + AsyncWrite` (feature `tokio`).
