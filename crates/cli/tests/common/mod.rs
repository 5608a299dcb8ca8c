//! What the CLI tests share.

pub use greenroom_testbed::harness;
