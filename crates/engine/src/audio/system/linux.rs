//! Linux: the sound server's own listing (`pactl`) and the kernel's capture cards
//! (`/proc/asound`).

use std::process::Command;

use super::{KernelCard, ServerSource, SystemAudioView};

pub(super) fn view() -> SystemAudioView {
    SystemAudioView {
        not_measured_on: None,
        server_sources: server_sources(),
        kernel_capture_cards: kernel_capture_cards(
            &std::fs::read_to_string("/proc/asound/cards").unwrap_or_default(),
            &std::fs::read_to_string("/proc/asound/pcm").unwrap_or_default(),
        ),
        endpoints: None,
    }
}

fn server_sources() -> Option<Vec<ServerSource>> {
    let out = Command::new("pactl")
        .args(["--format=json", "list", "sources"])
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    parse_pactl_sources(&String::from_utf8_lossy(&out.stdout))
}

/// Parses `pactl --format=json list sources`, leaving out monitors of outputs.
pub fn parse_pactl_sources(json: &str) -> Option<Vec<ServerSource>> {
    let v: serde_json::Value = serde_json::from_str(json).ok()?;
    let list = v.as_array()?;
    Some(
        list.iter()
            .filter(|s| {
                let class = s["properties"]["device.class"].as_str();
                class != Some("monitor") && s["monitor_of_sink"].as_str().is_none_or(|m| m == "n/a")
            })
            .map(|s| {
                let volume_pct = s["volume"].as_object().and_then(|chs| {
                    chs.values()
                        .filter_map(|c| c["value"].as_f64())
                        .map(|v| v / 65536.0 * 100.0)
                        .reduce(f64::max)
                });
                ServerSource {
                    name: s["name"].as_str().unwrap_or_default().to_owned(),
                    description: s["description"]
                        .as_str()
                        .or(s["name"].as_str())
                        .unwrap_or_default()
                        .to_owned(),
                    muted: s["mute"].as_bool().unwrap_or(false),
                    volume_pct,
                    alsa_card: s["properties"]["alsa.card"]
                        .as_str()
                        .and_then(|c| c.parse().ok()),
                }
            })
            .collect(),
    )
}

/// Cards listed in `/proc/asound/cards` that have a capture PCM in `/proc/asound/pcm`.
pub fn kernel_capture_cards(cards: &str, pcm: &str) -> Vec<KernelCard> {
    // pcm lines look like "00-00: ALC3246 Analog : ALC3246 Analog : playback 1 : capture 1".
    let capture: Vec<u32> = pcm
        .lines()
        .filter(|l| l.contains("capture"))
        .filter_map(|l| l.split('-').next()?.trim().parse().ok())
        .collect();
    // cards lines look like " 0 [PCH            ]: HDA-Intel - HDA Intel PCH".
    cards
        .lines()
        .filter_map(|l| {
            let (idx, rest) = l.trim_start().split_once(' ')?;
            let index: u32 = idx.parse().ok()?;
            let name = rest.rsplit_once(" - ").map(|(_, n)| n).unwrap_or(rest);
            Some(KernelCard {
                index,
                name: name.trim().to_owned(),
            })
        })
        .filter(|c| capture.contains(&c.index))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kernel_cards_with_capture_are_found() {
        let cards = " 0 [PCH            ]: HDA-Intel - HDA Intel PCH\n                      HDA Intel PCH at 0xf7f10000 irq 33\n 1 [HDMI           ]: HDA-Intel - HDA Intel HDMI\n                      HDA Intel HDMI at 0xf7f14000 irq 34\n 2 [C920           ]: USB-Audio - HD Pro Webcam C920\n";
        let pcm = "00-00: ALC3246 Analog : ALC3246 Analog : playback 1 : capture 1\n01-03: HDMI 0 : HDMI 0 : playback 1\n02-00: USB Audio : USB Audio : capture 1\n";
        let got = kernel_capture_cards(cards, pcm);
        assert_eq!(
            got,
            vec![
                KernelCard {
                    index: 0,
                    name: "HDA Intel PCH".into()
                },
                KernelCard {
                    index: 2,
                    name: "HD Pro Webcam C920".into()
                }
            ]
        );
    }

    #[test]
    fn a_card_the_server_ignores_is_listed_as_a_system_input() {
        let view = SystemAudioView {
            not_measured_on: None,
            server_sources: Some(vec![ServerSource {
                name: "alsa_input.pci".into(),
                description: "Built-in Audio Analog Stereo".into(),
                muted: false,
                volume_pct: Some(100.0),
                alsa_card: Some(0),
            }]),
            kernel_capture_cards: vec![
                KernelCard {
                    index: 0,
                    name: "HDA Intel PCH".into(),
                },
                KernelCard {
                    index: 2,
                    name: "HD Pro Webcam C920".into(),
                },
            ],
            endpoints: None,
        };
        assert_eq!(
            view.input_names(),
            vec!["Built-in Audio Analog Stereo", "HD Pro Webcam C920"]
        );
    }

    #[test]
    fn pactl_json_is_parsed_without_monitors() {
        let json = r#"[{"name":"vspk.monitor","description":"Monitor of VirtualSpeaker","mute":false,"monitor_of_sink":"vspk","properties":{"device.class":"monitor"},"volume":{}},
        {"name":"vmic","description":"VirtualMic","mute":true,"monitor_of_sink":"n/a","properties":{"device.class":"filter"},"volume":{"mono":{"value":32768}}},
        {"name":"alsa_input.usb","description":"USB Mic","mute":false,"monitor_of_sink":"n/a","properties":{"alsa.card":"2"},"volume":{"front-left":{"value":65536},"front-right":{"value":52000}}}]"#;
        let s = parse_pactl_sources(json).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].description, "VirtualMic");
        assert!(s[0].muted);
        assert_eq!(s[0].volume_pct, Some(50.0));
        assert_eq!(s[1].alsa_card, Some(2));
        assert_eq!(s[1].volume_pct, Some(100.0));
    }
}
