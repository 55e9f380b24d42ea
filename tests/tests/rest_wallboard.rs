//! The wallboard (issue 5, part 4) in headless Chromium: the page served by `GET /wallboard?center=...` loads, opens
//! its event stream, and its figures (queue depth, longest wait, agents by state, completed contacts, the event list)
//! change while it stays open as contacts are enqueued, assigned and completed through Redis.
//!
//! The browser is driven over the DevTools protocol (a WebSocket), reading the figures' `data-value` attributes with
//! `Runtime.evaluate`. Needs Debian's `chromium` package: without `/usr/bin/chromium` the test says so and passes.

mod rest_common;

use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use acd_tests::wait_for;
use rest_common::{start, CENTER};
use serde_json::{json, Value};
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

const CHROMIUM: &str = "/usr/bin/chromium";
const BROWSER_DEADLINE: Duration = Duration::from_secs(30);
const UPDATE_DEADLINE: Duration = Duration::from_secs(5);

/// A headless Chromium showing one page, killed on drop.
struct Browser {
    child: Child,
    socket: WebSocket<MaybeTlsStream<TcpStream>>,
    next_id: u64,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn open(url: &str) -> Browser {
        let profile = tempfile::tempdir().expect("a profile directory");
        let child = Command::new(CHROMIUM)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg(url)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("run chromium");
        // Chromium writes the port it picked to DevToolsActivePort in the profile.
        let port_file = profile.path().join("DevToolsActivePort");
        let deadline = Instant::now() + BROWSER_DEADLINE;
        let port = loop {
            let port = std::fs::read_to_string(&port_file)
                .ok()
                .and_then(|text| text.lines().next().and_then(|l| l.parse::<u16>().ok()));
            if let Some(port) = port {
                break port;
            }
            assert!(
                Instant::now() < deadline,
                "chromium opened no DevTools port"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        let page = loop {
            let targets: Value =
                reqwest::blocking::get(format!("http://127.0.0.1:{port}/json/list"))
                    .and_then(|r| r.json())
                    .unwrap_or(Value::Null);
            let page = targets.as_array().and_then(|t| {
                t.iter()
                    .find(|t| {
                        t["type"] == "page"
                            && t["url"].as_str().is_some_and(|u| u.contains("/wallboard"))
                    })
                    .and_then(|t| t["webSocketDebuggerUrl"].as_str().map(str::to_owned))
            });
            if let Some(page) = page {
                break page;
            }
            assert!(
                Instant::now() < deadline,
                "chromium shows no wallboard page: {targets}"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        let (socket, _) = tungstenite::connect(page.as_str()).expect("the DevTools WebSocket");
        Browser {
            child,
            socket,
            next_id: 1,
            _profile: profile,
        }
    }

    /// Evaluates `expression` in the page; answers its value.
    fn eval(&mut self, expression: &str) -> Value {
        let params = json!({"expression": expression, "returnByValue": true});
        self.call("Runtime.evaluate", params)["result"]["value"].clone()
    }

    /// Saves a PNG of the page to `$ACD_WALLBOARD_PNG`, when set (to look at the page).
    fn screenshot_if_asked(&mut self) {
        let Some(path) = std::env::var_os("ACD_WALLBOARD_PNG") else {
            return;
        };
        let shot = self.call("Page.captureScreenshot", json!({"format": "png"}));
        let data = shot["data"].as_str().expect("screenshot data");
        let png = base64_decode(data);
        std::fs::write(&path, png).expect("write the screenshot");
    }

    /// Sends a DevTools command; answers its result.
    fn call(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let call = json!({"id": id, "method": method, "params": params});
        self.socket
            .send(Message::text(call.to_string()))
            .expect("send to DevTools");
        loop {
            let message = self.socket.read().expect("read from DevTools");
            let Ok(text) = message.to_text() else {
                continue;
            };
            let reply: Value = serde_json::from_str(text).unwrap_or(Value::Null);
            if reply["id"] == id {
                return reply["result"].clone();
            }
        }
    }

    /// The `data-value` of the element with this id.
    fn figure(&mut self, id: &str) -> String {
        let value = self.eval(&format!("document.getElementById({id:?}).dataset.value"));
        value.as_str().unwrap_or_default().to_owned()
    }

    /// Waits until the figure `id` reads `want`.
    fn expect_figure(&mut self, id: &str, want: &str) {
        let deadline = Instant::now() + UPDATE_DEADLINE;
        loop {
            let got = self.figure(id);
            if got == want {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "#{id} reads {got:?}, not {want:?}, after {UPDATE_DEADLINE:?}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn the_wallboard_shows_the_center_live() {
    if !Path::new(CHROMIUM).exists() {
        eprintln!("skipped: {CHROMIUM} is missing (Debian package `chromium`); the wallboard was not tested");
        return;
    }
    let (redis, rest, api) = start();
    let mut c = redis.conn();
    let page = api.get(&format!("/wallboard?center={CENTER}"));
    assert!(
        page.content_type.starts_with("text/html"),
        "{}",
        page.content_type
    );

    c.ok(format!("ACD.AGENT.ADD {CENTER} ana SKILLS 0"));
    let mut browser = Browser::open(&rest.url(&format!("/wallboard?center={CENTER}")));
    wait_for(UPDATE_DEADLINE, "the page's event stream to open", || {
        browser.eval("document.getElementById('link').textContent") == "live"
    });
    assert_eq!(
        browser.eval("document.getElementById('center').textContent"),
        CENTER
    );
    browser.expect_figure("queued", "0");
    browser.expect_figure("agents-notready", "1");
    browser.expect_figure("longest-wait", "0");

    for contact in ["c1", "c2", "c3"] {
        assert_eq!(
            c.bulk(format!("ACD.ENQUEUE {CENTER} {contact} SKILLS 0")),
            None
        );
    }
    browser.expect_figure("queued", "3");
    wait_for(UPDATE_DEADLINE, "the longest wait to grow", || {
        browser
            .figure("longest-wait")
            .parse::<u64>()
            .is_ok_and(|ms| ms > 0)
    });

    assert_eq!(
        c.bulk(format!("ACD.READY {CENTER} ana")).as_deref(),
        Some("c1")
    );
    browser.expect_figure("queued", "2");
    browser.expect_figure("agents-busy", "1");
    browser.expect_figure("agents-notready", "0");
    browser.expect_figure("service-level", "1");

    c.status(format!("ACD.COMPLETE {CENTER} c1"));
    browser.expect_figure("completed", "1");
    browser.expect_figure("queued", "1");
    let throughput = browser.figure("throughput");
    assert!(
        throughput.parse::<u64>().is_ok(),
        "throughput {throughput:?}"
    );
    let listed = browser.eval("document.querySelectorAll('#events li').length");
    assert!(
        listed.as_u64().is_some_and(|n| n >= 5),
        "the event list shows the changes: {listed}"
    );
    browser.screenshot_if_asked();
}

/// Decodes standard base64 (the DevTools screenshot encoding).
fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let digits: Vec<u8> = text.bytes().filter(|c| *c != b'=').map(value).collect();
    digits
        .chunks(4)
        .flat_map(|chunk| {
            let n =
                chunk.iter().fold(0u32, |n, d| (n << 6) | u32::from(*d)) << (6 * (4 - chunk.len()));
            let bytes = n.to_be_bytes();
            bytes[1..chunk.len()].to_vec()
        })
        .collect()
}
