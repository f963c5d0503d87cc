import type { DialogueSpec } from './dialogue.types';

/** What a change record can change, in the order offered (the fields of `request.change_record`). */
export const CHANGE_FIELDS = ['hostUnit', 'name', 'personInCharge', 'contacts', 'domain', 'columns', 'url'] as const;

/**
 * The commands filed by guided dialogue, each with the questions it asks in order. The fields, their
 * validation and their error texts are the commands' own (core/commands/requests/file.command.ts,
 * core/commands/notice.command.ts); only what to ask, how to read the answer and what may be skipped is here.
 */
export const DIALOGUE_SPECS: readonly DialogueSpec[] = [
  {
    command: 'request.temp_offline',
    requestType: 'temp_offline',
    backTo: { temp_offline_too_long: 'end', window_start_in_past: 'start', window_end_before_start: 'end' },
    steps: [
      { field: 'site', kind: 'site' },
      { field: 'start', kind: 'date' },
      { field: 'end', kind: 'date', notBefore: 'start' },
      { field: 'reason', kind: 'text' },
      { field: 'justification', kind: 'text', optional: true, requiredFor: { siteKind: 'portal', code: 'portal_offline_needs_justification', article: 13 } },
    ],
  },
  {
    command: 'request.emergency_shutdown',
    requestType: 'emergency_shutdown',
    backTo: { window_end_before_start: 'end' },
    steps: [
      { field: 'site', kind: 'site' },
      { field: 'reason', kind: 'enum', options: ['force_majeure', 'ordered_by_authority'] },
      { field: 'start', kind: 'date' },
      { field: 'end', kind: 'date', notBefore: 'start' },
      { field: 'note', kind: 'text' },
    ],
  },
  {
    command: 'request.change_record',
    requestType: 'change_record',
    steps: [
      { field: 'site', kind: 'site' },
      { field: '_what', kind: 'enum', options: CHANGE_FIELDS },
      { field: '_value', kind: 'text', fieldFrom: '_what' },
      { field: 'note', kind: 'text', optional: true },
    ],
  },
  {
    command: 'request.opening',
    requestType: 'opening',
    siteStatuses: ['planned'],
    steps: [
      { field: 'site', kind: 'site' },
      { field: 'note', kind: 'text', optional: true },
    ],
  },
  {
    command: 'request.closure',
    requestType: 'closure',
    siteStatuses: ['planned', 'applying', 'online', 'temp_offline'],
    steps: [
      { field: 'site', kind: 'site' },
      { field: 'reason', kind: 'text' },
      { field: 'justification', kind: 'text', optional: true, requiredFor: { siteKind: 'portal', code: 'portal_closure_needs_justification', article: 13 } },
      { field: 'migrateTo', kind: 'text', optional: true },
    ],
  },
  {
    command: 'notice.publish',
    steps: [
      { field: 'kind', kind: 'enum', options: ['notice', 'criticism'] },
      { field: 'title', kind: 'text' },
      { field: 'body', kind: 'text' },
      { field: 'ack', kind: 'yesno' },
    ],
  },
];

export function dialogueSpecOf(commandId: string): DialogueSpec | undefined {
  return DIALOGUE_SPECS.find((s) => s.command === commandId);
}
