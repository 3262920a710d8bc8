//! Fingerprints the migrations and the reference data, so that test harnesses can tell whether a
//! migrated template database is still current without running anything.
use std::hash::Hasher;
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("../..");
    let mut files = Vec::new();
    for dir in ["migrations", "data/reference"] {
        let dir = root.join(dir);
        println!("cargo:rerun-if-changed={}", dir.display());
        collect(&dir, &mut files);
    }
    files.sort();
    // FNV-1a: stable across compilers, unlike std's DefaultHasher.
    let mut hash = fnv::FnvHasher::default();
    for file in &files {
        let rel = file.strip_prefix(&root).unwrap().to_string_lossy().into_owned();
        hash.write(rel.as_bytes());
        hash.write(&std::fs::read(file).unwrap());
        println!("cargo:rerun-if-changed={}", file.display());
    }
    println!("cargo:rustc-env=FINSAM_SCHEMA_FINGERPRINT={:016x}", hash.finish());
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}
