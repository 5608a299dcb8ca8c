//! Fails when ui/src/bindings.ts no longer matches the Rust commands and payloads.
//! `GREENROOM_UPDATE_BINDINGS=1 cargo test -p greenroom-desktop --test bindings` rewrites it
//! (`./x bindings` does this).

#[test]
fn typescript_bindings_are_fresh() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings.ts");
    let want = greenroom_desktop::bindings();
    if std::env::var_os("GREENROOM_UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &want).expect("write bindings");
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "ui/src/bindings.ts is stale: run `./x bindings` and commit the result"
    );
}
