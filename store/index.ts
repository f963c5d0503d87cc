import './api-token.model';
import './wechaty-binding';
import './pending-prompt.model';

export { resolveDatabase, redactUri, PROJECT_ROOT, type ResolvedDatabase } from './database';
export { connectMongo, disconnectMongo, pingDatabase } from './connection';

// The core's ports are wired once, in the composition root: lib/services.ts (createServices).
