//! Greenroom's pure logic: no devices, files, clocks or C libraries live here, so every
//! rule can be tested on generated data in milliseconds.

pub mod audio_checks;
pub mod bank;
pub mod camera_checks;
pub mod coach;
pub mod device_access;
pub mod frame;
pub mod plan;
pub mod presence;
pub mod signal;
pub mod speech;
pub mod stats;
pub mod transcript;
pub mod verdict;

pub use verdict::{Check, Lang, Localized, Measured, Status, Unit};
