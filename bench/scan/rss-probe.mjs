// Loaded with `node --import` into the CLI under test: on exit, writes the process's peak RSS (kB, from
// getrusage) to $SIGNET_BENCH_RSS_FILE so the benchmark measures the whole command, start to exit.
import { writeFileSync } from 'node:fs';

const file = process.env.SIGNET_BENCH_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
