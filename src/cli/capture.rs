//! Reading packets from pcap and pcapng files, down to TCP and UDP payloads.

use std::fs::File;
use std::io::{Cursor, Read};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use pcap_parser::pcapng::Block;
use pcap_parser::{Linktype, PcapBlockOwned, PcapError, create_reader};

/// A transport-layer packet.
pub struct Segment<'a> {
    pub ts: f64,
    pub src: (IpAddr, u16),
    pub dst: (IpAddr, u16),
    pub proto: Proto,
    pub payload: &'a [u8],
}

/// TCP with its sequence number and flags, or UDP.
#[derive(Clone, Copy, Debug)]
pub enum Proto {
    Tcp {
        seq: u32,
        syn: bool,
        ack: bool,
        fin: bool,
        rst: bool,
    },
    Udp,
}

/// What reading a file came to.
pub struct ReadStats {
    pub packets: u64,
    pub bytes: u64,
    /// Set when the file ended inside a block or could not be parsed further.
    pub error: Option<String>,
}

/// The start of a stream, read until its file header is whole, split into the header and
/// what came with it. `create_reader` decides the format from its first read, which on a
/// pipe may return only part of the header; and then reads once more, which must not wait
/// for packets not yet written while some are already here.
fn header_prefix(input: &mut impl Read) -> std::io::Result<(Vec<u8>, Vec<u8>)> {
    let mut prefix = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        // pcap: a 24-byte header; pcapng: a section header block, its length at bytes 4..8.
        let wanted = match prefix.get(..8) {
            Some([0x0A, 0x0D, 0x0D, 0x0A, l @ ..]) => {
                let l = <[u8; 4]>::try_from(l).unwrap_or_default();
                let le = u32::from_le_bytes(l);
                let len = if le > 0xFFFF {
                    u32::from_be_bytes(l)
                } else {
                    le
                };
                (len as usize).clamp(28, 1 << 16)
            }
            _ => 24,
        };
        if prefix.len() >= wanted {
            let rest = prefix.split_off(wanted);
            return Ok((prefix, rest));
        }
        let n = input.read(&mut chunk)?;
        if n == 0 {
            return Ok((prefix, Vec::new()));
        }
        prefix.extend_from_slice(chunk.get(..n).unwrap_or_default());
    }
}

/// One captured packet, its link layer still on.
pub struct Packet<'a> {
    pub linktype: Linktype,
    pub ts: f64,
    pub data: &'a [u8],
}

impl Packet<'_> {
    /// Down to TCP or UDP; `None` for anything else.
    pub fn segment(&self) -> Option<Segment<'_>> {
        decode(self.linktype, self.ts, self.data)
    }
}

/// What reading a capture calls.
pub trait Packets {
    /// Every packet, in file order.
    fn packet(&mut self, packet: &Packet<'_>);
    /// Before every read that may block: a chance to write what is ready.
    fn idle(&mut self) {}
    /// After every packet, with the bytes of packet data so far.
    fn progress(&mut self, _bytes: u64) {}
}

/// A pcapng section's interfaces, in the order of their description blocks: link type and
/// timestamp unit (from `if_tsresol`; microseconds without it).
#[derive(Clone, Debug, Default)]
pub struct Interfaces(Vec<(Linktype, f64)>);

impl Interfaces {
    /// What a pcapng block means: a packet (an enhanced or simple packet block), or a change
    /// to the interfaces (a section header clears them, an interface description adds one).
    /// The one reading of pcapng blocks, for [`read`] and for the chunked reader of
    /// `dissect --workers`.
    pub fn packet<'b>(&mut self, block: &Block<'b>) -> Option<Packet<'b>> {
        match block {
            Block::SectionHeader(_) => {
                self.0.clear();
                None
            }
            Block::InterfaceDescription(idb) => {
                let unit = 1.0 / idb.ts_resolution().unwrap_or(1_000_000) as f64;
                self.0.push((idb.linktype, unit));
                None
            }
            Block::EnhancedPacket(epb) => {
                let (linktype, unit) = self
                    .0
                    .get(epb.if_id as usize)
                    .copied()
                    .unwrap_or((Linktype::ETHERNET, 1e-6));
                let ticks = (u64::from(epb.ts_high) << 32) | u64::from(epb.ts_low);
                let data = epb.data.get(..epb.caplen as usize).unwrap_or(epb.data);
                Some(Packet {
                    linktype,
                    ts: ticks as f64 * unit,
                    data,
                })
            }
            Block::SimplePacket(spb) => Some(Packet {
                linktype: self.0.first().map_or(Linktype::ETHERNET, |i| i.0),
                ts: 0.0,
                data: spb.data,
            }),
            _ => None,
        }
    }
}

/// A pcap-parser error as a line for the user: its kind, without the input bytes that its
/// `Debug` prints (up to the reader's whole buffer).
pub fn describe<I>(e: &PcapError<I>) -> String {
    match e {
        PcapError::NomError(_, kind) | PcapError::OwnedNomError(_, kind) => {
            format!("malformed block ({kind:?})")
        }
        PcapError::Eof => "end of file".into(),
        PcapError::ReadError => "read error".into(),
        PcapError::Incomplete(n) => format!("incomplete block ({n} bytes more)"),
        PcapError::HeaderNotRecognized => "header not recognized".into(),
        PcapError::UnexpectedEof => "unexpected end of file".into(),
        PcapError::BufferTooSmall => "buffer too small".into(),
    }
}

/// Reads every packet of the capture at `path` (`-`: standard input, read as it comes).
pub fn read(path: &str, to: &mut impl Packets) -> Result<ReadStats, String> {
    let input: Box<dyn Read + Send> = if path == "-" {
        let mut stdin = std::io::stdin();
        let (header, rest) = header_prefix(&mut stdin).map_err(|e| format!("{path}: {e}"))?;
        Box::new(Cursor::new(header).chain(Cursor::new(rest)).chain(stdin))
    } else {
        Box::new(File::open(path).map_err(|e| format!("{path}: {e}"))?)
    };
    let mut capacity = 1 << 20;
    let mut reader = create_reader(capacity, input)
        .map_err(|e| format!("{path}: not a pcap or pcapng file ({e:?})"))?;
    let mut stats = ReadStats {
        packets: 0,
        bytes: 0,
        error: None,
    };
    let mut interfaces = Interfaces::default();
    let mut legacy = (Linktype::ETHERNET, 1e-6);
    loop {
        match reader.next() {
            Ok((offset, block)) => {
                let packet = match block {
                    PcapBlockOwned::LegacyHeader(h) => {
                        let unit = if h.is_nanosecond_precision() {
                            1e-9
                        } else {
                            1e-6
                        };
                        legacy = (h.network, unit);
                        None
                    }
                    PcapBlockOwned::Legacy(b) => Some(Packet {
                        linktype: legacy.0,
                        ts: f64::from(b.ts_sec) + f64::from(b.ts_usec) * legacy.1,
                        data: b.data,
                    }),
                    PcapBlockOwned::NG(ref b) => interfaces.packet(b),
                };
                if let Some(packet) = packet {
                    stats.packets += 1;
                    stats.bytes += packet.data.len() as u64;
                    to.packet(&packet);
                }
                reader.consume(offset);
                to.progress(stats.bytes);
            }
            Err(PcapError::Eof) => break,
            Err(PcapError::Incomplete(_)) => {
                // A block larger than the buffer: grow it, within reason. (A pipe may just
                // not have delivered the rest yet: then the buffer is not full.)
                if reader.data().len() >= capacity {
                    if capacity >= 1 << 26 || !reader.grow(capacity * 2) {
                        stats.error = Some(format!("{path}: a block larger than {capacity} bytes"));
                        break;
                    }
                    capacity *= 2;
                }
                to.idle();
                if reader.refill().is_err() {
                    stats.error = Some(format!(
                        "{path}: read error after {} packets",
                        stats.packets
                    ));
                    break;
                }
                continue;
            }
            Err(PcapError::BufferTooSmall) => {
                // A block the buffer cannot hold: grow it, within reason, and read on.
                if capacity >= 1 << 26 || !reader.grow(capacity * 2) {
                    stats.error = Some(format!("{path}: a block larger than {capacity} bytes"));
                    break;
                }
                capacity *= 2;
                continue;
            }
            Err(PcapError::UnexpectedEof) => {
                stats.error = Some(format!("{path}: truncated after {} packets", stats.packets));
                break;
            }
            Err(e) => {
                stats.error = Some(format!(
                    "{path}: unreadable after {} packets: {}",
                    stats.packets,
                    describe(&e)
                ));
                break;
            }
        }
    }
    Ok(stats)
}

/// Strips the link layer and IP, down to a TCP or UDP segment.
fn decode(linktype: Linktype, ts: f64, data: &[u8]) -> Option<Segment<'_>> {
    let (ethertype, ip) = match linktype {
        Linktype::ETHERNET => {
            let mut ethertype = u16::from_be_bytes([*data.get(12)?, *data.get(13)?]);
            let mut at = 14;
            // 802.1Q / 802.1ad tags.
            while ethertype == 0x8100 || ethertype == 0x88A8 {
                ethertype = u16::from_be_bytes([*data.get(at + 2)?, *data.get(at + 3)?]);
                at += 4;
            }
            (ethertype, data.get(at..)?)
        }
        Linktype::LINUX_SLL => (
            u16::from_be_bytes([*data.get(14)?, *data.get(15)?]),
            data.get(16..)?,
        ),
        Linktype::LINUX_SLL2 => (
            u16::from_be_bytes([*data.first()?, *data.get(1)?]),
            data.get(20..)?,
        ),
        // BSD loopback: a 4-byte address family in host order.
        Linktype::NULL | Linktype::LOOP => {
            let family = u32::from_le_bytes(data.get(..4)?.try_into().ok()?);
            let family = if family > 0xFFFF {
                family.swap_bytes()
            } else {
                family
            };
            (if family == 2 { 0x0800 } else { 0x86DD }, data.get(4..)?)
        }
        Linktype::RAW | Linktype::IPV4 | Linktype::IPV6 => (
            if data.first()? >> 4 == 4 {
                0x0800
            } else {
                0x86DD
            },
            data,
        ),
        _ => return None,
    };
    let (src, dst, proto, l4) = match ethertype {
        0x0800 => {
            let ihl = usize::from(ip.first()? & 0x0F) * 4;
            let total = usize::from(u16::from_be_bytes([*ip.get(2)?, *ip.get(3)?]));
            // Fragments other than the first carry no transport header.
            if u16::from_be_bytes([*ip.get(6)?, *ip.get(7)?]) & 0x1FFF != 0 {
                return None;
            }
            let src = Ipv4Addr::from(<[u8; 4]>::try_from(ip.get(12..16)?).ok()?);
            let dst = Ipv4Addr::from(<[u8; 4]>::try_from(ip.get(16..20)?).ok()?);
            let end = total.min(ip.len()).max(ihl);
            (
                IpAddr::V4(src),
                IpAddr::V4(dst),
                *ip.get(9)?,
                ip.get(ihl..end)?,
            )
        }
        0x86DD => {
            let len = usize::from(u16::from_be_bytes([*ip.get(4)?, *ip.get(5)?]));
            let src = Ipv6Addr::from(<[u8; 16]>::try_from(ip.get(8..24)?).ok()?);
            let dst = Ipv6Addr::from(<[u8; 16]>::try_from(ip.get(24..40)?).ok()?);
            let end = (40 + len).min(ip.len());
            (
                IpAddr::V6(src),
                IpAddr::V6(dst),
                *ip.get(6)?,
                ip.get(40..end)?,
            )
        }
        _ => return None,
    };
    let port = |at: usize| Some(u16::from_be_bytes([*l4.get(at)?, *l4.get(at + 1)?]));
    match proto {
        6 => {
            let offset = usize::from(l4.get(12)? >> 4) * 4;
            let flags = *l4.get(13)?;
            Some(Segment {
                ts,
                src: (src, port(0)?),
                dst: (dst, port(2)?),
                proto: Proto::Tcp {
                    seq: u32::from_be_bytes(l4.get(4..8)?.try_into().ok()?),
                    syn: flags & 0x02 != 0,
                    ack: flags & 0x10 != 0,
                    fin: flags & 0x01 != 0,
                    rst: flags & 0x04 != 0,
                },
                payload: l4.get(offset..)?,
            })
        }
        17 => Some(Segment {
            ts,
            src: (src, port(0)?),
            dst: (dst, port(2)?),
            proto: Proto::Udp,
            payload: l4.get(8..)?,
        }),
        _ => None,
    }
}
