/** The platform id: routes under /mantun/, fixture section, journal and fault rules. */
export const MANTUN = 'mantun';
