//! Preflight use cases: measure the devices and turn measurements into verdicts.
//! The CLI and the desktop shell both call these.

pub mod audio;
pub mod camera;
