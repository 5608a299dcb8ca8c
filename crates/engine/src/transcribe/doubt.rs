//! Whether one decode of a stretch can be trusted, judged as the reference decoder judges
//! it (OpenAI's and faster-whisper's fallback rules) plus what Whisper invents on real
//! speech that those rules miss: a transcript that loops compresses too well, a decode
//! whose tokens are unlikely is probably wrong, and letters of a script the language does
//! not use were never said. A doubtful decode is decoded again at a higher temperature
//! ([`super::whisper`]).

use greenroom_core::transcript::script_allowed;
use greenroom_core::Lang;

/// A decode whose text compresses better than this (zlib) is looping (the reference
/// decoder's threshold).
pub const COMPRESSION_RATIO_MAX: f64 = 2.4;
/// A decode whose mean token log-probability is below this is probably wrong...
pub const AVG_LOGPROB_MIN: f64 = -1.0;
/// ...unless Whisper rates the audio as no speech above this: then it is silence.
pub const NO_SPEECH_PROB: f32 = 0.6;
/// A run of this many words or more (Korean: characters, a short word)...
const LOOP_RUN_EN: usize = 2;
const LOOP_RUN_KO: usize = 3;
/// ...said this many times or more is a loop, whether or not it compresses (short loops
/// do not: zlib's overhead hides them)...
const LOOP_COPIES: usize = 3;
/// ...back to back or with at most this many units between copies: a word in English, a
/// short word in Korean ("암튼 신우용 아무튼 신우용 아무튼").
const LOOP_GAP_EN: usize = 1;
const LOOP_GAP_KO: usize = 3;

/// Why a decode is not trusted.
#[derive(Debug, Clone, PartialEq)]
pub enum Doubt {
    /// Its text compresses this well (ratio).
    Compresses(f64),
    /// Its mean token log-probability.
    Unlikely(f64),
    /// This run is said [`LOOP_COPIES`] times or more.
    Loops(String),
    /// Letters of another script.
    ForeignScript(String),
}

/// What one decode says about itself.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DecodeStats {
    /// Mean log-probability of its text tokens (0 for no tokens).
    pub avg_logprob: f64,
    /// Whisper's probability that the audio holds no speech.
    pub no_speech_prob: f32,
}

/// Whisper's own verdict that the audio is silence (its text is then dropped).
pub fn is_silence(stats: DecodeStats) -> bool {
    stats.no_speech_prob > NO_SPEECH_PROB && stats.avg_logprob < AVG_LOGPROB_MIN
}

/// Why `text` (decoded in `lang`) is not to be trusted, if it is not.
pub fn doubt(lang: Lang, text: &str, stats: DecodeStats) -> Option<Doubt> {
    let foreign: String = text
        .chars()
        .filter(|&c| c.is_alphabetic() && !script_allowed(lang, c))
        .collect();
    if !foreign.is_empty() {
        return Some(Doubt::ForeignScript(foreign));
    }
    let ratio = compression_ratio(text);
    if ratio > COMPRESSION_RATIO_MAX {
        return Some(Doubt::Compresses(ratio));
    }
    if let Some(run) = looped_run(lang, text) {
        return Some(Doubt::Loops(run));
    }
    if stats.avg_logprob < AVG_LOGPROB_MIN {
        return Some(Doubt::Unlikely(stats.avg_logprob));
    }
    None
}

/// UTF-8 length over zlib-compressed length (as the reference decoder computes it).
pub fn compression_ratio(text: &str) -> f64 {
    if text.is_empty() {
        return 0.0;
    }
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(text.as_bytes(), 6);
    text.len() as f64 / packed.len().max(1) as f64
}

/// The units a loop is counted in: lower-case words (English), letters and digits
/// (Korean, where spacing varies).
fn units(lang: Lang, text: &str) -> Vec<String> {
    match lang {
        Lang::En => text
            .split_whitespace()
            .map(|w| {
                w.chars()
                    .filter(|c| c.is_alphanumeric() || *c == '\'')
                    .flat_map(char::to_lowercase)
                    .collect::<String>()
            })
            .filter(|w| !w.is_empty())
            .collect(),
        Lang::Ko => text
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .map(String::from)
            .collect(),
    }
}

/// The longest run (up to 8 units) the text says [`LOOP_COPIES`] times or more in a row,
/// copies at most a short gap apart.
fn looped_run(lang: Lang, text: &str) -> Option<String> {
    let u = units(lang, text);
    let (shortest, gap) = match lang {
        Lang::En => (LOOP_RUN_EN, LOOP_GAP_EN),
        Lang::Ko => (LOOP_RUN_KO, LOOP_GAP_KO),
    };
    for len in (shortest..=8).rev() {
        for start in 0..u.len().saturating_sub(len * LOOP_COPIES - 1) {
            let run = &u[start..start + len];
            let mut copies = 1;
            let mut at = start + len;
            while copies < LOOP_COPIES {
                let Some(next) =
                    (at..=at + gap).find(|&i| i + len <= u.len() && &u[i..i + len] == run)
                else {
                    break;
                };
                at = next + len;
                copies += 1;
            }
            if copies >= LOOP_COPIES {
                let sep = if lang == Lang::En { " " } else { "" };
                return Some(run.join(sep));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const SURE: DecodeStats = DecodeStats {
        avg_logprob: -0.2,
        no_speech_prob: 0.01,
    };

    #[test]
    fn a_plain_answer_is_trusted() {
        for (lang, text) in [
            (
                Lang::En,
                "And so my fellow Americans, ask not what your country can do for you.",
            ),
            (
                Lang::Ko,
                "그때 TCP 연결이 계속 끊겨서 Kubernetes 설정을 다시 봤어요.",
            ),
            (Lang::En, "No, no, I said it twice."),
        ] {
            assert_eq!(doubt(lang, text, SURE), None, "{text}");
        }
    }

    #[test]
    fn loops_are_doubted_long_or_short() {
        let long = "I think that is right. ".repeat(12);
        assert!(compression_ratio(&long) > COMPRESSION_RATIO_MAX);
        assert!(matches!(
            doubt(Lang::En, &long, SURE),
            Some(Doubt::Compresses(_))
        ));
        // Too short to compress, still a loop; and with a variant between copies.
        let short = "암튼 신우용 암튼 신우용 아무튼 신우용 아무튼";
        assert!(compression_ratio(short) < COMPRESSION_RATIO_MAX);
        assert_eq!(
            doubt(Lang::Ko, short, SURE),
            Some(Doubt::Loops("튼신우용".into()))
        );
        assert!(matches!(
            doubt(
                Lang::En,
                "soso, what do you know, what do you know, what do you know",
                SURE
            ),
            Some(Doubt::Loops(_))
        ));
    }

    #[test]
    fn another_script_is_doubted() {
        assert_eq!(
            doubt(Lang::Ko, "수logs Gon는 lbimgpkака", SURE),
            Some(Doubt::ForeignScript("ака".into()))
        );
        assert_eq!(
            doubt(Lang::En, "I said 안녕", SURE),
            Some(Doubt::ForeignScript("안녕".into()))
        );
    }

    #[test]
    fn unlikely_tokens_are_doubted_and_silence_is_told_apart() {
        let unsure = DecodeStats {
            avg_logprob: -1.4,
            no_speech_prob: 0.2,
        };
        assert_eq!(
            doubt(Lang::En, "Thank you.", unsure),
            Some(Doubt::Unlikely(-1.4))
        );
        assert!(!is_silence(unsure));
        assert!(is_silence(DecodeStats {
            no_speech_prob: 0.9,
            ..unsure
        }));
        assert!(!is_silence(DecodeStats {
            no_speech_prob: 0.9,
            ..SURE
        }));
    }
}
