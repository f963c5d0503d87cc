import { hasRole } from '../actor';
import { DomainError, ValidationError, type FieldProblem } from '../errors';
import type { AnyCommand, Ctx } from './command';
import type { z } from 'zod';

/** Zod issues as field problems; the message codes are our i18n keys where we set them. */
export function zodProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({
    field: issue.path.join('.') || '(input)',
    code: /^[a-z_]+$/.test(issue.message) ? issue.message : 'invalid_value',
    // Custom issues (ctx.addIssue) carry their message's values in `params`; keep them for the localized text.
    params: { detail: issue.message, ...('params' in issue && issue.params ? (issue.params as Record<string, unknown>) : {}) },
  }));
}

/**
 * The one way a command runs, whatever called it: validate the input with the spec's schema, check the role
 * gate, then the handler (which checks the subject itself). Adapters only translate in and out.
 */
export async function runCommand(spec: AnyCommand, rawInput: unknown, ctx: Ctx): Promise<unknown> {
  const parsed = spec.input.safeParse(rawInput ?? {});
  if (!parsed.success) throw new ValidationError(zodProblems(parsed.error));
  if (spec.roles.length > 0 && !spec.roles.some((r) => hasRole(ctx.actor, r))) {
    throw new DomainError('forbidden_role', { roles: spec.roles.join(', ') }, 403);
  }
  return spec.handler(ctx, parsed.data);
}
