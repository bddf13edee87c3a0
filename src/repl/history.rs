//! The REPL's history file, in node's format (../shared/spec/node-compat.md §4.2): one entry
//! per line, the most recent first, at most `MINIJS_REPL_HISTORY_SIZE` (1000) entries,
//! written after each line with mode 0600. The file is `~/.minijs_repl_history`;
//! `MINIJS_REPL_HISTORY=path` moves it and `MINIJS_REPL_HISTORY=''` turns it off. Whitespace-
//! only lines and a repeat of the previous entry are not added; dot-commands are.

use std::io::Write;
use std::path::PathBuf;

pub struct History {
    path: Option<PathBuf>,
    max: usize,
    /// Most recent first.
    entries: Vec<String>,
}

impl History {
    /// The history the environment asks for, loaded from its file.
    pub fn from_env() -> History {
        let path = match std::env::var_os("MINIJS_REPL_HISTORY") {
            Some(p) if p.is_empty() => None,
            Some(p) => Some(PathBuf::from(p)),
            None => std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".minijs_repl_history")),
        };
        let max = std::env::var("MINIJS_REPL_HISTORY_SIZE")
            .ok()
            .and_then(|s| s.trim().parse::<usize>().ok())
            .unwrap_or(1000);
        History::open(path, max)
    }

    pub fn open(path: Option<PathBuf>, max: usize) -> History {
        let mut entries: Vec<String> = path
            .as_ref()
            .and_then(|p| std::fs::read_to_string(p).ok())
            .map(|t| {
                t.lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        entries.truncate(max);
        History { path, max, entries }
    }

    /// The entries, oldest first (the order a line editor's history takes them in).
    pub fn oldest_first(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().rev().map(String::as_str)
    }

    /// Adds a line; whether it was added (not blank, not a repeat of the last entry).
    pub fn add(&mut self, line: &str) -> bool {
        if line.trim().is_empty() || self.entries.first().is_some_and(|l| l == line) {
            return false;
        }
        self.entries.insert(0, line.to_string());
        self.entries.truncate(self.max);
        self.save();
        true
    }

    fn save(&self) {
        let Some(path) = &self.path else { return };
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        if let Ok(mut f) = options.open(path) {
            let _ = f.write_all(self.entries.join("\n").as_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::History;

    #[test]
    fn newest_first_without_blanks_or_repeats() {
        let dir = std::env::temp_dir().join(format!("minijs-hist-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let path = dir.join("h");
        let _ = std::fs::remove_file(&path);
        let mut h = History::open(Some(path.clone()), 3);
        assert!(h.add("1 + 1"));
        assert!(!h.add("1 + 1"));
        assert!(!h.add("   "));
        assert!(h.add(".help"));
        assert!(h.add("x"));
        assert!(h.add("y"));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "y\nx\n.help");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let again = History::open(Some(path.clone()), 1000);
        assert_eq!(
            again.oldest_first().collect::<Vec<_>>(),
            [".help", "x", "y"]
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
