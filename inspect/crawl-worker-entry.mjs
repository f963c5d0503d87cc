// The crawl worker's entry, in plain JavaScript: a worker thread does not inherit the parent's tsx loader, so it
// registers its own before loading the TypeScript worker (inspect/crawl-worker.ts).
import { register } from 'tsx/esm/api';

register();
await import('./crawl-worker.ts');
