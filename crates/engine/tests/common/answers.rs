//! Interview answers for the neural test voice (`scripts/speech.py`): sentences and
//! thinking pauses of known length, shared by the timing tests and the benchmark.

/// An answer: its parts (sentences, and pauses in seconds) and whether the room has a
/// noise floor (-66 dBFS pink noise) or the mic is noise-gated (digital silence).
pub struct Answer {
    pub name: &'static str,
    pub parts: &'static [Part],
    pub noise: bool,
}

pub enum Part {
    Say(&'static str),
    Pause(f64),
}
use Part::{Pause, Say};

impl Answer {
    /// What is said, as one text.
    pub fn script(&self) -> String {
        self.parts
            .iter()
            .filter_map(|p| match p {
                Say(s) => Some(*s),
                Pause(_) => None,
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The spec `scripts/speech.py` takes (rendering `take` of it).
    pub fn spec(&self, take: u32) -> (Vec<serde_json::Value>, serde_json::Value) {
        let parts = self
            .parts
            .iter()
            .map(|p| match p {
                Say(s) => serde_json::json!(s),
                Pause(secs) => serde_json::json!(secs),
            })
            .collect();
        let mut extra = serde_json::json!({ "take": take });
        if self.noise {
            extra["noise_dbfs"] = serde_json::json!(-66);
        }
        (parts, extra)
    }
}

pub const ANSWERS: &[Answer] = &[
    Answer {
        name: "threads",
        noise: false,
        parts: &[
            Say("Um, a process is a running program with its own memory, and a thread is a path of execution inside it."),
            Pause(0.6),
            Say("Threads of the same process share the heap and the open files, but each one has its own stack."),
            Pause(3.0),
            Say("So when the scheduler switches between threads, it does not have to change the address space."),
            Pause(0.8),
            Say("That's why switching between threads is, um, cheaper than switching between processes."),
            Pause(2.6),
            Say("On the other hand, a bug in one thread can crash the whole process."),
        ],
    },
    Answer {
        name: "browser",
        noise: true,
        parts: &[
            Say("When I type a web address, the browser first asks a resolver for the address of the server."),
            Pause(0.7),
            Say("Then it opens a connection with a handshake, and for a secure site it also negotiates encryption."),
            Pause(3.5),
            Say("Uh, after that it sends the request, and the server answers with the page and its headers."),
            Pause(1.0),
            Say("Finally the browser reads the page and loads the images and scripts it needs."),
        ],
    },
    Answer {
        name: "incident",
        noise: false,
        parts: &[
            Say("Last year a customer reported that their database was much slower after our update."),
            Pause(2.8),
            Say("I collected the slow queries, and I found that one index had been dropped by mistake."),
            Pause(0.6),
            Say("We restored the index within an hour, and I wrote a check so that it cannot happen again."),
            Pause(4.0),
            Say("Um, the customer was happy, and the support team now uses the same check for every release."),
            Pause(2.5),
            Say("Looking back, I would have asked for the query logs even earlier."),
        ],
    },
];
