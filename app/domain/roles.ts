/** Role names and school types, shared by client and server (the database schema imports them). */
export const ROLE_NAMES = ["school_staff", "school_head", "office_reviewer", "office_admin", "system_admin"] as const;
export type Role = (typeof ROLE_NAMES)[number];

export const SCHOOL_TYPES = ["TH", "THCS", "THPT", "TH&THCS", "THCS&THPT", "TH-THCS-THPT", "GDTX"] as const;
export type SchoolType = (typeof SCHOOL_TYPES)[number];
