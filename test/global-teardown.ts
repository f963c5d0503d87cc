import { rm } from 'node:fs/promises';

export default async function globalTeardown(): Promise<void> {
  await globalThis.__STEWARD_TEST_DB__?.release();
  const dir = process.env.STEWARD_TEST_DATA_DIR;
  if (dir) await rm(dir, { recursive: true, force: true });
}
