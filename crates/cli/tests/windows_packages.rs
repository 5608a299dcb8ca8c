//! The Windows packages `./x test` (and `./x dist`) make from the Windows build: the portable
//! zip and the NSIS installer, opened, read and run under Wine as a user would: unzip and
//! start; or install, start from the install folder, uninstall. GREENROOM_WINDOWS_DIST is the
//! folder they are in (scripts/dist.sh).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use greenroom_testbed::{win_path, wine, wine_prefix};

fn dist() -> Option<PathBuf> {
    match std::env::var_os("GREENROOM_WINDOWS_DIST") {
        Some(d) => Some(PathBuf::from(d)),
        None => {
            assert!(
                std::env::var_os("GREENROOM_REQUIRE_WINDOWS").is_none(),
                "the Windows packages are required but GREENROOM_WINDOWS_DIST is not set"
            );
            eprintln!(
                "skipped: needs the Windows packages (GREENROOM_WINDOWS_DIST, ./x test sets it)"
            );
            None
        }
    }
}

fn one(dir: &Path, suffix: &str) -> PathBuf {
    let found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "one *{suffix} in {}: {found:?}",
        dir.display()
    );
    found.into_iter().next().unwrap()
}

/// Runs an NSIS program (installer or uninstaller) silently with `arg`; it must succeed.
fn run_silently(exe: &Path, arg: String) {
    let out = wine(exe).arg("/S").arg(arg).output().unwrap();
    assert!(out.status.success(), "{} /S: {out:?}", exe.display());
}

/// Machine and subsystem from a PE file's headers (PE/COFF spec: e_lfanew at 0x3c, the
/// machine right after "PE\0\0", Subsystem at offset 68 of the optional header, PE32 and PE32+ alike).
fn pe_header(path: &Path) -> (u16, u16) {
    let b = std::fs::read(path).unwrap();
    assert_eq!(&b[..2], b"MZ", "{}: no MZ header", path.display());
    let pe = u32::from_le_bytes(b[0x3c..0x40].try_into().unwrap()) as usize;
    assert_eq!(
        &b[pe..pe + 4],
        b"PE\0\0",
        "{}: no PE signature",
        path.display()
    );
    let machine = u16::from_le_bytes([b[pe + 4], b[pe + 5]]);
    let opt = pe + 24;
    let subsystem = u16::from_le_bytes([b[opt + 68], b[opt + 69]]);
    (machine, subsystem)
}

const AMD64: u16 = 0x8664;
const GUI: u16 = 2;
const CONSOLE: u16 = 3;

/// The DLLs `exe` imports, lower-case (objdump's import table).
fn imports(exe: &Path) -> BTreeSet<String> {
    let out = Command::new("x86_64-w64-mingw32-objdump")
        .arg("-p")
        .arg(exe)
        .output()
        .expect("x86_64-w64-mingw32-objdump runs");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.trim().strip_prefix("DLL Name: "))
        .map(|n| n.trim().to_lowercase())
        .collect()
}

/// Every DLL the programs import is part of Windows (Wine's system32 has it) or ships
/// in `folder`: nothing depends on a MinGW runtime the user does not have.
fn assert_imports_resolve(folder: &Path) {
    let system32 = wine_prefix().join("drive_c/windows/system32");
    let system: BTreeSet<String> = std::fs::read_dir(&system32)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_lowercase())
        .collect();
    let shipped: BTreeSet<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_lowercase())
        .collect();
    for exe in ["greenroom-desktop.exe", "greenroom.exe"] {
        let dlls = imports(&folder.join(exe));
        assert!(dlls.contains("kernel32.dll"), "{exe}: {dlls:?}");
        // The WebView2 runtime comes with Windows; its loader ships beside the app.
        let unresolved: Vec<&String> = dlls
            .iter()
            .filter(|d| !system.contains(*d) && !shipped.contains(*d))
            .filter(|d| !d.starts_with("api-ms-win-"))
            .collect();
        assert!(
            unresolved.is_empty(),
            "{exe} imports {unresolved:?}, which Windows does not have"
        );
        for mingw in [
            "libstdc++-6.dll",
            "libwinpthread-1.dll",
            "libgcc_s_seh-1.dll",
        ] {
            assert!(!dlls.contains(mingw), "{exe} needs {mingw}");
        }
    }
    assert!(imports(&folder.join("greenroom-desktop.exe")).contains("webview2loader.dll"));
}

fn version_of(exe: &Path) -> String {
    let out = wine(exe).arg("--version").output().unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

#[test]
fn the_portable_zip_holds_the_app_and_runs_where_it_is_unpacked() {
    let Some(dist) = dist() else { return };
    let zip = one(&dist, "_windows_x64.zip");
    let list = Command::new("unzip").arg("-Z1").arg(&zip).output().unwrap();
    assert!(list.status.success());
    let names: BTreeSet<String> = String::from_utf8_lossy(&list.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    let want: BTreeSet<String> = [
        "Greenroom/",
        "Greenroom/greenroom-desktop.exe",
        "Greenroom/greenroom.exe",
        "Greenroom/WebView2Loader.dll",
        "Greenroom/LICENSE.txt",
        "Greenroom/THIRD-PARTY-LICENSES.txt",
        "Greenroom/README.txt",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    assert_eq!(names, want);

    let dir = tempfile::tempdir().unwrap();
    let status = Command::new("unzip")
        .args(["-q"])
        .arg(&zip)
        .arg("-d")
        .arg(dir.path())
        .status();
    assert!(status.unwrap().success());
    let app = dir.path().join("Greenroom");
    assert_eq!(pe_header(&app.join("greenroom-desktop.exe")), (AMD64, GUI));
    assert_eq!(pe_header(&app.join("greenroom.exe")), (AMD64, CONSOLE));
    assert_eq!(pe_header(&app.join("WebView2Loader.dll")).0, AMD64);
    assert_imports_resolve(&app);
    let licences = std::fs::read_to_string(app.join("THIRD-PARTY-LICENSES.txt")).unwrap();
    for krate in ["tauri ", "whisper-rs ", "cpal ", "rusqlite "] {
        assert!(
            licences.contains(&format!("\n{krate}")),
            "{krate}missing from the licence list"
        );
    }
    assert!(std::fs::read_to_string(app.join("LICENSE.txt"))
        .unwrap()
        .contains("MIT License\r\n"));
    assert_eq!(
        version_of(&app.join("greenroom.exe")),
        format!("greenroom {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn the_installer_installs_runs_and_uninstalls_keeping_the_users_data() {
    let Some(dist) = dist() else { return };
    let setup = one(&dist, "_windows_x64-setup.exe");
    assert_eq!(
        pe_header(&setup),
        (AMD64, GUI),
        "a 64-bit installer with a window"
    );
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("Programs").join("Greenroom");
    // /D= must come last and unquoted (NSIS).
    run_silently(&setup, format!("/D={}", win_path(&target)));
    for f in [
        "greenroom-desktop.exe",
        "greenroom.exe",
        "WebView2Loader.dll",
        "LICENSE.txt",
        "THIRD-PARTY-LICENSES.txt",
        "Uninstall Greenroom.exe",
    ] {
        assert!(target.join(f).is_file(), "{f} not installed");
    }
    assert_imports_resolve(&target);
    assert_eq!(
        version_of(&target.join("greenroom.exe")),
        format!("greenroom {}", env!("CARGO_PKG_VERSION"))
    );
    let key = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\Greenroom";
    let reg = |args: &[&str]| wine(Path::new("reg")).args(args).output().unwrap();
    let listed = reg(&["query", key, "/v", "DisplayVersion"]);
    assert!(
        listed.status.success(),
        "not in Apps & features: {listed:?}"
    );
    assert!(String::from_utf8_lossy(&listed.stdout).contains(env!("CARGO_PKG_VERSION")));
    let users = wine_prefix().join("drive_c/users");
    let roaming = std::fs::read_dir(&users)
        .unwrap()
        .map(|e| e.unwrap().path().join("AppData/Roaming"))
        .find(|p| {
            p.join("Microsoft/Windows/Start Menu/Programs/Greenroom.lnk")
                .is_file()
        })
        .expect("a Start menu shortcut");

    // What the user made lives in %APPDATA%\dev.greenroom.app: uninstalling keeps it.
    let data = roaming.join("dev.greenroom.app");
    let keep = data.join(format!("keep-{}.txt", std::process::id()));
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(&keep, "a take").unwrap();
    // _?= runs the uninstaller in place and waits for it (NSIS), instead of a copy in %TEMP%.
    run_silently(
        &target.join("Uninstall Greenroom.exe"),
        format!("_?={}", win_path(&target)),
    );
    for f in [
        "greenroom-desktop.exe",
        "greenroom.exe",
        "WebView2Loader.dll",
    ] {
        assert!(!target.join(f).exists(), "{f} left after uninstall");
    }
    assert!(!roaming
        .join("Microsoft/Windows/Start Menu/Programs/Greenroom.lnk")
        .exists());
    assert!(
        !reg(&["query", key]).status.success(),
        "still listed after uninstall"
    );
    assert_eq!(std::fs::read_to_string(&keep).unwrap(), "a take");
    std::fs::remove_file(&keep).unwrap();
}
