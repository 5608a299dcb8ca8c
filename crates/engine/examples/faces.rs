//! Prints what the face detector finds in a Y4M clip, a few pictures a second:
//! `cargo run --example faces -- CLIP.y4m [PER_SECOND]`. For checking a clip or a
//! camera recording against what the presence review reports.

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: faces CLIP.y4m [PER_SECOND]");
        std::process::exit(2);
    };
    let per_s: f64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(3.0);
    let samples = match greenroom_engine::video::analyse_clip(path.as_ref(), per_s, 640) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("faces: {e}");
            std::process::exit(1);
        }
    };
    for s in &samples {
        let boxes: Vec<String> = s
            .faces
            .iter()
            .map(|f| {
                format!(
                    "({:.0},{:.0} {:.0}x{:.0} s{:.1})",
                    f.x, f.y, f.w, f.h, f.score
                )
            })
            .collect();
        println!(
            "{:>6} ms  {}x{}  face {:?} surround {:.0}  {}",
            s.at_ms,
            s.width,
            s.height,
            s.face_luma.map(|l| l.round()),
            s.surround_luma,
            boxes.join(" ")
        );
    }
    let summary = greenroom_core::presence::summarize(&samples);
    println!("{summary:#?}");
}
