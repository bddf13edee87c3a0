for (const a;;) {}
