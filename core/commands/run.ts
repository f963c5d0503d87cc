import { hasRole } from '../actor';
import { DomainError, ValidationError, type FieldProblem } from '../errors';
import { zodIssueProblems } from '../zod-problems';
import type { AnyCommand, Ctx } from './command';
import type { z } from 'zod';

/**
 * Zod issues as field problems whose codes are our i18n keys (see `zodIssueProblems`): the schema's own code
 * where it fits the issue, else the issue's kind with its limit, so no zod default text reaches a reader.
 */
export function zodProblems(error: z.ZodError, raw?: unknown): FieldProblem[] {
  return zodIssueProblems(error, raw === undefined ? {} : { raw });
}

/**
 * The one way a command runs, whatever called it: validate the input with the spec's schema, check the role
 * gate, then the handler (which checks the subject itself). Adapters only translate in and out.
 */
export async function runCommand(spec: AnyCommand, rawInput: unknown, ctx: Ctx): Promise<unknown> {
  const input = rawInput ?? {};
  const parsed = spec.input.safeParse(input);
  if (!parsed.success) throw new ValidationError(zodProblems(parsed.error, input));
  if (spec.roles.length > 0 && !spec.roles.some((r) => hasRole(ctx.actor, r))) {
    // Role ids: the error presenter gives each its name in the reader's language.
    throw new DomainError('forbidden_role', { roles: [...spec.roles] }, 403);
  }
  return spec.handler(ctx, parsed.data);
}
