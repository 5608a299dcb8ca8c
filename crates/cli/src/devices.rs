use std::process::ExitCode;

use greenroom_engine::inventory::{device_inventory, DeviceInventory};

use crate::exit;

pub fn run(json: bool) -> ExitCode {
    let inv = device_inventory();
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&inv).expect("inventory serializes")
        );
    } else {
        print!("{}", render(&inv));
    }
    if inv.audio.preferred_host.is_none() {
        eprintln!(
            "greenroom: no usable audio host. No audio server (PulseAudio/PipeWire) is \
             running, or no sound device exists. Start your audio server or plug in a \
             device, then run `greenroom devices` again."
        );
        return ExitCode::from(exit::PROBLEM);
    }
    ExitCode::SUCCESS
}

fn render(inv: &DeviceInventory) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for host in &inv.audio.hosts {
        let used = inv.audio.preferred_host.as_deref() == Some(host.id.as_str());
        let _ = writeln!(
            out,
            "Audio host {}{}",
            host.name,
            if used { " (in use)" } else { "" }
        );
        if let Some(err) = &host.error {
            let _ = writeln!(out, "  unavailable: {err}");
        }
        for (label, devs) in [("Inputs", &host.inputs), ("Outputs", &host.outputs)] {
            if devs.is_empty() {
                continue;
            }
            let _ = writeln!(out, "  {label}:");
            // ALSA lists every plugin it knows; those that cannot even report a format are
            // noise for a person reading this (they stay in --json).
            let unusable = devs.iter().filter(|d| d.native.is_none()).count();
            for d in devs.iter().filter(|d| d.native.is_some()) {
                let mut tags = vec![];
                if d.is_default {
                    tags.push("default");
                }
                if d.is_monitor {
                    tags.push("monitor");
                }
                let fmt = match &d.native {
                    Some(n) => format!(
                        "{} Hz, {} ch, {}",
                        n.sample_rate, n.channels, n.sample_format
                    ),
                    None => String::new(),
                };
                let tags = if tags.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", tags.join(", "))
                };
                let _ = writeln!(out, "    {}{}  id={}  ({})", d.name, tags, d.id, fmt);
            }
            if unusable > 0 {
                let _ = writeln!(
                    out,
                    "    ({unusable} more that cannot be opened; see --json)"
                );
            }
        }
    }
    let _ = writeln!(out, "Cameras:");
    if let Some(err) = &inv.camera_error {
        let _ = writeln!(out, "  camera backend failed: {err}");
    } else if inv.cameras.is_empty() {
        let _ = writeln!(
            out,
            "  none found (no camera is connected, or the OS hides it)"
        );
    }
    for c in &inv.cameras {
        let _ = writeln!(out, "  {}  id={}", c.name, c.id);
    }
    out
}
