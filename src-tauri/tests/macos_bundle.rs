//! The macOS bundle's privacy strings and entitlements, checked where they are written: a
//! macOS build cannot be made on the Linux CI machine, so what `tauri build` would read on a
//! Mac is read here. A missing usage string makes macOS kill the app when it opens the mic;
//! a missing entitlement makes a signed build get no microphone without ever asking.

use std::path::Path;

fn read(rel: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn has_key(plist: &str, key: &str) -> bool {
    plist.contains(&format!("<key>{key}</key>"))
}

#[test]
fn the_bundle_config_references_files_that_exist() {
    let conf: serde_json::Value = serde_json::from_str(&read("tauri.conf.json")).unwrap();
    let mac = &conf["bundle"]["macOS"];
    let ent = mac["entitlements"]
        .as_str()
        .expect("bundle.macOS.entitlements");
    let ent = read(ent);
    for key in [
        "com.apple.security.device.audio-input",
        "com.apple.security.device.camera",
    ] {
        assert!(has_key(&ent, key), "{key} missing from the entitlements");
    }
    assert_eq!(mac["hardenedRuntime"], true);
    let files = mac["files"].as_object().expect("bundle.macOS.files");
    for lang in ["en", "ko"] {
        let dest = format!("Resources/{lang}.lproj/InfoPlist.strings");
        let src = files[&dest].as_str().unwrap_or_else(|| panic!("no {dest}"));
        let strings = read(src);
        for key in ["NSMicrophoneUsageDescription", "NSCameraUsageDescription"] {
            assert!(
                strings.contains(&format!("\"{key}\" = \"")),
                "{lang}: {key}"
            );
        }
        let hangul = strings.chars().any(|c| ('가'..='힣').contains(&c));
        assert_eq!(hangul, lang == "ko", "{lang}.lproj");
    }
}

#[test]
fn info_plist_asks_for_the_microphone_and_camera_in_both_languages() {
    let plist = read("Info.plist");
    for key in [
        "NSMicrophoneUsageDescription",
        "NSCameraUsageDescription",
        "CFBundleLocalizations",
    ] {
        assert!(has_key(&plist, key), "{key} missing from Info.plist");
    }
    assert!(plist.contains("<string>ko</string>"));
}
