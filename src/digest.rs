//! The SHA-256 of a file's bytes as lower-case hex: what the manifest records for every input,
//! template and output, and what `verify` compares. One function, low in the module graph,
//! because the readers, the branding, the report model and the writers all take it.

use sha2::{Digest, Sha256};

/// The SHA-256 of `bytes`, as 64 lower-case hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 of bytes given in parts (a file read in blocks).
#[derive(Default)]
pub struct Sha256Hasher(Sha256);

impl Sha256Hasher {
    pub fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    /// The hash of everything given, as 64 lower-case hex digits.
    pub fn hex(self) -> String {
        hex(&self.0.finalize())
    }
}
