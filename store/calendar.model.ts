import mongoose, { Schema } from 'mongoose';

/**
 * One year of the official holiday arrangement as an operator loaded it (`steward calendar load`), keyed by
 * the year so a year has at most one override and loading it again replaces it in one document write.
 */
export interface CalendarYearDoc {
  _id: number;
  holidays: string[];
  makeupWorkdays: string[];
  note?: string | null;
  loadedBy: string;
  loadedAt: Date;
}

export const CalendarYearModel = mongoose.model<CalendarYearDoc>(
  'CalendarYear',
  new Schema<CalendarYearDoc>(
    {
      _id: Number,
      holidays: { type: [String], default: [] },
      makeupWorkdays: { type: [String], default: [] },
      note: { type: String, default: null },
      loadedBy: { type: String, required: true },
      loadedAt: { type: Date, required: true },
    },
    { versionKey: false },
  ),
  'calendar_years',
);

/** The `meta` document whose counter changes on every calendar save: every instance polls it to drop its cache. */
export const CALENDAR_VERSION_KEY = 'calendar_version';

export interface CalendarVersionDoc {
  _id: string;
  version: number;
  at: Date;
}

/**
 * The change marker lives in the shared `meta` collection (next to the one-off markers of meta.model.ts) under
 * its own key; a model of its own because MetaModel's schema has no counter field.
 */
export const CalendarVersionModel = mongoose.model<CalendarVersionDoc>(
  'CalendarVersion',
  new Schema<CalendarVersionDoc>({ _id: String, version: Number, at: Date }, { versionKey: false }),
  'meta',
);
