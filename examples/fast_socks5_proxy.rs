//! The load benchmark's comparison: fast-socks5's own server (a dev-dependency) as a SOCKS5
//! CONNECT proxy, no authentication, with its defaults otherwise (it connects and relays
//! with `copy_bidirectional`, as the tokio_proxy example does). Not part of the library.
//!
//!     cargo run --release --example fast_socks5_proxy -- 127.0.0.1:PORT

use std::sync::Arc;

use fast_socks5::server::{Config, DenyAuthentication, Socks5Socket};
use tokio::net::TcpListener;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let listen = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:1080".into());
    let listener = TcpListener::bind(&listen).await?;
    eprintln!("listening on {}", listener.local_addr()?);
    // No `auth` set: fast-socks5 then serves "no authentication".
    let config = Arc::new(Config::<DenyAuthentication>::default());
    loop {
        let (socket, peer) = listener.accept().await?;
        let config = config.clone();
        tokio::spawn(async move {
            if let Err(e) = Socks5Socket::new(socket, config).upgrade_to_socks5().await {
                eprintln!("{peer}: {e}");
            }
        });
    }
}
