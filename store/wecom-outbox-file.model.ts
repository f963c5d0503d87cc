import mongoose, { Schema } from 'mongoose';
import { isDuplicateKey } from './duplicate-key';
import type { WecomOutboxFileDoc } from '../core/channels/wecom.ports';
export type { WecomOutboxFileDoc } from '../core/channels/wecom.ports';

/** WeCom's limit for a `file` upload. */
export const WECOM_FILE_MAX_BYTES = 20 * 1024 * 1024;
/** Chunks stay far below the 16 MB document limit (FerretDB v1 included). */
const CHUNK_BYTES = 1024 * 1024;
/** A media_id lives 3 days; one younger than this is reused by a retry instead of uploading again. */
const MEDIA_REUSE_MS = 2 * 86_400_000;

export interface WecomOutboxFileChunkDoc {
  _id: string;
  file: string;
  n: number;
  data: Buffer;
}

export const WecomOutboxFileModel = mongoose.model<WecomOutboxFileDoc>(
  'WecomOutboxFile',
  new Schema<WecomOutboxFileDoc>(
    {
      _id: String,
      fileName: { type: String, required: true },
      mime: { type: String, required: true },
      size: { type: Number, required: true },
      chunks: { type: Number, required: true },
      mediaId: { type: String, default: null },
      mediaAt: { type: Date, default: null },
      createdAt: { type: Date, required: true },
    },
    { versionKey: false },
  ).index({ createdAt: 1 }),
  'wecom_outbox_files',
);

export const WecomOutboxFileChunkModel = mongoose.model<WecomOutboxFileChunkDoc>(
  'WecomOutboxFileChunk',
  new Schema<WecomOutboxFileChunkDoc>({ _id: String, file: { type: String, required: true }, n: { type: Number, required: true }, data: { type: Buffer, required: true } }, { versionKey: false }).index({
    file: 1,
    n: 1,
  }),
  'wecom_outbox_file_chunks',
);

async function insertOnce(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}

/**
 * Stores the bytes of message `id` (chunks first, the header last: a header means the file is whole). Saving
 * the same id again (a re-run of the same answer) leaves what is there.
 */
export async function saveWecomOutboxFile(id: string, file: { fileName: string; mime: string; data: Buffer }, now: Date): Promise<void> {
  if (file.data.length > WECOM_FILE_MAX_BYTES) throw new Error(`file ${file.fileName} is ${file.data.length} bytes; WeCom takes at most ${WECOM_FILE_MAX_BYTES}`);
  if (await WecomOutboxFileModel.exists({ _id: id })) return;
  const chunks = Math.max(1, Math.ceil(file.data.length / CHUNK_BYTES));
  for (let n = 0; n < chunks; n++) {
    const data = file.data.subarray(n * CHUNK_BYTES, (n + 1) * CHUNK_BYTES);
    await insertOnce(() => WecomOutboxFileChunkModel.create({ _id: `${id}#${n}`, file: id, n, data }));
  }
  await insertOnce(() => WecomOutboxFileModel.create({ _id: id, fileName: file.fileName, mime: file.mime, size: file.data.length, chunks, mediaId: null, mediaAt: null, createdAt: now }));
}

/** The file of message `id` with its bytes, or null when it is gone (or was never whole). */
export async function loadWecomOutboxFile(id: string): Promise<(WecomOutboxFileDoc & { data: Buffer }) | null> {
  const head = await WecomOutboxFileModel.findById(id).lean<WecomOutboxFileDoc>();
  if (!head) return null;
  const parts = await WecomOutboxFileChunkModel.find({ file: id }).sort({ n: 1 }).lean<WecomOutboxFileChunkDoc[]>();
  if (parts.length !== head.chunks) return null;
  const data = Buffer.concat(parts.map((p) => toBuffer(p.data)));
  return data.length === head.size ? { ...head, data } : null;
}

function toBuffer(d: unknown): Buffer {
  if (Buffer.isBuffer(d)) return d;
  const b = d as { buffer?: ArrayBufferLike | Buffer; value?: (asRaw?: boolean) => Buffer };
  if (b?.buffer && Buffer.isBuffer(b.buffer)) return b.buffer;
  if (b?.buffer) return Buffer.from(b.buffer as ArrayBuffer);
  return Buffer.from(d as Uint8Array);
}

/** A media_id still fresh enough to send again, else null. */
export function reusableMediaId(doc: Pick<WecomOutboxFileDoc, 'mediaId' | 'mediaAt'>, now: Date): string | null {
  return doc.mediaId && doc.mediaAt && now.getTime() - new Date(doc.mediaAt).getTime() < MEDIA_REUSE_MS ? doc.mediaId : null;
}

export async function rememberWecomMedia(id: string, mediaId: string | null, at: Date): Promise<void> {
  await WecomOutboxFileModel.updateOne({ _id: id }, { $set: { mediaId, mediaAt: mediaId ? at : null } });
}

export async function deleteWecomOutboxFile(id: string): Promise<void> {
  await WecomOutboxFileModel.deleteOne({ _id: id });
  await WecomOutboxFileChunkModel.deleteMany({ file: id });
}
