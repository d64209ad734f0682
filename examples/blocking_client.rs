//! A blocking SOCKS client: connects through a proxy, sends its standard input to the
//! target, and prints what the target sends (starting with any bytes that came with the
//! proxy's reply: a server-first banner, say).
//!
//!     cargo run --example blocking_client -- socks5h://127.0.0.1:1080 example.com:80 < request
//!
//! On standard error: the reply, or why it failed. Exit status 0 when connected, 1 when
//! the proxy refused, 2 on any other error.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use sockswire::SocksClientHandshake;
use sockswire::io::{Error, SocksStream, blocking};

#[path = "support/proxy_url.rs"]
mod proxy_url;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            let refused = matches!(e.downcast_ref(), Some(Error::Rejected { .. }));
            ExitCode::from(if refused { 1 } else { 2 })
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let args = proxy_url::parse()?;
    let request = args.request()?;
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut tcp = TcpStream::connect(&args.proxy)?;
    let connected =
        blocking::connect(&mut tcp, SocksClientHandshake::new(request), Some(deadline))?;
    let reply = connected.reply();
    eprintln!(
        "reply: {} bound {}:{}, {} bytes with it",
        reply.status(),
        reply.addr(),
        reply.port(),
        connected.leftover().len()
    );
    // Reads start with the leftover bytes.
    let mut stream = SocksStream::new(tcp, connected);
    let mut input = Vec::new();
    std::io::stdin().read_to_end(&mut input)?;
    stream.write_all(&input)?;
    stream.get_ref().shutdown(Shutdown::Write)?;
    stream
        .get_ref()
        .set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut output = Vec::new();
    let read = stream.read_to_end(&mut output);
    std::io::stdout().write_all(&output)?;
    read.map(drop).map_err(Into::into)
}
