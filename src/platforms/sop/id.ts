/** The platform id: routes under /sop/, fixture section, journal and fault rules. */
export const SOP = 'sop';
