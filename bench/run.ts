/**
 * `npm run bench`: every benchmark of the project, one after another, each printing its figures and its ratio
 * against a baseline measured in the same process. Sizes can be reduced for a quick look with
 * `npm run bench -- --quick`.
 */
import { runComplaintsBench } from './complaints.bench';
import { runInspectionBench } from './inspection.bench';
import { runWecomCallbackBench } from './wecom-callback.bench';

const quick = process.argv.includes('--quick');

const started = Date.now();
process.stdout.write(`Site Steward benchmarks${quick ? ' (quick sizes)' : ''}\n\n`);
// The error-report sweep first: its goal is about memory, and this process's memory only grows (the WeCom
// benchmark's answers and connections would count against it).
await runComplaintsBench(quick ? { sites: 1400, complaints: 20_000, runs: 3 } : {});
process.stdout.write('\n');
await runWecomCallbackBench(quick ? { levels: [10], requestsPerLevel: 300, sustainedRequests: 1000 } : {});
process.stdout.write('\n');
// The website inspection last: its fixture sites run in a child process; its memory figure is read as the
// growth over this process's size when it starts (printed beside the peak).
await runInspectionBench(quick ? { sites: 100, pagesPerSite: 50, timingProbes: 150, throughputProbes: 2000 } : {});
process.stdout.write(`\nall benchmarks done in ${Math.round((Date.now() - started) / 1000)} s\n`);
process.exit(0);
