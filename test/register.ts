import type { DeadlineKind } from '../core/deadlines/deadline.types';
import { deadlineModel, toRegisteredDeadline, type DeadlineDoc } from '../store/deadline.model';

/** What the register of open deadlines holds for one subject: `kind:stage@dueAt state`, sorted (tests). */
export async function readDeadlinesOf(kinds: readonly DeadlineKind[], subjectId: string): Promise<string[]> {
  const out: string[] = [];
  for (const kind of kinds) {
    for (const d of (await deadlineModel(kind).find({}).lean<DeadlineDoc[]>()).map(toRegisteredDeadline)) {
      if (d.subjectId === subjectId) out.push(`${d.kind}:${d.stage}@${d.dueAt.toISOString()} ${d.state}`);
    }
  }
  return out.sort();
}
