import mongoose, { Schema } from 'mongoose';
import type { Campaign, SiteCheck } from '../core/campaigns/campaign.types';

/** A quarterly check campaign (art. 32); `_id` is `<unit>:<period>`, so a quarter's check of a unit opens once. */
export type CampaignDoc = Omit<Campaign, 'id'> & { _id: string };

const who = { _id: false, userid: String, name: String };

const campaignSchema = new Schema<CampaignDoc>(
  {
    _id: { type: String, required: true },
    unitCode: { type: String, required: true },
    unitName: { type: String, required: true },
    period: { type: String, required: true },
    scope: { type: String, required: true },
    dueDate: { type: String, required: true },
    openedAt: { type: Date, required: true },
    openedBy: { type: who, required: true },
    siteCount: { type: Number, required: true },
  },
  { versionKey: false },
);
campaignSchema.index({ period: 1 });

export const CampaignModel = mongoose.model<CampaignDoc>('Campaign', campaignSchema, 'campaigns');

/** One site's check; `_id` is `<campaign>:<site>`, so a bulk insert run twice adds nothing twice. */
export type SiteCheckDoc = Omit<SiteCheck, 'id'> & { _id: string; registerDirty?: boolean };

const checkSchema = new Schema<SiteCheckDoc>(
  {
    _id: { type: String, required: true },
    campaignId: { type: String, required: true },
    unitCode: { type: String, required: true },
    period: { type: String, required: true },
    dueDate: { type: String, required: true },
    site: { type: Schema.Types.Mixed, required: true },
    scopeUnits: { type: [String], default: [] },
    status: { type: String, required: true },
    findings: { type: Schema.Types.Mixed, default: () => [] },
    checkedAt: { type: Date, default: null },
    checkedBy: { type: Schema.Types.Mixed, default: null },
    closedAt: { type: Date, default: null },
    closedBy: { type: Schema.Types.Mixed, default: null },
    version: { type: Number, required: true, default: 0 },
    updatedAt: { type: Date, required: true },
    /** Set by each write, cleared once the check's entry in the register of open deadlines is applied; absent before the register. */
    registerDirty: { type: Boolean },
  },
  { versionKey: false, minimize: false },
);
checkSchema.index({ campaignId: 1 });
checkSchema.index({ registerDirty: 1 });
checkSchema.index({ 'site.id': 1, status: 1 });

export const SiteCheckModel = mongoose.model<SiteCheckDoc>('SiteCheck', checkSchema, 'campaign_checks');
