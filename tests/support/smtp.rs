//! A real SMTP server on loopback for the tests (mailin-embedded), behind a small TCP relay that
//! the test can take down and bring back up on the same port — a real outage, where the
//! client's connection is refused — and a switch that makes the server answer 4xx or 5xx.

use std::io::{self, Read, Write};
use std::net::{IpAddr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use mailin_embedded::response::{INTERNAL_ERROR, NO_MAILBOX, OK};
use mailin_embedded::{Handler, Response, Server, SslConfig};

/// One message as the server received it.
#[derive(Debug, Clone)]
pub struct Received {
    /// The envelope sender.
    pub from: String,
    pub to: Vec<String>,
    /// The whole message: headers and body, as sent.
    pub data: String,
}

impl Received {
    /// The value of a header (first occurrence, unfolded), e.g. `Subject`.
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.data.split("\r\n\r\n").next().unwrap_or_default();
        let mut lines = head.split("\r\n").peekable();
        while let Some(line) = lines.next() {
            if let Some((key, value)) = line.split_once(':')
                && key.eq_ignore_ascii_case(name)
            {
                let mut value = value.trim().to_owned();
                while lines.peek().is_some_and(|l| l.starts_with([' ', '\t'])) {
                    value.push(' ');
                    value.push_str(lines.next().unwrap_or_default().trim());
                }
                return Some(decode_words(&value));
            }
        }
        None
    }

    pub fn subject(&self) -> String {
        self.header("Subject").unwrap_or_default()
    }
}

/// Decodes RFC 2047 encoded words (`=?utf-8?b?…?=`), which lettre uses for non-ASCII subjects.
fn decode_words(value: &str) -> String {
    value
        .split(' ')
        .map(|word| {
            let Some(inner) = word.strip_prefix("=?").and_then(|w| w.strip_suffix("?=")) else {
                return word.to_owned();
            };
            let parts: Vec<&str> = inner.splitn(3, '?').collect();
            match parts.as_slice() {
                [_, enc, text] if enc.eq_ignore_ascii_case("b") => BASE64
                    .decode(text)
                    .ok()
                    .and_then(|b| String::from_utf8(b).ok())
                    .unwrap_or_else(|| word.to_owned()),
                _ => word.to_owned(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
        .replace("?= =?", "")
}

/// How the server answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Accept = 0,
    /// 451 for every recipient: try again later.
    TryLater = 1,
    /// 550 for every recipient: refused outright.
    Refuse = 2,
}

#[derive(Default)]
struct Mailbox {
    messages: Mutex<Vec<Received>>,
    arrived: Condvar,
}

#[derive(Clone)]
struct Collector {
    mailbox: Arc<Mailbox>,
    answer: Arc<AtomicU8>,
    from: String,
    to: Vec<String>,
    data: Vec<u8>,
}

impl Handler for Collector {
    fn mail(&mut self, _ip: IpAddr, _domain: &str, from: &str) -> Response {
        self.from = from.to_owned();
        self.to.clear();
        self.data.clear();
        OK
    }

    fn rcpt(&mut self, to: &str) -> Response {
        match self.answer.load(Ordering::SeqCst) {
            a if a == Answer::Refuse as u8 => return NO_MAILBOX,
            a if a == Answer::TryLater as u8 => return INTERNAL_ERROR,
            _ => {}
        }
        self.to.push(to.to_owned());
        OK
    }

    fn data(&mut self, buf: &[u8]) -> io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        let received = Received {
            from: self.from.clone(),
            to: std::mem::take(&mut self.to),
            data: String::from_utf8_lossy(&std::mem::take(&mut self.data)).into_owned(),
        };
        self.mailbox.messages.lock().unwrap().push(received);
        self.mailbox.arrived.notify_all();
        OK
    }
}

/// The server and its relay. The relay's port is the one clients use.
pub struct SmtpServer {
    port: u16,
    backend: SocketAddr,
    mailbox: Arc<Mailbox>,
    answer: Arc<AtomicU8>,
    relay: Mutex<Option<Relay>>,
}

struct Relay {
    stop: Arc<AtomicBool>,
    thread: thread::JoinHandle<()>,
}

impl SmtpServer {
    /// Starts the server and its relay on free loopback ports.
    pub fn start() -> Self {
        let mailbox = Arc::new(Mailbox::default());
        let answer = Arc::new(AtomicU8::new(Answer::Accept as u8));
        let backend_listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
        let backend = backend_listener.local_addr().unwrap();
        let handler = Collector {
            mailbox: mailbox.clone(),
            answer: answer.clone(),
            from: String::new(),
            to: Vec::new(),
            data: Vec::new(),
        };
        thread::spawn(move || {
            let mut server = Server::new(handler);
            server
                .with_name("smtp.test")
                .with_num_threads(8)
                .with_ssl(SslConfig::None)
                .expect("no TLS")
                .with_tcp_listener(backend_listener);
            let _ = server.serve();
        });
        let front = TcpListener::bind("127.0.0.1:0").expect("a free port");
        let port = front.local_addr().unwrap().port();
        let server = Self {
            port,
            backend,
            mailbox,
            answer,
            relay: Mutex::new(None),
        };
        server.start_relay(front);
        server
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn set_answer(&self, answer: Answer) {
        self.answer.store(answer as u8, Ordering::SeqCst);
    }

    /// Closes the port: new connections are refused until [`SmtpServer::up`].
    pub fn down(&self) {
        if let Some(relay) = self.relay.lock().unwrap().take() {
            relay.stop.store(true, Ordering::SeqCst);
            // Wake the accept loop so it sees the flag and drops the listener.
            let _ = TcpStream::connect(("127.0.0.1", self.port));
            let _ = relay.thread.join();
        }
        assert!(
            TcpStream::connect(("127.0.0.1", self.port)).is_err(),
            "the port is closed"
        );
    }

    /// Opens the same port again.
    pub fn up(&self) {
        let front = TcpListener::bind(("127.0.0.1", self.port)).expect("the same port again");
        self.start_relay(front);
    }

    fn start_relay(&self, front: TcpListener) {
        let stop = Arc::new(AtomicBool::new(false));
        let (flag, backend) = (stop.clone(), self.backend);
        let thread = thread::spawn(move || {
            for client in front.incoming() {
                if flag.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(client) = client else { continue };
                let Ok(server) = TcpStream::connect(backend) else {
                    continue;
                };
                pipe(client, server);
            }
        });
        *self.relay.lock().unwrap() = Some(Relay { stop, thread });
    }

    /// Every message received so far, in order.
    pub fn messages(&self) -> Vec<Received> {
        self.mailbox.messages.lock().unwrap().clone()
    }

    /// Waits until at least `n` messages have arrived (the delivery the test started runs on
    /// another task), or panics after `timeout` with what did arrive.
    pub fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Received> {
        let deadline = Instant::now() + timeout;
        let mut messages = self.mailbox.messages.lock().unwrap();
        while messages.len() < n {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "expected {n} messages, got {}: {:?}",
                messages.len(),
                messages.iter().map(Received::subject).collect::<Vec<_>>()
            );
            messages = self.mailbox.arrived.wait_timeout(messages, left).unwrap().0;
        }
        messages.clone()
    }
}

fn pipe(client: TcpStream, server: TcpStream) {
    let (Ok(client2), Ok(server2)) = (client.try_clone(), server.try_clone()) else {
        return;
    };
    thread::spawn(move || copy_then_close(client, server));
    thread::spawn(move || copy_then_close(server2, client2));
}

fn copy_then_close(mut from: TcpStream, mut to: TcpStream) {
    let mut buf = [0u8; 8192];
    loop {
        match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                if to.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
        }
    }
    let _ = to.shutdown(Shutdown::Both);
    let _ = from.shutdown(Shutdown::Both);
}

/// A server that accepts connections and never answers: a client that connects hangs in its
/// greeting, as a process does when it dies mid-send.
pub struct SilentServer {
    pub port: u16,
    connected: Arc<(Mutex<usize>, Condvar)>,
}

impl SilentServer {
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
        let port = listener.local_addr().unwrap().port();
        let connected = Arc::new((Mutex::new(0usize), Condvar::new()));
        let seen = connected.clone();
        thread::spawn(move || {
            let mut held = Vec::new();
            for stream in listener.incoming().flatten() {
                held.push(stream);
                *seen.0.lock().unwrap() += 1;
                seen.1.notify_all();
            }
        });
        Self { port, connected }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Waits until a client has connected.
    pub fn wait_for_a_client(&self, timeout: Duration) {
        let (count, cv) = &*self.connected;
        let guard = count.lock().unwrap();
        let (guard, waited) = cv.wait_timeout_while(guard, timeout, |n| *n == 0).unwrap();
        assert!(!waited.timed_out() && *guard > 0, "no client connected");
    }
}
