//! Every command the UI can call is declared to Tauri (build.rs) and granted to the main
//! window (capabilities/default.json); a command missing from either fails at run time only,
//! in the webview, as "not allowed".

use std::collections::BTreeSet;

#[test]
fn every_command_is_declared_and_granted() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let commands: BTreeSet<String> = greenroom_desktop::command_signatures()
        .iter()
        .map(|c| c.name.to_owned())
        .collect();
    let build = std::fs::read_to_string(dir.join("build.rs")).unwrap();
    let list = &build[build.find("const COMMANDS").unwrap()..];
    let list = &list[..list.find("];").unwrap()];
    let declared: BTreeSet<String> = list
        .split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect();
    assert_eq!(
        declared, commands,
        "build.rs COMMANDS vs. the shell's commands"
    );
    let caps: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("capabilities/default.json")).unwrap(),
    )
    .unwrap();
    let granted: BTreeSet<String> = caps["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p.as_str()?.strip_prefix("allow-"))
        .map(|p| p.replace('-', "_"))
        .collect();
    assert_eq!(
        granted, commands,
        "capabilities/default.json vs. the shell's commands"
    );
}
