//! The IPC surface, declared once: the same list registers the command handlers and renders
//! `ui/src/bindings.ts`, so the UI cannot call a command or read a payload that does not exist.

use std::collections::BTreeMap;

use ts_rs::{TypeVisitor, TS};

/// One command as the UI sees it.
pub struct CommandSig {
    pub name: &'static str,
    /// (Rust argument name, TypeScript type); Tauri expects camelCase keys from JS.
    pub args: Vec<(&'static str, String)>,
    pub ret: String,
    pub visit: fn(&mut Collector),
}

/// `module::name(arg: Type, ...; channel_arg: Channel<Event>) -> Ret;` — the part after `;` is an
/// optional `tauri::ipc::Channel` the command streams events through.
macro_rules! ipc_commands {
    ($( $module:ident :: $name:ident ( $( $arg:ident : $argty:ty ),* $(; $ch:ident : Channel<$chty:ty>)? ) -> $ret:ty ; )*) => {
        /// The handler registering every declared command.
        pub fn invoke_handler(
        ) -> impl Fn(tauri::ipc::Invoke<tauri::Wry>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$( crate::$module::$name ),*]
        }

        pub fn command_signatures() -> Vec<$crate::ipc::CommandSig> {
            vec![$(
                $crate::ipc::CommandSig {
                    name: stringify!($name),
                    args: vec![
                        $( (stringify!($arg), <$argty as ts_rs::TS>::name()), )*
                        $( (stringify!($ch), format!("Channel<{}>", <$chty as ts_rs::TS>::name())), )?
                    ],
                    ret: <$ret as ts_rs::TS>::name(),
                    visit: |_c| {
                        $( ts_rs::TypeVisitor::visit::<$argty>(_c); )*
                        $( ts_rs::TypeVisitor::visit::<$chty>(_c); )?
                        ts_rs::TypeVisitor::visit::<$ret>(_c);
                    },
                }
            ),*]
        }
    };
}
pub(crate) use ipc_commands;

/// Collects the declarations of every exportable type reachable from the commands.
#[derive(Default)]
pub struct Collector {
    decls: BTreeMap<String, String>,
}

impl TypeVisitor for Collector {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        if T::output_path().is_none() {
            // Built-ins (Vec, Option, primitives): look inside them.
            T::visit_dependencies(self);
            T::visit_generics(self);
            return;
        }
        let name = T::ident();
        if self.decls.contains_key(&name) {
            return;
        }
        let mut decl = String::new();
        if let Some(docs) = T::docs() {
            decl.push_str(&docs);
        }
        decl.push_str("export ");
        decl.push_str(&T::decl());
        self.decls.insert(name, decl);
        T::visit_dependencies(self);
    }
}

fn camel_case(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for ch in snake.chars() {
        if ch == '_' {
            upper = true;
        } else if upper {
            out.extend(ch.to_uppercase());
            upper = false;
        } else {
            out.push(ch);
        }
    }
    out
}

/// Renders the TypeScript module the UI imports.
pub fn render_bindings(commands: &[CommandSig], extra: &[fn(&mut Collector)]) -> String {
    let mut c = Collector::default();
    for cmd in commands {
        (cmd.visit)(&mut c);
    }
    for visit in extra {
        visit(&mut c);
    }
    let mut out = String::from(
        "// Generated from the Rust types by `src-tauri` (ipc.rs). Do not edit by hand:\n\
         // run `./x bindings` after changing a command or payload.\n\n\
         import type { Channel } from \"@tauri-apps/api/core\";\n\n",
    );
    for decl in c.decls.values() {
        // serde_json sends every integer as a JSON number, never a BigInt.
        out.push_str(&decl.replace("bigint", "number"));
        out.push_str("\n\n");
    }
    out.push_str(
        "/** Every command: its argument object and its result. */\nexport interface Commands {\n",
    );
    for cmd in commands {
        let args = if cmd.args.is_empty() {
            "Record<string, never>".to_owned()
        } else {
            let fields: Vec<String> = cmd
                .args
                .iter()
                .map(|(n, t)| format!("{}: {}", camel_case(n), t.replace("bigint", "number")))
                .collect();
            format!("{{ {} }}", fields.join("; "))
        };
        out.push_str(&format!(
            "  {}: {{ args: {}; ret: {} }};\n",
            cmd.name,
            args,
            cmd.ret.replace("bigint", "number")
        ));
    }
    out.push_str("}\n\nexport type CommandName = keyof Commands;\n");
    out
}

#[cfg(test)]
mod tests {
    use super::camel_case;

    #[test]
    fn camel_case_matches_tauri_argument_naming() {
        assert_eq!(camel_case("take_id"), "takeId");
        assert_eq!(camel_case("language"), "language");
        assert_eq!(camel_case("a_b_c"), "aBC");
    }
}
