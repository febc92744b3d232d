//! Connections as the server serves them. hyper refuses a request whose address is longer
//! than it reads (64 KB) before any of our code runs, with a bare `414` and no body: a person
//! following such a link sees an empty page, a client gets no reason. Each connection's
//! writes are watched for that one answer, which is replaced by ours (in Vietnamese; JSON for
//! the API). Nothing else written is touched.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

/// The server's listener: TCP, with each connection wrapped in a [`Conn`].
pub struct Listener(TcpListener);

impl Listener {
    pub async fn bind(addr: &str) -> io::Result<Listener> {
        Ok(Listener(TcpListener::bind(addr).await?))
    }
}

/// The address a connection comes from (what `ConnectInfo` carries for each request).
#[derive(Clone, Copy, Debug)]
pub struct Peer(pub SocketAddr);

impl axum::extract::connect_info::Connected<axum::serve::IncomingStream<'_, Listener>> for Peer {
    fn connect_info(stream: axum::serve::IncomingStream<'_, Listener>) -> Peer {
        Peer(*stream.remote_addr())
    }
}

impl axum::serve::Listener for Listener {
    type Io = Conn;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Conn, SocketAddr) {
        // axum's own accept loop: errors (too many open files…) wait and try again
        let (io, addr) = axum::serve::Listener::accept(&mut self.0).await;
        (Conn::new(io), addr)
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.0.local_addr()
    }
}

/// How many first bytes of a request are kept: enough for "GET /api/".
const START: usize = 16;

pub struct Conn {
    io: TcpStream,
    /// The first bytes of the request being read (an API client is answered in JSON).
    start: [u8; START],
    start_len: usize,
    /// A response was written since: the next bytes read start another request.
    answered: bool,
    answer: Answer,
}

/// hyper's own answers pass; its bare 414 is replaced by ours.
enum Answer {
    Hypers,
    /// Ours, and how much of it is written.
    Replacing(Vec<u8>, usize),
    /// Ours is written: anything after it from hyper is dropped (it closes).
    Replaced,
}

impl Conn {
    fn new(io: TcpStream) -> Conn {
        Conn {
            io,
            start: [0; START],
            start_len: 0,
            answered: false,
            answer: Answer::Hypers,
        }
    }
}

/// hyper's answer to an address it cannot read: the status line and no body.
fn is_bare_uri_too_long(buf: &[u8]) -> bool {
    let head = &buf[..buf.len().min(256)];
    head.starts_with(b"HTTP/1.1 414 ")
        && head
            .windows(b"content-length: 0\r\n".len())
            .any(|w| w.eq_ignore_ascii_case(b"content-length: 0\r\n"))
}

/// Our answer, for the request whose first bytes were `start`.
fn uri_too_long_answer(start: &[u8]) -> Vec<u8> {
    let api = start.windows(b" /api/".len()).any(|w| w == b" /api/");
    let (kind, body) = if api {
        (
            "application/json",
            serde_json::json!({
                "code": "uri_too_long",
                "message": "Địa chỉ của yêu cầu dài quá 64 KB nên máy chủ không đọc được. \
                            Hãy gửi ít điều kiện hơn, hoặc gửi dữ liệu trong thân yêu cầu (POST).",
                "fields": [],
            })
            .to_string(),
        )
    } else {
        (
            "text/html; charset=utf-8",
            "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>Địa chỉ quá dài — steerco</title></head><body>\
             <h1>Địa chỉ quá dài</h1><p>Địa chỉ (URL) của trang này dài quá 64 KB nên máy chủ \
             không đọc được. Hãy bớt điều kiện lọc rồi thử lại, hoặc về \
             <a href=\"/\">trang chủ</a>.</p></body></html>"
                .to_string(),
        )
    };
    format!(
        "HTTP/1.1 414 URI Too Long\r\ncontent-type: {kind}\r\ncontent-length: {}\r\n\
         cache-control: no-store\r\nx-content-type-options: nosniff\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

impl AsyncRead for Conn {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        ready!(Pin::new(&mut self.io).poll_read(cx, buf))?;
        let this = &mut *self;
        let read = &buf.filled()[before..];
        if !read.is_empty() {
            if this.answered {
                this.answered = false;
                this.start_len = 0;
            }
            let n = (START - this.start_len).min(read.len());
            this.start[this.start_len..this.start_len + n].copy_from_slice(&read[..n]);
            this.start_len += n;
        }
        Poll::Ready(Ok(()))
    }
}

impl AsyncWrite for Conn {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        if let Answer::Hypers = this.answer {
            if !is_bare_uri_too_long(buf) {
                this.answered = true;
                return Pin::new(&mut this.io).poll_write(cx, buf);
            }
            this.answer = Answer::Replacing(uri_too_long_answer(&this.start[..this.start_len]), 0);
        }
        if let Answer::Replacing(ours, written) = &mut this.answer {
            while *written < ours.len() {
                let n = ready!(Pin::new(&mut this.io).poll_write(cx, &ours[*written..]))?;
                if n == 0 {
                    return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
                }
                *written += n;
            }
            this.answer = Answer::Replaced;
        }
        // hyper's own bytes count as written: they were answered for
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_bare_414_is_replaced_and_the_api_is_answered_in_json() {
        assert!(is_bare_uri_too_long(
            b"HTTP/1.1 414 URI Too Long\r\ncontent-length: 0\r\ndate: x\r\n\r\n"
        ));
        assert!(!is_bare_uri_too_long(
            b"HTTP/1.1 414 URI Too Long\r\ncontent-length: 120\r\n\r\n"
        ));
        assert!(!is_bare_uri_too_long(
            b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n"
        ));
        let api = String::from_utf8(uri_too_long_answer(b"GET /api/v1/tas")).unwrap();
        assert!(api.contains("application/json") && api.contains("uri_too_long"));
        let page = String::from_utf8(uri_too_long_answer(b"GET /tasks?q=aaa")).unwrap();
        let (head, body) = page.split_once("\r\n\r\n").unwrap();
        assert!(head.contains(&format!("content-length: {}", body.len())));
        assert!(body.contains("Địa chỉ quá dài"));
    }
}
