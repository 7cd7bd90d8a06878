/** The platform id: routes under /zjrc/, fixture section, journal and fault rules. */
export const ZJRC = 'zjrc';
