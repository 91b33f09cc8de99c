//! The SHA-256 of a file's bytes as lower-case hex: what the manifest records for every input,
//! template and output, and what `verify` compares. One function, low in the module graph,
//! because the readers, the branding, the report model and the writers all take it.

use sha2::{Digest, Sha256};

/// The SHA-256 of `bytes`, as 64 lower-case hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
