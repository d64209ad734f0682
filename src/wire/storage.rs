//! [`Storage`]: the byte storage a reader buffers into, the caller's choice.

/// Byte storage for a handshake's [`Buffer`](crate::Buffer) or a
/// [`Dissector`](crate::dissect::Dissector): an array, a `&mut [u8]` of the caller's, a
/// `Vec<u8>`, ... Its length is the most either will buffer; neither ever grows it.
pub trait Storage: AsRef<[u8]> + AsMut<[u8]> {}
impl<S: AsRef<[u8]> + AsMut<[u8]>> Storage for S {}
