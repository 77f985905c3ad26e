// Loaded with `node --import` into the CLI under test: on exit, writes the process's peak RSS (kB) and CPU
// time (µs, user and system) from getrusage to $SIGNET_BENCH_RSS_FILE, so the benchmark measures the whole
// command, start to exit. CPU time is what a busy machine does not inflate, unlike the wall time.
import { writeFileSync } from 'node:fs';

const file = process.env.SIGNET_BENCH_RSS_FILE;
if (file)
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(
      file,
      JSON.stringify({
        maxRSS: usage.maxRSS,
        userCPUTime: usage.userCPUTime,
        systemCPUTime: usage.systemCPUTime,
      }),
    );
  });
