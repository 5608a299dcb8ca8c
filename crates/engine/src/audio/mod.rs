//! Audio through cpal: which hosts are compiled in, what each one sees, how cpal's errors
//! map to situations a user can act on, and input/output streams.

pub mod capture;
mod hosts;
pub mod meter;
pub mod playback;
pub mod system;

pub use hosts::{
    audio_inventory, classify_error, find_device, open_host, preferred_host, saved_or_default,
    AudioDevice, AudioInventory, Direction, HostReport, NativeFormat, PresenceWatch, HOST_ENV,
};
