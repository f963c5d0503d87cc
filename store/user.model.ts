import mongoose, { Schema, Types } from 'mongoose';

export interface RoleBindingDoc {
  role: 'site_admin' | 'supervisor' | 'province_admin';
  siteId?: string;
  unitCode?: string;
}

export interface UserDoc {
  _id: Types.ObjectId;
  userid: string;
  name: string;
  locale: string;
  mobile?: string;
  email?: string;
  roles: RoleBindingDoc[];
  active: boolean;
  createdAt?: Date;
  updatedAt?: Date;
}

const userSchema = new Schema<UserDoc>(
  {
    userid: { type: String, required: true },
    name: { type: String, required: true },
    locale: { type: String, required: true, default: 'zh-CN' },
    mobile: { type: String },
    email: { type: String },
    roles: { type: [{ _id: false, role: String, siteId: String, unitCode: String }], default: [] },
    active: { type: Boolean, default: true },
  },
  { timestamps: true, versionKey: false },
);
userSchema.index({ userid: 1 }, { unique: true });
userSchema.index({ 'roles.siteId': 1 });
userSchema.index({ 'roles.unitCode': 1 });

export const UserModel = mongoose.model<UserDoc>('User', userSchema, 'users');
