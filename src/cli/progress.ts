// Progress on stderr for long collections: one rewritten line on a TTY, silent otherwise.
export interface Progress {
  update(text: string): void;
  done(): void;
}

export function stderrProgress(enabled = Boolean(process.stderr.isTTY)): Progress {
  let last = 0;
  let shown = false;
  return {
    update(text) {
      if (!enabled) return;
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      shown = true;
      process.stderr.write(`\r\u001b[2K${text}`);
    },
    done() {
      if (enabled && shown) process.stderr.write('\r\u001b[2K');
    },
  };
}
