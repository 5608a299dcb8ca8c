//! Errors as they cross to the UI: the engine's own error, which serializes as a stable
//! `code` plus parameters; the UI owns the localized sentence for each code
//! (ui/src/i18n/errors.ts), so nothing matches on text. The shell adds no variants.

pub use greenroom_engine::EngineError as AppError;
