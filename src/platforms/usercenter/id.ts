/** The platform id: routes under /usercenter/, fixture section, journal and fault rules. */
export const USERCENTER = 'usercenter';
