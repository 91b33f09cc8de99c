//! The SHA-256 of a file's bytes as lower-case hex: what the manifest records for every input,
//! template and output, and what `verify` compares; also of a file written in parts or read in
//! blocks (a large report's JSON is never held whole). Low in the module graph, because the
//! readers, the branding, the report model and the writers all take it.

use sha2::{Digest, Sha256};

/// The SHA-256 of `bytes`, as 64 lower-case hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// The SHA-256 of everything `reader` yields, read in blocks (a file of any size without
/// holding it), as 64 lower-case hex digits.
pub fn sha256_hex_of_reader(mut reader: impl std::io::Read) -> std::io::Result<String> {
    let mut w = HashingWriter::new(std::io::sink());
    std::io::copy(&mut reader, &mut w)?;
    Ok(w.finish().1)
}

/// Passes what is written on to `inner` and hashes it on the way: the SHA-256 of a file that
/// is written in parts (a report's JSON, streamed), without holding the file.
pub struct HashingWriter<W> {
    inner: W,
    hash: Sha256,
}

impl<W: std::io::Write> HashingWriter<W> {
    pub fn new(inner: W) -> Self {
        HashingWriter { inner, hash: Sha256::new() }
    }

    /// The inner writer and the SHA-256 of what went through, as 64 lower-case hex digits.
    pub fn finish(self) -> (W, String) {
        (self.inner, hex(&self.hash.finalize()))
    }
}

impl<W: std::io::Write> std::io::Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// Written in parts or read from a reader, the hash is the one of the whole bytes.
    #[test]
    fn hashing_in_parts_gives_the_hash_of_the_whole() {
        let bytes: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
        let mut w = HashingWriter::new(Vec::new());
        for part in bytes.chunks(777) {
            w.write_all(part).unwrap();
        }
        let (out, hash) = w.finish();
        assert_eq!(out, bytes);
        assert_eq!(hash, sha256_hex(&bytes));
        assert_eq!(sha256_hex_of_reader(bytes.as_slice()).unwrap(), hash);
        // The well-known hash of "abc".
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
