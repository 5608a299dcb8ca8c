use cpal::traits::{DeviceTrait, HostTrait};
use greenroom_core::device_access::OsFault;
use serde::Serialize;
use ts_rs::TS;

use crate::EngineError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Input,
    Output,
}

/// The format a device runs at natively; we record at this rate and resample in software.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct NativeFormat {
    pub sample_rate: u32,
    pub channels: u16,
    pub sample_format: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct AudioDevice {
    /// Stable id `host:device` (cpal's `DeviceId`); survives restarts and re-plugging,
    /// unlike an index.
    pub id: String,
    pub name: String,
    pub direction: Direction,
    pub is_default: bool,
    /// A PulseAudio monitor source: what a speaker plays, not a microphone.
    pub is_monitor: bool,
    pub native: Option<NativeFormat>,
    /// Why the native format could not be read, if it could not.
    pub format_error: Option<String>,
}

/// What one audio host sees.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct HostReport {
    /// cpal's host id, lowercase (`pulseaudio`, `alsa`).
    pub id: String,
    pub name: String,
    pub available: bool,
    /// Why the host is unavailable or could not list devices.
    pub error: Option<String>,
    pub inputs: Vec<AudioDevice>,
    pub outputs: Vec<AudioDevice>,
}

impl HostReport {
    /// Inputs that are microphones, not monitors of an output.
    pub fn microphones(&self) -> impl Iterator<Item = &AudioDevice> {
        self.inputs.iter().filter(|d| !d.is_monitor)
    }

    /// The microphones a device picker offers (see [`pickable`]).
    pub fn pickable_microphones(&self) -> Vec<AudioDevice> {
        pickable(self.microphones())
    }

    /// The outputs a device picker offers (see [`pickable`]).
    pub fn pickable_outputs(&self) -> Vec<AudioDevice> {
        pickable(&self.outputs)
    }
}

/// The device a picker shows as chosen: the saved one while it is still connected, else the
/// system default, else the first.
pub fn saved_or_default(saved: Option<String>, devices: &[AudioDevice]) -> Option<String> {
    saved
        .filter(|id| devices.iter().any(|d| &d.id == id))
        .or_else(|| devices.iter().find(|d| d.is_default).map(|d| d.id.clone()))
        .or_else(|| devices.first().map(|d| d.id.clone()))
}

/// What a device picker offers: the devices whose format could be read. One the OS lists
/// but that reports no usable format (a phantom: a USB headset Windows still lists after it
/// was unplugged, a disabled endpoint) cannot be opened, and `devices` and
/// `audio.visibility` report it. When every device is like that, all are offered, so the
/// picker is not empty while the OS lists something.
pub fn pickable<'a>(devices: impl IntoIterator<Item = &'a AudioDevice>) -> Vec<AudioDevice> {
    let all: Vec<AudioDevice> = devices.into_iter().cloned().collect();
    let usable: Vec<AudioDevice> = all
        .iter()
        .filter(|d| d.format_error.is_none())
        .cloned()
        .collect();
    if usable.is_empty() {
        all
    } else {
        usable
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct AudioInventory {
    pub hosts: Vec<HostReport>,
    /// The host the app uses: the first available in preference order.
    pub preferred_host: Option<String>,
}

impl AudioInventory {
    pub fn preferred(&self) -> Option<&HostReport> {
        let id = self.preferred_host.as_deref()?;
        self.hosts.iter().find(|h| h.id == id)
    }
}

/// Hosts in the order the app prefers them: a sound server first (it mixes and resamples
/// for every app), raw ALSA last.
fn host_preference() -> Vec<cpal::HostId> {
    let mut ids: Vec<cpal::HostId> = cpal::ALL_HOSTS.to_vec();
    ids.sort_by_key(|id| match id.to_string().as_str() {
        "pipewire" => 0,
        "pulseaudio" => 1,
        "alsa" => 3,
        _ => 2,
    });
    ids
}

/// Opens a host by id, mapping "not running" to a clear error.
pub fn open_host(id: cpal::HostId) -> Result<cpal::Host, EngineError> {
    cpal::host_from_id(id).map_err(|e| classify_error(&e, id.name()))
}

/// Forces one audio host by id (`pulseaudio`, `alsa`), e.g. to see what an app that talks
/// to raw ALSA sees.
pub const HOST_ENV: &str = "GREENROOM_AUDIO_HOST";

/// The host the app uses, or why there is none.
pub fn preferred_host() -> Result<cpal::Host, EngineError> {
    if let Some(forced) = std::env::var(HOST_ENV).ok().filter(|s| !s.is_empty()) {
        let id: cpal::HostId = forced.parse().map_err(|_| EngineError::InvalidArgument {
            name: HOST_ENV.into(),
            detail: format!("'{forced}' is not an audio host compiled into this build"),
        })?;
        return open_host(id);
    }
    let mut last = None;
    for id in host_preference() {
        match open_host(id) {
            Ok(h) if quietly(|| host_is_usable(&h)) => return Ok(h),
            Ok(_) => {}
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or(EngineError::NoAudioServer {
        detail: "no audio host is compiled in".into(),
    }))
}

/// ALSA "opens" without any server or card; it is usable only when a default device exists
/// and can report a format.
fn host_is_usable(host: &cpal::Host) -> bool {
    let has_input = host
        .default_input_device()
        .map(|d| d.default_input_config().is_ok())
        .unwrap_or(false);
    let has_output = host
        .default_output_device()
        .map(|d| d.default_output_config().is_ok())
        .unwrap_or(false);
    has_input || has_output
}

/// Maps a cpal error to what the user can do about it.
pub fn classify_error(e: &cpal::Error, device: &str) -> EngineError {
    use cpal::ErrorKind as K;
    let device = device.to_owned();
    let detail = e.to_string();
    match e.kind() {
        K::HostUnavailable => EngineError::NoAudioServer { detail },
        K::PermissionDenied => EngineError::PermissionDenied { device },
        K::DeviceBusy => EngineError::DeviceBusy { device },
        K::DeviceNotAvailable | K::StreamInvalidated | K::DeviceChanged => {
            EngineError::DeviceGone { device }
        }
        K::UnsupportedConfig | K::InvalidInput => EngineError::UnsupportedConfig { device, detail },
        // cpal's WASAPI host reports E_ACCESSDENIED (the privacy switch) as a backend
        // error: its HRESULT says what it is.
        _ => match crate::os::os_fault(&detail) {
            Some(OsFault::AccessDenied) => EngineError::PermissionDenied { device },
            Some(OsFault::DeviceInUse) => EngineError::DeviceBusy { device },
            Some(OsFault::DeviceInvalidated) => EngineError::DeviceGone { device },
            Some(OsFault::UnsupportedFormat) => EngineError::UnsupportedConfig { device, detail },
            Some(OsFault::CameraInUse) | None => EngineError::Audio { device, detail },
        },
    }
}

fn describe(
    device: &cpal::Device,
    direction: Direction,
    default_id: Option<&str>,
    host_id: cpal::HostId,
) -> Option<AudioDevice> {
    let id = device.id().ok()?.to_string();
    let name = device
        .description()
        .map(|d| d.name().to_owned())
        .unwrap_or_else(|_| id.clone());
    let config = match direction {
        Direction::Input => device.default_input_config(),
        Direction::Output => device.default_output_config(),
    };
    let (native, format_error) = match config {
        Ok(c) => (
            Some(NativeFormat {
                sample_rate: c.sample_rate(),
                channels: c.channels(),
                sample_format: c.sample_format().to_string(),
            }),
            None,
        ),
        Err(e) => (None, Some(e.to_string())),
    };
    let is_monitor = direction == Direction::Input
        && host_id.to_string() == "pulseaudio"
        && id.ends_with(".monitor");
    Some(AudioDevice {
        is_default: default_id == Some(id.as_str()),
        id,
        name,
        direction,
        is_monitor,
        native,
        format_error,
    })
}

fn report_host(host_id: cpal::HostId) -> HostReport {
    let mut report = HostReport {
        id: host_id.to_string(),
        name: host_id.name().to_owned(),
        available: false,
        error: None,
        inputs: vec![],
        outputs: vec![],
    };
    let host = match cpal::host_from_id(host_id) {
        Ok(h) => h,
        Err(e) => {
            report.error = Some(e.to_string());
            return report;
        }
    };
    let default_in = host
        .default_input_device()
        .and_then(|d| d.id().ok())
        .map(|id| id.to_string());
    let default_out = host
        .default_output_device()
        .and_then(|d| d.id().ok())
        .map(|id| id.to_string());
    match host.input_devices() {
        Ok(devs) => {
            report.inputs = devs
                .filter_map(|d| describe(&d, Direction::Input, default_in.as_deref(), host_id))
                .collect()
        }
        Err(e) => report.error = Some(e.to_string()),
    }
    match host.output_devices() {
        Ok(devs) => {
            report.outputs = devs
                .filter_map(|d| describe(&d, Direction::Output, default_out.as_deref(), host_id))
                .collect()
        }
        Err(e) => report.error = Some(e.to_string()),
    }
    report.available = host_is_usable(&host);
    if !report.available && report.error.is_none() {
        report.error = Some("no usable default device (is an audio server running?)".into());
    }
    report
}

/// Runs `f` with the process's stderr silenced. ALSA and its plugins (JACK, OSS) print a
/// screenful of C-library errors while probing devices that do not exist; the engine reports
/// what matters in its own words instead.
pub(crate) fn quietly<T>(f: impl FnOnce() -> T) -> T {
    #[cfg(unix)]
    let _gag = gag::Gag::stderr().ok();
    f()
}

/// Lists devices as every compiled host sees them. Never fails: a host that is not running
/// is reported with its reason, because "the app sees nothing" is itself the finding.
pub fn audio_inventory() -> AudioInventory {
    let hosts: Vec<HostReport> =
        quietly(|| host_preference().into_iter().map(report_host).collect());
    let forced = std::env::var(HOST_ENV).ok().filter(|s| !s.is_empty());
    let preferred_host = match forced {
        Some(f) => hosts
            .iter()
            .find(|h| h.id.eq_ignore_ascii_case(&f) && h.available)
            .map(|h| h.id.clone()),
        None => hosts.iter().find(|h| h.available).map(|h| h.id.clone()),
    };
    AudioInventory {
        hosts,
        preferred_host,
    }
}

/// Finds a device by its `host:device` id, or the preferred host's default when `id` is
/// `None`. Returns the device with its id and display name.
pub fn find_device(
    id: Option<&str>,
    direction: Direction,
) -> Result<(cpal::Device, String, String), EngineError> {
    let dir_name = match direction {
        Direction::Input => "input",
        Direction::Output => "output",
    };
    let device = match id {
        Some(id) => {
            let parsed: cpal::DeviceId = id.parse().map_err(|_| EngineError::InvalidArgument {
                name: "device id".into(),
                detail: format!("'{id}' is not of the form host:device (see `greenroom devices`)"),
            })?;
            let host = open_host(parsed.host())?;
            host.device_by_id(&parsed)
                .ok_or_else(|| EngineError::UnknownAudioDevice {
                    device: id.to_owned(),
                })?
        }
        None => {
            let host = preferred_host()?;
            let d = match direction {
                Direction::Input => host.default_input_device(),
                Direction::Output => host.default_output_device(),
            };
            d.ok_or_else(|| EngineError::NoAudioDevice {
                direction: dir_name.into(),
            })?
        }
    };
    let dev_id = device
        .id()
        .map(|i| i.to_string())
        .unwrap_or_else(|_| id.unwrap_or("default").to_owned());
    let name = device
        .description()
        .map(|d| d.name().to_owned())
        .unwrap_or_else(|_| dev_id.clone());
    Ok((device, dev_id, name))
}

/// Watches whether a device is still listed. Sound servers move a stream to another
/// device when its own disappears, so a stream that keeps delivering is not proof that the
/// chosen device is still there. One host connection is kept for the whole watch (opening
/// one per check costs a connection and a thread each time), and a host that cannot be
/// reached means "unknown", not "gone": only a host that answers without the device counts.
pub struct PresenceWatch {
    id: Option<cpal::DeviceId>,
    host: Option<cpal::Host>,
}

impl PresenceWatch {
    pub fn new(device_id: &str) -> Self {
        Self {
            id: device_id.parse().ok(),
            host: None,
        }
    }

    /// False when the host answered and no longer lists the device.
    pub fn still_present(&mut self) -> bool {
        let Some(id) = &self.id else {
            return true;
        };
        if self.host.is_none() {
            self.host = cpal::host_from_id(id.host()).ok();
        }
        let Some(host) = &self.host else {
            return true;
        };
        match host.devices() {
            Ok(mut devices) => quietly(|| devices.any(|d| d.id().ok().as_ref() == Some(id))),
            // The server did not answer: reconnect next time, do not call it gone.
            Err(_) => {
                self.host = None;
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn device(id: &str, format_error: Option<&str>) -> AudioDevice {
        AudioDevice {
            id: id.into(),
            name: id.into(),
            direction: Direction::Input,
            is_default: false,
            is_monitor: false,
            native: None,
            format_error: format_error.map(Into::into),
        }
    }

    #[test]
    fn pickers_leave_out_devices_that_cannot_open_unless_nothing_else_is_there() {
        let headset = device("wasapi:headset", None);
        let phantom = device("wasapi:usb-gone", Some("0x88890004 device invalidated"));
        let ids = |v: Vec<AudioDevice>| v.into_iter().map(|d| d.id).collect::<Vec<_>>();
        assert_eq!(ids(pickable([&headset, &phantom])), ["wasapi:headset"]);
        assert_eq!(ids(pickable([&phantom])), ["wasapi:usb-gone"]);
        assert!(pickable([]).is_empty());
    }
}
