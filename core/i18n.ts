import type { Locale } from './config.schema';

/** A translation function as the core sees it: a key with its namespace (`errors:forbidden`) and params. */
export type Translate = (key: string, params?: Record<string, unknown>) => string;

export type { Locale };
