// A window app on Windows: no console window opens beside it (stderr still reaches a
// terminal that starts it, e.g. under Wine).
#![windows_subsystem = "windows"]

fn main() {
    greenroom_desktop::run();
}
