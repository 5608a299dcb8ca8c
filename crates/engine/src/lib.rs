//! Greenroom's engine: device, model and storage adapters, and the use cases that the CLI
//! and the desktop shell both call. Pure rules live in `greenroom-core`.

pub mod about;
pub mod audio;
pub mod camera;
pub mod devices;
pub mod error;
mod front;
pub mod inventory;
pub mod os;
pub mod paths;
pub mod practice;
pub mod preflight;
pub mod recording;
pub mod review;
pub mod settings;
pub mod store;
pub mod transcribe;
pub mod video;

pub use error::EngineError;
pub use front::Engine;
pub use greenroom_core as core;
pub use greenroom_models as models;
