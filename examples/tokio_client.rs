//! A tokio SOCKS client: connects through a proxy in one call, sends its standard input to
//! the target, and prints what the target sends (starting with any bytes that came with
//! the proxy's reply: a server-first banner, say).
//!
//!     cargo run --features tokio --example tokio_client -- socks5h://127.0.0.1:1080 example.com:80 < request
//!
//! Exit status 0 when connected, 1 when the proxy refused, 2 on any other error.

use std::process::ExitCode;
use std::time::Duration;

use sockswire::io::Error;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::time::{Instant, timeout};

#[path = "support/proxy_url.rs"]
mod proxy_url;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            let refused = matches!(e.downcast_ref(), Some(Error::Rejected { .. }));
            ExitCode::from(if refused { 1 } else { 2 })
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let args = proxy_url::parse()?;
    let request = args.request()?;
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut stream =
        sockswire::io::tokio::connect_request_to(&*args.proxy, request, Some(deadline)).await?;
    eprintln!(
        "reply: SUCCEEDED, {} bytes with it",
        stream.leftover().len()
    );
    let mut input = Vec::new();
    std::io::Read::read_to_end(&mut std::io::stdin(), &mut input)?;
    stream.write_all(&input).await?;
    stream.shutdown().await?;
    let mut output = Vec::new();
    let read = timeout(Duration::from_secs(10), stream.read_to_end(&mut output)).await;
    std::io::Write::write_all(&mut std::io::stdout(), &output)?;
    read?.map(drop).map_err(Into::into)
}
