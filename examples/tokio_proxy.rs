//! A SOCKS4/4a/5 CONNECT proxy on `sockswire::io::tokio::accept` and
//! `tokio::io::copy_bidirectional`, with the Arti profile (no authentication, usernames
//! taken as isolation tokens).
//!
//!     cargo run --release --features tokio --example tokio_proxy -- 127.0.0.1:1080

use std::time::Duration;

use sockswire::{SocksAddr, SocksCmd, SocksProxyHandshake, SocksStatus, io};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::time::{Instant, timeout};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let listen = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:1080".into());
    let listener = TcpListener::bind(&listen).await?;
    eprintln!("listening on {}", listener.local_addr()?);
    loop {
        let (client, peer) = listener.accept().await?;
        tokio::spawn(async move {
            if let Err(e) = serve(client).await {
                eprintln!("{peer}: {e}");
            }
        });
    }
}

async fn serve(mut client: TcpStream) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let deadline = Instant::now() + Duration::from_secs(10);
    // Writes the failure reply itself when the handshake fails.
    let accepted =
        io::tokio::accept(&mut client, SocksProxyHandshake::new(), Some(deadline)).await?;
    let request = accepted.request();
    if request.command() != SocksCmd::CONNECT {
        let reply = request.reply(SocksStatus::COMMAND_NOT_SUPPORTED, None)?;
        return Ok(client.write_all(&reply).await?);
    }
    let port = request.port();
    let connecting = match request.addr() {
        SocksAddr::Ip(ip) => {
            timeout(Duration::from_secs(10), TcpStream::connect((*ip, port))).await
        }
        SocksAddr::Hostname(h) => {
            timeout(
                Duration::from_secs(10),
                TcpStream::connect((h.as_str(), port)),
            )
            .await
        }
    };
    let mut target = match connecting {
        Ok(Ok(target)) => target,
        Ok(Err(e)) => {
            let status = match e.kind() {
                std::io::ErrorKind::ConnectionRefused => SocksStatus::CONNECTION_REFUSED,
                _ => SocksStatus::HOST_UNREACHABLE,
            };
            client.write_all(&request.reply(status, None)?).await?;
            return Err(e.into());
        }
        Err(_) => {
            client
                .write_all(&request.reply(SocksStatus::TTL_EXPIRED, None)?)
                .await?;
            return Err("connect timed out".into());
        }
    };
    client
        .write_all(&request.reply(SocksStatus::SUCCEEDED, None)?)
        .await?;
    // What the client sent right behind its request goes first.
    target.write_all(accepted.leftover()).await?;
    tokio::io::copy_bidirectional(&mut client, &mut target).await?;
    Ok(())
}
