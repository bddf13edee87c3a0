//! Where the VM's output goes: stdout (buffered) and stderr, or — while an embedder captures
//! it — one buffer holding both in the order they were written. The REPL captures the output
//! of callbacks that run while a prompt is on the screen and prints it above the prompt.

use std::io::{BufWriter, Stdout, Write};

pub struct Output {
    stdout: BufWriter<Stdout>,
    capture: Option<Vec<u8>>,
}

impl Output {
    pub fn new() -> Output {
        Output {
            stdout: BufWriter::new(std::io::stdout()),
            capture: None,
        }
    }

    /// Writes to stderr (after flushing what stdout has buffered, so the two interleave in
    /// order), or to the capture buffer.
    pub fn write_err(&mut self, bytes: &[u8]) {
        match &mut self.capture {
            Some(buf) => buf.extend_from_slice(bytes),
            None => {
                let _ = self.stdout.flush();
                let _ = std::io::stderr().write_all(bytes);
            }
        }
    }

    /// From now on, stdout and stderr output is kept in a buffer.
    pub fn start_capture(&mut self) {
        let _ = self.stdout.flush();
        if self.capture.is_none() {
            self.capture = Some(Vec::new());
        }
    }

    /// Ends capturing and returns what was written meanwhile.
    pub fn end_capture(&mut self) -> Vec<u8> {
        self.capture.take().unwrap_or_default()
    }

    pub fn is_capturing(&self) -> bool {
        self.capture.is_some()
    }
}

impl Default for Output {
    fn default() -> Self {
        Output::new()
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.capture {
            Some(c) => {
                c.extend_from_slice(buf);
                Ok(buf.len())
            }
            None => self.stdout.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self.capture {
            Some(_) => Ok(()),
            None => self.stdout.flush(),
        }
    }
}
